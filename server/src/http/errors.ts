/**
 * Every error leaves the server as JSON `{ error, message }` with a 4xx/5xx status: a machine
 * code the client can branch on and a sentence a person can read. A 5xx never carries the
 * error's message or stack (they may hold SQL, paths or secrets); it is logged instead.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';

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

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof HttpError) {
      request.log.info({ status: error.statusCode, code: error.code }, error.message);
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
