/**
 * Pushing the outbox: stamp entries of older releases, plan (push-plan.ts), send in batches,
 * and settle each entry by the server's answer in one transaction per batch:
 *   applied / duplicate → the entry is done (removed);
 *   rejected            → moved to syncRejections with the code and reason, shown to the user
 *                         until retried or discarded (never dropped silently).
 * Entries written while a push is in flight are not touched (they are settled by seq).
 */
import { pushResponseSchema, type MutationResult } from '@shared/sync/protocol';
import { syncedCollections, type OutboxEntry, type SyncedCollection } from '../db/entities';
import type { GuanmoDb } from '../db/guanmo-db';
import { nextHlc } from '../db/hlc-clock';
import { planPush, splitBatches, type PlannedMutation } from './push-plan';
import { requestJson, type HttpContext } from './sync-http';
import { syncRecordsTable, syncRejectionsTable, type SyncRejection } from './sync-tables';

export interface PushResult {
  applied: number;
  duplicate: number;
  rejected: number;
  batches: number;
  /** the server's clock after the last push (null: nothing pushed) */
  serverHlc: string | null;
}

/** Gives entries without an HLC (written by older releases) one, before they are planned. */
async function stampUnstamped(db: GuanmoDb): Promise<void> {
  const unstamped = await db.outbox.filter((e) => e.hlc === null).primaryKeys();
  if (unstamped.length === 0) return;
  await db.transaction('rw', [db.outbox, db.meta], async () => {
    for (const seq of unstamped) {
      const entry = await db.outbox.get(seq);
      if (entry && entry.hlc === null) await db.outbox.update(seq, { hlc: await nextHlc(db) });
    }
  });
}

function isSynced(collection: string): collection is SyncedCollection {
  return (syncedCollections as readonly string[]).includes(collection);
}

/** Reads the entries up to `maxSeq` and the records they name, consistently, and plans them. */
async function planFromOutbox(db: GuanmoDb, maxSeq: number) {
  const tables = [db.outbox, syncRecordsTable(db), ...syncedCollections.map((c) => db.table(c))];
  return db.transaction('r', tables, async () => {
    const entries = (await db.outbox.where('seq').belowOrEqual(maxSeq).toArray()).filter((e): e is OutboxEntry & { hlc: string } => e.hlc !== null);
    const records = new Map<string, Record<string, unknown> | undefined>();
    const serverTourIds = new Map<string, string | null | undefined>();
    const keys = [...new Set(entries.map((e) => `${e.collection}\u0000${e.recordId}`))];
    for (const key of keys) {
      const [collection, id] = key.split('\u0000') as [SyncedCollection, string];
      if (!isSynced(collection)) continue;
      records.set(key, (await db.table(collection).get(id)) as Record<string, unknown> | undefined);
      serverTourIds.set(key, (await syncRecordsTable(db).get([collection, id]))?.tourId);
    }
    return planPush(entries, {
      local: (c, id) => records.get(`${c}\u0000${id}`),
      serverTourId: (c, id) => serverTourIds.get(`${c}\u0000${id}`),
    });
  });
}

export async function pushOutbox(db: GuanmoDb, http: HttpContext, clientId: string, now: () => number = Date.now): Promise<PushResult> {
  const result: PushResult = { applied: 0, duplicate: 0, rejected: 0, batches: 0, serverHlc: null };
  await stampUnstamped(db);
  const last = await db.outbox.orderBy('seq').last();
  if (!last) return result;
  const plan = await planFromOutbox(db, last.seq);
  if (plan.obsolete.length > 0) await db.outbox.bulkDelete(plan.obsolete);

  for (const batch of splitBatches(plan.mutations)) {
    const response = await requestJson(http, 'POST', '/api/sync/push', pushResponseSchema, {
      clientId,
      mutations: batch.map((p) => p.mutation),
    });
    result.batches++;
    result.serverHlc = response.serverHlc;
    const byId = new Map(response.results.map((r) => [r.id, r]));
    await settleBatch(db, batch, byId, new Date(now()).toISOString(), result);
  }
  return result;
}

async function settleBatch(db: GuanmoDb, batch: readonly PlannedMutation[], results: ReadonlyMap<string, MutationResult>, at: string, counts: PushResult): Promise<void> {
  await db.transaction('rw', [db.outbox, syncRejectionsTable(db)], async () => {
    const done: number[] = [];
    for (const planned of batch) {
      const answer = results.get(planned.mutation.id);
      if (!answer) continue; // no answer: stays in the outbox, sent again next round
      done.push(...planned.entrySeqs);
      if (answer.status === 'applied') counts.applied++;
      else if (answer.status === 'duplicate') counts.duplicate++;
      else {
        counts.rejected++;
        const { mutation } = planned;
        const rejection: SyncRejection = {
          mutationId: mutation.id,
          collection: mutation.collection as SyncedCollection,
          recordId: mutation.recordId,
          tourId: mutation.tourId,
          mutation,
          code: answer.code ?? 'invalid',
          reason: answer.reason ?? '',
          rejectedAt: at,
        };
        await syncRejectionsTable(db).put(rejection);
      }
    }
    await db.outbox.bulkDelete(done);
  });
}
