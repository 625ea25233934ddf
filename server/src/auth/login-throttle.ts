/**
 * Login rate limiting, stored in the database so every server process on one PostgreSQL shares
 * it (and it survives restarts).
 *
 * Two counters per attempt: the user name (stops guessing one account's password from many
 * addresses) and the client address (stops trying one password against many accounts). After
 * `threshold` failures a key is locked for `baseLockMs`, doubling with every further failure
 * up to `maxLockMs`. While a key is locked the password is not even checked, so a locked
 * account cannot be probed. Failures older than `windowMs` (when not locked) are forgotten.
 * A successful login clears the user name's counter, not the address's (an attacker with one
 * valid account must not reset their address's count by signing in).
 *
 * The address threshold is much higher than the user's: a whole office or a hotel's Wi-Fi
 * shares one public address.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface ThrottlePolicy {
  threshold: number;
  baseLockMs: number;
  maxLockMs: number;
  windowMs: number;
}

const minute = 60_000;

export const userThrottle: ThrottlePolicy = { threshold: 5, baseLockMs: minute, maxLockMs: 15 * minute, windowMs: 15 * minute };
export const addressThrottle: ThrottlePolicy = { threshold: 30, baseLockMs: minute, maxLockMs: 60 * minute, windowMs: 15 * minute };

export interface ThrottleKeys {
  username: string;
  ip: string;
}

function keysOf(keys: ThrottleKeys): Array<{ key: string; policy: ThrottlePolicy }> {
  return [
    { key: `user:${keys.username}`, policy: userThrottle },
    { key: `ip:${keys.ip}`, policy: addressThrottle },
  ];
}

/** ms until the attempt may be made; 0 = allowed now */
export async function loginRetryAfterMs(db: Kysely<Database>, keys: ThrottleKeys, now: Date = new Date()): Promise<number> {
  const rows = await db
    .selectFrom('login_throttle')
    .select(['locked_until'])
    .where(
      'key',
      'in',
      keysOf(keys).map((k) => k.key),
    )
    .execute();
  let wait = 0;
  for (const row of rows) {
    if (row.locked_until) wait = Math.max(wait, Date.parse(row.locked_until) - now.getTime());
  }
  return Math.max(0, wait);
}

export function lockDurationMs(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.threshold) return 0;
  const doublings = Math.min(failures - policy.threshold, 30);
  return Math.min(policy.baseLockMs * 2 ** doublings, policy.maxLockMs);
}

/** Counts a failed attempt against both keys; returns the resulting lock (ms, 0 = none). */
export async function recordLoginFailure(db: Kysely<Database>, keys: ThrottleKeys, now: Date = new Date()): Promise<number> {
  const at = now.toISOString();
  let lockMs = 0;
  // One atomic upsert per key: concurrent failures (several processes) each count.
  await db.transaction().execute(async (trx) => {
    for (const { key, policy } of keysOf(keys)) {
      const windowStart = new Date(now.getTime() - policy.windowMs).toISOString();
      const isStale = sql<boolean>`(login_throttle.locked_until is null or login_throttle.locked_until <= ${at}) and login_throttle.updated_at < ${windowStart}`;
      const { failures } = await trx
        .insertInto('login_throttle')
        .values({ key, failures: 1, first_failure_at: at, locked_until: null, updated_at: at })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            failures: sql<number>`case when ${isStale} then 1 else login_throttle.failures + 1 end`,
            first_failure_at: sql<string>`case when ${isStale} then ${at} else login_throttle.first_failure_at end`,
            updated_at: at,
          }),
        )
        .returning('failures')
        .executeTakeFirstOrThrow();
      const lock = lockDurationMs(Number(failures), policy);
      if (lock > 0) {
        await trx
          .updateTable('login_throttle')
          .set({ locked_until: new Date(now.getTime() + lock).toISOString() })
          .where('key', '=', key)
          .execute();
      }
      lockMs = Math.max(lockMs, lock);
    }
  });
  return lockMs;
}

export async function clearUserFailures(db: Kysely<Database>, username: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', `user:${username}`).execute();
}

/** Forgets counters that are neither locked nor recent (housekeeping). */
export async function pruneLoginThrottle(db: Kysely<Database>, now: Date = new Date()): Promise<number> {
  const at = now.toISOString();
  const before = new Date(now.getTime() - Math.max(userThrottle.windowMs, addressThrottle.windowMs)).toISOString();
  const result = await db
    .deleteFrom('login_throttle')
    .where('updated_at', '<', before)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', at)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
