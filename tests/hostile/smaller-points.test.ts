/**
 * Issue 14 item 10, the smaller points:
 * - the pull cursor is sealed (server/src/sync/cursor-seal.ts): a client cannot watch the
 *   server-wide change log advance and learn when others write; an older plain cursor still works;
 * - source maps are never served;
 * - /api/health tells an anonymous caller only whether the server works; version, database and
 *   uptime go to monitoring (GUANMO_HEALTH_TOKEN) and signed-in staff;
 * - the desktop app warns and asks before plain http to a public address (loopback and private
 *   networks as before), and has no DevTools in a packaged build.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPlainHttpOnPublicAddress } from '@shared/sync/server-address';
import { createServerSettings } from '../../electron/config/server-settings';
import { openSettingsStore } from '../../electron/config/settings-store';
import { mainWindowWebPreferences } from '../../electron/window/web-preferences';
import { testBackends, type TestDatabase } from '../../server/src/test-support/backends';
import { writeFakeRendererBuild } from '../../server/src/test-support/server-fixtures';
import { buildSheet, buildTestTour, tourMutations, type SyncClient } from '../../server/src/test-support/sync-client';
import { laptopOf, newTally, startHostileServer, writeTally, type HostileServer } from './support/hostile-server';

const monitoring = 'hostile-monitoring-token';
const tourId = 'tour-small';

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`smaller points on ${backend.kind}`, () => {
    const tally = newTally();
    let database: TestDatabase;
    let s: HostileServer;
    let sec: { token: string; client: SyncClient };
    let s1: { id: string; token: string; client: SyncClient };
    let s2: { id: string; token: string; client: SyncClient };
    let siteDir: string;

    beforeAll(async () => {
      database = await backend.create();
      siteDir = path.join(database.dataDir, 'site');
      const { hashedAsset } = await writeFakeRendererBuild(siteDir);
      await fs.writeFile(path.join(siteDir, `${hashedAsset}.map`), '{"version":3,"sources":["secret.ts"],"sourcesContent":["// the whole source"]}');
      s = await startHostileServer(database, backend.kind, tally, { GUANMO_HEALTH_TOKEN: monitoring, GUANMO_STATIC_DIR: siteDir });
      sec = await laptopOf(s, 'sec', 'secretariat');
      s1 = await laptopOf(s, 'scorer1', 'scorer');
      s2 = await laptopOf(s, 'scorer2', 'scorer');
      await sec.client.pushOk(tourMutations(sec.client, buildTestTour(tourId, [{ userId: s1.id, name: '甲' }, { userId: s2.id, name: '乙' }])));
    }, 60_000);
    afterAll(async () => {
      await s.close();
      await database.cleanup();
      writeTally('smaller-points', backend.kind, tally);
    }, 60_000);

    const pull = async (who: { token: string }, cursor?: string) => {
      const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
      const response = await s.server.app.inject({ method: 'GET', url: `/api/sync/pull${query}`, headers: { authorization: `Bearer ${who.token}` } });
      expect(response.statusCode).toBe(200);
      return response.json() as { changes: Array<{ id: string }>; cursor: string; hasMore: boolean };
    };

    it('the pull cursor says nothing about other people\'s writes', async () => {
      let page = await pull(s1);
      while (page.hasMore) page = await pull(s1, page.cursor);
      const quiet = await pull(s1, page.cursor);
      // another scorer scores (blind to s1): s1's next pull looks exactly like one after nothing
      await s2.client.pushOk([s2.client.mutation('sheets', tourId, buildSheet(tourId, `${tourId}-s1`, `${tourId}-p2`, { progress: 30, quality: null, benefit: null }))]);
      const afterWrite = await pull(s1, quiet.cursor);
      const again = await pull(s1, quiet.cursor);
      for (const answer of [quiet, afterWrite, again]) {
        expect(answer.changes).toEqual([]);
        expect(answer.hasMore).toBe(false);
        expect(answer.cursor).not.toMatch(/^\d+\.\d+$/);
      }
      // every answer carries a different cursor, write or no write
      expect(new Set([quiet.cursor, afterWrite.cursor, again.cursor]).size).toBe(3);
      expect(afterWrite.cursor.length).toBe(quiet.cursor.length);
      // sealed cursors cannot be made up or edited
      const edited = `${afterWrite.cursor.slice(0, -2)}${afterWrite.cursor.endsWith('A') ? 'B' : 'A'}A`;
      for (const forged of [edited, 'c1.AAAA', '999999.999999999']) {
        const response = await s.server.app.inject({ method: 'GET', url: `/api/sync/pull?cursor=${encodeURIComponent(forged)}`, headers: { authorization: `Bearer ${s1.token}` } });
        if (forged === '999999.999999999') expect(response.statusCode).toBe(200); // an older server's plain cursor: still accepted
        else expect(response.json()).toMatchObject({ error: 'invalid_cursor' });
      }
      // and the next change s1 may see arrives after the sealed cursor
      await sec.client.pushOk([sec.client.change('stops', tourId, `${tourId}-s1`, { briefer: '王主任' })]);
      expect((await pull(s1, afterWrite.cursor)).changes.map((c) => c.id)).toEqual([`${tourId}-s1`]);
    });

    it('serves the app but never its source maps', async () => {
      const site = await fetch(new URL('assets/index-Ab12Cd34.js', s.url));
      expect(site.status).toBe(200);
      for (const url of ['assets/index-Ab12Cd34.js.map', 'assets/index-Ab12Cd34.js.m%61p', 'assets/index-Ab12Cd34.js.MAP']) {
        const response = await fetch(new URL(url, s.url));
        expect(response.status, url).toBe(404);
        expect(await response.text(), url).not.toContain('sourcesContent');
      }
    });

    it('health: anonymous callers learn only whether it works; monitoring and staff get the details', async () => {
      const anonymous = await fetch(new URL('api/health', s.url));
      expect(await anonymous.json()).toEqual({ ok: true, status: 'ok' });
      const asScorer = await fetch(new URL('api/health', s.url), { headers: { authorization: `Bearer ${s1.token}` } });
      expect(await asScorer.json()).toEqual({ ok: true, status: 'ok' });
      for (const headers of [{ 'x-monitoring-token': monitoring }, { authorization: `Bearer ${sec.token}` }] as Array<Record<string, string>>) {
        const detailed = (await (await fetch(new URL('api/health', s.url), { headers })).json()) as Record<string, unknown>;
        expect(detailed).toMatchObject({ ok: true, status: 'ok', service: 'guanmo-server', db: backend.kind });
        expect(typeof detailed.version).toBe('string');
        expect(typeof detailed.uptime).toBe('number');
      }
    });
  });
}

describe('the desktop app', () => {
  it('asks before plain http to a public address; loopback and private networks as before', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-hostile-settings-'));
    try {
      const settings = createServerSettings({ store: openSettingsStore(dir), envValue: undefined, log: () => undefined });
      for (const url of ['http://127.0.0.1:8787', 'http://192.168.1.10:8787', 'https://guanmo.example.cn']) expect((await settings.set(url)).savedServerUrl).toBe(url);
      await expect(settings.set('http://guanmo.example.cn')).rejects.toMatchObject({ code: 'needs-confirmation' });
      expect(isPlainHttpOnPublicAddress('http://203.0.113.7:8787')).toBe(true);
      expect((await settings.set('http://203.0.113.7:8787', { allowPlainHttp: true })).savedServerUrl).toBe('http://203.0.113.7:8787');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('has no DevTools in a packaged build', () => {
    expect(mainWindowWebPreferences('/app/preload.cjs', { isPackaged: true }).devTools).toBe(false);
  });
});
