/**
 * POST /api/sync/push and GET /api/sync/pull (shared/sync/protocol.ts describes both).
 *
 * When the database cannot take the request in time (every PostgreSQL connection of the pool busy
 * for longer than the pool waits), the answer is 503 with Retry-After: the client backs off and
 * retries (renderer/src/sync/backoff.ts), nothing was stored, and re-sending a push is always safe.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { MAX_PUSH_BYTES, pullQuerySchema, pushRequestSchema } from '@shared/sync/protocol';
import { requireUser } from '../auth/require-user.js';
import { isPoolTimeout, pgPoolSize } from '../db/postgres.js';
import { sendError } from './errors.js';
import { parseCursor, pullChanges, serializePullPage } from '../sync/pull.js';
import { pushMutations, type SyncDeps } from '../sync/push.js';
import { WorkQueue, WorkQueueTimeout } from './work-queue.js';

/** seconds a client is told to wait when the database is saturated */
const busyRetryAfterSeconds = 2;

export function sendBusy(reply: FastifyReply): FastifyReply {
  reply.header('retry-after', String(busyRetryAfterSeconds));
  return sendError(reply, 503, 'busy', 'The server is busy; try again in a moment');
}

/**
 * Pushes and pulls worked on at once (work-queue.ts). PostgreSQL: as many as the pool has
 * connections, which a request would otherwise queue for before each statement (under saturation,
 * bench:server per-stop, the p99 went from about 370 to 290–340 ms). SQLite runs one
 * statement at a time anyway; a few at once keep it busy while others are between statements,
 * and the queue bounds the work in flight (no gain in latency measured there).
 */
const concurrentWork = { postgres: pgPoolSize, sqlite: 4 } as const;
/** how long a request waits for its turn before it is answered 503 busy */
const maxWorkWaitMs = 5_000;

/** The queue of one server's sync work: pushes, pulls and the live channel's reads (live/live-hub.ts). */
export function createSyncWorkQueue(kind: SyncDeps['kind']): WorkQueue {
  return new WorkQueue(concurrentWork[kind], maxWorkWaitMs);
}

/** whether `error` means the database could not take the work in time (answer 503 busy) */
export function isBusyError(error: unknown): boolean {
  return isPoolTimeout(error) || error instanceof WorkQueueTimeout;
}

export function registerSyncRoutes(app: FastifyInstance, deps: SyncDeps, work: WorkQueue = createSyncWorkQueue(deps.kind)): void {
  app.post('/api/sync/push', { bodyLimit: MAX_PUSH_BYTES }, async (request, reply) => {
    const user = await requireUser(request);
    const body = pushRequestSchema.parse(request.body);
    try {
      const response = await work.run(() => pushMutations(deps, user, body.clientId, body.mutations));
      const counts = { applied: 0, duplicate: 0, rejected: 0 };
      for (const r of response.results) counts[r.status]++;
      request.log.info({ user: user.username, clientId: body.clientId, ...counts }, 'push');
      return reply.header('cache-control', 'no-store').send(response);
    } catch (error) {
      if (!isBusyError(error)) throw error;
      request.log.warn({ user: user.username }, 'push refused: database busy');
      return sendBusy(reply);
    }
  });

  app.get('/api/sync/pull', async (request, reply) => {
    const user = await requireUser(request);
    const query = pullQuerySchema.parse(request.query);
    try {
      const cursor = parseCursor(query.cursor);
      const page = await work.run(() => pullChanges(deps.db, deps.kind, user, cursor, query.limit));
      return reply.header('cache-control', 'no-store').type('application/json; charset=utf-8').send(serializePullPage(page));
    } catch (error) {
      if (!isBusyError(error)) throw error;
      request.log.warn({ user: user.username }, 'pull refused: database busy');
      return sendBusy(reply);
    }
  });
}
