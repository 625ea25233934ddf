/**
 * The desk's writes. Every one goes through putSynced/deleteSynced (record + outbox entry in one
 * transaction), so the sync client pushes it: publishing a tour or editing a published one
 * reaches the scorers' laptops on their next sync.
 */
import { defaultRankingRules, type BulletinHeader, type RankingRules, type Template, type TourCoordSystem } from '@shared/domain/schemas';
import { scorersInAssignmentOrder } from '@shared/domain/tour-order';
import type { Scorer, Stop, Tour, Unit } from '../../../db/entities';
import type { GuanmoDb } from '../../../db/guanmo-db';
import { deleteSynced, outboxTables, putSynced } from '../../../db/outbox';
import { newId } from '../../../lib/new-id';
import { DeskRefusal } from '../desk-error';
import type { TourMetaForm } from './tour-form-schema';

const tourFields = ['id', 'name', 'kind', 'startDate', 'endDate', 'status', 'template', 'rules'] as const;
const unitFields = ['id', 'tourId', 'name', 'group', 'indicatorScore'] as const;
const stopFields = [
  'id',
  'tourId',
  'unitId',
  'day',
  'order',
  'name',
  'category',
  'totalInvestment',
  'completedInvestment',
  'startDate',
  'content',
  'lat',
  'lng',
  'address',
  'briefer',
] as const;
const scorerFields = ['id', 'tourId', 'userId', 'name', 'role', 'homeUnitId', 'weightGroup', 'post', 'order'] as const;

/**
 * A new draft tour. `method` is the scoring method chosen with it (score sheets, or a rank vote,
 * which needs no template); every other rule starts at its default.
 */
export async function createTour(db: GuanmoDb, id: string, meta: TourMetaForm, method: RankingRules['method'] = 'score'): Promise<Tour> {
  return putSynced(db, 'tours', { id, ...meta, status: 'draft', template: null, rules: { ...defaultRankingRules, method } }, [...tourFields]);
}

/** Saves changed tour fields (only those listed are marked changed, so a concurrent edit of another field survives). */
export async function updateTour(db: GuanmoDb, tour: Tour, patch: Partial<Omit<Tour, 'id'>>): Promise<Tour> {
  const fields = (Object.keys(patch) as (keyof Tour & string)[]).filter((k) => JSON.stringify(patch[k as keyof typeof patch]) !== JSON.stringify(tour[k]));
  if (fields.length === 0) return tour;
  return putSynced(db, 'tours', { ...tour, ...patch }, fields);
}

/**
 * Saves the bulletin's header fields (发文机关, 文号, 主送, 落款, 印发日期) with the tour: one synced
 * field, `bulletin`, written whole over the tour as stored now (not a copy the page read earlier,
 * so a status or rules change that arrived meanwhile is kept). Nothing is written when unchanged.
 */
export async function saveBulletinHeader(db: GuanmoDb, tourId: string, header: BulletinHeader): Promise<Tour> {
  return db.transaction('rw', [db.tours, ...outboxTables(db)], async () => {
    const current = await db.tours.get(tourId);
    if (!current) throw new Error(`tour ${tourId} does not exist here`);
    return updateTour(db, current, { bulletin: header });
  });
}

export function saveTemplate(db: GuanmoDb, tour: Tour, template: Template): Promise<Tour> {
  return updateTour(db, tour, { template });
}

/**
 * Replaces the tour's units and stops with an imported itinerary, all in one transaction:
 * the stops and units the import no longer has are deleted (tombstones), the rest written.
 * The tour's dates follow the itinerary, and its declared coordinate system the table's.
 */
export async function saveImportedItinerary(db: GuanmoDb, tour: Tour, table: { units: Unit[]; stops: Stop[]; startDate: string; endDate: string; coordSystem?: TourCoordSystem }): Promise<void> {
  await db.transaction('rw', [db.tours, db.units, db.stops, db.sheets, ...outboxTables(db)], async () => {
    const keepStops = new Set(table.stops.map((s) => s.id));
    const keepUnits = new Set(table.units.map((u) => u.id));
    const dropped = (await db.stops.where('tourId').equals(tour.id).toArray()).filter((s) => !keepStops.has(s.id));
    // scores are never thrown away by a re-import: a stop that has sheets must stay
    const scored = [];
    for (const stop of dropped) {
      if ((await db.sheets.where('[tourId+stopId]').equals([tour.id, stop.id]).count()) > 0) scored.push(stop.name);
    }
    if (scored.length > 0) throw new ItineraryImportRefused('desk.import.refused.scoredStopsDropped', {}, { stops: scored });
    for (const old of dropped) await deleteSynced(db, 'stops', old.id);
    for (const old of await db.units.where('tourId').equals(tour.id).toArray()) {
      if (!keepUnits.has(old.id)) await deleteSynced(db, 'units', old.id);
    }
    for (const unit of table.units) await putSynced(db, 'units', unit, [...unitFields]);
    for (const stop of table.stops) await putSynced(db, 'stops', stop, [...stopFields]);
    // the table's coordinate system becomes the tour's (the desk's location fields default to it),
    // when the table had coordinates at all
    const hasCoordinates = table.stops.some((s) => s.lat !== null && s.lng !== null);
    await updateTour(db, tour, { startDate: table.startDate, endDate: table.endDate, ...(hasCoordinates && table.coordSystem ? { coordSystem: table.coordSystem } : {}) });
  });
}

/** A change refused so that no score sheet is lost (said through the catalog: see DeskRefusal). */
export class ItineraryImportRefused extends DeskRefusal {
  override readonly name = 'ItineraryImportRefused';
}

/** Saves the stops whose day/order changed after a reorder, in one transaction. */
export async function saveStopOrder(db: GuanmoDb, changed: readonly Stop[]): Promise<void> {
  if (changed.length === 0) return;
  await db.transaction('rw', [db.stops, ...outboxTables(db)], async () => {
    for (const stop of changed) await putSynced(db, 'stops', stop, ['day', 'order']);
  });
}

export function saveUnit(db: GuanmoDb, unit: Unit, fields: readonly (keyof Unit & string)[]): Promise<Unit> {
  return putSynced(db, 'units', unit, fields);
}

/**
 * Short random ids for the records the desk creates. Short on purpose: a score sheet's id joins
 * the tour, stop and scorer ids (`sheet:<tour>:<stop>:<scorer>`, see sheetId) and must stay
 * within idSchema's 128 characters; stops derive theirs from the tour id (`<tour>-stop-<n>`).
 */
function shortId(prefix: string): string {
  return `${prefix}-${newId().replace(/-/g, '').slice(0, 12)}`;
}

export const newTourId = () => shortId('t');
export const newUnitId = (tourId: string) => `${tourId}-unit-${shortId('m')}`;
export const newStopId = (tourId: string) => `${tourId}-stop-${shortId('m')}`;

/** A stop added by hand: last of its day. */
export async function addStop(db: GuanmoDb, stop: Omit<Stop, 'order'>): Promise<Stop> {
  return db.transaction('rw', [db.stops, ...outboxTables(db)], async () => {
    const sameDay = await db.stops.where('[tourId+day+order]').between([stop.tourId, stop.day, 0], [stop.tourId, stop.day, Infinity]).toArray();
    const order = sameDay.reduce((max, s) => Math.max(max, s.order), 0) + 1;
    return putSynced(db, 'stops', { ...stop, order }, [...stopFields]);
  });
}

/** Deletes a stop that has no score sheets (scores are never thrown away), renumbering its day. */
export async function removeStop(db: GuanmoDb, stop: Stop): Promise<void> {
  await db.transaction('rw', [db.stops, db.sheets, ...outboxTables(db)], async () => {
    if ((await db.sheets.where('[tourId+stopId]').equals([stop.tourId, stop.id]).count()) > 0) {
      throw new ItineraryImportRefused('desk.import.refused.stopHasSheets', { name: stop.name });
    }
    await deleteSynced(db, 'stops', stop.id);
    const sameDay = await db.stops.where('[tourId+day+order]').between([stop.tourId, stop.day, 0], [stop.tourId, stop.day, Infinity]).toArray();
    for (const [i, s] of sameDay.entries()) if (s.order !== i + 1) await putSynced(db, 'stops', { ...s, order: i + 1 }, ['order']);
  });
}

export function addUnit(db: GuanmoDb, unit: Unit): Promise<Unit> {
  return putSynced(db, 'units', unit, [...unitFields]);
}
/** One assignment per (tour, user) is enforced by assignScorers, not the id (user ids can be long). */
export const newScorerId = () => shortId('sc');

/** Saves an edited assignment; `fields` names what changed (all of them for a new record). */
export function saveScorer(db: GuanmoDb, scorer: Scorer, fields: readonly (keyof Scorer & string)[] = scorerFields): Promise<Scorer> {
  return putSynced(db, 'scorers', scorer, [...fields]);
}

/** A person to assign: everything of a scorer record but its id, tour and place in the list. */
export type ScorerDraft = Omit<Scorer, 'id' | 'tourId' | 'order'>;

/**
 * Assigns people to the tour in one transaction, after everyone assigned already, in the order
 * given (`order` continues from the largest there is). A user already in the tour is skipped
 * (one assignment per tour and user), so a list can be assigned twice without doubling anyone.
 * Returns the records written, in order.
 */
export async function assignScorers(db: GuanmoDb, tourId: string, drafts: readonly ScorerDraft[]): Promise<Scorer[]> {
  return db.transaction('rw', [db.scorers, ...outboxTables(db)], async () => {
    const current = await db.scorers.where('tourId').equals(tourId).toArray();
    const assigned = new Set(current.map((s) => s.userId));
    let next = nextOrder(current);
    const written: Scorer[] = [];
    for (const draft of drafts) {
      if (assigned.has(draft.userId)) continue;
      assigned.add(draft.userId);
      const post = draft.post?.trim() ? draft.post.trim() : undefined;
      const record: Scorer = { ...draft, post, id: newScorerId(), tourId, order: next++ };
      if (record.post === undefined) delete record.post;
      written.push(await putSynced(db, 'scorers', record, [...scorerFields]));
    }
    return written;
  });
}

/** The `order` after the last assigned scorer (0 for the first). */
function nextOrder(scorers: readonly Scorer[]): number {
  return scorers.reduce((max, s) => Math.max(max, (s.order ?? -1) + 1), 0);
}

/**
 * Moves a scorer one place up or down the tour's list. The list is renumbered 0, 1, 2 … in its
 * current order first (records from before `order` existed have none), and only the records
 * whose number changed are written, in one transaction.
 */
export async function moveScorer(db: GuanmoDb, tourId: string, scorerId: string, direction: 'up' | 'down'): Promise<void> {
  await db.transaction('rw', [db.scorers, ...outboxTables(db)], async () => {
    const list = scorersInAssignmentOrder(await db.scorers.where('tourId').equals(tourId).toArray());
    const from = list.findIndex((s) => s.id === scorerId);
    const to = direction === 'up' ? from - 1 : from + 1;
    if (from < 0 || to < 0 || to >= list.length) return;
    [list[from], list[to]] = [list[to]!, list[from]!];
    for (const [index, scorer] of list.entries()) {
      if (scorer.order !== index) await putSynced(db, 'scorers', { ...scorer, order: index }, ['order']);
    }
  });
}

export function removeScorer(db: GuanmoDb, scorerId: string): Promise<boolean> {
  return deleteSynced(db, 'scorers', scorerId);
}
