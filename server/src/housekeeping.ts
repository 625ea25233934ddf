/**
 * Periodic clean-up of bookkeeping tables that only grow: ended sessions, stale login
 * counters, and remembered mutation ids old enough that no laptop still holds them in its outbox
 * (a re-sent mutation older than that is merely merged again, which changes nothing: merging is
 * idempotent; only its answer becomes 'applied' instead of 'duplicate').
 *
 * Runs in every server process, but each job runs in one process at a time (cluster/leases.ts:
 * an advisory lock on PostgreSQL, a lease row on SQLite, where the admin CLI's `blobs gc` may run
 * beside the server): a process finding a job running elsewhere skips its turn. Also drops rate
 * limit buckets that have refilled (auth/shared-buckets.ts).
 *
 * Also, every few hours, garbage collection of photo bytes no live photo record references
 * (blobs/blob-gc.ts: grace period since stored and since unreferenced, default 7 days), and every
 * hour the removal of abandoned partial photo uploads (photos/upload-cleanup.ts: 14 days after
 * creation, or 3 days without a byte).
 */
import type { Kysely } from 'kysely';
import { pruneLoginThrottle } from './auth/login-throttle.js';
import { pruneRateBuckets } from './auth/shared-buckets.js';
import { collectBlobGarbage, defaultBlobGraceMs, type BlobGcResult } from './blobs/blob-gc.js';
import type { BlobStore } from './blobs/blob-store.js';
import { tryExclusive } from './cluster/leases.js';
import type { DbKind } from './config.js';
import type { Database } from './db/schema.js';
import { pruneSessions } from './db/sessions.js';

export const appliedMutationRetentionMs = 180 * 24 * 60 * 60 * 1000;
const intervalMs = 60 * 60 * 1000;
const firstRunMs = 60 * 1000;
/** walking the blob folders is cheap but not free; grace periods are days, so every 6 hours is plenty */
const blobGcIntervalMs = 6 * 60 * 60 * 1000;
const blobGcFirstRunMs = 10 * 60 * 1000;

export interface HousekeepingOptions {
  /** the photo byte store to garbage-collect (none: no blob collection) */
  blobs?: BlobStore;
  blobGraceMs?: number;
  /** removes abandoned partial photo uploads (photos/upload-cleanup.ts); returns how many */
  removeAbandonedUploads?: () => Promise<number>;
}

export interface HousekeepingLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export async function runHousekeeping(db: Kysely<Database>, now: Date = new Date()) {
  const sessions = await pruneSessions(db, now);
  const throttle = await pruneLoginThrottle(db, now);
  const before = new Date(now.getTime() - appliedMutationRetentionMs).toISOString();
  const mutations = Number((await db.deleteFrom('applied_mutations').where('applied_at', '<', before).executeTakeFirst()).numDeletedRows);
  const buckets = await pruneRateBuckets(db, now.getTime());
  return { sessions, throttle, mutations, buckets };
}

/** the lease / advisory lock name of photo byte collection, shared with `guanmo-server blobs gc` */
export const blobGcJob = 'blob_gc';

/**
 * One blob collection, logged, unless another process is collecting now (then null). Exported
 * for tests.
 */
export async function runBlobHousekeeping(db: Kysely<Database>, kind: DbKind, blobs: BlobStore, log: HousekeepingLog, graceMs = defaultBlobGraceMs): Promise<BlobGcResult | null> {
  const outcome = await tryExclusive(db, kind, blobGcJob, () => collectBlobGarbage(db, blobs, { graceMs }));
  if (!outcome.ran) return null;
  const result = outcome.value;
  if (result.removed.length > 0) {
    log.info({ removed: result.removed.length, bytes: result.removedBytes, waiting: result.waiting }, 'housekeeping: unreferenced photo bytes removed');
  }
  return result;
}

/** Starts the hourly clean-up; returns a function that stops it. Timers never keep the process alive. */
export function startHousekeeping(db: Kysely<Database>, kind: DbKind, log: HousekeepingLog, options: HousekeepingOptions = {}): () => void {
  let isRunning = false;
  const run = async () => {
    if (isRunning) return;
    isRunning = true;
    try {
      const outcome = await tryExclusive(db, kind, 'housekeeping', () => runHousekeeping(db));
      const removed = outcome.ran ? outcome.value : null;
      if (removed && removed.sessions + removed.throttle + removed.mutations + removed.buckets > 0) log.info(removed, 'housekeeping: old bookkeeping rows removed');
    } catch (error) {
      log.warn({ err: error }, 'housekeeping failed; will retry');
    } finally {
      isRunning = false;
    }
  };
  const timers: Array<ReturnType<typeof setTimeout>> = [setTimeout(() => void run(), firstRunMs), setInterval(() => void run(), intervalMs)];
  const { blobs, removeAbandonedUploads } = options;
  if (removeAbandonedUploads) {
    let isCleaning = false;
    const clean = async () => {
      if (isCleaning) return;
      isCleaning = true;
      try {
        await tryExclusive(db, kind, 'upload_cleanup', () => removeAbandonedUploads());
      } catch (error) {
        // another process may be cleaning the same folder; try again next time
        log.warn({ err: error }, 'cleaning up partial photo uploads failed; will retry');
      } finally {
        isCleaning = false;
      }
    };
    timers.push(setTimeout(() => void clean(), firstRunMs), setInterval(() => void clean(), intervalMs));
  }
  if (blobs) {
    let isCollecting = false;
    const collect = async () => {
      if (isCollecting) return;
      isCollecting = true;
      try {
        await runBlobHousekeeping(db, kind, blobs, log, options.blobGraceMs);
      } catch (error) {
        log.warn({ err: error }, 'photo byte garbage collection failed; will retry');
      } finally {
        isCollecting = false;
      }
    };
    timers.push(setTimeout(() => void collect(), blobGcFirstRunMs), setInterval(() => void collect(), blobGcIntervalMs));
  }
  for (const timer of timers) timer.unref();
  return () => {
    for (const timer of timers) clearTimeout(timer);
  };
}
