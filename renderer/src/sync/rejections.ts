/**
 * What the user can do with a change the server refused (syncRejections):
 *   - discard: the local record goes back to what the server has (the last state it sent),
 *     or, for a record the server never accepted, is removed locally;
 *   - retry: the change is queued again (new outbox entry, fresh HLC), e.g. after the
 *     secretariat reopened the sheet.
 * Neither writes anything without the user asking.
 */
import type { SyncedCollection } from '../db/entities';
import type { GuanmoDb } from '../db/guanmo-db';
import { appendToOutbox, collectionSchemas, outboxTables } from '../db/outbox';
import { syncRecordsTable, syncRejectionsTable } from './sync-tables';

export async function discardRejection(db: GuanmoDb, mutationId: string): Promise<void> {
  const rejection = await syncRejectionsTable(db).get(mutationId);
  if (!rejection) return;
  const collection: SyncedCollection = rejection.collection;
  const table = db.table<Record<string, unknown>, string>(collection);
  await db.transaction('rw', [table, syncRecordsTable(db), syncRejectionsTable(db)], async () => {
    const server = await syncRecordsTable(db).get([collection, rejection.recordId]);
    const local = await table.get(rejection.recordId);
    if (!server || server.deleted) {
      if (local) await table.delete(rejection.recordId);
    } else {
      const fields = rejection.mutation.op === 'delete' ? Object.keys(server.data) : Object.keys(rejection.mutation.fields);
      const restored: Record<string, unknown> = { ...(local ?? server.data) };
      for (const field of fields) {
        if (Object.prototype.hasOwnProperty.call(server.data, field)) restored[field] = server.data[field];
        else delete restored[field];
      }
      const parsed = collectionSchemas[collection].safeParse(restored);
      await table.put((parsed.success ? parsed.data : server.data) as Record<string, unknown>);
    }
    await syncRejectionsTable(db).delete(mutationId);
  });
}

export async function retryRejection(db: GuanmoDb, mutationId: string): Promise<void> {
  const rejection = await syncRejectionsTable(db).get(mutationId);
  if (!rejection) return;
  const collection: SyncedCollection = rejection.collection;
  const table = db.table<Record<string, unknown>, string>(collection);
  await db.transaction('rw', [table, syncRejectionsTable(db), ...outboxTables(db)], async () => {
    const local = await table.get(rejection.recordId);
    const fields = Object.keys(rejection.mutation.fields).filter((f) => local !== undefined && f in local);
    if (rejection.mutation.op === 'delete' && local === undefined) {
      await appendToOutbox(db, { collection, recordId: rejection.recordId, changedFields: ['deleted'], deleted: true });
    } else if (fields.length > 0) {
      await appendToOutbox(db, { collection, recordId: rejection.recordId, changedFields: fields });
    }
    await syncRejectionsTable(db).delete(mutationId);
  });
}
