import type { GuanmoDb } from '../db/guanmo-db';
import type { LiveState } from './live-channel';

/** Why a round failed, in categories the UI can explain in plain words. */
export type SyncErrorKind =
  /** no connection, DNS failure, connection refused (server down) */
  | 'offline'
  /** a request took longer than requestTimeoutMs (e.g. a half-open connection) */
  | 'timeout'
  /** no session, or the server answered 401: sign in again to sync (local work goes on) */
  | 'signedOut'
  /** the server answered 429 (too many requests) or 503 (overloaded, restarting): retry later, after Retry-After */
  | 'busy'
  /** the server answered with an error status */
  | 'server'
  /** the answer was not what the protocol promises */
  | 'invalidResponse'
  /** the server answered 426: this app is older than it serves; update the app (local work is kept) */
  | 'updateRequired'
  /** the server speaks an older sync protocol than this app needs; the administrator must update it */
  | 'serverOutdated';

export interface SyncErrorInfo {
  kind: SyncErrorKind;
  message: string;
  /** HTTP status when there was one */
  status?: number;
  /** the server's error code when it gave one (quota_exceeded, upload_rate_limited …): what to tell the user */
  code?: string;
  /** 'busy': how long until the next try (the server's Retry-After, or the engine's back-off once scheduled) */
  retryAfterMs?: number;
  /** 'updateRequired': the app version the server asks for */
  minAppVersion?: string;
  /** 'serverOutdated': the protocol the server speaks */
  serverProtocol?: number;
  /** ISO instant */
  at: string;
}

export interface SyncReport {
  /**
   * set when the round did not run: another tab/window holds the sync lock, already running, or
   * the browser says there is no network (navigator.onLine false)
   */
  skipped?: 'locked' | 'running' | 'offline';
  pushed: { applied: number; duplicate: number; rejected: number; batches: number };
  /** photo byte uploads finished (or found already on the server) */
  photos: { confirmed: number; bytesSent: number; failed: number; thumbnails?: number };
  pulled: { records: number; pages: number; invalid: number };
  /** thumbnails of other users' photos fetched this round (thumbnail-download.ts) */
  thumbnails?: { fetched: number; bytes: number; skipped: number };
  /** null: the round completed */
  error: SyncErrorInfo | null;
  /** ms the round took */
  ms: number;
}

export interface SyncStatus {
  isSyncing: boolean;
  /** what the running round is doing; 'offline': rounds wait for the network (not an error) */
  phase: 'idle' | 'push' | 'photos' | 'pull' | 'offline';
  /** error of the last round (null after a success) */
  lastError: SyncErrorInfo | null;
  /** ISO instant of the last round that completed (also persisted in syncState) */
  lastSuccessAt: string | null;
  /** when the next automatic round is due (ms since epoch), null when not started */
  nextRunAt: number | null;
  /** consecutive failed rounds (drives the back-off) */
  failures: number;
  /** bytes of the photo currently uploading: [sent, total] */
  upload: { sha256: string; sent: number; total: number } | null;
  /** the live channel: 'live' while the server tells this app of changes (live-channel.ts); 'off' without it */
  live: LiveState;
}

export interface SyncEngineOptions {
  db: GuanmoDb;
  /** base URL of the server (no /api), or a function read at the start of every round (null: not configured) */
  serverUrl: string | (() => string | null | Promise<string | null>);
  /** bearer token, or null when signed out */
  getToken: () => string | null | Promise<string | null>;
  /** called when the server answered 401 (the app marks the session expired) */
  onUnauthorized?: () => void | Promise<void>;
  fetch?: typeof fetch;
  /** timeout of every request (default 15 000 ms); uploads time out after this long without progress */
  requestTimeoutMs?: number;
  /** tus chunk size (default 1.5 MiB) */
  uploadChunkBytes?: number;
  /** Web Lock name shared by all tabs and windows (default 'guanmo-sync'); null: no lock */
  lockName?: string | null;
  /** records per pull page (default the server's DEFAULT_PULL_LIMIT) */
  pullLimit?: number;
  /** automatic rounds: period after a success (default 60 s) */
  periodMs?: number;
  /** hold the live channel (GET /api/sync/live) while started, online and signed in (default false; the app: true) */
  live?: boolean;
  /** automatic rounds while the live channel is live (default 5 min: a safety net) */
  livePeriodMs?: number;
  /** a round starts within this long (random) after a live event (default 150 ms), so a hundred apps do not pull in the same instant */
  liveEventJitterMs?: number;
  /** delay after a local write (default 2 s) */
  debounceMs?: number;
  /** when the network returns, the round starts after a random wait below this (default RECONNECT_JITTER_MS, 5 s) */
  reconnectJitterMs?: number;
  /** back-off: first delay (default 2 s) and cap (default 5 min), ×2 per failure, jitter ×[0.5, 1.5) */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** upload photo bytes (default true) */
  uploadPhotos?: boolean;
  /** fetch the thumbnails of other users' photos after the pull (default true) */
  fetchThumbnails?: boolean;
  /** photo files uploaded at once (default 2) */
  uploadLanes?: number;
  /** requests carrying photo bytes on the wire at once (default 1: a cut interrupts one chunk) */
  uploadBodiesInFlight?: number;
  /** report this laptop's unsynced work to the desk each round (device-status-report.ts; default true) */
  reportDeviceStatus?: boolean;
  /** the app's version, named in that report (the desk sees which laptops run an old one) */
  appVersion?: string;
  /** whether a network is attached (default: navigator.onLine, true where there is none); when false no round runs */
  isOnline?: () => boolean;
  now?: () => number;
  random?: () => number;
}

export interface SyncEngine {
  /** one round now (push → pull → photo bytes); resolves a report, never rejects for network trouble */
  syncNow(): Promise<SyncReport>;
  /** automatic rounds: at once, on 'online', after local writes, periodically, with back-off */
  start(): void;
  /** stops automatic rounds and aborts requests in flight */
  stop(): void;
  getStatus(): SyncStatus;
  subscribe(listener: (status: SyncStatus) => void): () => void;
}
