import Dexie from 'dexie';
import { rankBallotSchema } from '@shared/domain/rank-vote';
import { noteSchema, photoMetaSchema, scoreSheetSchema, scorerSchema, stopSchema, tourSchema, unitSchema } from '@shared/domain/schemas';
import type { z } from 'zod';
import { newId } from '../lib/new-id';
import type { OutboxEntry, SyncedCollection, SyncedRecords } from './entities';
import type { GuanmoDb } from './guanmo-db';
import { nextHlc } from './hlc-clock';

/** The zod schema each synced collection is validated with before it is written. */
export const collectionSchemas: { readonly [C in SyncedCollection]: z.ZodType<SyncedRecords[C], unknown> } = {
  tours: tourSchema,
  units: unitSchema,
  stops: stopSchema,
  scorers: scorerSchema,
  sheets: scoreSheetSchema,
  notes: noteSchema,
  photos: photoMetaSchema,
  ballots: rankBallotSchema,
};

export interface Change {
  collection: SyncedCollection;
  recordId: string;
  changedFields: readonly string[];
  /** the record was deleted: the entry is a tombstone */
  deleted?: true;
}

/**
 * The tables an outbox entry is written to besides the changed record's: the outbox itself and
 * `meta`, which holds the persisted HLC clock. Put them in every `rw` transaction that calls
 * appendToOutbox: `db.transaction('rw', [db.notes, ...outboxTables(db)], …)`.
 */
export function outboxTables(db: GuanmoDb) {
  return [db.outbox, db.meta] as const;
}

/**
 * Appends an outbox entry for a change, stamped with this device's next HLC timestamp. Must run
 * inside the caller's `rw` transaction that also writes the change and includes the outbox and
 * meta tables (see outboxTables): throws otherwise, so a change can never reach IndexedDB
 * without the entry that will sync it, nor the clock move without the change it stamped.
 */
export async function appendToOutbox(db: GuanmoDb, change: Change): Promise<OutboxEntry> {
  const tx = Dexie.currentTransaction;
  const isInWriteTransaction =
    tx !== null &&
    tx !== undefined &&
    tx.db === db &&
    tx.mode === 'readwrite' &&
    tx.storeNames.includes(db.outbox.name) &&
    tx.storeNames.includes(db.meta.name) &&
    tx.storeNames.includes(change.collection);
  if (!isInWriteTransaction) {
    throw new Error(`appendToOutbox(${change.collection}) must run in an rw transaction over '${change.collection}', 'outbox' and 'meta' (see outboxTables)`);
  }
  if (change.changedFields.length === 0) throw new Error('an outbox entry needs at least one changed field');
  const entry: Omit<OutboxEntry, 'seq'> = {
    mutationId: newId(),
    collection: change.collection,
    recordId: change.recordId,
    changedFields: [...new Set(change.changedFields)],
    hlc: await nextHlc(db),
    createdAt: new Date().toISOString(),
    ...(change.deleted ? { deleted: true as const } : {}),
  };
  const seq = await db.outbox.add(entry);
  return { ...entry, seq };
}

/**
 * Validates a record and writes it together with its outbox entry in one `rw` transaction
 * (joins the caller's transaction when there is one). Returns the stored (parsed) record.
 * `changedFields` lists what the user changed; a new record lists all its fields.
 */
export async function putSynced<C extends SyncedCollection>(
  db: GuanmoDb,
  collection: C,
  record: unknown,
  changedFields: readonly (keyof SyncedRecords[C] & string)[],
): Promise<SyncedRecords[C]> {
  const parsed = collectionSchemas[collection].parse(record);
  const table = db.table<SyncedRecords[C], string>(collection);
  return db.transaction('rw', [table, ...outboxTables(db)], async () => {
    await table.put(parsed);
    await appendToOutbox(db, { collection, recordId: (parsed as { id: string }).id, changedFields });
    return parsed;
  });
}

/**
 * Deletes a synced record and appends its tombstone (`deleted: true`, changed field 'deleted')
 * in one `rw` transaction (joins the caller's). Returns false, writing nothing, when there was
 * no such record.
 */
export async function deleteSynced(db: GuanmoDb, collection: SyncedCollection, recordId: string): Promise<boolean> {
  const table = db.table(collection);
  return db.transaction('rw', [table, ...outboxTables(db)], async () => {
    if ((await table.get(recordId)) === undefined) return false;
    await table.delete(recordId);
    await appendToOutbox(db, { collection, recordId, changedFields: ['deleted'], deleted: true });
    return true;
  });
}

/** Number of changes not pushed yet. */
export function countPendingChanges(db: GuanmoDb): Promise<number> {
  return db.outbox.count();
}
