/**
 * Re-announcing records that became visible to more users.
 *
 * A pull cursor only moves forward: a record whose last change a client has already paged past
 * is never sent to it again. When a record becomes visible later without changing itself — the
 * results of a tour are published (everybody's sheets), a tour leaves draft, a user is assigned
 * to a tour — the server appends a fresh change log entry for each such record, in the same
 * transaction as the change that widened visibility. Every client then receives those records
 * on its next pull (those that could already see them merely receive them again, which merging
 * makes harmless).
 */
import { sql, type Transaction } from 'kysely';
import type { RecordCollection } from '@shared/sync/collections';
import type { Database } from '../db/schema.js';

/** Appends a change for every live and deleted record of `collections` in the tour; returns how many. */
export async function reannounceTourRecords(
  trx: Transaction<Database>,
  tourId: string,
  collections: readonly RecordCollection[],
  userId: string | null,
  now: Date = new Date(),
): Promise<number> {
  if (collections.length === 0) return 0;
  const at = now.toISOString();
  const inserted = await trx
    .insertInto('changes')
    .columns(['collection', 'record_id', 'tour_id', 'scorer_id', 'mutation_id', 'user_id', 'created_at'])
    .expression((eb) =>
      eb
        .selectFrom('records')
        .select([
          'collection',
          'id',
          'tour_id',
          'scorer_id',
          sql<string | null>`cast(null as text)`.as('mutation_id'),
          sql<string | null>`cast(${userId} as text)`.as('user_id'),
          sql<string>`cast(${at} as text)`.as('created_at'),
        ])
        .where('tour_id', '=', tourId) // a tour's own record has tour_id = its id
        .where('collection', 'in', collections)
        .orderBy('seq'),
    )
    .executeTakeFirst();
  const count = Number(inserted.numInsertedOrUpdatedRows ?? 0);
  if (count === 0) return 0;
  // keep records.seq = the seq of the record's newest change
  await trx
    .updateTable('records')
    .set({
      seq: sql<number>`(select max(c.seq) from changes c where c.collection = records.collection and c.record_id = records.id)`,
    })
    .where('tour_id', '=', tourId) // a tour's own record has tour_id = its id
    .where('collection', 'in', collections)
    .execute();
  return count;
}
