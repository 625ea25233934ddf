/**
 * POST /api/sync/push and GET /api/sync/pull (shared/sync/protocol.ts describes both).
 */
import type { FastifyInstance } from 'fastify';
import { MAX_PUSH_BYTES, pullQuerySchema, pushRequestSchema } from '@shared/sync/protocol';
import { requireUser } from '../auth/require-user.js';
import { parseCursor, pullChanges, serializePullPage } from '../sync/pull.js';
import { pushMutations, type SyncDeps } from '../sync/push.js';

export function registerSyncRoutes(app: FastifyInstance, deps: SyncDeps): void {
  app.post('/api/sync/push', { bodyLimit: MAX_PUSH_BYTES }, async (request, reply) => {
    const user = await requireUser(request);
    const body = pushRequestSchema.parse(request.body);
    const response = await pushMutations(deps, user, body.clientId, body.mutations);
    const counts = { applied: 0, duplicate: 0, rejected: 0 };
    for (const r of response.results) counts[r.status]++;
    request.log.info({ user: user.username, clientId: body.clientId, ...counts }, 'push');
    return reply.header('cache-control', 'no-store').send(response);
  });

  app.get('/api/sync/pull', async (request, reply) => {
    const user = await requireUser(request);
    const query = pullQuerySchema.parse(request.query);
    const page = await pullChanges(deps.db, deps.kind, user, parseCursor(query.cursor), query.limit);
    return reply.header('cache-control', 'no-store').type('application/json; charset=utf-8').send(serializePullPage(page));
  });
}
