/**
 * The app's end of the live channel (GET /api/sync/live, shared/sync/live-protocol.ts): while the
 * app is online and signed in, one Server-Sent Events stream read with fetch() (EventSource
 * cannot send the bearer token). It only says "changes exist for you": the sync engine then runs
 * a round (sync-engine.ts), which pulls them.
 *
 * States: 'off' (not started, signed out, offline), 'connecting', 'live' (hello received: the
 * server tells this app of changes), 'retrying' (lost; trying again after a back-off with jitter),
 * 'unavailable' (the server has no live channel, or told this app to stop for a while: periodic
 * pulls only, with another try much later).
 *
 * What must stay true:
 * - At most one stream per channel; a new token (another sign-in) replaces the stream.
 * - Retries back off with jitter (backoff.ts), and never faster than a 429/503 Retry-After:
 *   a hundred laptops losing the server together must not return together.
 * - A stream silent for LIVE_SILENCE_FACTOR heartbeats is dead (a proxy or a sleeping laptop
 *   cut it without a word): it is dropped and opened again.
 * - Signed out (401, or the server said so): no retries until the engine, after a round that
 *   succeeded (a new sign-in), calls ensure() again.
 */
import { LIVE_HEARTBEAT_MS, LIVE_PATH, LIVE_SILENCE_FACTOR, liveByeSchema, liveEventNames, liveHelloSchema } from '@shared/sync/live-protocol';
import { SseParser, type SseEvent } from '@shared/sync/sse-parser';
import { backoffDelay } from './backoff';
import { apiUrl, parseRetryAfter } from './sync-http';
import { protocolHeaders } from './version-gate';

export type LiveState = 'off' | 'connecting' | 'live' | 'retrying' | 'unavailable';

export interface LiveChannelOptions {
  fetch: typeof fetch;
  /** base URL of the server, or null when not configured */
  serverUrl: () => Promise<string | null>;
  getToken: () => Promise<string | null>;
  /** this device's id (as in push), so that the server does not announce its own pushes back to it */
  getClientId: () => Promise<string>;
  isOnline: () => boolean;
  /** the stream is open and the server listens for this app: pull now, to catch up */
  onHello: () => void;
  /** changes this user may see exist: pull soon */
  onChanges: () => void;
  onState: (state: LiveState) => void;
  random?: () => number;
  /** back-off after failures: first delay (default 1 s) and cap (default 60 s), jitter ×[0.5, 1.5) */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** how long to wait before trying a server without a live channel again (default 30 min) */
  unavailableRetryMs?: number;
}

export interface LiveChannel {
  /** Opens the stream unless it is open, opening, or waiting out a back-off. Cheap; call often. */
  ensure(): void;
  /** Closes the stream until ensure() (the network went away). */
  pause(): void;
  /** Closes the stream for good. */
  stop(): void;
  readonly state: LiveState;
}

/** Why a stream ended, and so when to try again. */
type Ending =
  | { kind: 'signedOut' }
  | { kind: 'unavailable'; retryMs: number }
  | { kind: 'failed'; retryAfterMs?: number }
  | { kind: 'closing' }
  | { kind: 'paused' };

const byeEndings: Record<string, Ending> = {
  signed_out: { kind: 'signedOut' },
  session_ended: { kind: 'signedOut' },
  server_closing: { kind: 'closing' },
};
/** too many streams of this account (other windows, laptops): leave the server alone for a while */
const replacedRetryMs = 5 * 60_000;

export function createLiveChannel(options: LiveChannelOptions): LiveChannel {
  const random = options.random ?? Math.random;
  const baseMs = options.backoffBaseMs ?? 1_000;
  const maxMs = options.backoffMaxMs ?? 60_000;
  const unavailableRetryMs = options.unavailableRetryMs ?? 30 * 60_000;

  let state: LiveState = 'off';
  let isStopped = false;
  let failures = 0;
  /** the open (or opening) stream */
  let current: { controller: AbortController; token: string } | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** connect() is reading the server address and token (no stream yet): another must not start */
  let isOpening = false;
  /** the open stream was aborted because the token changed: reconnect at once */
  let isTokenChanged = false;
  /** when the current stream said hello (0: not yet) */
  let liveSince = 0;

  const setState = (next: LiveState) => {
    if (next === state) return;
    state = next;
    options.onState(next);
  };

  function ensure(): void {
    if (isStopped) return;
    if (current) {
      void checkToken();
      return;
    }
    if (retryTimer || isOpening) return;
    void connect();
  }

  /** a different token (another sign-in) replaces the stream */
  async function checkToken(): Promise<void> {
    const open = current;
    if (!open) return;
    const token = await options.getToken().catch(() => null);
    if (current === open && token !== open.token) {
      isTokenChanged = true;
      open.controller.abort();
    }
  }

  function pause(): void {
    clearRetry();
    current?.controller.abort();
    current = null;
    setState('off');
  }

  function stop(): void {
    isStopped = true;
    pause();
  }

  function clearRetry(): void {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
  }

  function retryIn(ms: number, next: LiveState): void {
    clearRetry();
    setState(next);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (!isStopped) void connect();
    }, Math.max(0, ms));
  }

  async function connect(): Promise<void> {
    if (isStopped || current || isOpening) return;
    if (!options.isOnline()) return setState('off');
    isOpening = true;
    let baseUrl: string | null;
    let token: string | null;
    try {
      [baseUrl, token] = await Promise.all([options.serverUrl().catch(() => null), options.getToken().catch(() => null)]);
    } finally {
      isOpening = false;
    }
    if (isStopped || current) return;
    if (!baseUrl || !token) return setState('off');
    const controller = new AbortController();
    current = { controller, token };
    isTokenChanged = false;
    liveSince = 0;
    setState('connecting');
    let ending: Ending;
    try {
      ending = await readStream(baseUrl, token, controller);
    } catch (error) {
      ending = controller.signal.aborted && (state === 'off' || isStopped) ? { kind: 'paused' } : { kind: 'failed' };
      if (ending.kind === 'failed' && !controller.signal.aborted) console.warn('live channel:', error instanceof Error ? error.message : error);
    }
    const isCurrent = current?.controller === controller;
    if (isCurrent) current = null;
    if (isStopped) return setState('off');
    if (!isCurrent && current) return; // paused, and a newer stream has taken over since
    afterEnding(ending);
  }

  function afterEnding(ending: Ending): void {
    // a stream that stayed up a while was a success: the back-off starts over
    if (liveSince > 0 && Date.now() - liveSince > 30_000) failures = 0;
    switch (ending.kind) {
      case 'paused':
        return setState('off');
      case 'signedOut':
        failures = 0;
        return setState('off');
      case 'unavailable':
        failures = 0;
        return retryIn(ending.retryMs, 'unavailable');
      case 'closing':
        // the server restarts: come back soon, not all at once
        failures = 1;
        return retryIn(backoffDelay(1, random, baseMs, maxMs), 'retrying');
      case 'failed': {
        // aborted by ensure() for a new token: at once
        if (isTokenChanged) return void connect();
        failures++;
        const backoff = backoffDelay(failures, random, baseMs, maxMs);
        const delay = ending.retryAfterMs === undefined ? backoff : Math.max(backoff, Math.round(ending.retryAfterMs * (1 + 0.25 * random())));
        return retryIn(delay, 'retrying');
      }
    }
  }

  /** Reads one stream to its end; resolves how it ended, throws for network errors. */
  async function readStream(baseUrl: string, token: string, controller: AbortController): Promise<Ending> {
    const url = new URL(apiUrl(baseUrl, LIVE_PATH));
    url.searchParams.set('clientId', await options.getClientId());
    const response = await options.fetch(url.toString(), {
      headers: { ...protocolHeaders(), authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      cache: 'no-store',
      signal: controller.signal,
    });
    if (response.status === 401) return { kind: 'signedOut' };
    // an older server without the route (404), or something in between that will not pass it
    // … or one that needs a newer app (426): the rounds say so; the stream waits
    if (response.status === 404 || response.status === 405 || response.status === 426 || response.status === 501) return { kind: 'unavailable', retryMs: unavailableRetryMs };
    if (response.status === 429 || response.status === 503) return { kind: 'failed', retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) };
    const isStream = (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
    if (!response.ok || !response.body || !isStream) {
      await response.body?.cancel().catch(() => undefined);
      return isStream || !response.ok ? { kind: 'failed' } : { kind: 'unavailable', retryMs: unavailableRetryMs };
    }

    let ending: Ending = { kind: 'failed' };
    let silenceLimitMs = LIVE_HEARTBEAT_MS * LIVE_SILENCE_FACTOR;
    let watchdog: ReturnType<typeof setTimeout> | null = null;
    const listen = () => {
      if (watchdog) clearTimeout(watchdog);
      watchdog = setTimeout(() => controller.abort(), silenceLimitMs);
    };
    const onEvent = (event: SseEvent) => {
      if (event.event === liveEventNames.hello) {
        const hello = parseJson(event.data, liveHelloSchema);
        if (hello) silenceLimitMs = hello.heartbeatMs * LIVE_SILENCE_FACTOR;
        listen();
        liveSince = Date.now();
        setState('live');
        options.onHello();
      } else if (event.event === liveEventNames.changes) {
        options.onChanges();
      } else if (event.event === liveEventNames.bye) {
        const reason = parseJson(event.data, liveByeSchema)?.reason ?? '';
        ending = reason === 'replaced' ? { kind: 'unavailable', retryMs: replacedRetryMs } : (byeEndings[reason] ?? { kind: 'failed' });
      }
    };
    const parser = new SseParser(onEvent);
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    listen();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        listen();
        parser.push(decoder.decode(value, { stream: true }));
      }
    } finally {
      if (watchdog) clearTimeout(watchdog);
      reader.releaseLock();
    }
    return ending;
  }

  return {
    ensure,
    pause,
    stop,
    get state() {
      return state;
    },
  };
}

function parseJson<T>(text: string, schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
