/**
 * The sync client against the real server when the server says "not now": a 429 from the sync
 * rate limit (server/src/auth/rate-limit.ts) and a 503 while busy. The client must wait at least
 * the Retry-After the server gave, keep the local work, and say "server busy, retrying in N s".
 */
import fs from 'node:fs/promises';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/src/app';
import { createTestUser } from '../../server/src/test-support/auth-fixtures';
import { makeTempDir } from '../../server/src/test-support/backends';
import { startCapturedServer } from '../../server/src/test-support/server-fixtures';
import { describeSyncError } from '../../renderer/src/features/sign-in/sync-words';
import { createTranslator } from '../../renderer/src/i18n/catalogs';
import { ensureClientId } from '../../renderer/src/db/meta-repo';
import { backoffDelay, retryDelay } from '../../renderer/src/sync/backoff';
import { signIn, usableToken } from '../../renderer/src/sync/session-store';
import { createSyncEngine } from '../../renderer/src/sync/sync-engine';
import { parseRetryAfter } from '../../renderer/src/sync/sync-http';
import type { SyncStatus } from '../../renderer/src/sync/sync-types';
import { createTestDb } from '../../renderer/src/test-support/test-db';

let dataDir: string;
let server: RunningServer;
let baseUrl: string;
let password: string;

beforeAll(async () => {
  dataDir = await makeTempDir('guanmo-sync-rate-');
  // one pull a minute: the second round's pull is refused with Retry-After 60
  server = await startCapturedServer({ GUANMO_DATA_DIR: dataDir, GUANMO_LOG_LEVEL: 'error', GUANMO_RATE_LIMIT_PULL: '1/min' });
  baseUrl = server.url.replace(/\/$/, '');
  password = (await createTestUser(server.db, { username: 's1', role: 'scorer' })).password;
}, 60_000);

afterAll(async () => {
  await server?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function laptopDb() {
  const db = createTestDb({ factory: new IDBFactory(), name: 'guanmo' });
  await db.open();
  await ensureClientId(db);
  await signIn(db, baseUrl, 's1', password);
  return db;
}

describe('Retry-After', () => {
  it('parses seconds and HTTP dates, caps nonsense', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('999999')).toBe(3_600_000);
  });

  it('the retry delay is never shorter than Retry-After nor than the back-off', () => {
    expect(retryDelay(1, () => 0, 30_000)).toBe(30_000);
    expect(retryDelay(1, () => 0.999, 30_000)).toBeLessThanOrEqual(37_500);
    expect(retryDelay(1, () => 0.5, undefined)).toBe(backoffDelay(1, () => 0.5));
    // a long outage: the back-off has grown past what the server asks
    expect(retryDelay(8, () => 0.5, 1_000)).toBe(backoffDelay(8, () => 0.5));
  });

  it('a rate-limited round waits for the server’s Retry-After and says so', async () => {
    const db = await laptopDb();
    let clock = Date.now();
    const engine = createSyncEngine({ db, serverUrl: () => baseUrl, getToken: () => usableToken(db), lockName: null, random: () => 0, now: () => clock });

    const first = await engine.syncNow();
    expect(first.error).toBeNull();

    clock = Date.now();
    const second = await engine.syncNow();
    expect(second.error).toMatchObject({ kind: 'busy', status: 429 });
    expect(second.error!.retryAfterMs).toBeGreaterThan(50_000); // 1 a minute: ~60 s
    expect(second.error!.retryAfterMs).toBeLessThanOrEqual(60_000);

    // started: the automatic schedule honours it (random 0: exactly Retry-After, no earlier)
    const statuses: SyncStatus[] = [];
    engine.subscribe((s) => statuses.push(s));
    engine.start(); // runs a round at once: refused again
    try {
      await expect.poll(() => statuses.some((s) => !s.isSyncing && s.lastError?.kind === 'busy' && s.nextRunAt !== null && s.failures >= 2), { timeout: 10_000 }).toBe(true);
      const settled = engine.getStatus();
      expect(settled.nextRunAt! - clock).toBeGreaterThanOrEqual(settled.lastError!.retryAfterMs!);
      expect(settled.lastError!.retryAfterMs).toBeGreaterThan(50_000);
      const t = createTranslator('en');
      expect(describeSyncError(t, settled.lastError!)).toMatch(/^The server is busy; retrying in \d+ s\./);
      expect(describeSyncError(createTranslator('zh-CN'), settled.lastError!)).toMatch(/^服务器繁忙，\d+ 秒后自动重试/);
    } finally {
      engine.stop();
      db.close();
    }
  });

  it('a 503 is "busy" too, with or without Retry-After', async () => {
    const db = await laptopDb();
    let retryAfter: string | null = '12';
    const fetch503: typeof fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.includes('/api/sync/push') || url.includes('/api/sync/pull')) {
        return new Response(JSON.stringify({ error: 'unavailable', message: 'Service unavailable' }), {
          status: 503,
          headers: { 'content-type': 'application/json', ...(retryAfter ? { 'retry-after': retryAfter } : {}) },
        });
      }
      return globalThis.fetch(input, init);
    };
    const engine = createSyncEngine({ db, serverUrl: () => baseUrl, getToken: () => usableToken(db), lockName: null, fetch: fetch503 });
    try {
      const withHeader = await engine.syncNow();
      expect(withHeader.error).toMatchObject({ kind: 'busy', status: 503, retryAfterMs: 12_000 });
      retryAfter = null;
      const without = await engine.syncNow();
      expect(without.error).toMatchObject({ kind: 'busy', status: 503 });
      expect(without.error!.retryAfterMs).toBeUndefined();
      expect(describeSyncError(createTranslator('en'), without.error!)).toMatch(/busy; retrying shortly/);
    } finally {
      db.close();
    }
  });
});
