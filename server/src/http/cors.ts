/**
 * CORS for the API: the desktop app loads its pages from `app://guanmo` and calls the sync
 * server cross-origin. The web app served by this server is same-origin and needs none of this.
 *
 * What must stay true:
 * - Only listed origins get CORS headers; any other origin gets none (the browser then blocks
 *   the response) — never a reflected `*` or arbitrary origin.
 * - No credentials mode: the API authenticates with the Authorization header, never cookies, so
 *   `Access-Control-Allow-Credentials` is never sent.
 * - Only /api is covered; preflights are answered here, before routing, so every API route
 *   (including ones added by other modules) works without its own OPTIONS route.
 */
import type { FastifyInstance } from 'fastify';
import { MIN_SYNC_PROTOCOL_HEADER, SYNC_PROTOCOL_HEADER } from '@shared/sync/protocol-version';

export const desktopOrigin = 'app://guanmo';

/** request headers the app may send (tus upload headers included for photo uploads) */
const allowedHeaders = [
  'authorization',
  'content-type',
  'x-file-name',
  'tus-resumable',
  'upload-length',
  'upload-offset',
  'upload-metadata',
  'upload-defer-length',
  'upload-concat',
  'x-http-method-override',
  SYNC_PROTOCOL_HEADER,
].join(', ');

/** response headers the app may read */
const exposedHeaders = [SYNC_PROTOCOL_HEADER, MIN_SYNC_PROTOCOL_HEADER, 'location', 'retry-after', 'upload-offset', 'upload-length', 'tus-resumable', 'tus-version', 'tus-max-size', 'tus-extension', 'upload-expires'].join(', ');

const allowedMethods = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';

function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

export function registerCors(app: FastifyInstance, allowedOrigins: readonly string[] = [desktopOrigin]): void {
  const origins = new Set(allowedOrigins);
  app.addHook('onRequest', async (request, reply) => {
    if (!isApiPath(request.url)) return;
    reply.header('vary', 'Origin');
    const origin = request.headers.origin;
    if (typeof origin !== 'string' || !origins.has(origin)) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-expose-headers', exposedHeaders);
    const isPreflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    if (isPreflight) {
      reply
        .code(204)
        .header('access-control-allow-methods', allowedMethods)
        .header('access-control-allow-headers', allowedHeaders)
        .header('access-control-max-age', '600');
      return reply.send();
    }
  });
}
