/**
 * Pulling: pages of changes after the stored cursor until `hasMore` is false. Each page is
 * applied in ONE rw transaction (apply-pulled.ts decides per record), and the cursor moves in
 * that same transaction, after the page's records are stored: a crash or a closed laptop lid
 * between two pages loses nothing and repeats nothing but, at most, one page (merging is
 * idempotent). The cursor belongs to (server, user): another account or server starts over.
 *
 * The device clock receives the page's greatest field version in that same transaction too: a
 * local edit made between two pages (or before the round ends) must be stamped after every
 * value already stored, or it would lose to them on the server while the screen shows it saved.
 */
import { DEFAULT_PULL_LIMIT, pullResponseSchema, type PulledRecord } from '@shared/sync/protocol';
import { syncedCollections, type SyncedCollection } from '../db/entities';
import type { GuanmoDb } from '../db/guanmo-db';
import { collectionSchemas } from '../db/outbox';
import { decideApply, noPendingChange, pendingChangesOf, recordKey } from './apply-pulled';
import { receiveRemoteHlc } from './device-clock';
import { requestJson, type HttpContext } from './sync-http';
import { getSyncState, setSyncState, syncRecordsTable, syncStateTable } from './sync-tables';

export interface PullScope {
  serverUrl: string;
  userId: string;
}

export interface PullResult {
  records: number;
  pages: number;
  invalid: number;
}

function isSynced(collection: string): collection is SyncedCollection {
  return (syncedCollections as readonly string[]).includes(collection);
}

export async function storedCursor(db: GuanmoDb, scope: PullScope): Promise<string | undefined> {
  const stored = await getSyncState(db, 'cursor');
  return stored && stored.serverUrl === scope.serverUrl && stored.userId === scope.userId ? stored.cursor : undefined;
}

export async function pullAll(
  db: GuanmoDb,
  http: HttpContext,
  scope: PullScope,
  limit = DEFAULT_PULL_LIMIT,
  now: () => number = Date.now,
): Promise<PullResult> {
  const result: PullResult = { records: 0, pages: 0, invalid: 0 };
  for (let guard = 0; guard < 100_000; guard++) {
    const cursor = await storedCursor(db, scope);
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) query.set('cursor', cursor);
    const page = await requestJson(http, 'GET', `/api/sync/pull?${query}`, pullResponseSchema);
    const applied = await applyPage(db, scope, cursor, page.changes, page.cursor, now);
    if (!applied.isCurrent) continue; // the cursor moved under us (another window): read from the new one
    result.pages++;
    result.records += page.changes.length;
    result.invalid += applied.invalid;
    if (!page.hasMore) break;
  }
  return result;
}

/**
 * Stores one page and moves the cursor, in one transaction. Returns isCurrent false (storing
 * nothing) when the stored cursor is no longer the one the page was asked with.
 */
export async function applyPage(
  db: GuanmoDb,
  scope: PullScope,
  askedWith: string | undefined,
  changes: readonly PulledRecord[],
  nextCursor: string,
  now: () => number = Date.now,
): Promise<{ isCurrent: boolean; invalid: number }> {
  const tables = [db.outbox, db.meta, syncRecordsTable(db), syncStateTable(db), ...syncedCollections.map((c) => db.table(c))];
  return db.transaction('rw', tables, async () => {
    if ((await storedCursor(db, scope)) !== askedWith) return { isCurrent: false, invalid: 0 };
    const relevant = changes.filter((c) => isSynced(c.collection));
    const pending = pendingChangesOf(await db.outbox.toArray());
    let invalid = 0;
    for (const change of relevant) {
      const collection = change.collection as SyncedCollection;
      const table = db.table<Record<string, unknown>, string>(collection);
      const [record, server] = await Promise.all([table.get(change.id), syncRecordsTable(db).get([collection, change.id])]);
      const decision = decideApply(
        { record, server, pending: pending.get(recordKey(collection, change.id)) ?? noPendingChange },
        change,
        (data) => collectionSchemas[collection].safeParse(data),
      );
      switch (decision.kind) {
        case 'put':
          await table.put(decision.record);
          break;
        case 'delete':
          await table.delete(change.id);
          break;
        case 'invalid':
          invalid++;
          console.warn(`sync: pulled ${collection} ${change.id} not stored: ${decision.reason}`);
          break;
        case 'keep':
          break;
      }
      await syncRecordsTable(db).put({
        collection,
        id: change.id,
        tourId: change.tourId,
        data: change.data,
        versions: change.versions,
        deleted: change.deleted,
      });
    }
    await setSyncState(db, 'cursor', { ...scope, cursor: nextCursor });
    const pageMax = greatestVersion(changes);
    if (pageMax !== null) await receiveRemoteHlc(db, pageMax, now());
    return { isCurrent: true, invalid };
  });
}

/** The greatest field version of a page (HLC strings sort in time order), null when none. */
function greatestVersion(changes: readonly PulledRecord[]): string | null {
  let max: string | null = null;
  for (const change of changes) {
    for (const version of Object.values(change.versions)) if (max === null || version > max) max = version;
  }
  return max;
}
