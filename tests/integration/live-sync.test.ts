/**
 * The app's sync engine with the live channel, against the REAL server (in-process, SQLite,
 * listening on a loopback port), laptops as fake-indexeddb Dexie databases: the secretariat's
 * engine, with a period far too long to matter, receives a scorer's sheet because the server
 * announced it; a reopened sheet reaches the scorer's laptop the same way; without the route
 * (an older server) the engine falls back to its periodic rounds; after a server restart the
 * stream comes back by itself.
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sheetId } from '@shared/domain/schemas';
import type { RunningServer } from '../../server/src/app';
import { createTestUser, signIn as serverSignIn } from '../../server/src/test-support/auth-fixtures';
import { makeTempDir } from '../../server/src/test-support/backends';
import { startCapturedServer } from '../../server/src/test-support/server-fixtures';
import { buildTestTour, SyncClient, tourMutations } from '../../server/src/test-support/sync-client';
import type { GuanmoDb } from '../../renderer/src/db/guanmo-db';
import { ensureClientId } from '../../renderer/src/db/meta-repo';
import { submitSheet } from '../../renderer/src/db/sheets-repo';
import { createSyncEngine } from '../../renderer/src/sync/sync-engine';
import { signIn, usableToken } from '../../renderer/src/sync/session-store';
import type { SyncEngine, SyncEngineOptions } from '../../renderer/src/sync/sync-types';
import { createTestDb } from '../../renderer/src/test-support/test-db';

const HOUR = 3_600_000;
let dataDir: string;
let port: number;
let server: RunningServer;
let baseUrl: string;
let sec: SyncClient;
const users: Record<string, { id: string; password: string }> = {};
const engines: SyncEngine[] = [];
let tourSeq = 0;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port: p } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(p));
    });
  });
}

const startOn = (p: number) => startCapturedServer({ GUANMO_DATA_DIR: dataDir, GUANMO_LOG_LEVEL: 'error', GUANMO_PORT: String(p) });

beforeAll(async () => {
  dataDir = await makeTempDir('guanmo-live-sync-');
  port = await freePort();
  server = await startOn(port);
  baseUrl = server.url.replace(/\/$/, '');
  for (const [username, role] of [['sec', 'secretariat'], ['s1', 'scorer'], ['s2', 'scorer']] as const) {
    const user = await createTestUser(server.db, { username, role, displayName: username });
    users[username] = { id: user.id, password: user.password };
  }
  sec = new SyncClient(server.app, await serverSignIn(server.app, 'sec'));
}, 60_000);

afterEach(() => {
  for (const engine of engines.splice(0)) engine.stop();
});

afterAll(async () => {
  await server?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function newTour() {
  const tourId = `tour-live-${++tourSeq}`;
  const t = buildTestTour(tourId, [
    { userId: users.s1!.id, name: '评委甲' },
    { userId: users.s2!.id, name: '评委乙' },
  ]);
  await sec.pushOk(tourMutations(sec, t));
  return { tourId, stop: (n: number) => `${tourId}-s${n}`, p1: `${tourId}-p1` };
}

interface Laptop {
  db: GuanmoDb;
  engine: SyncEngine;
  userId: string;
  /** paths of the requests this laptop made, in order */
  requests: string[];
}

/** A signed-in laptop whose engine runs (live channel on, periodic rounds hourly unless given). */
async function laptop(username: string, options: Partial<SyncEngineOptions> = {}): Promise<Laptop> {
  const db = createTestDb({ factory: new IDBFactory(), name: 'guanmo' });
  await db.open();
  await ensureClientId(db);
  await signIn(db, baseUrl, username, users[username]!.password);
  const requests: string[] = [];
  const fetchFn = options.fetch ?? fetch;
  const engine = createSyncEngine({
    db,
    serverUrl: () => baseUrl,
    getToken: () => usableToken(db),
    lockName: null,
    live: true,
    periodMs: HOUR,
    livePeriodMs: HOUR,
    backoffBaseMs: 200,
    ...options,
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      requests.push(new URL(String(input)).pathname);
      return fetchFn(input, init);
    }) as typeof fetch,
  });
  engines.push(engine);
  return { db, engine, userId: users[username]!.id, requests };
}

const waitLive = (l: Laptop) => vi.waitFor(() => expect(l.engine.getStatus().live).toBe('live'), { timeout: 15_000 });

describe('the live channel in the sync engine', () => {
  it("the desk receives a scorer's sheet without a periodic round, and the scorer the secretariat's reopen", async () => {
    const { tourId, stop, p1 } = await newTour();
    const desk = await laptop('sec');
    const scorer = await laptop('s1');
    desk.engine.start();
    scorer.engine.start();
    await waitLive(desk);
    await waitLive(scorer);
    await vi.waitFor(async () => expect(await scorer.db.stops.where('tourId').equals(tourId).count()).toBe(4), { timeout: 15_000 });
    // the round after hello has run: the next periodic round is an hour away, no polling to lean on
    await vi.waitFor(() => expect(desk.engine.getStatus().nextRunAt! - Date.now()).toBeGreaterThan(HOUR / 2));

    await submitSheet(scorer.db, { tourId, stopId: stop(1), userId: scorer.userId }, { progress: '35', quality: '25', benefit: '28' });
    const id = sheetId(tourId, stop(1), p1);
    // the scorer's engine pushes (after its short debounce); the desk hears of it and pulls
    await vi.waitFor(async () => expect(await desk.db.sheets.get(id)).toMatchObject({ status: 'submitted' }), { timeout: 15_000 });

    const reopened = await server.app.inject({ method: 'POST', url: `/api/sheets/${encodeURIComponent(id)}/reopen`, headers: sec.headers, payload: { reason: '请核对' } });
    expect(reopened.statusCode).toBe(200);
    await vi.waitFor(async () => expect(await scorer.db.sheets.get(id)).toMatchObject({ status: 'reopened' }), { timeout: 15_000 });
    expect(scorer.engine.getStatus().live).toBe('live');
  }, 60_000);

  it('falls back to periodic rounds against a server without the live channel', async () => {
    const { tourId } = await newTour();
    const olderServer: typeof fetch = async (input, init) => {
      if (new URL(String(input)).pathname === '/api/sync/live') return new Response('{"error":"not_found","message":"No API route"}', { status: 404, headers: { 'content-type': 'application/json' } });
      return fetch(input, init);
    };
    const a = await laptop('s2', { fetch: olderServer, periodMs: 300, livePeriodMs: HOUR });
    a.engine.start();
    await vi.waitFor(() => expect(a.engine.getStatus().live).toBe('unavailable'), { timeout: 15_000 });
    const pullsBefore = a.requests.filter((p) => p === '/api/sync/pull').length;
    await sec.pushOk([sec.change('stops', tourId, `${tourId}-s2`, { name: '定时刷新也能收到' })]);
    await vi.waitFor(async () => expect((await a.db.stops.get(`${tourId}-s2`))?.name).toBe('定时刷新也能收到'), { timeout: 15_000 });
    expect(a.requests.filter((p) => p === '/api/sync/pull').length).toBeGreaterThan(pullsBefore);
    // one try at the live route, not a loop
    expect(a.requests.filter((p) => p === '/api/sync/live')).toHaveLength(1);
  }, 60_000);

  it('reconnects after the server restarts, and hears changes again', async () => {
    const { tourId } = await newTour();
    const a = await laptop('s2');
    a.engine.start();
    await waitLive(a);
    await server.close();
    await vi.waitFor(() => expect(a.engine.getStatus().live).not.toBe('live'), { timeout: 15_000 });
    server = await startOn(port);
    sec = new SyncClient(server.app, sec.token);
    await waitLive(a);
    await sec.pushOk([sec.change('stops', tourId, `${tourId}-s3`, { name: '重启之后' })]);
    await vi.waitFor(async () => expect((await a.db.stops.get(`${tourId}-s3`))?.name).toBe('重启之后'), { timeout: 15_000 });
  }, 60_000);
});
