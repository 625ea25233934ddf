/**
 * Slow and oversized request bodies, for every route at once (tus uploads included):
 *
 * - Refusal on Content-Length before reading: a body longer than the route takes is answered 413
 *   (JSON, `Connection: close`) before a byte of it is read.
 * - `Expect: 100-continue` is answered only once the route is known and the length fits (Node
 *   would otherwise say "100 Continue" to anything at once, and the client then sent 70 MB to a
 *   route that refuses it, getting a reset instead of the 413).
 * - A body-progress timeout: a request whose body makes no progress for `bodyIdleMs` (no byte
 *   arrives on its connection) is answered 408 and its connection closed, so a client that
 *   announces 1000 bytes and sends six cannot hold a socket (and its memory) for minutes.
 *   Progress, not total time: a 50 MB photo over a weak link takes as long as it takes.
 *
 * A route's limit is `config.maxBodyBytes` when it streams its body itself (tus), else its
 * Fastify `bodyLimit`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** largest body the route takes when it reads the body itself (no Fastify parser limit) */
    maxBodyBytes?: number;
  }
}

export interface BodyGuardOptions {
  /** ms a request body may go without receiving a byte */
  bodyIdleMs: number;
  /** ms a client may take to send its request headers */
  headersTimeoutMs?: number;
}


function declaredLength(request: FastifyRequest): number | null {
  const header = request.headers['content-length'];
  if (typeof header !== 'string' || !/^\d{1,16}$/.test(header.trim())) return null;
  return Number(header);
}

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

function expectsContinue(request: IncomingMessage): boolean {
  return (request.headers.expect ?? '').toLowerCase() === '100-continue';
}

export function registerBodyGuard(app: FastifyInstance, options: BodyGuardOptions): void {
  const server = app.server;
  // Fastify's request handler runs for these too; the 100 Continue is ours to send (preParsing)
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    server.emit('request', request, response);
  });
  server.headersTimeout = options.headersTimeoutMs ?? 30_000;

  app.addHook('onRequest', async (request, reply) => {
    if (hasBody(request.raw)) watchBodyProgress(request, reply, options.bodyIdleMs);
  });

  app.addHook('preParsing', async (request, reply, payload) => {
    const length = declaredLength(request);
    const limit = request.routeOptions.config.maxBodyBytes ?? request.routeOptions.bodyLimit;
    if (length !== null && limit !== undefined && length > limit) {
      // the client is going to send it anyway (or is waiting for 100 Continue): do not read it
      reply.header('connection', 'close');
      return sendError(reply, 413, 'payload_too_large', `The request body has ${length} bytes; this route takes at most ${limit}`);
    }
    if (expectsContinue(request.raw) && !request.raw.complete && !reply.raw.headersSent) {
      reply.raw.writeContinue();
    }
    return payload;
  });

  // answered before the whole body arrived (refused on its length, its sign-in, a rate limit, or
  // never asked for with 100 Continue): the connection cannot carry another request, and waiting
  // for the rest of a body nobody reads would keep it open
  app.addHook('onSend', async (request, reply, payload) => {
    if (hasBody(request.raw) && !request.raw.complete) reply.header('connection', 'close');
    return payload;
  });
}

/**
 * Answers 408 and closes the connection when the body of `request` receives no byte for
 * `idleMs`. Reads nothing itself (the route reads the body as it likes): it watches the bytes
 * the connection has received.
 */
function watchBodyProgress(request: FastifyRequest, reply: FastifyReply, idleMs: number): void {
  const raw = request.raw;
  const socket = raw.socket;
  let lastBytes = socket.bytesRead;
  let lastProgressAt = Date.now();
  const step = Math.max(50, Math.min(1000, Math.floor(idleMs / 4)));
  const timer = setInterval(() => {
    if (raw.complete || socket.destroyed || reply.raw.writableEnded) return stop();
    if (socket.bytesRead !== lastBytes) {
      lastBytes = socket.bytesRead;
      lastProgressAt = Date.now();
      return;
    }
    if (Date.now() - lastProgressAt < idleMs) return;
    stop();
    request.log.warn({ url: request.url, ip: request.ip, idleMs }, 'request body stalled: connection closed');
    if (!reply.raw.headersSent) {
      const body = JSON.stringify({ error: 'request_timeout', message: `No part of the request body arrived for ${Math.round(idleMs / 1000)} s; send it again` });
      reply.raw.writeHead(408, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
      reply.raw.end(body, () => socket.destroy());
      setTimeout(() => socket.destroy(), 1000).unref();
    } else {
      socket.destroy();
    }
  }, step);
  timer.unref();
  const stop = () => {
    clearInterval(timer);
    raw.off('end', stop);
    reply.raw.off('close', stop);
  };
  raw.once('end', stop);
  reply.raw.once('close', stop);
}
