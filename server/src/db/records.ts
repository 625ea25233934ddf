/**
 * The generic record store: current state of every synced domain record plus the change log
 * entry that announces each write to pulling clients.
 *
 * What must stay true:
 * - A record and its change log entry are written in the same transaction (`writeRecord` takes
 *   a Transaction for that reason): a pull can never see one without the other.
 * - `records.seq` is the seq of the record's newest change.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, RecordRow } from './schema.js';

import { isRecordCollection, recordCollections, type RecordCollection } from '@shared/sync/collections';
import type { FieldVersions } from '@shared/sync/merge';

// The collection names and per-field versions are defined once in shared/sync, so the desktop
// app's outbox and the server agree on them by construction.
export { isRecordCollection, recordCollections, type FieldVersions, type RecordCollection };

export interface StoredRecord {
  collection: RecordCollection;
  id: string;
  tourId: string | null;
  data: Record<string, unknown>;
  versions: FieldVersions;
  deleted: boolean;
  /** seq of the record's newest change */
  seq: number;
  updatedAt: string;
}

/** What records.scorer_id holds for a record: data.scorerId of sheets and ballots, else null. */
export function scorerIdOf(collection: string, data: Record<string, unknown>): string | null {
  if (collection !== 'sheets' && collection !== 'ballots') return null;
  return typeof data.scorerId === 'string' ? data.scorerId : null;
}

export interface RecordWrite {
  collection: RecordCollection;
  id: string;
  tourId: string | null;
  data: Record<string, unknown>;
  versions: FieldVersions;
  deleted: boolean;
}

/** Who caused a change, kept in the change log (audit trail, and skipping one's own echoes). */
export interface ChangeOrigin {
  mutationId: string | null;
  userId: string | null;
}

export const serverOrigin: ChangeOrigin = { mutationId: null, userId: null };

/**
 * Inserts or replaces a record and appends its change log entry. The caller has already merged
 * (per-field LWW) and validated `write`; this stores the result. Returns the change's seq.
 */
export async function writeRecord(
  trx: Transaction<Database>,
  write: RecordWrite,
  origin: ChangeOrigin,
  now: Date = new Date(),
): Promise<number> {
  const at = now.toISOString();
  const { seq } = await trx
    .insertInto('changes')
    .values({
      collection: write.collection,
      record_id: write.id,
      tour_id: write.tourId,
      scorer_id: scorerIdOf(write.collection, write.data),
      mutation_id: origin.mutationId,
      user_id: origin.userId,
      created_at: at,
    })
    .returning('seq')
    .executeTakeFirstOrThrow();
  const row = {
    collection: write.collection,
    id: write.id,
    tour_id: write.tourId,
    data: JSON.stringify(write.data),
    versions: JSON.stringify(write.versions),
    deleted: write.deleted ? 1 : 0,
    scorer_id: scorerIdOf(write.collection, write.data),
    seq,
    updated_at: at,
  };
  await trx
    .insertInto('records')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['collection', 'id']).doUpdateSet({
        tour_id: row.tour_id,
        data: row.data,
        versions: row.versions,
        deleted: row.deleted,
        scorer_id: row.scorer_id,
        seq: row.seq,
        updated_at: row.updated_at,
      }),
    )
    .execute();
  return seq;
}

export async function getRecord(db: Kysely<Database>, collection: RecordCollection, id: string): Promise<StoredRecord | null> {
  const row = await db.selectFrom('records').selectAll().where('collection', '=', collection).where('id', '=', id).executeTakeFirst();
  return row ? toStoredRecord(row) : null;
}

export interface RecordQuery {
  collection: RecordCollection;
  tourId?: string;
  includeDeleted?: boolean;
}

/** Records of one collection (optionally of one tour), oldest change first. */
export async function listRecords(db: Kysely<Database>, query: RecordQuery): Promise<StoredRecord[]> {
  let q = db.selectFrom('records').selectAll().where('collection', '=', query.collection);
  if (query.tourId !== undefined) q = q.where('tour_id', '=', query.tourId);
  if (!query.includeDeleted) q = q.where('deleted', '=', 0);
  const rows = await q.orderBy('seq').execute();
  return rows.map(toStoredRecord);
}

export async function countRecords(db: Kysely<Database>, collection: RecordCollection): Promise<number> {
  const { n } = await db
    .selectFrom('records')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('collection', '=', collection)
    .executeTakeFirstOrThrow();
  return Number(n);
}

export function toStoredRecord(row: RecordRow): StoredRecord {
  if (!isRecordCollection(row.collection)) throw new Error(`unknown record collection in database: ${row.collection}`);
  return {
    collection: row.collection,
    id: row.id,
    tourId: row.tour_id,
    data: JSON.parse(row.data) as Record<string, unknown>,
    versions: JSON.parse(row.versions) as FieldVersions,
    deleted: row.deleted === 1,
    seq: Number(row.seq),
    updatedAt: row.updated_at,
  };
}
