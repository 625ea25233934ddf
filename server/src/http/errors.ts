/**
 * Every error leaves the server as JSON `{ error, message }` with a 4xx/5xx status: a machine
 * code the client can branch on and a sentence a person can read. A 5xx never carries the
 * error's message or stack (they may hold SQL, paths or secrets); it is logged instead.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { classifyDbError, type DatabaseHealth, type DbTrouble } from '../db/db-trouble.js';

export interface ApiErrorBody {
  error: string;
  message: string;
}

/** Throw from a handler to answer with a specific status and code. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** response headers to send with it (e.g. Retry-After of a 429) */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

const defaultCodes: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  410: 'gone',
  412: 'precondition_failed',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  416: 'range_not_satisfiable',
  422: 'unprocessable',
  429: 'too_many_requests',
  503: 'unavailable',
};

export function errorCodeFor(status: number): string {
  return defaultCodes[status] ?? (status >= 500 ? 'internal_error' : 'request_error');
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  const body: ApiErrorBody = { error: code, message };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

function describeZodError(error: ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
}

const troubleAnswers: Record<DbTrouble['kind'], { code: string; message: string }> = {
  busy: { code: 'busy', message: 'The server is busy; try again in a moment' },
  full: { code: 'storage_full', message: 'The server has run out of storage space; nothing was changed. Try again later (the administrator has been told in the log)' },
  unavailable: { code: 'unavailable', message: 'The database is not available right now; try again in a moment' },
};

/**
 * 503 with Retry-After for a database that cannot take the request now (db/db-trouble.ts), with a
 * log line naming the real cause; noted for /api/health. Every route answers it this way.
 */
export function sendDbTrouble(request: FastifyRequest, reply: FastifyReply, trouble: DbTrouble, error: unknown, health?: DatabaseHealth): FastifyReply {
  health?.note(trouble);
  const logEntry = { cause: trouble.cause, err: error, url: request.url };
  if (trouble.kind === 'busy') request.log.warn(logEntry, `request refused: database busy (${trouble.cause})`);
  else request.log.error(logEntry, trouble.kind === 'full' ? `request refused: no space left (${trouble.cause})` : `request refused: database unavailable (${trouble.cause})`);
  const answer = troubleAnswers[trouble.kind];
  reply.header('retry-after', String(trouble.retryAfterSeconds));
  reply.header('cache-control', 'no-store');
  return sendError(reply, 503, answer.code, answer.message);
}

export function registerErrorHandler(app: FastifyInstance, health?: DatabaseHealth): void {
  app.setErrorHandler((error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const trouble = classifyDbError(error);
    if (trouble) return sendDbTrouble(request, reply, trouble, error, health);
    if (error instanceof HttpError) {
      request.log.info({ status: error.statusCode, code: error.code }, error.message);
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return sendError(reply, error.statusCode, error.code, error.message);
    }
    if (error instanceof ZodError) {
      return sendError(reply, 400, 'invalid_request', describeZodError(error));
    }
    const raw = (error as FastifyError).statusCode;
    const status = typeof raw === 'number' && raw >= 400 && raw <= 599 ? raw : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return sendError(reply, status, errorCodeFor(status), status === 503 ? 'Service unavailable' : 'Internal server error');
    }
    // Fastify's own 4xx (bad JSON, body too large, wrong content type) have safe, useful messages.
    return sendError(reply, status, errorCodeFor(status), error.message);
  });
}
