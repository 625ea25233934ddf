/**
 * Token buckets that hold for the whole deployment, not for one process.
 *
 * Several server processes on one PostgreSQL (behind nginx, deploy/nginx/guanmo.conf) must share
 * every limit: a user held to 120 pushes a minute gets 120 in all, not 120 from each process. So
 * on PostgreSQL a bucket is a row of `rate_buckets`, and one take is one atomic upsert: the row is
 * locked for the statement, refilled from the time elapsed, and the tokens taken only when there
 * are enough. Concurrent takes for one key queue on the row lock; their sum never exceeds the
 * bucket.
 *
 * On SQLite the server is one process per data folder (cluster/single-process.ts enforces it),
 * so the buckets stay in memory (auth/rate-limit.ts TokenBuckets): exact, and no write
 * transaction per pull on a database that has one writer at a time.
 *
 * What must stay true:
 * - One statement per take (one round trip), never a read-then-write pair: two processes would
 *   both read a full bucket.
 * - A refused take changes nothing but `granted` (the tokens and their time stay as they were).
 * - Times are the calling process's clock (ms). A process whose clock lags never refills a
 *   bucket early (elapsed time below zero counts as zero); keep the servers' clocks in sync (NTP),
 *   as sessions and the HLC already need.
 * - Rows past `full_at` are the same as no row; housekeeping removes them (pruneRateBuckets).
 * - A flood costs the database nothing past the limit: each process keeps the same bucket in
 *   memory for the requests it sees, and what that refuses (this process alone has used the
 *   limit up, so the deployment has too) is refused without a statement.
 */
import { sql, type Kysely } from 'kysely';
import type { DbKind, RateLimit } from '../config.js';
import type { Database } from '../db/schema.js';
import { TokenBuckets } from './rate-limit.js';

/** A token bucket per key. */
export interface RateBuckets {
  readonly limit: RateLimit;
  /**
   * Takes `cost` tokens (default one) for `key`: 0 when allowed, else the ms until they are there
   * (nothing taken). A cost above the burst is allowed from a full bucket (see TokenBuckets.take).
   */
  take(key: string, now: number, cost?: number): Promise<number>;
}

/** This process's buckets (SQLite: the only process). */
export class MemoryRateBuckets implements RateBuckets {
  private readonly buckets: TokenBuckets;

  constructor(readonly limit: RateLimit) {
    this.buckets = new TokenBuckets(limit);
  }

  async take(key: string, now: number, cost = 1): Promise<number> {
    return this.buckets.take(key, now, cost);
  }
}

/** Buckets in the database's `rate_buckets`, shared by every process (PostgreSQL). */
export class DatabaseRateBuckets implements RateBuckets {
  private readonly perMs: number;
  /** this process's own share, checked first (module comment) */
  private readonly local: TokenBuckets;

  /** `name` keeps this limit's keys apart from the others' (push, pull, uploads …) */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly name: string,
    readonly limit: RateLimit,
  ) {
    this.perMs = limit.perMinute / 60_000;
    this.local = new TokenBuckets(limit);
  }

  async take(key: string, now: number, cost = 1): Promise<number> {
    const localWaitMs = this.local.take(key, now, cost);
    if (localWaitMs > 0) return localWaitMs;
    const { burst } = this.limit;
    const perMs = this.perMs;
    const needed = Math.min(cost, burst);
    const rowKey = `${this.name}:${key}`;
    const firstTokens = burst - cost;
    // the bucket's tokens now, refilled since its last take (the row as stored, before this statement)
    const refilled = sql<number>`least(${burst}::double precision, rate_buckets.tokens + greatest(0, ${now}::bigint - rate_buckets.at) * ${perMs}::double precision)`;
    const isGranted = sql<boolean>`${refilled} >= ${needed}::double precision`;
    const row = await this.db
      .insertInto('rate_buckets')
      .values({ key: rowKey, tokens: firstTokens, at: now, full_at: fullAt(now, firstTokens, burst, perMs), granted: 1 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          tokens: sql<number>`case when ${isGranted} then ${refilled} - ${cost}::double precision else rate_buckets.tokens end`,
          at: sql<number>`case when ${isGranted} then ${now}::bigint else rate_buckets.at end`,
          full_at: sql<number>`case when ${isGranted} then ${now}::bigint + ceil((${burst}::double precision - (${refilled} - ${cost}::double precision)) / ${perMs}::double precision)::bigint else rate_buckets.full_at end`,
          granted: sql<number>`case when ${isGranted} then 1 else 0 end`,
        }),
      )
      .returning(['tokens', 'at', 'granted'])
      .executeTakeFirstOrThrow();
    if (Number(row.granted) === 1) return 0;
    const tokensNow = Math.min(burst, Number(row.tokens) + Math.max(0, now - Number(row.at)) * perMs);
    return Math.max(1, Math.ceil((needed - tokensNow) / perMs));
  }
}

function fullAt(now: number, tokens: number, burst: number, perMs: number): number {
  return now + Math.ceil((burst - tokens) / perMs);
}

/** The buckets for one limit: shared through the database on PostgreSQL, in memory on SQLite. */
export function createRateBuckets(db: Kysely<Database>, kind: DbKind, name: string, limit: RateLimit): RateBuckets {
  return kind === 'postgres' ? new DatabaseRateBuckets(db, name, limit) : new MemoryRateBuckets(limit);
}

/** Drops buckets that have refilled (housekeeping); returns how many. */
export async function pruneRateBuckets(db: Kysely<Database>, now: number = Date.now()): Promise<number> {
  const result = await db.deleteFrom('rate_buckets').where('full_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
