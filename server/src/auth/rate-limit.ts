/**
 * Rate limits on sync requests: a token bucket per signed-in user for POST /api/sync/push and
 * another for GET /api/sync/pull (opening a GET /api/sync/live stream counts as a pull), and one
 * per client address for sync requests that fail to authenticate. Over the limit the answer is 429 `{error: 'rate_limited', message}` with
 * `Retry-After` (whole seconds until the next request is allowed), which the app honours.
 *
 * The limits (config.ts `rateLimits`) are sized so an honest laptop never meets them — a sync
 * after every stop, a day's outbox at once, many pull pages back to back — while a client stuck
 * in a loop, or a hostile one, is held to a few requests a second.
 *
 * What must stay true:
 * - The check runs in `onRequest`, before a push body (up to 4 MB) is read or parsed.
 * - Per user, not per address: a hotel or an office shares one public address.
 * - A refused request changes nothing (it never reaches a handler).
 * - The limits hold for the whole deployment: on PostgreSQL (several server processes) the
 *   buckets are rows of the database, one atomic statement per request (auth/shared-buckets.ts);
 *   on SQLite (one process per data folder) they stay in memory.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DbKind, RateLimit, RateLimits } from '../config.js';
import type { Database } from '../db/schema.js';
import { HttpError, sendError } from '../http/errors.js';
import { bearerToken, requireUser } from './require-user.js';
import { createRateBuckets } from './shared-buckets.js';
import { isWellFormedToken } from './tokens.js';

interface Bucket {
  tokens: number;
  /** ms since epoch when `tokens` was last brought up to date */
  at: number;
}

/**
 * Token buckets keyed by string. take() refills lazily from the elapsed time, so an idle key
 * costs nothing; full buckets are forgotten when the map grows, which is the same as keeping them.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    readonly limit: RateLimit,
    private readonly maxKeys = 50_000,
  ) {
    this.perMs = limit.perMinute / 60_000;
  }

  /**
   * Takes `cost` tokens (default one) for `key`: 0 when allowed, else the ms until they are there
   * (nothing taken). A cost above the burst is allowed from a full bucket (the bucket goes below
   * zero and refills from there), so that one big item is slowed, never refused for ever.
   */
  take(key: string, now: number, cost = 1): number {
    const bucket = this.current(key, now);
    const needed = Math.min(cost, this.limit.burst);
    if (bucket.tokens >= needed) {
      bucket.tokens -= cost;
      this.buckets.set(key, bucket);
      if (this.buckets.size > this.maxKeys) this.forgetFull(now);
      return 0;
    }
    return Math.ceil((needed - bucket.tokens) / this.perMs);
  }

  /** ms until `key` may make a request, without taking anything (0 = now). */
  peek(key: string, now: number): number {
    const bucket = this.current(key, now);
    return bucket.tokens >= 1 ? 0 : Math.ceil((1 - bucket.tokens) / this.perMs);
  }

  get size(): number {
    return this.buckets.size;
  }

  private current(key: string, now: number): Bucket {
    const stored = this.buckets.get(key);
    if (!stored) return { tokens: this.limit.burst, at: now };
    const elapsed = Math.max(0, now - stored.at);
    return { tokens: Math.min(this.limit.burst, stored.tokens + elapsed * this.perMs), at: now };
  }

  private forgetFull(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.perMs >= this.limit.burst) this.buckets.delete(key);
    }
    // Still over (a flood of distinct keys, all recently active): drop the oldest entries. A
    // dropped key starts again with a full bucket, so this errs on the side of letting through.
    if (this.buckets.size > this.maxKeys) {
      const excess = this.buckets.size - this.maxKeys;
      let i = 0;
      for (const key of this.buckets.keys()) {
        if (i++ >= excess) break;
        this.buckets.delete(key);
      }
    }
  }
}

export interface SyncRateLimitOptions {
  db: Kysely<Database>;
  kind: DbKind;
  limits: RateLimits;
  now?: () => number;
}

const limitedRoutes = {
  'POST /api/sync/push': 'push',
  'GET /api/sync/pull': 'pull',
  // opening a live stream costs what a pull costs: a client reconnecting in a loop is held back
  'GET /api/sync/live': 'pull',
} as const;

/** Adds the limits to POST /api/sync/push and GET /api/sync/pull (call before those routes are used). */
export function registerSyncRateLimit(app: FastifyInstance, options: SyncRateLimitOptions): void {
  const now = options.now ?? Date.now;
  const { push, pull, unauthenticated } = options.limits;
  const { db, kind: dbKind } = options;
  const byUser = {
    push: push ? createRateBuckets(db, dbKind, 'push', push) : null,
    pull: pull ? createRateBuckets(db, dbKind, 'pull', pull) : null,
  };
  const byAddress = unauthenticated ? createRateBuckets(db, dbKind, 'unauthenticated', unauthenticated) : null;
  if (!byUser.push && !byUser.pull && !byAddress) return;

  app.addHook('onRequest', async (request, reply) => {
    // Fastify answers HEAD with the GET handler: it costs as much, so it counts as a pull
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const kind = limitedRoutes[`${method} ${request.routeOptions.url ?? ''}` as keyof typeof limitedRoutes];
    if (!kind) return;

    const addressKey = `ip:${request.ip}`;
    const token = bearerToken(request.headers.authorization);
    // No usable token: this will be a 401 without touching the database; count it per address.
    if (token === null || !isWellFormedToken(token)) {
      const waitMs = (await byAddress?.take(addressKey, now())) ?? 0;
      if (waitMs > 0) return refuse(request, reply, waitMs, 'address');
      return; // the handler answers 401
    }

    try {
      await requireUser(request); // cached on the request: the handler does not look it up again
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 401 && byAddress) {
        const waitMs = await byAddress.take(addressKey, now());
        if (waitMs > 0) return refuse(request, reply, waitMs, 'address');
      }
      throw error;
    }
    const user = request.guanmoUser!;
    const waitMs = (await byUser[kind]?.take(user.id, now())) ?? 0;
    if (waitMs > 0) return refuse(request, reply, waitMs, kind);
  });
}

function refuse(request: FastifyRequest, reply: FastifyReply, waitMs: number, what: 'push' | 'pull' | 'address'): FastifyReply {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  request.log.warn({ user: request.guanmoUser?.username ?? null, ip: request.ip, limit: what, retryAfter: seconds }, 'sync rate limit reached');
  const message =
    what === 'address'
      ? `Too many requests without a valid sign-in from this address; try again in ${seconds} s`
      : `Too many ${what} requests from this account; try again in ${seconds} s`;
  reply.header('retry-after', String(seconds));
  reply.header('cache-control', 'no-store');
  return sendError(reply, 429, 'rate_limited', message);
}
