/**
 * Periodic clean-up of bookkeeping tables that only grow: ended sessions, stale login
 * counters, and remembered mutation ids old enough that no laptop still holds them in its outbox
 * (a re-sent mutation older than that is merely merged again, which changes nothing: merging is
 * idempotent; only its answer becomes 'applied' instead of 'duplicate').
 *
 * Runs in every server process; the deletes are idempotent, so several processes doing it at
 * once is harmless.
 */
import type { Kysely } from 'kysely';
import { pruneLoginThrottle } from './auth/login-throttle.js';
import type { Database } from './db/schema.js';
import { pruneSessions } from './db/sessions.js';

export const appliedMutationRetentionMs = 180 * 24 * 60 * 60 * 1000;
const intervalMs = 60 * 60 * 1000;
const firstRunMs = 60 * 1000;

export interface HousekeepingLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export async function runHousekeeping(db: Kysely<Database>, now: Date = new Date()) {
  const sessions = await pruneSessions(db, now);
  const throttle = await pruneLoginThrottle(db, now);
  const before = new Date(now.getTime() - appliedMutationRetentionMs).toISOString();
  const mutations = Number((await db.deleteFrom('applied_mutations').where('applied_at', '<', before).executeTakeFirst()).numDeletedRows);
  return { sessions, throttle, mutations };
}

/** Starts the hourly clean-up; returns a function that stops it. Timers never keep the process alive. */
export function startHousekeeping(db: Kysely<Database>, log: HousekeepingLog): () => void {
  let isRunning = false;
  const run = async () => {
    if (isRunning) return;
    isRunning = true;
    try {
      const removed = await runHousekeeping(db);
      if (removed.sessions + removed.throttle + removed.mutations > 0) log.info(removed, 'housekeeping: old bookkeeping rows removed');
    } catch (error) {
      log.warn({ err: error }, 'housekeeping failed; will retry');
    } finally {
      isRunning = false;
    }
  };
  const first = setTimeout(() => void run(), firstRunMs);
  const every = setInterval(() => void run(), intervalMs);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
