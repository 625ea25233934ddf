/**
 * Sync client: everything done offline reaches the server, everything the server has for this
 * user arrives — by itself, resumably and visibly (issue 5, DESIGN.md § Sync).
 *
 * Entry point (the app, the e2e tests and `npm run bench:sync` all use it the same way):
 *
 *   import { createSyncEngine } from './sync';
 *   const engine = createSyncEngine({
 *     db,                                  // a GuanmoDb (the app's `db`, or createGuanmoDb(name, {indexedDB}) in node)
 *     serverUrl: 'http://127.0.0.1:8787',  // base URL of the sync server (no /api)
 *     getToken: async () => token,         // bearer token, or null when signed out
 *     // optional: fetch, requestTimeoutMs (15 000), uploadChunkBytes (1.5 MiB), lockName
 *     //           ('guanmo-sync'; null = no Web Lock, e.g. in node), pullLimit, periodMs (60 s),
 *     //           debounceMs (2 s), backoffBaseMs / backoffMaxMs, uploadPhotos, now, random,
 *     //           onUnauthorized (the app marks the session expired)
 *   });
 *   const report = await engine.syncNow(); // one round: push outbox → pull until up to date → upload photo bytes
 *   engine.start();                        // automatic: now, on 'online', 2 s after outbox writes, every 60 s,
 *                                          // exponential back-off with jitter after failures
 *   engine.subscribe((status) => …);       // SyncStatus: pending changes / photo bytes, last success, error
 *   engine.stop();
 *
 * `syncNow()` never throws for network or server trouble: it resolves a SyncReport whose `error`
 * says what went wrong (kind 'offline' | 'timeout' | 'signedOut' | 'server' | 'invalidResponse'),
 * with figures (mutations pushed, records pulled, photo bytes sent). Only one round runs at a
 * time per engine, and across tabs/windows when navigator.locks exists (a round that finds the
 * lock taken resolves with `skipped: 'locked'`). While navigator.onLine is false no round runs
 * (`skipped: 'offline'`, status phase 'offline', no error): the 'online' event starts one.
 *
 * Signing in: `await signIn(db, serverUrl, username, password)` (POST /api/auth/login) keeps the
 * session in IndexedDB and sets the field app's current user; then `getToken: () => usableToken(db)`.
 * In node (tests, bench): a Dexie db over fake-indexeddb (renderer/src/test-support/test-db.ts),
 * `lockName: null`, global fetch; tus uploads go through tus-js-client's node HTTP stack.
 * The app runs one engine in <SyncProvider> (SyncProvider.tsx). Other modules:
 *   push-plan.ts     outbox entries → push batches (pure)
 *   apply-pulled.ts  merging a pulled record into the local one (pure, via shared mergeRecord)
 *   push.ts / pull.ts / photo-upload.ts / photo-download.ts  the I/O around them
 *   use-sync-status.ts, use-photo-bytes.ts  React hooks for the UI
 */
export { createSyncEngine } from './sync-engine';
export { defaultServerUrl, getSession, markSessionExpired, signIn, signOut, usableToken } from './session-store';
export { usePhotoBytes, downloadPhotoBytes, type PhotoBytes, type PhotoBytesStatus } from './use-photo-bytes';
export type { SyncEngine, SyncEngineOptions, SyncReport, SyncStatus, SyncErrorInfo } from './sync-types';
