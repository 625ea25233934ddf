/**
 * POST /api/sync/push and GET /api/sync/pull (shared/sync/protocol.ts describes both).
 *
 * When the database cannot take the request in time (every PostgreSQL connection of the pool busy
 * for longer than the pool waits), the answer is 503 with Retry-After: the client backs off and
 * retries (renderer/src/sync/backoff.ts), nothing was stored, and re-sending a push is always safe.
 */
import type { FastifyInstance } from 'fastify';
import { MAX_PUSH_BYTES, pullQuerySchema, pushEnvelopeSchema } from '@shared/sync/protocol';
import { requireUser } from '../auth/require-user.js';
import { pgPoolSize } from '../db/postgres.js';
import { serverSecret } from '../db/server-secrets.js';
import { parseCursor, pullChanges, serializePullPage } from '../sync/pull.js';
import { pushMutations, type SyncDeps } from '../sync/push.js';
import { pushReadMutations, readMutation } from '../sync/push-request.js';
import { PageBuffers } from '../sync/page-buffers.js';
import { WorkQueue } from './work-queue.js';

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

export function registerSyncRoutes(app: FastifyInstance, deps: SyncDeps, work: WorkQueue = createSyncWorkQueue(deps.kind)): void {
  const pageBuffers = new PageBuffers();
  // a database that cannot take the request in time (the queue, the pool, SQLite's lock held by
  // another process) is answered 503 busy with Retry-After by the error handler (http/errors.ts)
  app.post('/api/sync/push', { bodyLimit: MAX_PUSH_BYTES, config: { cleanTextBody: 'per-item' } }, async (request, reply) => {
    const user = await requireUser(request);
    const body = pushEnvelopeSchema.parse(request.body);
    // each mutation on its own: a malformed one is rejected in its place (push-request.ts)
    const items = body.mutations.map(readMutation);
    const response = await pushReadMutations(items, (mutations) => work.run(() => pushMutations(deps, user, body.clientId, mutations)), () => deps.clock.current);
    const counts = { applied: 0, duplicate: 0, rejected: 0 };
    for (const r of response.results) counts[r.status]++;
    request.log.info({ user: user.username, clientId: body.clientId, ...counts }, 'push');
    return reply.header('cache-control', 'no-store').send(response);
  });

  app.get('/api/sync/pull', async (request, reply) => {
    const user = await requireUser(request);
    const query = pullQuerySchema.parse(request.query);
    // sealed cursors (sync/cursor-seal.ts): a client cannot watch the server-wide log advance
    const key = await serverSecret(deps.db, 'cursor_key');
    const cursor = parseCursor(query.cursor, key);
    const page = await work.run(() => pullChanges(deps.db, deps.kind, user, cursor, query.limit));
    const { body, buffer } = serializePullPage(page, key, pageBuffers);
    // reused once the answer is in the kernel's hands (page-buffers.ts), never before
    reply.raw.once('finish', () => pageBuffers.give(buffer));
    return reply.header('cache-control', 'no-store').type('application/json; charset=utf-8').send(body);
  });
}
