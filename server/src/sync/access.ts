/**
 * Who may see which synced records (pull, rankings, photo bytes).
 *
 * - admin, secretariat: everything.
 * - everyone else sees the tours they take part in (a scorer record with their user id, in the
 *   tour's `scorers` collection) once the tour is no longer a draft: the tour, its units, stops,
 *   participants, notes and photos; their own score sheets and ballots; and everybody's sheets
 *   and ballots once the tour's status is `results_published` (blind scoring until then).
 *
 * What must stay true:
 * - Visibility is decided per record at the moment of the pull, from the current state. When it
 *   grows (assigned to a tour, a tour published, results published) the records that became
 *   visible are re-announced in the change log (see reannounce.ts), so a client whose cursor is
 *   past their last change still receives them.
 */
import { sql, type Kysely } from 'kysely';
import type { Role, TourStatus } from '@shared/domain/schemas';
import type { DbKind } from '../config.js';
import type { StoredRecord } from '../db/records.js';
import type { Database } from '../db/schema.js';

export interface Viewer {
  id: string;
  role: Role;
}

export function isStaffRole(role: Role): boolean {
  return role === 'admin' || role === 'secretariat';
}

export interface TourParticipation {
  tourId: string;
  status: TourStatus;
  /** the viewer's live scorer records ids in this tour (normally one) */
  scorerIds: Set<string>;
  /** true when one of those records has role 'scorer' (the others are observers) */
  isScorer: boolean;
  /**
   * The tour was deleted, or the viewer's participation removed (only deleted scorer records of
   * theirs are left): they receive just the tombstones that tell them so (the tour's, or their
   * own scorer record's), never the tour's content.
   */
  isGone: boolean;
  /** ids of the viewer's deleted scorer records in this tour */
  removedScorerIds: Set<string>;
}

export interface ViewerAccess {
  viewer: Viewer;
  isStaff: boolean;
  /** tours the viewer takes part in or took part in (drafts included; see canSeeRecord) */
  tours: Map<string, TourParticipation>;
}

/** SQL for the user id of a scorer record (records.data is JSON text on both databases). */
function scorerUserIdSql(kind: DbKind) {
  return kind === 'postgres' ? sql<string>`(r.data::json ->> 'userId')` : sql<string>`json_extract(r.data, '$.userId')`;
}

/** The tours `viewer` takes part in, with their status. */
export async function loadViewerAccess(db: Kysely<Database>, kind: DbKind, viewer: Viewer, onlyTourId?: string): Promise<ViewerAccess> {
  return (await loadViewersAccess(db, kind, [viewer], onlyTourId)).get(viewer.id)!;
}

/**
 * loadViewerAccess for several viewers in one query (the live channel refreshes its listeners'
 * access together when participants or tours change). Every viewer given gets an entry.
 */
export async function loadViewersAccess(db: Kysely<Database>, kind: DbKind, viewers: readonly Viewer[], onlyTourId?: string): Promise<Map<string, ViewerAccess>> {
  const result = new Map<string, ViewerAccess>();
  for (const viewer of viewers) result.set(viewer.id, { viewer, isStaff: isStaffRole(viewer.role), tours: new Map() });
  const ids = [...new Set(viewers.filter((v) => !isStaffRole(v.role)).map((v) => v.id))];
  if (ids.length === 0) return result;
  // one round trip: the viewers' scorer records (live and deleted) with their tours
  let query = db
    .selectFrom('records as r')
    .innerJoin('records as t', (join) => join.on('t.collection', '=', 'tours').onRef('t.id', '=', 'r.tour_id'))
    .select(['r.id', 'r.tour_id', 'r.data', 'r.deleted', 't.data as tour_data', 't.deleted as tour_deleted', scorerUserIdSql(kind).as('user_id')])
    // a literal 'scorers', so that the partial index of migration 0005 applies
    .where(sql<boolean>`r.collection = 'scorers'`);
  query = ids.length === 1 ? query.where(scorerUserIdSql(kind), '=', ids[0]!) : query.where(scorerUserIdSql(kind), 'in', ids);
  if (onlyTourId !== undefined) query = query.where('r.tour_id', '=', onlyTourId);
  const rows = await query.execute();
  const rowsByUser = new Map<string, typeof rows>();
  for (const row of rows) {
    let list = rowsByUser.get(row.user_id);
    if (!list) rowsByUser.set(row.user_id, (list = []));
    list.push(row);
  }
  for (const [userId, scorers] of rowsByUser) {
    const access = result.get(userId);
    if (access) fillParticipation(access, scorers);
  }
  return result;
}

/**
 * SQL for the viewer's participation rows (what loadViewersAccess reads) as ONE JSON text: an
 * array of [id, tour_id, data, deleted, tour_data, tour_deleted] (data as stored, as strings).
 * For statements that must read the access in their own snapshot (a pull page, sync/pull.ts).
 * `userId` is bound as a parameter; read the result with viewerAccessFromJson.
 */
export function viewerAccessJsonSql(kind: DbKind, userId: string) {
  return kind === 'postgres'
    ? sql<string>`(select coalesce(json_agg(json_build_array(r.id, r.tour_id, r.data, r.deleted, t.data, t.deleted)), '[]')::text
        from records r join records t on t.collection = 'tours' and t.id = r.tour_id
        where r.collection = 'scorers' and ${scorerUserIdSql(kind)} = ${userId})`
    : sql<string>`(select json_group_array(json_array(r.id, r.tour_id, r.data, r.deleted, t.data, t.deleted))
        from records r join records t on t.collection = 'tours' and t.id = r.tour_id
        where r.collection = 'scorers' and ${scorerUserIdSql(kind)} = ${userId})`;
}

/** The access of `viewer` (not staff) from the text viewerAccessJsonSql returned. */
export function viewerAccessFromJson(viewer: Viewer, json: string): ViewerAccess {
  const access: ViewerAccess = { viewer, isStaff: isStaffRole(viewer.role), tours: new Map() };
  const rows = (JSON.parse(json) as Array<[string, string | null, string, number, string, number]>).map(
    ([id, tourId, data, deleted, tourData, tourDeleted]): ScorerRow => ({ id, tour_id: tourId, data, deleted: Number(deleted), tour_data: tourData, tour_deleted: Number(tourDeleted) }),
  );
  fillParticipation(access, rows);
  return access;
}

interface ScorerRow {
  id: string;
  tour_id: string | null;
  data: string;
  deleted: number;
  tour_data: string;
  tour_deleted: number;
}

function fillParticipation(access: ViewerAccess, scorers: readonly ScorerRow[]): void {
  for (const row of scorers) {
    if (row.tour_id === null || access.tours.has(row.tour_id)) continue;
    const status = (JSON.parse(row.tour_data) as { status?: TourStatus }).status ?? 'draft';
    access.tours.set(row.tour_id, { tourId: row.tour_id, status, scorerIds: new Set(), isScorer: false, isGone: row.tour_deleted === 1, removedScorerIds: new Set() });
  }
  for (const scorer of scorers) {
    const participation = scorer.tour_id === null ? undefined : access.tours.get(scorer.tour_id);
    if (!participation) continue;
    if (scorer.deleted === 1) {
      participation.removedScorerIds.add(scorer.id);
      continue;
    }
    participation.scorerIds.add(scorer.id);
    if ((JSON.parse(scorer.data) as { role?: string }).role !== 'observer') participation.isScorer = true;
  }
  for (const participation of access.tours.values()) {
    if (participation.scorerIds.size === 0) participation.isGone = true;
  }
}

/** The viewer's participation in a tour whose content they may see (live, assigned, not a draft), or null. */
export function visibleTour(access: ViewerAccess, tourId: string | null): TourParticipation | null {
  if (tourId === null) return null;
  const participation = access.tours.get(tourId);
  return participation && !participation.isGone && participation.status !== 'draft' ? participation : null;
}

export function canSeeTour(access: ViewerAccess, tourId: string): boolean {
  return access.isStaff || visibleTour(access, tourId) !== null;
}

/** Whether the viewer may receive this record (current state) in a pull. */
export function canSeeRecord(access: ViewerAccess, record: Pick<StoredRecord, 'collection' | 'id' | 'tourId' | 'data' | 'deleted'>): boolean {
  if (access.isStaff) return true;
  const participation = visibleTour(access, record.tourId);
  if (!participation) {
    // the tombstones that end a participation: the deleted tour, or one's own removed assignment
    const gone = record.tourId === null ? undefined : access.tours.get(record.tourId);
    if (!gone || !gone.isGone || !record.deleted) return false;
    return (record.collection === 'tours' && record.id === gone.tourId) || (record.collection === 'scorers' && gone.removedScorerIds.has(record.id));
  }
  if (record.collection === 'sheets' || record.collection === 'ballots') {
    if (participation.status === 'results_published') return true;
    const scorerId = record.data.scorerId;
    return typeof scorerId === 'string' && participation.scorerIds.has(scorerId);
  }
  return true;
}

/**
 * Whether `viewer` may see tour `tourId` and what belongs to it (stops, notes, photos):
 * staff always, others when they take part in it and it is not a draft.
 * For routes that serve tour data outside pull (photo bytes, rankings).
 */
export async function userCanSeeTour(db: Kysely<Database>, kind: DbKind, viewer: Viewer, tourId: string): Promise<boolean> {
  if (isStaffRole(viewer.role)) return true;
  const access = await loadViewerAccess(db, kind, viewer, tourId);
  return visibleTour(access, tourId) !== null;
}
