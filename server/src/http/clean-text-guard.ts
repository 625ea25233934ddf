/**
 * One request-level guard for odd text: every route parameter, query parameter and JSON body
 * string (keys too) must be well-formed Unicode without NUL (shared/domain/clean-text.ts), or
 * the request is answered 400 `invalid_text` before its handler runs. The shared zod schemas
 * carry the same refinement; this guard makes it hold for every route, also one that parses
 * its input with a schema of its own or none.
 *
 * Why: PostgreSQL's text cannot hold NUL ("invalid byte sequence for encoding UTF8: 0x00", a
 * 500) and stores a lone surrogate as U+FFFD, SQLite keeps it as it is; either way server and
 * laptop would disagree on an id.
 *
 * A route whose body holds items answered one by one (push: one rejection never fails the
 * rest) says `config: { cleanTextBody: 'per-item' }` and checks each item itself; its
 * parameters and query are still checked here.
 */
import type { FastifyInstance } from 'fastify';
import { cleanTextMessage, findUncleanText } from '@shared/domain/schemas';
import { sendError } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'per-item': the handler checks the body's items itself (see clean-text-guard.ts) */
    cleanTextBody?: 'per-item';
  }
}

export function registerCleanTextGuard(app: FastifyInstance): void {
  app.addHook('preHandler', async (request, reply) => {
    const params = findUncleanText(request.params);
    if (params !== null) return sendError(reply, 400, 'invalid_text', `route parameter ${params}: ${cleanTextMessage}`);
    const query = findUncleanText(request.query);
    if (query !== null) return sendError(reply, 400, 'invalid_text', `query parameter ${query}: ${cleanTextMessage}`);
    const body = request.body;
    if (typeof body === 'string') {
      if (findUncleanText(body) !== null) return sendError(reply, 400, 'invalid_text', `body: ${cleanTextMessage}`);
      return;
    }
    if (request.routeOptions.config.cleanTextBody === 'per-item' || Buffer.isBuffer(body) || typeof body !== 'object' || body === null) return;
    const at = findUncleanText(body);
    if (at !== null) return sendError(reply, 400, 'invalid_text', `${at}: ${cleanTextMessage}`);
  });
}
