/**
 * The sync loop (see index.ts for how to use it). One round: push the outbox → pull until up
 * to date → upload photo bytes the server has not confirmed. Rounds never overlap: one per
 * engine, and one across tabs and windows through the Web Lock `lockName`.
 *
 * Automatic rounds (start()): at once when started; at a random moment within
 * `reconnectJitterMs` after the connection returns ('online': a tour's laptops come back
 * together, see RECONNECT_JITTER_MS); `debounceMs` after a local write (the outbox is observed with liveQuery, which also sees other tabs'
 * writes), every `periodMs`, and after a failure with exponential back-off and jitter
 * (backoff.ts). A local write during back-off does not shorten the back-off.
 *
 * With `live` (the app), the engine also holds the live channel while online and signed in
 * (live-channel.ts): a "changes" event, or the stream's hello after (re)connecting, starts a round
 * within `liveEventJitterMs`, and while the stream is live the period stretches to
 * `livePeriodMs` (a safety net: the channel replaces the polling). Without a live stream (an
 * older server, a proxy that cuts it, errors) rounds run every `periodMs` as before. Events never
 * shorten a back-off the server asked for (429/503).
 */
import { liveQuery, type Subscription } from 'dexie';
import { meResponseSchema } from '@shared/sync/auth-protocol';
import { DEFAULT_PULL_LIMIT, RECONNECT_JITTER_MS } from '@shared/sync/protocol';
import { ensureClientId } from '../db/meta-repo';
import { retryDelay } from './backoff';
import { ensureCarryKey } from './carry-keys';
import { reportDeviceStatus } from './device-status-report';
import { createLiveChannel, type LiveChannel, type LiveState } from './live-channel';
import { receiveRemoteHlc } from './device-clock';
import { uploadPendingPhotos } from './photo-upload';
import { fetchMissingThumbnails } from './thumbnail-download';
import { pullAll } from './pull';
import { pushOutbox } from './push';
import { requestJson, SyncError, type HttpContext } from './sync-http';
import { getSyncState, setSyncState } from './sync-tables';
import type { SyncEngine, SyncEngineOptions, SyncErrorInfo, SyncReport, SyncStatus } from './sync-types';

const emptyReport = (): SyncReport => ({
  pushed: { applied: 0, duplicate: 0, rejected: 0, batches: 0 },
  photos: { confirmed: 0, bytesSent: 0, failed: 0 },
  pulled: { records: 0, pages: 0, invalid: 0 },
  error: null,
  ms: 0,
});

interface LockManagerLike {
  request<T>(name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => Promise<T>): Promise<T>;
}

function lockManager(): LockManagerLike | null {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks ?? null;
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db } = options;
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.requestTimeoutMs ?? 15_000;
  const lockName = options.lockName === undefined ? 'guanmo-sync' : options.lockName;
  const periodMs = options.periodMs ?? 60_000;
  const livePeriodMs = options.livePeriodMs ?? 5 * 60_000;
  const liveEventJitterMs = options.liveEventJitterMs ?? 150;
  const debounceMs = options.debounceMs ?? 2_000;
  const reconnectJitterMs = options.reconnectJitterMs ?? RECONNECT_JITTER_MS;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const isOnline = options.isOnline ?? (() => (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine !== false);

  let status: SyncStatus = { isSyncing: false, phase: 'idle', lastError: null, lastSuccessAt: null, nextRunAt: null, failures: 0, upload: null, live: 'off' };
  const listeners = new Set<(s: SyncStatus) => void>();
  const setStatus = (patch: Partial<SyncStatus>) => {
    status = { ...status, ...patch };
    for (const listener of listeners) listener(status);
  };
  void getSyncState(db, 'lastSuccessAt').then(
    (at) => at && status.lastSuccessAt === null && setStatus({ lastSuccessAt: at }),
    () => undefined,
  );

  let running: Promise<SyncReport> | null = null;
  let isRunAgainWanted = false;
  /** the live channel announced changes while a round ran: another round right after it */
  let isRemoteRunWanted = false;
  /** until when a round waits for more local writes (an event does not cut that short) */
  let localDebounceUntil = 0;
  let live: LiveChannel | null = null;
  let controller = new AbortController();
  /** account id per token (for the pull cursor's scope), from GET /api/auth/me */
  const accountByToken = new Map<string, string>();

  async function resolveServerUrl(): Promise<string | null> {
    return typeof options.serverUrl === 'function' ? await options.serverUrl() : options.serverUrl;
  }

  async function round(report: SyncReport): Promise<void> {
    const baseUrl = await resolveServerUrl();
    const token = await options.getToken();
    if (!baseUrl || !token) throw new SyncError('signedOut', 'Not signed in: sign in to sync');
    const http: HttpContext = { fetch: fetchFn, baseUrl, token, timeoutMs, signal: controller.signal };
    const clientId = await ensureClientId(db);

    // the desk's "unsynced laptops": what this laptop holds, said before the push may fail
    const carryReport = options.reportDeviceStatus === false ? null : await reportDeviceStatus(db, http, clientId, null, options.appVersion);

    setStatus({ phase: 'push' });
    const pushed = await pushOutbox(db, http, clientId, now);
    report.pushed = { applied: pushed.applied, duplicate: pushed.duplicate, rejected: pushed.rejected, batches: pushed.batches };
    if (pushed.serverHlc) await receiveRemoteHlc(db, pushed.serverHlc, now());

    setStatus({ phase: 'pull' });
    let userId = accountByToken.get(token);
    if (!userId) {
      userId = (await requestJson(http, 'GET', '/api/auth/me', meResponseSchema)).user.id;
      accountByToken.set(token, userId);
    }
    const pulled = await pullAll(db, http, { serverUrl: baseUrl, userId }, options.pullLimit ?? DEFAULT_PULL_LIMIT, now);
    report.pulled = { records: pulled.records, pages: pulled.pages, invalid: pulled.invalid };
    // the device clock has received every pulled page's versions inside that page's transaction (pull.ts)

    // other users' photos: their thumbnails (small; the originals only when opened), fetched
    // beside the uploads; photo bytes last: records (a reopened sheet, others' notes) must
    // not wait behind hundreds of megabytes of uploads
    const thumbnails = options.fetchThumbnails === false ? null : fetchMissingThumbnails(db, http);
    try {
      if (options.uploadPhotos !== false) {
        setStatus({ phase: 'photos' });
        report.photos = await uploadPendingPhotos(db, http, {
          chunkBytes: options.uploadChunkBytes,
          lanes: options.uploadLanes,
          bodiesInFlight: options.uploadBodiesInFlight,
          onProgress: (upload) => setStatus({ upload }),
        });
      }
    } finally {
      const fetched = await thumbnails?.catch(() => null);
      if (fetched) report.thumbnails = { fetched: fetched.fetched, bytes: fetched.bytes, skipped: fetched.skipped };
    }
    // after the uploads went well: a signed-out (or stopped) thumbnail fetch fails the round too
    if (thumbnails) await thumbnails;

    // carried by file: the user's key kept here for offline export and import, and what is left now
    await ensureCarryKey(db, http, userId, now).catch((error: unknown) => console.warn('sync: fetching the carry key failed', error));
    if (options.reportDeviceStatus !== false) await reportDeviceStatus(db, http, clientId, carryReport, options.appVersion);
  }

  async function runRound(): Promise<SyncReport> {
    const report = emptyReport();
    const startedAt = now();
    if (controller.signal.aborted) controller = new AbortController();
    setStatus({ isSyncing: true, phase: 'push' });
    try {
      await round(report);
      const at = new Date(now()).toISOString();
      await setSyncState(db, 'lastSuccessAt', at);
      setStatus({ lastError: null, lastSuccessAt: at });
    } catch (error) {
      const info = toErrorInfo(error, now());
      report.error = info;
      setStatus({ lastError: info });
      if (info.kind === 'signedOut' && info.status === 401) await options.onUnauthorized?.();
    } finally {
      report.ms = now() - startedAt;
      setStatus({ isSyncing: false, phase: 'idle', upload: null });
    }
    return report;
  }

  function syncNow(): Promise<SyncReport> {
    if (running) {
      isRunAgainWanted = true;
      return running;
    }
    // no network at all (on site, for hours): no requests bound to fail, no error, no back-off;
    // the 'online' event starts a round (within reconnectJitterMs), and the period re-checks
    if (!isOnline()) {
      const report: SyncReport = { ...emptyReport(), skipped: 'offline' };
      setStatus({ phase: 'offline' });
      afterRound(report);
      return Promise.resolve(report);
    }
    if (status.phase === 'offline') setStatus({ phase: 'idle' });
    const locks = lockName ? lockManager() : null;
    const task = locks
      ? locks.request(lockName!, { ifAvailable: true }, async (lock) => (lock ? runRound() : { ...emptyReport(), skipped: 'locked' as const }))
      : runRound();
    running = task.then(
      (report) => {
        running = null;
        afterRound(report);
        return report;
      },
      (error: unknown) => {
        running = null;
        throw error;
      },
    );
    return running;
  }

  // --- automatic rounds ------------------------------------------------------------------------
  let isStarted = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let outboxWatch: Subscription | null = null;
  let lastSeenSeq: number | undefined;

  function schedule(delayMs: number) {
    if (!isStarted) return;
    if (timer) clearTimeout(timer);
    const delay = Math.max(0, delayMs);
    setStatus({ nextRunAt: now() + delay });
    timer = setTimeout(() => {
      timer = null;
      if (isStarted) void syncNow();
    }, delay);
  }

  /** the periodic round: rare while the live channel tells this app of changes */
  const currentPeriod = () => (status.live === 'live' ? livePeriodMs : periodMs);

  /** After every round, automatic or asked for: when the next one runs. */
  function afterRound(report: SyncReport) {
    // the stream follows the rounds: opened after a round (signed in, server reachable), and
    // only then, so that laptops regaining the network together open it within the same jitter
    if (report.skipped !== 'offline' && report.error?.kind !== 'signedOut' && report.error?.kind !== 'updateRequired' && report.error?.kind !== 'serverOutdated') live?.ensure();
    if (report.skipped === 'locked' || report.skipped === 'offline') return schedule(currentPeriod());
    if (report.error) {
      isRemoteRunWanted = false;
      const failures = status.failures + 1;
      setStatus({ failures });
      // signed out: nothing to retry until someone signs in (the period re-checks the session);
      // the stream of the old session goes too (a sign-in's round opens a new one)
      if (report.error.kind === 'signedOut') {
        live?.pause();
        return schedule(periodMs);
      }
      // a version gate: nothing to retry soon (the outbox waits untouched); the period looks again
      if (report.error.kind === 'updateRequired' || report.error.kind === 'serverOutdated') {
        live?.pause();
        return schedule(periodMs);
      }
      const delay = retryDelay(failures, random, report.error.retryAfterMs, options.backoffBaseMs, options.backoffMaxMs);
      // the indicator says "server busy, retrying in N s": N is the delay actually scheduled
      if (report.error.kind === 'busy' && status.lastError === report.error) setStatus({ lastError: { ...report.error, retryAfterMs: delay } });
      return schedule(delay);
    }
    setStatus({ failures: 0 });
    if (isRunAgainWanted || isRemoteRunWanted) {
      // local writes during the round: wait for more of them (an event meanwhile does not hurry it)
      if (isRunAgainWanted) localDebounceUntil = now() + debounceMs;
      const delay = isRunAgainWanted ? debounceMs : eventDelay();
      isRunAgainWanted = false;
      isRemoteRunWanted = false;
      return schedule(delay);
    }
    // photos whose thumbnails are not on the server yet: their upload is no change the channel
    // announces, so look again at the polling period
    const isWaitingForThumbnails = (report.thumbnails?.skipped ?? 0) > 0;
    schedule(isWaitingForThumbnails ? Math.min(currentPeriod(), periodMs) : currentPeriod());
  }

  const eventDelay = () => Math.round(random() * liveEventJitterMs);

  /** The live channel says changes exist (or it just connected): a round soon. */
  function onRemoteChange() {
    if (!isStarted) return;
    if (running) {
      isRemoteRunWanted = true;
      return;
    }
    // the server asked for a pause (429/503): an event does not cut it short
    if (status.failures > 0 && status.lastError?.kind === 'busy') return;
    // someone is typing: the round after the debounce pulls too, and pushes what was typed as one
    if (now() < localDebounceUntil) return;
    const delay = eventDelay();
    const dueIn = status.nextRunAt === null ? Infinity : status.nextRunAt - now();
    if (dueIn > delay) schedule(delay);
  }

  function onLiveState(state: LiveState) {
    setStatus({ live: state });
    // lost the stream: back to polling at once, not after the long live period
    if (state !== 'live' && isStarted && !running && status.failures === 0) {
      const dueIn = status.nextRunAt === null ? Infinity : status.nextRunAt - now();
      if (dueIn > periodMs) schedule(periodMs);
    }
  }

  function onLocalWrite() {
    if (!isStarted) return;
    const dueIn = status.nextRunAt === null ? Infinity : status.nextRunAt - now();
    if (running) {
      isRunAgainWanted = true;
      return;
    }
    if (status.failures > 0) return; // keep the back-off
    if (dueIn > debounceMs) {
      schedule(debounceMs);
      localDebounceUntil = now() + debounceMs;
    }
  }

  const onOnline = () => {
    setStatus({ failures: 0 });
    schedule(random() * reconnectJitterMs);
  };
  const onOffline = () => live?.pause();

  function start() {
    if (isStarted) return;
    isStarted = true;
    controller = new AbortController();
    globalThis.addEventListener?.('online', onOnline);
    if (options.live) {
      globalThis.addEventListener?.('offline', onOffline);
      live = createLiveChannel({
        fetch: fetchFn,
        serverUrl: async () => (await resolveServerUrl()) ?? null,
        getToken: async () => (await options.getToken()) ?? null,
        getClientId: () => ensureClientId(db),
        isOnline,
        onHello: onRemoteChange,
        onChanges: onRemoteChange,
        onState: onLiveState,
        random,
      });
    }
    outboxWatch = liveQuery(() => db.outbox.orderBy('seq').lastKey()).subscribe({
      next: (seq) => {
        const isNew = typeof seq === 'number' && lastSeenSeq !== undefined && seq > lastSeenSeq;
        if (typeof seq === 'number') lastSeenSeq = seq;
        else if (lastSeenSeq === undefined) lastSeenSeq = 0;
        if (isNew) onLocalWrite();
      },
      error: (error: unknown) => console.warn('sync: cannot observe the outbox', error),
    });
    schedule(0);
  }

  function stop() {
    isStarted = false;
    if (timer) clearTimeout(timer);
    timer = null;
    outboxWatch?.unsubscribe();
    outboxWatch = null;
    globalThis.removeEventListener?.('online', onOnline);
    globalThis.removeEventListener?.('offline', onOffline);
    live?.stop();
    live = null;
    controller.abort();
    setStatus({ nextRunAt: null });
  }

  return {
    syncNow,
    start,
    stop,
    getStatus: () => status,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function toErrorInfo(error: unknown, at: number): SyncErrorInfo {
  const iso = new Date(at).toISOString();
  if (error instanceof SyncError) {
    return {
      kind: error.kind,
      message: error.message,
      ...(error.status !== undefined ? { status: error.status } : {}),
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
      ...(error.code !== undefined ? { code: error.code } : {}),
      ...(error.gate?.minAppVersion !== undefined ? { minAppVersion: error.gate.minAppVersion } : {}),
      ...(error.gate?.serverProtocol !== undefined ? { serverProtocol: error.gate.serverProtocol } : {}),
      at: iso,
    };
  }
  console.error('sync round failed', error);
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { kind: 'server', message, at: iso };
}
