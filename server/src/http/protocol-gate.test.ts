/**
 * The sync protocol version gate on every backend: the server announces its protocol on every
 * /api answer; an app below GUANMO_MIN_SYNC_PROTOCOL gets 426 with what to update to and nothing
 * it sent is stored; sign-in and server-info stay open; the current app syncs as before.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appUpdateRequiredSchema,
  LEGACY_SYNC_PROTOCOL,
  MIN_SYNC_PROTOCOL_HEADER,
  SYNC_PROTOCOL_HEADER,
  SYNC_PROTOCOL_VERSION,
} from '@shared/sync/protocol-version';
import { serverInfoSchema } from '@shared/sync/server-info';
import { ConfigError, loadConfig } from '../config.js';
import { getRecord } from '../db/records.js';
import { createSignedInUser } from '../test-support/auth-fixtures.js';
import { testBackends, type TestDatabase } from '../test-support/backends.js';
import { createCapturedApp } from '../test-support/server-fixtures.js';
import { buildTestTour, SyncClient, tourMutations } from '../test-support/sync-client.js';
import { isGatedPath } from './protocol-gate.js';

const current = { [SYNC_PROTOCOL_HEADER]: String(SYNC_PROTOCOL_VERSION) };
const previous = { [SYNC_PROTOCOL_HEADER]: String(SYNC_PROTOCOL_VERSION - 1) };

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`the protocol gate on ${backend.kind}`, () => {
    let database: TestDatabase;
    const toClose: Array<() => Promise<void>> = [];

    beforeEach(async () => {
      database = await backend.create();
    });
    afterEach(async () => {
      for (const close of toClose.splice(0).reverse()) await close();
      await database.cleanup();
    });

    async function start(extraEnv: Record<string, string> = {}) {
      const guanmo = await createCapturedApp({ ...database.env, GUANMO_STATIC_DIR: path.join(database.dataDir, 'none'), GUANMO_LOG_LEVEL: 'error', ...extraEnv });
      toClose.push(guanmo.close);
      const sec = await createSignedInUser(guanmo.app, guanmo.db, { username: 'sec', role: 'secretariat' });
      return { guanmo, sec, client: new SyncClient(guanmo.app, sec.token) };
    }

    it('by default serves apps without the header (older than the gate) and apps of this protocol, and says its protocol', async () => {
      const { guanmo, sec, client } = await start();
      const t = buildTestTour('tour-a', []);
      const legacy = await guanmo.app.inject({ method: 'POST', url: '/api/sync/push', headers: sec.headers, payload: { clientId: client.clientId, mutations: tourMutations(client, t) } });
      expect(legacy.statusCode).toBe(200);
      expect(legacy.headers[SYNC_PROTOCOL_HEADER]).toBe(String(SYNC_PROTOCOL_VERSION));
      expect(legacy.headers[MIN_SYNC_PROTOCOL_HEADER]).toBe(String(LEGACY_SYNC_PROTOCOL));
      const pull = await guanmo.app.inject({ method: 'GET', url: '/api/sync/pull', headers: { ...sec.headers, ...current } });
      expect(pull.statusCode).toBe(200);
      expect(pull.headers[SYNC_PROTOCOL_HEADER]).toBe(String(SYNC_PROTOCOL_VERSION));
    });

    it('answers 426 with the version to update to when the minimum is raised, and stores nothing the old app sent', async () => {
      const { guanmo, sec, client } = await start({ GUANMO_MIN_SYNC_PROTOCOL: String(SYNC_PROTOCOL_VERSION), GUANMO_MIN_APP_VERSION: '0.2.0' });
      const t = buildTestTour('tour-old', []);
      const mutations = tourMutations(client, t);
      for (const headers of [sec.headers, { ...sec.headers, ...previous }]) {
        const push = await guanmo.app.inject({ method: 'POST', url: '/api/sync/push', headers, payload: { clientId: client.clientId, mutations } });
        expect(push.statusCode).toBe(426);
        expect(push.headers['cache-control']).toBe('no-store');
        const body = appUpdateRequiredSchema.parse(push.json());
        expect(body).toEqual({
          error: 'app_update_required',
          message: expect.stringContaining('0.2.0'),
          appProtocol: LEGACY_SYNC_PROTOCOL,
          minProtocol: SYNC_PROTOCOL_VERSION,
          serverProtocol: SYNC_PROTOCOL_VERSION,
          minAppVersion: '0.2.0',
        });
        const pull = await guanmo.app.inject({ method: 'GET', url: '/api/sync/pull', headers });
        expect(pull.statusCode).toBe(426);
        const users = await guanmo.app.inject({ method: 'GET', url: '/api/users', headers });
        expect(users.statusCode).toBe(426);
      }
      expect(await getRecord(guanmo.db, 'tours', 'tour-old')).toBeNull();

      // sign-in and server-info stay open, so the old app can say what to update to
      const login = await guanmo.app.inject({ method: 'POST', url: '/api/auth/login', headers: previous, payload: { username: 'sec', password: sec.password } });
      expect(login.statusCode).toBe(200);
      const info = serverInfoSchema.parse((await guanmo.app.inject({ method: 'GET', url: '/api/server-info', headers: previous })).json());
      expect(info).toMatchObject({ syncProtocol: SYNC_PROTOCOL_VERSION, minSyncProtocol: SYNC_PROTOCOL_VERSION, minAppVersion: '0.2.0' });

      // the updated app sends the same outbox, untouched, and it is applied once
      const push = await guanmo.app.inject({ method: 'POST', url: '/api/sync/push', headers: { ...sec.headers, ...current }, payload: { clientId: client.clientId, mutations } });
      expect(push.statusCode).toBe(200);
      expect((push.json() as { results: Array<{ status: string }> }).results.every((r) => r.status === 'applied')).toBe(true);
      expect(await getRecord(guanmo.db, 'tours', 'tour-old')).not.toBeNull();
    });

    it('refuses a malformed protocol header as bad input (400), never a 5xx', async () => {
      const { guanmo, sec } = await start();
      for (const value of ['two', '0', '-1', '99999', '2.5', '']) {
        const res = await guanmo.app.inject({ method: 'GET', url: '/api/sync/pull', headers: { ...sec.headers, [SYNC_PROTOCOL_HEADER]: value } });
        expect(res.statusCode, value).toBe(400);
        expect(res.json()).toMatchObject({ error: 'bad_request' });
      }
    });

    it('lets a desktop app (app://guanmo) send the header and read the answer across origins', async () => {
      const { guanmo } = await start();
      const preflight = await guanmo.app.inject({
        method: 'OPTIONS',
        url: '/api/sync/pull',
        headers: { origin: 'app://guanmo', 'access-control-request-method': 'GET', 'access-control-request-headers': SYNC_PROTOCOL_HEADER },
      });
      expect(preflight.statusCode).toBe(204);
      expect(preflight.headers['access-control-allow-headers']).toContain(SYNC_PROTOCOL_HEADER);
      const info = await guanmo.app.inject({ method: 'GET', url: '/api/server-info', headers: { origin: 'app://guanmo' } });
      expect(info.headers['access-control-expose-headers']).toContain(SYNC_PROTOCOL_HEADER);
    });
  });
}

describe('the gate configuration', () => {
  it('gates data routes, never sign-in, server-info, health or map tiles', () => {
    for (const url of ['/api/sync/push', '/api/sync/pull?cursor=1', '/api/uploads/abc', '/api/blobs/ab', '/api/tours/t/rankings', '/api/sheets/x/reopen', '/api/users', '/api/audit']) {
      expect(isGatedPath(url), url).toBe(true);
    }
    for (const url of ['/api/auth/login', '/api/server-info', '/api/health', '/api/maps/tiles/a/1/2/3', '/api/usersx']) expect(isGatedPath(url), url).toBe(false);
  });

  it('takes GUANMO_MIN_SYNC_PROTOCOL from 1 to the protocol this server speaks, and a dotted GUANMO_MIN_APP_VERSION', () => {
    expect(loadConfig({}).versionGate.minSyncProtocol).toBe(LEGACY_SYNC_PROTOCOL);
    expect(loadConfig({ GUANMO_MIN_SYNC_PROTOCOL: String(SYNC_PROTOCOL_VERSION) }).versionGate.minSyncProtocol).toBe(SYNC_PROTOCOL_VERSION);
    expect(() => loadConfig({ GUANMO_MIN_SYNC_PROTOCOL: String(SYNC_PROTOCOL_VERSION + 1) })).toThrow(ConfigError);
    expect(() => loadConfig({ GUANMO_MIN_SYNC_PROTOCOL: '0' })).toThrow(/GUANMO_MIN_SYNC_PROTOCOL/);
    expect(() => loadConfig({ GUANMO_MIN_APP_VERSION: 'latest' })).toThrow(/GUANMO_MIN_APP_VERSION/);
    expect(loadConfig({ GUANMO_MIN_APP_VERSION: '0.3.1' }).versionGate.minAppVersion).toBe('0.3.1');
  });
});
