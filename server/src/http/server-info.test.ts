/**
 * GET /api/server-info on every database backend: public, minimal, and `demo` true only while the
 * server runs the demo (GUANMO_DEMO and the demo tours stored).
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverInfoSchema } from '@shared/sync/server-info';
import { LEGACY_SYNC_PROTOCOL, SYNC_PROTOCOL_VERSION } from '@shared/sync/protocol-version';
import { serverVersion } from '../version.js';
import { getRecord, serverOrigin, writeRecord } from '../db/records.js';
import { testBackends, type TestDatabase } from '../test-support/backends.js';
import { createCapturedApp, startCapturedServer } from '../test-support/server-fixtures.js';

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`GET /api/server-info on ${backend.kind}`, () => {
    let database: TestDatabase;
    let env: Record<string, string>;
    const toClose: Array<() => Promise<void>> = [];

    beforeEach(async () => {
      database = await backend.create();
      env = { ...database.env, GUANMO_STATIC_DIR: path.join(database.dataDir, 'no-renderer') };
    });
    afterEach(async () => {
      for (const close of toClose.splice(0).reverse()) await close();
      await database.cleanup();
    });

    async function app(extraEnv: Record<string, string> = {}) {
      const created = await createCapturedApp({ ...env, ...extraEnv });
      toClose.push(created.close);
      return created;
    }

    async function info(a: Awaited<ReturnType<typeof app>>) {
      const res = await a.app.inject({ method: 'GET', url: '/api/server-info' });
      expect(res.statusCode).toBe(200);
      return res.json() as unknown;
    }

    it('says no demo on a real deployment, to anyone, over a real socket, and nothing more', async () => {
      const server = await startCapturedServer(env);
      toClose.push(server.close);
      // no Authorization header: the app asks before anyone has signed in
      const res = await fetch(new URL('api/server-info', server.url));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toEqual({ service: 'guanmo-server', demo: false, syncProtocol: SYNC_PROTOCOL_VERSION, minSyncProtocol: LEGACY_SYNC_PROTOCOL, minAppVersion: serverVersion, version: serverVersion });
      expect(serverInfoSchema.parse(body)).toEqual(body);
    });

    it('says demo when GUANMO_DEMO loaded the demo tours, and again after a restart', async () => {
      const first = await app({ GUANMO_DEMO: '1' });
      expect(first.bootstrap.demo?.tours).toBe(2);
      expect(await info(first)).toMatchObject({ service: 'guanmo-server', demo: true });
      await first.close();
      const second = await app({ GUANMO_DEMO: '1' });
      expect(second.bootstrap.demo).toBeNull();
      expect(await info(second)).toMatchObject({ service: 'guanmo-server', demo: true });
      await second.close();
      // the same data without GUANMO_DEMO: the operator turned the demo off
      const third = await app();
      expect(await info(third)).toMatchObject({ service: 'guanmo-server', demo: false });
    });

    it('says no demo when GUANMO_DEMO meets a data folder that already holds real tours (the demo was never loaded)', async () => {
      const first = await app();
      await first.db.transaction().execute((trx) =>
        writeRecord(
          trx,
          { collection: 'tours', id: 'real-tour', tourId: 'real-tour', data: { id: 'real-tour', name: '市重点项目观摩' }, versions: {}, deleted: false },
          serverOrigin,
        ),
      );
      await first.close();
      const second = await app({ GUANMO_DEMO: '1' });
      expect(second.bootstrap.demo).toBeNull();
      expect(await getRecord(second.db, 'tours', 'demo-chongchuan-2021')).toBeNull();
      expect(await info(second)).toMatchObject({ service: 'guanmo-server', demo: false });
    });

    it('stops saying demo once the demo tours are deleted', async () => {
      const a = await app({ GUANMO_DEMO: '1' });
      expect(await info(a)).toMatchObject({ demo: true });
      for (const id of ['demo-chongchuan-2021', 'demo-shanting-2021']) {
        const tour = (await getRecord(a.db, 'tours', id))!;
        await a.db.transaction().execute((trx) => writeRecord(trx, { ...tour, deleted: true }, serverOrigin));
      }
      expect(await info(a)).toMatchObject({ demo: false });
    });
  });
}
