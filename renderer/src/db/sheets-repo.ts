import { sheetId as deriveSheetId, scoreSheetSchema, type ScoreSheet, type Scorer, type Stop, type Tour } from '@shared/domain/schemas';
import { formatScoreValue, readScoreText, tallySheet, type ScoreIssueCode } from '@shared/domain/score-input';
import type { SheetDraft } from './entities';
import type { GuanmoDb } from './guanmo-db';
import { appendToOutbox, outboxTables } from './outbox';

/**
 * Score sheets of the current user, and the text typed into them.
 *
 * What must stay true:
 * - One sheet per (tour, stop, scorer), with the id `sheetId(tour, stop, scorer)`: two laptops
 *   of one scorer, or two tabs, always write the same record.
 * - Every write runs in ONE `rw` transaction that re-checks the rules (assigned scorer, not
 *   recused, sheet not submitted, tour still open) against what is stored at that moment, then
 *   writes the sheet, its outbox entry and the HLC clock together.
 * - The synced sheet only ever holds valid scores (0..max, on the step); whatever else was
 *   typed lives in the local `sheetDrafts` record until it is corrected, so nothing typed is lost.
 * - A submitted sheet is never changed here (only a secretariat reopen, which another issue
 *   builds, makes it editable again: status 'reopened').
 */

export type ScoringRole =
  /** may score this stop */
  | { kind: 'scorer'; scorer: Scorer }
  /** a scorer whose home unit hosts this stop (回避) */
  | { kind: 'recused'; scorer: Scorer }
  /** on the tour, but takes photos and notes only */
  | { kind: 'observer'; scorer: Scorer }
  /** not on this tour */
  | { kind: 'unassigned' }
  /** the tour has no score sheet (study tour, rank-vote tour, or no template yet) */
  | { kind: 'noSheet'; scorer: Scorer | null };

/** What the user may do with the score sheet of `stop` (pure: the UI and the writes share it). */
export function scoringRoleOf(tour: Tour, stop: Stop, scorer: Scorer | null): ScoringRole {
  // rank-vote tours (排序投票) are decided by ballots (ballots-repo.ts), not score sheets: the server refuses their sheets
  if (tour.kind !== 'scored' || tour.template === null || tour.rules.method === 'rankVote') return { kind: 'noSheet', scorer };
  if (scorer === null) return { kind: 'unassigned' };
  if (scorer.role === 'observer') return { kind: 'observer', scorer };
  if (tour.rules.recusal && scorer.homeUnitId !== null && scorer.homeUnitId === stop.unitId) return { kind: 'recused', scorer };
  return { kind: 'scorer', scorer };
}

/** Scoring ends when the secretariat closes the tour; until then sheets can be drafted and submitted. */
export function isTourOpenForScoring(tour: Tour): boolean {
  return tour.status !== 'closed' && tour.status !== 'results_published';
}

export function isSheetLocked(sheet: ScoreSheet | null | undefined): boolean {
  return sheet?.status === 'submitted';
}

export type SheetRefusal = 'unknownStop' | 'unassigned' | 'observer' | 'recused' | 'noSheet' | 'tourClosed' | 'submitted' | 'incomplete';

/** A sheet write the rules do not allow; nothing was written. */
export class SheetWriteRefused extends Error {
  override readonly name = 'SheetWriteRefused';
  constructor(
    readonly reason: SheetRefusal,
    /** for 'incomplete': criterion key → what is wrong */
    readonly issues: Readonly<Record<string, ScoreIssueCode>> = {},
  ) {
    super(`score sheet not saved: ${reason}${Object.keys(issues).length ? ` (${Object.entries(issues).map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}`);
  }
}

export interface SheetTarget {
  tourId: string;
  stopId: string;
  /** the current user (not the scorer record id) */
  userId: string;
}

/** The scorer record of a user on a tour, or null. */
export async function findScorer(db: GuanmoDb, tourId: string, userId: string): Promise<Scorer | null> {
  return (await db.scorers.where('[tourId+userId]').equals([tourId, userId]).first()) ?? null;
}

export interface ScoringContext {
  tour: Tour;
  stop: Stop;
  role: ScoringRole;
  /** null until something valid was typed */
  sheet: ScoreSheet | null;
  /** the text typed into the fields, null when none was kept */
  draft: SheetDraft | null;
}

/** Everything the score sheet of one stop needs; null when the tour or stop does not exist. */
export function getScoringContext(db: GuanmoDb, { tourId, stopId, userId }: SheetTarget): Promise<ScoringContext | null> {
  return db.transaction('r', [db.tours, db.stops, db.scorers, db.sheets, db.sheetDrafts], async () => {
    const [tour, stop, scorer] = await Promise.all([db.tours.get(tourId), db.stops.get(stopId), findScorer(db, tourId, userId)]);
    if (!tour || !stop || stop.tourId !== tourId) return null;
    const role = scoringRoleOf(tour, stop, scorer);
    // only a scorer has a sheet here; one found for a recused scorer (e.g. home unit changed
    // later) is not shown, and can no longer change
    if (role.kind !== 'scorer') return { tour, stop, role, sheet: null, draft: null };
    const id = deriveSheetId(tourId, stopId, role.scorer.id);
    const [sheet, draft] = await Promise.all([db.sheets.get(id), db.sheetDrafts.get(id)]);
    return { tour, stop, role, sheet: sheet ?? null, draft: draft ?? null };
  });
}

/**
 * The text each field shows when the sheet opens: what was typed (the draft) where it still
 * agrees with the stored sheet, else the stored value, so a newer value from another tab or
 * from sync wins over older typing.
 */
export function initialSheetTexts(tour: Tour, sheet: ScoreSheet | null, draft: SheetDraft | null): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const criterion of tour.template?.criteria ?? []) {
    const stored = sheet?.scores[criterion.key] ?? null;
    const typed = draft?.texts[criterion.key];
    const reading = typed === undefined ? null : readScoreText(criterion, typed);
    const typedValue = reading?.kind === 'value' ? reading.hundredths / 100 : null;
    const isTypedCurrent = typed !== undefined && (reading?.kind === 'value' ? stored !== null && Math.abs(stored - typedValue!) < 1e-9 : stored === null);
    texts[criterion.key] = isTypedCurrent ? typed! : formatScoreValue(stored);
  }
  return texts;
}

interface WriteContext {
  tour: Tour & { template: NonNullable<Tour['template']> };
  scorer: Scorer;
  id: string;
  existing: ScoreSheet | null;
}

/** Re-checks every rule inside the caller's transaction; throws SheetWriteRefused. */
async function loadWriteContext(db: GuanmoDb, { tourId, stopId, userId }: SheetTarget): Promise<WriteContext> {
  const [tour, stop, scorer] = await Promise.all([db.tours.get(tourId), db.stops.get(stopId), findScorer(db, tourId, userId)]);
  if (!tour || !stop || stop.tourId !== tourId) throw new SheetWriteRefused('unknownStop');
  const role = scoringRoleOf(tour, stop, scorer);
  if (role.kind !== 'scorer') throw new SheetWriteRefused(role.kind);
  if (!isTourOpenForScoring(tour)) throw new SheetWriteRefused('tourClosed');
  const id = deriveSheetId(tourId, stopId, role.scorer.id);
  const existing = (await db.sheets.get(id)) ?? null;
  if (isSheetLocked(existing)) throw new SheetWriteRefused('submitted');
  return { tour: tour as WriteContext['tour'], scorer: role.scorer, id, existing };
}

function sheetTables(db: GuanmoDb) {
  return [db.tours, db.stops, db.scorers, db.sheets, db.sheetDrafts, ...outboxTables(db)];
}

/** Only the template's criteria, as text. */
function textsForTemplate(tour: WriteContext['tour'], texts: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(tour.template.criteria.map((c) => [c.key, String(texts[c.key] ?? '')]));
}

function sameScores(a: Readonly<Record<string, number | null>>, b: Readonly<Record<string, number | null>>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if ((a[key] ?? null) !== (b[key] ?? null)) return false;
  return true;
}

export interface SavedDraft {
  /** the synced sheet after the save; null while nothing valid was typed */
  sheet: ScoreSheet | null;
  /** true when the synced sheet changed (and an outbox entry was written) */
  isSheetChanged: boolean;
  savedAt: string;
}

/**
 * Saves what is typed into a draft sheet: the exact texts locally, and the valid values into the
 * synced sheet (created on the first valid value) with an outbox entry when they changed.
 */
export async function saveSheetDraft(db: GuanmoDb, target: SheetTarget, texts: Readonly<Record<string, string | undefined>>): Promise<SavedDraft> {
  return db.transaction('rw', sheetTables(db), async () => {
    const { tour, scorer, id, existing } = await loadWriteContext(db, target);
    const typed = textsForTemplate(tour, texts);
    const { scores } = tallySheet(tour.template, typed);
    const savedAt = new Date().toISOString();
    await db.sheetDrafts.put({ sheetId: id, tourId: target.tourId, stopId: target.stopId, scorerId: scorer.id, texts: typed, updatedAt: savedAt });
    const hasValue = Object.values(scores).some((v) => v !== null);
    if (existing === null && !hasValue) return { sheet: null, isSheetChanged: false, savedAt };
    if (existing !== null && sameScores(existing.scores, scores)) return { sheet: existing, isSheetChanged: false, savedAt };
    const sheet = scoreSheetSchema.parse(
      existing === null
        ? { id, tourId: target.tourId, stopId: target.stopId, scorerId: scorer.id, scores, status: 'draft', comment: '', submittedAt: null, updatedAt: savedAt }
        : { ...existing, scores, updatedAt: savedAt },
    );
    await db.sheets.put(sheet);
    await appendToOutbox(db, { collection: 'sheets', recordId: id, changedFields: existing === null ? Object.keys(sheet) : ['scores', 'updatedAt'] });
    return { sheet, isSheetChanged: true, savedAt };
  });
}

/**
 * Submits a sheet: every criterion must hold a valid value (else SheetWriteRefused 'incomplete'
 * with the issues, and nothing is written). Stores the values, locks the sheet (status
 * 'submitted', submittedAt) and drops the typed texts, which the locked sheet no longer needs.
 */
export async function submitSheet(db: GuanmoDb, target: SheetTarget, texts: Readonly<Record<string, string | undefined>>): Promise<ScoreSheet> {
  return db.transaction('rw', sheetTables(db), async () => {
    const { tour, scorer, id, existing } = await loadWriteContext(db, target);
    const tally = tallySheet(tour.template, textsForTemplate(tour, texts));
    if (Object.keys(tally.issues).length > 0) throw new SheetWriteRefused('incomplete', tally.issues);
    const now = new Date().toISOString();
    const sheet = scoreSheetSchema.parse({
      ...(existing ?? { id, tourId: target.tourId, stopId: target.stopId, scorerId: scorer.id, comment: '' }),
      scores: tally.scores,
      status: 'submitted',
      submittedAt: now,
      updatedAt: now,
    });
    await db.sheets.put(sheet);
    await db.sheetDrafts.delete(id);
    await appendToOutbox(db, {
      collection: 'sheets',
      recordId: id,
      changedFields: existing === null ? Object.keys(sheet) : ['scores', 'status', 'submittedAt', 'updatedAt'],
    });
    return sheet;
  });
}

/** The state of one stop's sheet for the current user, as the itinerary shows it. */
export type StopSheetState = 'todo' | 'draft' | 'submitted' | 'reopened' | 'recused' | 'observer' | 'none';

/** Sheet state of every stop of a tour for one user (stop id → state). */
export async function listStopSheetStates(db: GuanmoDb, tourId: string, userId: string): Promise<Map<string, StopSheetState>> {
  return db.transaction('r', [db.tours, db.stops, db.scorers, db.sheets, db.sheetDrafts], async () => {
    const [tour, scorer] = await Promise.all([db.tours.get(tourId), findScorer(db, tourId, userId)]);
    const states = new Map<string, StopSheetState>();
    if (!tour) return states;
    const stops = await db.stops.where('tourId').equals(tourId).toArray();
    const [sheets, drafts] = scorer
      ? await Promise.all([
          db.sheets.where('[tourId+scorerId]').equals([tourId, scorer.id]).toArray(),
          db.sheetDrafts.where('[tourId+scorerId]').equals([tourId, scorer.id]).toArray(),
        ])
      : [[], []];
    const sheetByStop = new Map(sheets.map((s) => [s.stopId, s]));
    const typedStops = new Set(drafts.filter((d) => Object.values(d.texts).some((t) => t.trim() !== '')).map((d) => d.stopId));
    for (const stop of stops) {
      const role = scoringRoleOf(tour, stop, scorer);
      if (role.kind === 'recused') states.set(stop.id, 'recused');
      else if (role.kind === 'observer') states.set(stop.id, 'observer');
      else if (role.kind !== 'scorer') states.set(stop.id, 'none');
      else {
        const sheet = sheetByStop.get(stop.id);
        if (sheet?.status === 'submitted') states.set(stop.id, 'submitted');
        else if (sheet?.status === 'reopened') states.set(stop.id, 'reopened');
        else if (sheet || typedStops.has(stop.id)) states.set(stop.id, 'draft');
        else states.set(stop.id, 'todo');
      }
    }
    return states;
  });
}

/** States that still need the user's score. */
export function isUnscored(state: StopSheetState | undefined): boolean {
  return state === 'todo' || state === 'draft' || state === 'reopened';
}

/**
 * The next stop to score: the first unscored one after `afterStopId` in itinerary order,
 * wrapping around to the start (so a skipped stop is not forgotten); from the start when
 * `afterStopId` is null. Null when every stop is scored (or none is the user's to score).
 */
export function nextUnscoredStop<S extends { id: string }>(stopsInOrder: readonly S[], states: ReadonlyMap<string, StopSheetState>, afterStopId: string | null = null): S | null {
  const start = afterStopId === null ? 0 : stopsInOrder.findIndex((s) => s.id === afterStopId) + 1;
  for (let i = 0; i < stopsInOrder.length; i++) {
    const stop = stopsInOrder[(start + i) % stopsInOrder.length]!;
    if (stop.id !== afterStopId && isUnscored(states.get(stop.id))) return stop;
  }
  return null;
}
