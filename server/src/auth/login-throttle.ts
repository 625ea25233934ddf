/**
 * Login throttling, stored in the database so every server process on one PostgreSQL shares it
 * (and it survives restarts).
 *
 * Built so that an attacker elsewhere cannot lock the owner out of their account:
 * - per account AND address (`ua:<name>|<address>`): 5 failures lock that account for that
 *   address only, 1 min doubling up to 15 min. Guessing from one place stops quickly, and the
 *   owner at their own address is not affected.
 * - per address (`ip:<address>`): 30 failures (any accounts) lock the address, 1 min doubling up
 *   to 60 min: one password tried against many accounts. High, because a whole office or a
 *   hotel's Wi-Fi shares one public address.
 * - per account from everywhere (`user:<name>`): a slower limit against guessing from many
 *   addresses: 30 failures within 15 min lock the account, 1 min doubling up to 15 min, but
 *   NOT for addresses the account signed in from successfully in the last 30 days
 *   (`known:<name>|<address>`): the owner at the office, at home or in the hotel of an earlier
 *   tour keeps signing in. Only an owner on a network never used before has to wait it out.
 * While a key is locked the password is not even checked, so a locked account cannot be probed.
 * An attempt is counted BEFORE its password is checked (reserveLoginAttempt: the check of the
 * locks and the count in one transaction, serialised per key across every server process), so
 * attempts racing in at once, through one process or several, never get more password checks
 * than the threshold; a successful attempt then takes its count back (recordLoginSuccess).
 * Failures older than the window (when not locked) are forgotten. A successful sign-in clears the
 * account-and-address count, never the address's (an attacker with one valid account must not
 * reset their address's count by signing in) and never the account-wide one.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DbKind } from '../config.js';
import type { Database } from '../db/schema.js';

export interface ThrottlePolicy {
  threshold: number;
  baseLockMs: number;
  maxLockMs: number;
  windowMs: number;
}

const minute = 60_000;
const day = 24 * 60 * minute;

/** one account from one address */
export const accountAddressThrottle: ThrottlePolicy = { threshold: 5, baseLockMs: minute, maxLockMs: 15 * minute, windowMs: 15 * minute };
/** one address, any accounts */
export const addressThrottle: ThrottlePolicy = { threshold: 30, baseLockMs: minute, maxLockMs: 60 * minute, windowMs: 15 * minute };
/** one account from every address it never signed in from */
export const accountThrottle: ThrottlePolicy = { threshold: 30, baseLockMs: minute, maxLockMs: 15 * minute, windowMs: 15 * minute };
/** how long an address stays known for an account after a successful sign-in from it */
export const knownAddressMs = 30 * day;

export interface ThrottleKeys {
  username: string;
  ip: string;
}

const accountAddressKey = (k: ThrottleKeys) => `ua:${k.username}|${k.ip}`;
const addressKey = (k: ThrottleKeys) => `ip:${k.ip}`;
const accountKey = (k: ThrottleKeys) => `user:${k.username}`;
const knownKey = (k: ThrottleKeys) => `known:${k.username}|${k.ip}`;

function countedKeys(keys: ThrottleKeys): Array<{ key: string; policy: ThrottlePolicy }> {
  return [
    { key: accountAddressKey(keys), policy: accountAddressThrottle },
    { key: addressKey(keys), policy: addressThrottle },
    { key: accountKey(keys), policy: accountThrottle },
  ];
}

/**
 * The keys an attempt reserves before its password is checked: the account's, never the
 * address's. A tour's laptops share one public address (one hotspot, one hall's NAT) and sign in
 * together: reserved on the address, 30 sign-ins in flight would lock it for everyone. The
 * address counts failures once they are known (recordAddressFailure), so a burst of guesses can
 * run past its 30 by the attempts in flight at once, each still held to its account's 5.
 */
function reservedKeys(keys: ThrottleKeys): Array<{ key: string; policy: ThrottlePolicy }> {
  return countedKeys(keys).filter(({ key }) => key !== addressKey(keys));
}

export type ThrottleScope = 'accountAddress' | 'address' | 'account';

export interface ThrottleVerdict {
  /** ms until the attempt may be made; 0 = allowed now */
  waitMs: number;
  /** which limit holds it back (the longest wait); null when allowed */
  scope: ThrottleScope | null;
}

/** Whether an attempt for this account from this address may be made now. */
export async function loginThrottleVerdict(db: Kysely<Database> | Transaction<Database>, keys: ThrottleKeys, now: Date = new Date()): Promise<ThrottleVerdict> {
  const wanted = { [accountAddressKey(keys)]: 'accountAddress', [addressKey(keys)]: 'address', [accountKey(keys)]: 'account', [knownKey(keys)]: 'known' } as const;
  const rows = await db
    .selectFrom('login_throttle')
    .select(['key', 'locked_until', 'updated_at'])
    .where('key', 'in', Object.keys(wanted))
    .execute();
  const known = rows.find((r) => r.key === knownKey(keys));
  const isKnownAddress = known !== undefined && Date.parse(known.updated_at) > now.getTime() - knownAddressMs;
  let verdict: ThrottleVerdict = { waitMs: 0, scope: null };
  for (const row of rows) {
    const scope = wanted[row.key as keyof typeof wanted];
    if (scope === undefined || scope === 'known' || !row.locked_until) continue;
    if (scope === 'account' && isKnownAddress) continue;
    const wait = Date.parse(row.locked_until) - now.getTime();
    if (wait > verdict.waitMs) verdict = { waitMs: wait, scope };
  }
  return verdict;
}

/** ms until the attempt may be made; 0 = allowed now */
export async function loginRetryAfterMs(db: Kysely<Database>, keys: ThrottleKeys, now: Date = new Date()): Promise<number> {
  return (await loginThrottleVerdict(db, keys, now)).waitMs;
}

export function lockDurationMs(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.threshold) return 0;
  const doublings = Math.min(failures - policy.threshold, 30);
  return Math.min(policy.baseLockMs * 2 ** doublings, policy.maxLockMs);
}

/** Counts a failed attempt against the three keys; returns the longest resulting lock (ms, 0 = none). */
export async function recordLoginFailure(db: Kysely<Database>, keys: ThrottleKeys, now: Date = new Date()): Promise<number> {
  return db.transaction().execute(async (trx) => (await countAttempt(trx, countedKeys(keys), now)).lockMs);
}

/** An attempt counted before its password is checked (reserveLoginAttempt). */
export interface LoginReservation {
  /** the longest lock this attempt's count set (ms, 0 = none): what a failure will have caused */
  lockMs: number;
  /** keys this attempt's count locked: a success unlocks them again */
  lockedKeys: readonly string[];
}

export type ReservationOutcome = { allowed: true; reservation: LoginReservation } | { allowed: false; verdict: ThrottleVerdict };

/**
 * Checks the locks and counts the attempt as a failure, in one transaction: the caller then checks
 * the password and, when it is right, calls recordLoginSuccess with the reservation. PostgreSQL:
 * transaction advisory locks on the attempt's keys (sorted) serialise attempts on them across
 * processes; SQLite: BEGIN IMMEDIATE serialises every write transaction.
 */
export async function reserveLoginAttempt(db: Kysely<Database>, kind: DbKind, keys: ThrottleKeys, now: Date = new Date()): Promise<ReservationOutcome> {
  return db.transaction().execute(async (trx) => {
    if (kind === 'postgres') {
      const lockKeys = reservedKeys(keys).map((k) => k.key);
      await sql`select count(pg_advisory_xact_lock(h)) from (select hashtextextended(k, 7) as h from unnest(cast(${lockKeys} as text[])) as k order by h) as ordered`.execute(trx);
    }
    const verdict = await loginThrottleVerdict(trx, keys, now);
    if (verdict.waitMs > 0) return { allowed: false, verdict } as const;
    return { allowed: true, reservation: await countAttempt(trx, reservedKeys(keys), now) } as const;
  });
}

/** A wrong password after a reservation: counted on the address now (reservedKeys says why); returns the lock it set (ms). */
export async function recordAddressFailure(db: Kysely<Database>, keys: ThrottleKeys, now: Date = new Date()): Promise<number> {
  return db.transaction().execute(async (trx) => (await countAttempt(trx, [{ key: addressKey(keys), policy: addressThrottle }], now)).lockMs);
}

async function countAttempt(trx: Transaction<Database>, counted: ReadonlyArray<{ key: string; policy: ThrottlePolicy }>, now: Date): Promise<LoginReservation> {
  const at = now.toISOString();
  let lockMs = 0;
  const lockedKeys: string[] = [];
  // One atomic upsert per key: concurrent failures (several processes) each count.
  {
    for (const { key, policy } of counted) {
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
        lockedKeys.push(key);
      }
      lockMs = Math.max(lockMs, lock);
    }
  }
  return { lockMs, lockedKeys };
}

/**
 * A successful sign-in: clears the account-and-address count and remembers the address as known.
 * With the attempt's reservation, its count on the account is taken back (it was no failure), and a lock that count set is lifted when the count is below the threshold again.
 */
export async function recordLoginSuccess(db: Kysely<Database>, keys: ThrottleKeys, now: Date = new Date(), reservation?: LoginReservation): Promise<void> {
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('login_throttle').where('key', '=', accountAddressKey(keys)).execute();
    if (reservation) {
      for (const { key, policy } of reservedKeys(keys).slice(1)) {
        const wasLockedByIt = reservation.lockedKeys.includes(key);
        await trx
          .updateTable('login_throttle')
          .set({
            failures: sql<number>`case when failures > 0 then failures - 1 else 0 end`,
            ...(wasLockedByIt ? { locked_until: sql<string | null>`case when failures - 1 < ${policy.threshold} then null else locked_until end` } : {}),
          })
          .where('key', '=', key)
          .execute();
      }
    }
    await trx
      .insertInto('login_throttle')
      .values({ key: knownKey(keys), failures: 0, first_failure_at: at, locked_until: null, updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ updated_at: at }))
      .execute();
  });
}

/** Forgets counters that are neither locked nor recent, and addresses not used for 30 days (housekeeping). */
export async function pruneLoginThrottle(db: Kysely<Database>, now: Date = new Date()): Promise<number> {
  const at = now.toISOString();
  const before = new Date(now.getTime() - Math.max(accountAddressThrottle.windowMs, addressThrottle.windowMs, accountThrottle.windowMs)).toISOString();
  const counters = await db
    .deleteFrom('login_throttle')
    .where('key', 'not like', 'known:%')
    .where('updated_at', '<', before)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', at)]))
    .executeTakeFirst();
  const addresses = await db
    .deleteFrom('login_throttle')
    .where('key', 'like', 'known:%')
    .where('updated_at', '<', new Date(now.getTime() - knownAddressMs).toISOString())
    .executeTakeFirst();
  return Number(counters.numDeletedRows) + Number(addresses.numDeletedRows);
}
