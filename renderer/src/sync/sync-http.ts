/**
 * Requests to the sync server: bearer token, a timeout on every request (a half-open connection
 * must never hang sync), errors sorted into SyncErrorKind, answers validated with the shared
 * zod schemas at this trust boundary.
 */
import type { z } from 'zod';
import type { SyncErrorKind } from './sync-types';
import { protocolHeaders, versionGateError } from './version-gate';

export class SyncError extends Error {
  override readonly name = 'SyncError';
  constructor(
    readonly kind: SyncErrorKind,
    message: string,
    readonly status?: number,
    /** from the Retry-After header of a 429/503 */
    readonly retryAfterMs?: number,
    /** the server's error code (`{error}` of its JSON answer), e.g. quota_exceeded */
    readonly code?: string,
    /** version gate (version-gate.ts): the app version to update to, or the outdated server's protocol */
    readonly gate?: { readonly minAppVersion?: string; readonly serverProtocol?: number },
  ) {
    super(message);
  }
}

/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Undefined when absent or not
 * understood; capped at an hour so a wrong header can never stop sync for longer.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(Math.max(0, ms), 60 * 60_000);
}

export interface HttpContext {
  fetch: typeof fetch;
  baseUrl: string;
  token: string | null;
  timeoutMs: number;
  /** aborts everything when the engine stops */
  signal?: AbortSignal;
  /** the oldest server sync protocol this app accepts (default MIN_SERVER_SYNC_PROTOCOL; tests change it) */
  minServerProtocol?: number;
}

export function apiUrl(baseUrl: string, path: string): string {
  return new URL(path.replace(/^\//, ''), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();
}

function signalFor(ctx: HttpContext): AbortSignal {
  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  return ctx.signal ? AbortSignal.any([timeout, ctx.signal]) : timeout;
}

/** Any request; throws SyncError for no answer or an error status (except `okStatuses`). */
export async function request(
  ctx: HttpContext,
  method: string,
  path: string,
  init: { body?: unknown; bytes?: Blob; headers?: Readonly<Record<string, string>>; okStatuses?: readonly number[] } = {},
): Promise<Response> {
  // the sync protocol of this app, on every request (version-gate.ts)
  const headers: Record<string, string> = { ...protocolHeaders(), ...init.headers };
  if (ctx.token) headers.authorization = `Bearer ${ctx.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  // `bytes`: a binary body (small blobs in one batch) instead of JSON
  if (init.bytes !== undefined) headers['content-type'] = 'application/octet-stream';
  let response: Response;
  try {
    response = await ctx.fetch(apiUrl(ctx.baseUrl, path), {
      method,
      headers,
      body: init.bytes ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
      signal: signalFor(ctx),
      cache: 'no-store',
    });
  } catch (error) {
    throw classifyFetchError(error, ctx);
  }
  const gate = await versionGateError(response, ctx.minServerProtocol);
  if (gate) {
    await response.body?.cancel().catch(() => undefined);
    throw gate;
  }
  if (response.ok || init.okStatuses?.includes(response.status)) return response;
  const { message, code } = await errorOf(response);
  if (response.status === 401) throw new SyncError('signedOut', message || 'The session has expired; sign in again to sync', 401, undefined, code);
  if (response.status === 429 || response.status === 503) {
    throw new SyncError('busy', `${response.status} ${message}`.trim(), response.status, parseRetryAfter(response.headers.get('retry-after')), code);
  }
  throw new SyncError('server', `${response.status} ${message}`.trim(), response.status, undefined, code);
}

/** A JSON request whose answer must match `schema`. */
export async function requestJson<T>(ctx: HttpContext, method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
  const response = await request(ctx, method, path, { body });
  let json: unknown;
  try {
    json = await response.json();
  } catch (error) {
    if (isAbort(error)) throw classifyFetchError(error, ctx);
    throw new SyncError('invalidResponse', `${method} ${path}: the answer is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new SyncError('invalidResponse', `${method} ${path}: unexpected answer (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  return parsed.data;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

export function classifyFetchError(error: unknown, ctx: Pick<HttpContext, 'timeoutMs' | 'signal'>): SyncError {
  if (error instanceof SyncError) return error;
  if (error instanceof Error && error.name === 'TimeoutError') return new SyncError('timeout', `the server did not answer within ${Math.round(ctx.timeoutMs / 1000)} s`);
  if (error instanceof Error && error.name === 'AbortError') {
    return ctx.signal?.aborted ? new SyncError('offline', 'sync was stopped') : new SyncError('timeout', `the server did not answer within ${Math.round(ctx.timeoutMs / 1000)} s`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new SyncError('offline', `the server cannot be reached (${message})`);
}

/** The message and code of an error answer (`{error, message}`, API.md), or its first text. */
async function errorOf(response: Response): Promise<{ message: string; code?: string }> {
  try {
    return parseErrorBody(await response.text());
  } catch {
    return { message: '' };
  }
}

export function parseErrorBody(text: string): { message: string; code?: string } {
  try {
    const json = JSON.parse(text) as { message?: unknown; error?: unknown };
    if (typeof json.message === 'string') return { message: json.message, ...(typeof json.error === 'string' ? { code: json.error } : {}) };
  } catch {
    // not JSON
  }
  return { message: text.slice(0, 200) };
}
