/**
 * Maps on the real server, on SQLite and (when GUANMO_TEST_DATABASE_URL is set) PostgreSQL: the
 * sources and the tile proxy, pack builds from a local tile server (HTTP and CLI), the pack file
 * by range, imports, the OSM refusal, resuming a killed build, the pace of upstream requests,
 * and keys never leaving the server. Every tile comes from 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import type { LightMyRequestResponse } from 'fastify';
import { PMTiles, type Source } from 'pmtiles';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tilePackStatusSchema, mapSourcesResponseSchema, type TilePackStatus } from '@shared/maps/pack-protocol';
import { planPackTiles } from '@shared/maps/pack-tiles';
import { writePmtilesArchive } from '@shared/maps/pmtiles-writer';
import { buildServer } from '../../build.mjs';
import type { GuanmoApp } from '../app.js';
import { runTilesCommand } from '../cli/tiles-command.js';
import { serverPackageDir } from '../config.js';
import { createSignedInUser } from '../test-support/auth-fixtures.js';
import { testBackends, type TestDatabase } from '../test-support/backends.js';
import { seedMapTour, smallTourStops, writeMapSources } from '../test-support/map-fixtures.js';
import { createCapturedApp } from '../test-support/server-fixtures.js';
import { drawTile, startTileServer, type TileServer } from '../test-support/tile-server.js';
import { claimBuild } from './build-state.js';
import { PackFiles, tilePacksDir } from './pack-store.js';
import { tileCacheDirName } from './tile-cache.js';

const TIANDITU_KEY = 'tdtKEY-5f3c9a1e7b2d4c6f8a0e';
const CITY_TOKEN = 'city-token-91b7e2c4d6f8';
const tourId = 'tour-map';
/** the sea east of 日照's coast: one identical tile, stored once */
const isSea = (lng: number) => lng > 119.6;

class BytesSource implements Source {
  constructor(private readonly bytes: Uint8Array) {}
  getKey() {
    return 'memory';
  }
  async getBytes(offset: number, length: number) {
    return { data: this.bytes.slice(offset, offset + length).buffer };
  }
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function mapSourcesFor(tiles: TileServer, rate = 200) {
  return {
    organisation: 'Guanmo Test Office',
    contact: 'ops@example.test',
    defaultSource: 'local',
    sources: [
      { id: 'local', type: 'xyz', url: tiles.template, packs: true, rate, name: '本单位地图服务', attribution: '© 测试底图' },
      { id: 'osm', type: 'osm' },
      { id: 'osm-mirror', type: 'xyz', url: 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png', subdomains: ['a', 'b', 'c'] },
      { id: 'tdt', type: 'tianditu', key: TIANDITU_KEY },
      { id: 'city', type: 'xyz', url: `${tiles.template}?token=\${CITY_TOKEN}`, packs: true, rate: 200, headers: { 'X-Token': '${CITY_TOKEN}' } },
    ],
  };
}

let bundle: string;
const bundleDir = path.join(serverPackageDir, 'dist', `.test-tiles-${process.pid}-${randomBytes(3).toString('hex')}`);
beforeAll(async () => {
  bundle = await buildServer({ outfile: path.join(bundleDir, 'main.js'), logLevel: 'silent' });
});
afterAll(async () => {
  await fs.rm(bundleDir, { recursive: true, force: true });
});

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`maps on ${backend.kind}`, () => {
    let database: TestDatabase;
    let tiles: TileServer;
    let guanmo: GuanmoApp;
    let env: Record<string, string>;
    /** upstream requests that would have left the machine (天地图, OSM): answered here */
    let outside: string[];
    let outsideStatus: number;
    const responses: LightMyRequestResponse[] = [];

    const mapFetch: typeof fetch = async (input, init) => {
      const url = String(input);
      if (url.startsWith('http://127.0.0.1')) return fetch(input, init);
      outside.push(url);
      if (outsideStatus !== 200) return new Response(`<error>bad key ${url}</error>`, { status: outsideStatus });
      return new Response(new Uint8Array(drawTile(3, 1, 1)), { status: 200, headers: { 'content-type': 'image/png' } });
    };

    beforeEach(async () => {
      database = await backend.create();
      tiles = await startTileServer({ isSea: (lng) => isSea(lng) });
      outside = [];
      outsideStatus = 200;
      responses.length = 0;
      env = { ...database.env, CITY_TOKEN };
      await writeMapSources(database.dataDir, mapSourcesFor(tiles));
      guanmo = await createCapturedApp(env, { mapFetch });
    });
    afterEach(async () => {
      await guanmo?.close();
      await tiles?.close();
      await database?.cleanup();
    });

    async function get(url: string, headers: Record<string, string> = {}) {
      const response = await guanmo.app.inject({ method: 'GET', url, headers });
      responses.push(response);
      return response;
    }
    async function post(url: string, headers: Record<string, string>, payload?: unknown) {
      const response = await guanmo.app.inject({ method: 'POST', url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
      responses.push(response);
      return response;
    }
    async function people() {
      const staff = await createSignedInUser(guanmo.app, guanmo.db, { username: 'secretariat', role: 'secretariat' });
      const member = await createSignedInUser(guanmo.app, guanmo.db, { username: 'member', role: 'observer' });
      const outsider = await createSignedInUser(guanmo.app, guanmo.db, { username: 'outsider', role: 'scorer' });
      await seedMapTour(guanmo.db, { tourId, stops: smallTourStops, participantUserIds: [member.id] });
      return { staff, member, outsider };
    }
    async function waitForBuild(headers: Record<string, string>): Promise<{ final: TilePackStatus; seen: TilePackStatus[] }> {
      const seen: TilePackStatus[] = [];
      for (let i = 0; i < 600; i++) {
        const status = tilePackStatusSchema.parse((await get(`/api/tours/${tourId}/tile-pack`, headers)).json());
        seen.push(status);
        if (status.build && (status.build.state === 'done' || status.build.state === 'failed')) return { final: status, seen };
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('the build did not finish');
    }
    function cli(argv: string[], extra: Record<string, string> = {}) {
      let out = '';
      let err = '';
      return runTilesCommand(argv, { out: (t) => void (out += t), err: (t) => void (err += t), env: { ...env, GUANMO_LOG_LEVEL: 'silent', ...extra }, cwd: database.dataDir, fetch: mapFetch }).then((code) => ({ code, out, err }));
    }

    it('lists the sources without URLs or keys, and proxies tiles through its cache', async () => {
      const { member } = await people();
      expect((await get('/api/maps/sources')).statusCode).toBe(401);
      const listed = mapSourcesResponseSchema.parse((await get('/api/maps/sources', member.headers)).json());
      expect(listed.defaultSourceId).toBe('local');
      expect(listed.sources.map((s) => [s.id, s.coordSystem, s.packs])).toEqual([
        ['local', 'wgs84', true],
        ['osm', 'wgs84', false],
        ['osm-mirror', 'wgs84', false],
        ['tdt', 'wgs84', false],
        ['city', 'wgs84', true],
      ]);

      const tile = await get('/api/maps/tiles/local/12/3407/1631', member.headers);
      expect(tile.statusCode).toBe(200);
      expect(tile.headers['content-type']).toBe('image/png');
      expect(tile.rawPayload.equals(drawTile(12, 3407, 1631))).toBe(true);
      expect(tiles.requests).toHaveLength(1);
      expect(tiles.requests[0]!.userAgent).toMatch(/^Guanmo\/\S+ \(.*Guanmo Test Office; ops@example\.test\)$/);
      // again: from the server's cache, the tile server is not asked
      expect((await get('/api/maps/tiles/local/12/3407/1631', member.headers)).rawPayload.equals(tile.rawPayload)).toBe(true);
      expect(tiles.requests).toHaveLength(1);
      await expect(fs.readdir(path.join(database.dataDir, tileCacheDirName))).resolves.toHaveLength(1);

      // never an open proxy: configured sources and real tiles only
      expect((await get('/api/maps/tiles/local/12/3407/1631')).statusCode).toBe(401);
      expect((await get('/api/maps/tiles/nope/1/0/0', member.headers)).json()).toMatchObject({ error: 'unknown_source' });
      for (const bad of ['/api/maps/tiles/local/19/0/0', '/api/maps/tiles/local/3/8/0', '/api/maps/tiles/local/3/0/8', '/api/maps/tiles/local/a/0/0', '/api/maps/tiles/local/3/-1/0', '/api/maps/tiles/local/3/1/1.5']) {
        const response = await get(bad, member.headers);
        expect(response.statusCode, bad).toBe(400);
        expect(response.json(), bad).toMatchObject({ error: 'invalid_tile' });
      }
      expect((await get('/api/maps/tiles/..%2F..%2Fetc/1/0/0', member.headers)).statusCode).toBe(400);
      expect(tiles.requests).toHaveLength(1);

      // upstream trouble in the API's error shape
      tiles.options = { ...tiles.options, failWith: (z) => (z === 5 ? 500 : null), isMissing: (z) => z === 6 };
      const failing = await get('/api/maps/tiles/local/5/26/12', member.headers);
      expect(failing.statusCode).toBe(502);
      expect(failing.json()).toMatchObject({ error: 'upstream_unavailable' });
      expect(failing.body).not.toContain('127.0.0.1');
      const missing = await get('/api/maps/tiles/local/6/52/24', member.headers);
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ error: 'no_tile' });
    });

    it('builds a pack on the desk button, shows progress, and serves the file by range to participants', async () => {
      const { staff, member, outsider } = await people();
      // slow enough to watch the progress
      await writeMapSources(database.dataDir, mapSourcesFor(tiles, 25));
      await guanmo.close();
      guanmo = await createCapturedApp(env, { mapFetch });

      const before = await get(`/api/tours/${tourId}/tile-pack`, member.headers);
      expect(tilePackStatusSchema.parse(before.json())).toEqual({ pack: null, build: null });
      expect((await get(`/api/tours/${tourId}/tile-pack/file`, member.headers)).json()).toMatchObject({ error: 'no_pack' });
      expect((await post(`/api/tours/${tourId}/tile-pack/build`, member.headers, {})).statusCode).toBe(403);
      expect((await get(`/api/tours/${tourId}/tile-pack`, outsider.headers)).statusCode).toBe(404);

      const started = await post(`/api/tours/${tourId}/tile-pack/build`, staff.headers, { maxZoom: 10 });
      expect(started.statusCode).toBe(202);
      expect(tilePackStatusSchema.parse(started.json()).build?.state).toMatch(/queued|running/);
      // one build per tour at a time
      const again = await post(`/api/tours/${tourId}/tile-pack/build`, staff.headers, { maxZoom: 10 });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ error: 'build_running' });

      const { final, seen } = await waitForBuild(member.headers);
      expect(final.build).toMatchObject({ state: 'done', error: null });
      expect(seen.some((s) => s.build?.state === 'running' && s.build.done > 0 && s.build.done < s.build.total)).toBe(true);
      const plan = planPackTiles(
        smallTourStops.map((s, i) => ({ ...s, id: String(i) })),
        { maxZoom: 10, overviewMaxZoom: 10 },
      );
      const pack = final.pack!;
      expect(pack).toMatchObject({ tourId, sourceId: 'local', coordSystem: 'wgs84', attribution: '© 测试底图', tileType: 'png', minZoom: 0, maxZoom: 10, tileCount: plan.tiles.length });
      expect(final.build!.total).toBe(plan.tiles.length);
      expect(tiles.requests).toHaveLength(plan.tiles.length);

      // the file: whole, hashed as its name and ETag say, readable by the pmtiles reader
      const whole = await get(`/api/tours/${tourId}/tile-pack/file`, member.headers);
      expect(whole.statusCode).toBe(200);
      expect(whole.headers.etag).toBe(`"${pack.sha256}"`);
      expect(whole.headers['cache-control']).toContain('immutable');
      expect(whole.headers['accept-ranges']).toBe('bytes');
      const bytes = new Uint8Array(whole.rawPayload);
      expect(bytes.length).toBe(pack.size);
      expect(sha256(bytes)).toBe(pack.sha256);
      const reader = new PMTiles(new BytesSource(bytes));
      const header = await reader.getHeader();
      expect(header.numAddressedTiles).toBe(plan.tiles.length);
      // sea tiles: one stored content for all of them
      const seaTiles = plan.tiles.filter((t) => drawTile(t.z, t.x, t.y, { isSea: (lng) => isSea(lng) }).equals(drawTile(0, 0, 0, { isSea: () => true })));
      expect(seaTiles.length).toBeGreaterThan(1);
      expect(header.numTileContents).toBe(plan.tiles.length - seaTiles.length + 1);
      for (const t of plan.tiles.slice(0, 40)) {
        const got = await reader.getZxy(t.z, t.x, t.y);
        expect(Buffer.from(got!.data).equals(drawTile(t.z, t.x, t.y, { isSea: (lng) => isSea(lng) })), `${t.z}/${t.x}/${t.y}`).toBe(true);
      }
      expect(await reader.getMetadata()).toMatchObject({ attribution: '© 测试底图', coordSystem: 'wgs84' });

      // ranges: resuming a download
      const head = await get(`/api/tours/${tourId}/tile-pack/file`, { ...member.headers, range: 'bytes=0-126' });
      expect(head.statusCode).toBe(206);
      expect(head.headers['content-range']).toBe(`bytes 0-126/${pack.size}`);
      expect(head.rawPayload.equals(Buffer.from(bytes.subarray(0, 127)))).toBe(true);
      const tail = await get(`/api/tours/${tourId}/tile-pack/file`, { ...member.headers, range: `bytes=1000-`, 'if-range': `"${pack.sha256}"` });
      expect(tail.statusCode).toBe(206);
      expect(tail.rawPayload.equals(Buffer.from(bytes.subarray(1000)))).toBe(true);
      // a range of an older pack: the whole new file instead
      const stale = await get(`/api/tours/${tourId}/tile-pack/file`, { ...member.headers, range: 'bytes=1000-', 'if-range': `"${'0'.repeat(64)}"` });
      expect(stale.statusCode).toBe(200);
      expect(stale.rawPayload.length).toBe(pack.size);
      expect((await get(`/api/tours/${tourId}/tile-pack/file`, { ...member.headers, range: `bytes=${pack.size}-` })).statusCode).toBe(416);
      expect((await get(`/api/tours/${tourId}/tile-pack/file`, { ...member.headers, 'if-none-match': `"${pack.sha256}"` })).statusCode).toBe(304);
      // staff see it; people outside the tour do not
      expect((await get(`/api/tours/${tourId}/tile-pack/file`, staff.headers)).statusCode).toBe(200);
      const refused = await get(`/api/tours/${tourId}/tile-pack/file`, outsider.headers);
      expect(refused.statusCode).toBe(404);
      expect(refused.rawPayload.length).toBeLessThan(500);
      expect((await get(`/api/tours/${tourId}/tile-pack/file`)).statusCode).toBe(401);

      // a rebuild replaces the pack; the old file goes
      const firstFile = `${tourId}-${pack.sha256}.pmtiles`;
      expect(await fs.readdir(tilePacksDir(database.dataDir))).toEqual([firstFile]);
      tiles.requests.length = 0;
      expect((await post(`/api/tours/${tourId}/tile-pack/build`, staff.headers, { maxZoom: 11 })).statusCode).toBe(202);
      const rebuilt = await waitForBuild(member.headers);
      expect(rebuilt.final.build?.state).toBe('done');
      expect(rebuilt.final.pack!.sha256).not.toBe(pack.sha256);
      expect(rebuilt.final.pack!.maxZoom).toBe(11);
      // the z0–z10 tiles came from the cache: only z11 was fetched
      expect(tiles.requests.length).toBeGreaterThan(0);
      expect(tiles.requests.every((r) => r.z === 11)).toBe(true);
      expect(await fs.readdir(tilePacksDir(database.dataDir))).toEqual([`${tourId}-${rebuilt.final.pack!.sha256}.pmtiles`]);
      const newFile = await get(`/api/tours/${tourId}/tile-pack/file`, member.headers);
      expect(sha256(new Uint8Array(newFile.rawPayload))).toBe(rebuilt.final.pack!.sha256);
    });

    it('refuses to build from the public OpenStreetMap servers or a source not allowing packs, naming the alternatives', async () => {
      const { staff } = await people();
      for (const sourceId of ['osm', 'osm-mirror']) {
        const response = await post(`/api/tours/${tourId}/tile-pack/build`, staff.headers, { sourceId });
        expect(response.statusCode, sourceId).toBe(422);
        const body = response.json() as { error: string; message: string; messageZh: string };
        expect(body.error).toBe('pack_source_forbidden');
        expect(body.messageZh).toContain('禁止批量下载');
        expect(body.messageZh).toContain('本单位自己的瓦片服务器');
        expect(body.messageZh).toContain('天地图');
        expect(body.message).toContain('OpenStreetMap');
      }
      const tdt = await post(`/api/tours/${tourId}/tile-pack/build`, staff.headers, { sourceId: 'tdt' });
      expect(tdt.statusCode).toBe(422);
      expect((tdt.json() as { messageZh: string }).messageZh).toContain('未获准批量下载');
      const cliRun = await cli(['build', '--tour', tourId, '--source', 'osm', '--max-zoom', '10']);
      expect(cliRun.code).toBe(1);
      expect(cliRun.err).toContain('OpenStreetMap 公共瓦片服务器的使用条款禁止批量下载');
      expect(cliRun.err).toContain('guanmo-server tiles import');
      expect(outside).toEqual([]);
      expect(tiles.requests).toEqual([]);
      expect(tilePackStatusSchema.parse((await get(`/api/tours/${tourId}/tile-pack`, staff.headers)).json()).build).toBeNull();
      // a build elsewhere holds the tour: 409
      await claimBuild(guanmo.db, { tourId, owner: 'other-host/1/x', sourceId: 'local' });
      const busy = await post(`/api/tours/${tourId}/tile-pack/build`, staff.headers, { maxZoom: 10 });
      expect(busy.statusCode).toBe(409);
      expect((await cli(['build', '--tour', tourId, '--max-zoom', '10'])).err).toContain('正在生成');
    });

    it('never shows a key or a token in any answer', async () => {
      const { staff, member } = await people();
      await get('/api/maps/sources', member.headers);
      expect((await get('/api/maps/tiles/tdt/3/6/3', member.headers)).statusCode).toBe(200);
      expect(outside.some((url) => url.includes(TIANDITU_KEY))).toBe(true);
      // 天地图 refusing the key, and answering XML that quotes it
      outsideStatus = 403;
      const refused = await get('/api/maps/tiles/tdt/4/13/6', member.headers);
      expect(refused.statusCode).toBe(502);
      expect(refused.json()).toMatchObject({ error: 'upstream_refused' });
      outsideStatus = 200;
      await get('/api/maps/tiles/city/4/13/6', member.headers);
      expect(tiles.requests.at(-1)!.path).toContain(CITY_TOKEN);
      await post(`/api/tours/${tourId}/tile-pack/build`, staff.headers, { sourceId: 'tdt' });
      await post(`/api/tours/${tourId}/tile-pack/build`, staff.headers, { sourceId: 'city', maxZoom: 10 });
      await waitForBuild(staff.headers);
      await get(`/api/tours/${tourId}/tile-pack/file`, staff.headers);
      const listed = await cli(['list', '--json']);
      for (const response of responses) {
        const seen = `${JSON.stringify(response.headers)}\n${response.rawPayload.toString('latin1')}\n${response.body}`;
        for (const secret of [TIANDITU_KEY, CITY_TOKEN, 'tianditu.gov.cn', tiles.origin]) expect(seen, response.raw.req.url).not.toContain(secret);
      }
      for (const secret of [TIANDITU_KEY, CITY_TOKEN]) expect(listed.out).not.toContain(secret);
    });

    it('honours the source rate: no more requests in a second than it allows', async () => {
      const { staff } = await people();
      void staff;
      await writeMapSources(database.dataDir, mapSourcesFor(tiles, 15));
      const run = await cli(['build', '--tour', tourId, '--max-zoom', '10']);
      expect(run.code, run.err).toBe(0);
      expect(run.out).toContain('15 requests/s');
      const arrivals = tiles.requests.map((r) => r.at).sort((a, b) => a - b);
      expect(arrivals).toHaveLength(45);
      // one request every 67 ms however many workers ask at once: the 45 requests cannot span
      // less than 44 intervals (2.93 s; unpaced they take well under one). Only this lower bound is
      // asserted, less 230 ms for the first request's longer trip (a new connection): a loaded
      // machine can only stretch the span, while counts per sliding second depend on timer jitter
      // (the pacer's exact spacing is tested with a fake clock in map-sources.test.ts).
      const span = arrivals.at(-1)! - arrivals[0]!;
      expect(span).toBeGreaterThanOrEqual(2700);
    });

    it('continues a killed build: the second run fetches only the tiles the first did not', async () => {
      await people();
      const args = ['tiles', 'build', '--tour', tourId, '--max-zoom', '15', '--rate', '40'];
      const plan = planPackTiles(
        smallTourStops.map((s, i) => ({ ...s, id: String(i) })),
        { maxZoom: 15, overviewMaxZoom: 11 },
      );
      expect(plan.tiles.length).toBeGreaterThan(150);
      const child = spawn(process.execPath, [bundle, ...args], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, GUANMO_LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal === 'SIGKILL' ? -9 : _code)));
      for (let i = 0; i < 300 && tiles.requests.length < 60; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      child.kill('SIGKILL');
      expect(await exited).toBe(-9);
      const firstRun = tiles.requests.length;
      expect(firstRun).toBeGreaterThanOrEqual(60);
      expect(firstRun).toBeLessThan(plan.tiles.length);

      // what the killed run kept
      const cacheRoot = path.join(database.dataDir, tileCacheDirName);
      const [sourceDir] = await fs.readdir(cacheRoot);
      const cached = new Set<string>();
      for (const z of await fs.readdir(path.join(cacheRoot, sourceDir!))) {
        for (const x of await fs.readdir(path.join(cacheRoot, sourceDir!, z))) {
          for (const file of await fs.readdir(path.join(cacheRoot, sourceDir!, z, x))) {
            const match = /^(\d+)\.(png|none)$/.exec(file);
            if (match) cached.add(`${z}/${x}/${match[1]}`);
          }
        }
      }
      expect(cached.size).toBeGreaterThan(0);
      // the killed run's claim does not hold the tour (its process is gone)
      tiles.requests.length = 0;
      const second = await cli(args.slice(1));
      expect(second.code, second.err).toBe(0);
      expect(second.out).toContain(`${plan.tiles.length - cached.size} fetched now, ${cached.size} from earlier runs`);
      const refetched = tiles.requests.map((r) => `${r.z}/${r.x}/${r.y}`);
      expect(refetched.filter((key) => cached.has(key))).toEqual([]);
      expect(new Set([...refetched, ...cached]).size).toBe(plan.tiles.length);
      expect(refetched.length).toBe(plan.tiles.length - cached.size);
      const { member } = { member: await createSignedInUser(guanmo.app, guanmo.db, { username: 'late', role: 'secretariat' }) };
      const status = tilePackStatusSchema.parse((await get(`/api/tours/${tourId}/tile-pack`, member.headers)).json());
      expect(status.pack?.tileCount).toBe(plan.tiles.length);
      expect(status.build?.state).toBe('done');
    });

    it('imports MBTiles (TMS rows flipped) and PMTiles, and refuses what is neither', async () => {
      const { member } = await people();
      const work = path.join(database.dataDir, 'imports');
      await fs.mkdir(work);
      // an MBTiles of z0–z4 over the world, rows counted from the south
      const mbtiles = path.join(work, 'city.mbtiles');
      const db = new Sqlite(mbtiles);
      db.exec('create table metadata (name text, value text); create table tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob);');
      const meta = db.prepare('insert into metadata values (?, ?)');
      for (const [k, v] of [['name', '本单位底图'], ['format', 'png'], ['bounds', '116.5,35.1,119.7,36.9'], ['attribution', '<a href="https://gis.example.cn">© 本单位测绘院</a>']]) meta.run(k, v);
      const insert = db.prepare('insert into tiles values (?, ?, ?, ?)');
      let count = 0;
      for (let z = 0; z <= 4; z++) {
        for (let x = 0; x < 2 ** z; x++) {
          for (let y = 0; y < 2 ** z; y++) {
            insert.run(z, x, 2 ** z - 1 - y, drawTile(z, x, y));
            count++;
          }
        }
      }
      db.close();
      const imported = await cli(['import', '--tour', tourId, 'imports/city.mbtiles']);
      expect(imported.code, imported.err).toBe(0);
      expect(imported.out).toContain(`imported mbtiles`);
      const status = tilePackStatusSchema.parse((await get(`/api/tours/${tourId}/tile-pack`, member.headers)).json());
      expect(status.pack).toMatchObject({ tourId, sourceId: 'imported', coordSystem: 'wgs84', attribution: '© 本单位测绘院', tileType: 'png', minZoom: 0, maxZoom: 4, tileCount: count, bounds: [116.5, 35.1, 119.7, 36.9] });
      const file = new Uint8Array((await get(`/api/tours/${tourId}/tile-pack/file`, member.headers)).rawPayload);
      expect(sha256(file)).toBe(status.pack!.sha256);
      const reader = new PMTiles(new BytesSource(file));
      for (const [z, x, y] of [[0, 0, 0], [3, 6, 3], [4, 13, 6], [4, 0, 15]] as const) {
        expect(Buffer.from((await reader.getZxy(z, x, y))!.data).equals(drawTile(z, x, y)), `${z}/${x}/${y}`).toBe(true);
      }

      // a PMTiles file is taken as it is (GCJ-02 tiles, as 高德's would be)
      const pmtiles = writePmtilesArchive([0, 1, 2].flatMap((z) => Array.from({ length: 4 ** z }, (_, i) => ({ z, x: i % 2 ** z, y: Math.floor(i / 2 ** z), bytes: new Uint8Array(drawTile(z, i % 2 ** z, Math.floor(i / 2 ** z))) }))), {
        tileType: 'png',
        metadata: { attribution: '© 高德地图' },
      }).bytes;
      await fs.writeFile(path.join(work, 'amap.pmtiles'), pmtiles);
      const second = await cli(['import', '--tour', tourId, 'imports/amap.pmtiles', '--coord-system', 'gcj02']);
      expect(second.code, second.err).toBe(0);
      const after = tilePackStatusSchema.parse((await get(`/api/tours/${tourId}/tile-pack`, member.headers)).json()).pack!;
      expect(after).toMatchObject({ sha256: sha256(pmtiles), size: pmtiles.length, coordSystem: 'gcj02', attribution: '© 高德地图', tileCount: 21 });
      // the MBTiles pack it replaced is gone
      expect(await fs.readdir(tilePacksDir(database.dataDir))).toEqual([`${tourId}-${after.sha256}.pmtiles`]);

      // refusals, each saying what it found
      const vector = path.join(work, 'vector.mbtiles');
      const vdb = new Sqlite(vector);
      vdb.exec("create table metadata (name text, value text); create table tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob); insert into metadata values ('format', 'pbf'); insert into tiles values (0, 0, 0, x'1f8b0800');");
      vdb.close();
      expect((await cli(['import', '--tour', tourId, 'imports/vector.mbtiles'])).err).toContain('矢量瓦片');
      const plain = path.join(work, 'plain.sqlite');
      new Sqlite(plain).exec('create table other (a)');
      expect((await cli(['import', '--tour', tourId, 'imports/plain.sqlite'])).err).toContain('不是 MBTiles');
      await fs.writeFile(path.join(work, 'notes.txt'), 'hello');
      const text = await cli(['import', '--tour', tourId, 'imports/notes.txt']);
      expect(text.code).toBe(1);
      expect(text.err).toContain('不是 PMTiles 或 MBTiles 文件');
      expect((await cli(['import', '--tour', 'no-such-tour', 'imports/amap.pmtiles'])).code).toBe(1);
      // the pack stayed what it was
      expect(tilePackStatusSchema.parse((await get(`/api/tours/${tourId}/tile-pack`, member.headers)).json()).pack!.sha256).toBe(after.sha256);
      const list = await cli(['list']);
      expect(list.out).toContain(tourId);
      expect(list.out).toContain('21 tiles');
    });

    it('removes a replaced pack file only once its downloads have ended', async () => {
      await people();
      const files = new PackFiles(database.dataDir, guanmo.db);
      const make = async (label: string) => {
        const bytes = writePmtilesArchive([{ z: 0, x: 0, y: 0, bytes: new TextEncoder().encode(label) }], { tileType: 'png', metadata: {} }).bytes;
        const temp = await files.tempPath(tourId);
        await fs.writeFile(temp, bytes);
        return files.install(temp, { tourId, sourceId: 'local', coordSystem: 'wgs84', attribution: '', sha256: sha256(bytes), size: bytes.length, tileType: 'png', minZoom: 0, maxZoom: 0, bounds: [-180, -85, 180, 85], tileCount: 1, builtAt: new Date().toISOString() }, null);
      };
      const first = await make('first');
      const release = files.openReader(first.fileName);
      const second = await make('second');
      expect((await fs.readdir(files.dir)).sort()).toEqual([first.fileName, second.fileName].sort());
      release();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await fs.readdir(files.dir)).toEqual([second.fileName]);
      // a file no row names (a crash between writing and recording) is swept
      await fs.writeFile(path.join(files.dir, `${tourId}-${'a'.repeat(64)}.pmtiles`), 'x');
      expect(await files.sweepUnusedPacks()).toEqual([`${tourId}-${'a'.repeat(64)}.pmtiles`]);
      expect(await fs.readdir(files.dir)).toEqual([second.fileName]);
    });
  });
}
