/**
 * GET /api/sync/live: the live channel, a Server-Sent Events stream (shared/sync/live-protocol.ts,
 * server/API.md § Live changes) that tells the signed-in app when changes it may see exist.
 * The connections themselves are the hub's (live/live-hub.ts).
 *
 * Why SSE and not long-poll: one request per app for as long as it stays online, events written
 * the moment a change commits (long-poll needs a new request after every event, and changes in
 * the gap must be remembered per client), and it is plain HTTP/1.1 that proxies pass when told
 * not to buffer (X-Accel-Buffering: no, Cache-Control: no-cache, no-transform) and kept alive by
 * heartbeat comments. The app reads it with fetch(), which can send the bearer token
 * (EventSource cannot).
 *
 * Opening a stream counts against the user's pull rate limit (auth/rate-limit.ts), and its
 * database reads go through the sync work queue: a reconnecting client cannot flood the server.
 */
import type { FastifyInstance } from 'fastify';
import { LIVE_PATH, liveQuerySchema } from '@shared/sync/live-protocol';
import { requireUser } from '../auth/require-user.js';
import type { LiveHub } from '../live/live-hub.js';
import { HttpError } from './errors.js';

/** seconds a refused client is told to wait before it opens a stream again */
const busyRetryAfterSeconds = 2;

export function registerLiveRoutes(app: FastifyInstance, hub: LiveHub): void {
  // no HEAD: it would open a stream nobody reads
  app.get(LIVE_PATH, { exposeHeadRoute: false }, async (request, reply) => {
    const user = await requireUser(request);
    const { clientId } = liveQuerySchema.parse(request.query);
    // the client may leave while its access is read: forget the stream then, not at its first write
    let drop: (() => void) | null = null;
    let isGone = false;
    reply.raw.on('close', () => {
      isGone = true;
      drop?.();
    });
    // a database that cannot take the read in time is answered 503 busy by the error handler (errors.ts)
    const opened = await hub.open({ id: user.id, username: user.username, role: user.role, sessionId: user.sessionId }, clientId ?? null);
    if ('refused' in opened) {
      request.log.warn({ user: user.username, streams: hub.size, why: opened.refused }, 'live stream refused');
      throw new HttpError(503, 'busy', 'The server is busy; try again in a moment', { 'retry-after': String(busyRetryAfterSeconds) });
    }
    drop = opened.drop;
    if (isGone) opened.drop();
    return reply
      .code(200)
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache, no-transform')
      .header('x-accel-buffering', 'no')
      .send(opened.stream);
  });
}
