/**
 * Pull: the next changes after a cursor that this user may see (access.ts).
 *
 * What must stay true:
 * - The page of changes is read BEFORE the viewer's access. Visibility only grows through
 *   writes that also re-announce the records concerned (reannounce.ts), in the same
 *   transaction; reading access afterwards means it is at least as new as the page, so a
 *   record is never filtered out under an older, narrower access and then skipped for good.
 * - The cursor advances over invisible changes too (they are not this user's business), and
 *   never past a change that has not committed yet (db/changes.ts).
 * - A page that filters down to little is topped up from the following changes, within a bound,
 *   so a scorer does not spend dozens of round trips walking past other scorers' sheets.
 * - Records go out as stored: their JSON text (written by the server itself after validation)
 *   is passed through, not parsed and serialised again, which is most of a pull's CPU time.
 */
import type { Kysely } from 'kysely';
import type { DbKind } from '../config.js';
import { decodeCursor, encodeCursor, readChangeRows, startCursor, type ChangeCursor } from '../db/changes.js';
import type { Database, RecordRow } from '../db/schema.js';
import { HttpError } from '../http/errors.js';
import { canSeeRecord, loadViewerAccess, type Viewer, type ViewerAccess } from './access.js';
import { isRecordCollection } from '@shared/sync/collections';

/** a pull request reads at most this many pages of the change log while topping up */
const maxScanPages = 8;

export function parseCursor(text: string | undefined): ChangeCursor {
  if (text === undefined || text === '') return startCursor;
  const cursor = decodeCursor(text);
  if (!cursor) throw new HttpError(400, 'invalid_cursor', 'The cursor is not one this server issued; pull again from the start (no cursor)');
  return cursor;
}

export interface PullPage {
  /** records as stored (JSON text), latest state each */
  rows: RecordRow[];
  cursor: ChangeCursor;
  hasMore: boolean;
}

export async function pullChanges(db: Kysely<Database>, kind: DbKind, viewer: Viewer, after: ChangeCursor, limit: number): Promise<PullPage> {
  const picked = new Map<string, RecordRow>();
  let cursor = after;
  let hasMore = true;
  for (let page = 0; page < maxScanPages && hasMore && picked.size < Math.ceil(limit / 2); page++) {
    const result = await readChangeRows(db, kind, cursor, limit - picked.size);
    // access after the page: see the comment at the top
    const access = await loadViewerAccess(db, kind, viewer);
    for (const row of result.rows) {
      if (!isVisible(access, row)) continue;
      const key = `${row.collection}\u0000${row.id}`;
      // topped-up pages may hold a record again: the newer state replaces the older, in its place
      picked.delete(key);
      picked.set(key, row);
    }
    cursor = result.cursor;
    hasMore = result.hasMore;
    if (result.rows.length === 0) break;
  }
  return { rows: [...picked.values()], cursor, hasMore };
}

function isVisible(access: ViewerAccess, row: RecordRow): boolean {
  if (access.isStaff) return true;
  if (!isRecordCollection(row.collection)) return false;
  // only sheets and ballots need their content (whose they are) to decide
  const needsData = row.collection === 'sheets' || row.collection === 'ballots';
  const data = needsData ? (JSON.parse(row.data) as Record<string, unknown>) : {};
  return canSeeRecord(access, { collection: row.collection, id: row.id, tourId: row.tour_id, data, deleted: row.deleted === 1 });
}

/** The PullResponse (shared/sync/protocol.ts) as JSON text, with each record's stored JSON inlined. */
export function serializePullPage(page: PullPage): string {
  const changes = page.rows.map(
    (row) =>
      `{"collection":${JSON.stringify(row.collection)},"id":${JSON.stringify(row.id)},"tourId":${JSON.stringify(row.tour_id)},` +
      `"data":${row.data},"versions":${row.versions},"deleted":${row.deleted === 1 ? 'true' : 'false'}}`,
  );
  return `{"changes":[${changes.join(',')}],"cursor":${JSON.stringify(encodeCursor(page.cursor))},"hasMore":${page.hasMore ? 'true' : 'false'}}`;
}
