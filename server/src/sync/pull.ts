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
 */
import type { DbKind } from '../config.js';
import { decodeCursor, encodeCursor, readChanges, startCursor, type ChangeCursor } from '../db/changes.js';
import type { StoredRecord } from '../db/records.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { PulledRecord, PullResponse } from '@shared/sync/protocol';
import { HttpError } from '../http/errors.js';
import { canSeeRecord, loadViewerAccess, type Viewer } from './access.js';

/** a pull request reads at most this many pages of the change log while topping up */
const maxScanPages = 8;

export function parseCursor(text: string | undefined): ChangeCursor {
  if (text === undefined || text === '') return startCursor;
  const cursor = decodeCursor(text);
  if (!cursor) throw new HttpError(400, 'invalid_cursor', 'The cursor is not one this server issued; pull again from the start (no cursor)');
  return cursor;
}

export async function pullChanges(db: Kysely<Database>, kind: DbKind, viewer: Viewer, after: ChangeCursor, limit: number): Promise<PullResponse> {
  const changes: PulledRecord[] = [];
  const sent = new Set<string>();
  let cursor = after;
  let hasMore = true;
  for (let page = 0; page < maxScanPages && hasMore && changes.length < Math.ceil(limit / 2); page++) {
    const result = await readChanges(db, kind, cursor, limit - changes.length);
    // access after the page: see the comment at the top
    const access = await loadViewerAccess(db, kind, viewer);
    for (const record of result.records) {
      if (!canSeeRecord(access, record)) continue;
      const key = `${record.collection}\u0000${record.id}`;
      // topped-up pages may hold a record again: the newer state replaces the older
      if (sent.has(key)) {
        const i = changes.findIndex((c) => c.collection === record.collection && c.id === record.id);
        if (i >= 0) changes.splice(i, 1);
      }
      sent.add(key);
      changes.push(toPulled(record));
    }
    cursor = result.cursor;
    hasMore = result.hasMore;
    if (result.records.length === 0) break;
  }
  return { changes, cursor: encodeCursor(cursor), hasMore };
}

function toPulled(record: StoredRecord): PulledRecord {
  return {
    collection: record.collection,
    id: record.id,
    tourId: record.tourId,
    data: record.data,
    versions: record.versions,
    deleted: record.deleted,
  };
}
