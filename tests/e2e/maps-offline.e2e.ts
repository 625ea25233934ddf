/**
 * Maps without a network (issue 13): the administrator's basemap source is a tile server on this
 * machine (PNG tiles with their z/x/y drawn on them); the REAL server builds each tour's pack from
 * it (POST /api/tours/:id/tile-pack/build, as the desk's button does). A scorer signs in from `/`,
 * the laptop downloads the packs of its tours, then the network goes and the tile server stops:
 * the tour map shows every stop on pack tiles and not one request leaves the page for a tile.
 *
 * The same itinerary is imported twice: once from the table in WGS-84, once from the same table
 * with its coordinates in GCJ-02 (as 高德 gives them) declared as such: the pins of both tours land
 * on the same pixels.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '@shared/import/csv';
import { importTourTable } from '@shared/import/tour-table';
import { convertPoint } from '@shared/maps/coords';
import { tilePackStatusSchema } from '@shared/maps/pack-protocol';
import type { TourCoordSystem } from '@shared/domain/schemas';
import { findUserByUsername } from '../../server/src/db/users';
import { bearer, signIn as apiSignIn } from '../../server/src/test-support/auth-fixtures';
import { buildSheet, buildTestTour, SyncClient, tourMutations } from '../../server/src/test-support/sync-client';
import { startTileServer, type TileServer } from '../../server/src/test-support/tile-server';
import { eventually, waitLanded, waitSynced } from './helpers/app-actions';
import { launchChromium, type ChromiumSession } from './helpers/chromium';
import { startRealServer, type RealAccount, type RealServer } from './helpers/demo-server';
import { watchPageProblems } from './helpers/page-problems';
import { artefactsDir, demoDir } from './helpers/paths';

const secretariat: RealAccount = { username: 'mishuchu', displayName: '区观摩办', role: 'secretariat', password: 'secretariat-pass-2021' };
const scorer: RealAccount = { username: 'wangwu', displayName: '王五', role: 'scorer', password: 'scorer-pass-2021' };
const WGS_TOUR = { id: 'chongchuan-wgs', name: '崇川区重点项目观摩（WGS-84 表）' };
const GCJ_TOUR = { id: 'chongchuan-gcj', name: '崇川区重点项目观摩（GCJ-02 表）' };

/**
 * The demo itinerary (WGS-84) over two days (its last two stops moved to the next morning), and
 * the same table with its coordinates in GCJ-02, 6 decimals as 高德 shows them.
 */
async function itineraryTables(): Promise<{ wgs: string[][]; gcj: string[][] }> {
  const demo = parseCsv(await fs.readFile(path.join(demoDir, 'tour-chongchuan-2021-scored.csv'), 'utf8'));
  const header = demo[0]!;
  const [lngAt, latAt, dayAt, orderAt] = [header.indexOf('经度'), header.indexOf('纬度'), header.indexOf('观摩日期'), header.indexOf('顺序')];
  const wgs = demo.map((row, i) => (i <= 3 ? row : row.map((cell, c) => (c === dayAt ? '2021-12-09' : c === orderAt ? String(i - 3) : cell))));
  const gcj = wgs.map((row, i) => {
    if (i === 0) return row;
    const p = convertPoint({ lat: Number(row[latAt]), lng: Number(row[lngAt]) }, 'wgs84', 'gcj02');
    const copy = [...row];
    copy[lngAt] = p.lng.toFixed(6);
    copy[latAt] = p.lat.toFixed(6);
    return copy;
  });
  return { wgs, gcj };
}

/** A scored tour whose stops and units come from `rows` through the real importer, with the scorer on it. */
function importedTour(meta: { id: string; name: string }, rows: string[][], coordSystem: TourCoordSystem, scorerUserId: string) {
  const imported = importTourTable(rows, { tourId: meta.id, coordSystem });
  if (!imported.ok) throw new Error(`import failed: ${JSON.stringify(imported.errors)}`);
  const tour = buildTestTour(meta.id, [{ userId: scorerUserId, name: scorer.displayName }]);
  tour.tour = { ...tour.tour, name: meta.name, coordSystem, startDate: imported.value.startDate, endDate: imported.value.endDate };
  tour.units = imported.value.units;
  tour.stops = imported.value.stops;
  // 王五 comes from the second stop's unit: he recuses from it
  tour.scorers = tour.scorers.map((s) => ({ ...s, homeUnitId: imported.value.stops[1]!.unitId }));
  return tour;
}

const isTileRequest = (url: string, tileOrigin: string) => url.startsWith(tileOrigin) || new URL(url).pathname.startsWith('/api/maps/tiles/');

/** Pin centres relative to the map, by stop (id without the tour's prefix). */
async function pinCentres(page: Page, tourId: string): Promise<Map<string, { x: number; y: number }>> {
  const map = await page.getByTestId('tour-map').boundingBox();
  const pins = page.getByTestId('tour-map-pin');
  const centres = new Map<string, { x: number; y: number }>();
  for (let i = 0; i < (await pins.count()); i++) {
    const box = (await pins.nth(i).boundingBox())!;
    const id = (await pins.nth(i).getAttribute('data-stop-id'))!.slice(tourId.length);
    centres.set(id, { x: box.x + box.width / 2 - map!.x, y: box.y + box.height / 2 - map!.y });
  }
  return centres;
}

/** From 我的观摩: opens the tour by its card and waits for its map's pins and painted tiles. */
async function openTourMap(page: Page, tourName: string, stopCount: number): Promise<void> {
  await page.locator('[data-nav="tours"]').click();
  await page.getByTestId('tour-card').filter({ hasText: tourName }).getByRole('link').first().click();
  await page.getByRole('heading', { level: 1, name: tourName }).waitFor();
  await eventually(() => page.getByTestId('tour-map-pin').count()).toBe(stopCount);
  // the view's own zoom where the pack has it (around stops), its lower zoom enlarged elsewhere
  await eventually(() => page.locator('[data-testid="tour-map"] canvas.basemap-tile[data-source="pack"]').count()).toBeGreaterThan(0);
  await eventually(() => page.locator('[data-testid="tour-map"] canvas.basemap-tile[data-source^="pack"]').count()).toBeGreaterThan(6);
}

describe('maps offline: a pack built by the server, downloaded by the laptop, shown with no network', () => {
  let tiles: TileServer;
  let real: RealServer;
  let session: ChromiumSession;
  let configDir: string;
  let stopCount = 0;

  beforeAll(async () => {
    await fs.mkdir(artefactsDir, { recursive: true });
    tiles = await startTileServer();
    configDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-e2e-maps-'));
    const sourcesFile = path.join(configDir, 'map-sources.json');
    // the organisation's own XYZ server (here: this machine), allowed for packs, fast for the test
    await fs.writeFile(
      sourcesFile,
      JSON.stringify({
        organisation: 'Guanmo e2e',
        contact: 'e2e@example.invalid',
        defaultSource: 'city',
        sources: [{ id: 'city', type: 'xyz', name: '本单位底图', url: tiles.template, attribution: '© 本单位测绘（测试）', maxZoom: 18, packs: true, rate: 1000 }],
      }),
    );
    real = await startRealServer([secretariat, scorer], { env: { GUANMO_MAP_SOURCES: sourcesFile } });

    const scorerId = (await findUserByUsername(real.server.db, scorer.username))!.id;
    const token = await apiSignIn(real.server.app, secretariat.username, secretariat.password);
    const api = new SyncClient(real.server.app, token);
    const { wgs, gcj } = await itineraryTables();
    const wgsTour = importedTour(WGS_TOUR, wgs, 'wgs84', scorerId);
    const gcjTour = importedTour(GCJ_TOUR, gcj, 'gcj02', scorerId);
    stopCount = wgsTour.stops.length;
    await api.pushOk([...tourMutations(api, wgsTour), ...tourMutations(api, gcjTour)]);
    // one sheet already submitted: the first stop shows as scored
    const field = new SyncClient(real.server.app, await apiSignIn(real.server.app, scorer.username, scorer.password));
    await field.pushOk([field.mutation('sheets', WGS_TOUR.id, buildSheet(WGS_TOUR.id, wgsTour.stops[0]!.id, wgsTour.scorers[0]!.id, { progress: 36, quality: 27, benefit: 26 }, 'submitted'))]);

    // the secretariat builds both packs (what the desk's button asks for), small enough for a test
    for (const tourId of [WGS_TOUR.id, GCJ_TOUR.id]) {
      const started = await real.server.app.inject({ method: 'POST', url: `/api/tours/${tourId}/tile-pack/build`, headers: bearer(token), payload: { maxZoom: 15, radiusMeters: 400 } });
      expect(started.statusCode, started.body).toBe(202);
    }
    for (const tourId of [WGS_TOUR.id, GCJ_TOUR.id]) {
      for (let tries = 0; ; tries++) {
        const answer = await real.server.app.inject({ method: 'GET', url: `/api/tours/${tourId}/tile-pack`, headers: bearer(token) });
        const status = tilePackStatusSchema.parse(answer.json());
        if (status.build?.state === 'failed') throw new Error(`build failed: ${status.build.errorEn}`);
        if (status.pack) break;
        if (tries > 400) throw new Error(`the pack of ${tourId} was not built in time: ${answer.body}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  afterAll(async () => {
    await session?.close();
    await real?.close();
    await tiles?.close().catch(() => undefined);
    if (configDir) await fs.rm(configDir, { recursive: true, force: true });
  });

  it('downloads the packs, then shows the tour on pack tiles with no network, and GCJ-02 pins land where the WGS-84 ones do', async () => {
    // a fresh laptop on each try (a retry must not find the first try's session and packs)
    await session?.close();
    session = await launchChromium();
    const page = await session.context.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    const { problems } = watchPageProblems(page, new URL(real.baseUrl).origin);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));

    // from `/`: the sign-in form of a fresh laptop
    await page.goto(real.baseUrl);
    const form = page.getByTestId('sign-in-form');
    await eventually(() => form.getByLabel('服务器地址').inputValue()).toBe(new URL(real.baseUrl).origin);
    await form.getByLabel('用户名').fill(scorer.username);
    await form.getByLabel('密码').fill(scorer.password);
    await form.getByRole('button', { name: '登录' }).click();
    await waitLanded(page);
    await waitSynced(page);

    // after the first sync round the laptop fetches its tours' packs: Settings lists them, with their size
    await page.locator('[data-nav="settings"]').click();
    const panel = page.getByTestId('offline-maps-panel');
    await eventually(() => panel.locator('.offline-maps__item[data-state="ready"]').count(), 60_000).toBe(2);
    expect(await panel.textContent()).toContain(WGS_TOUR.name);
    await page.screenshot({ path: path.join(artefactsDir, 'maps-offline-1-settings-zh.png'), fullPage: true });

    // no network from here on, and the tile server is gone
    await session.context.setOffline(true);
    await tiles.close();
    const tileServerAsked = tiles.requests.length;
    const firstOffline = requests.length;
    await page.getByTestId('network-indicator').getByText('离线').waitFor();

    await openTourMap(page, WGS_TOUR.name, stopCount);
    const map = page.getByTestId('tour-map');
    // the pins say each stop's state for 王五: scored, recused, to score
    expect(await map.locator('.map-pin[data-state="scored"]').count()).toBe(1);
    expect(await map.locator('.map-pin[data-state="recused"]').count()).toBe(1);
    expect(await map.locator('.map-pin[data-state="toScore"]').count()).toBe(stopCount - 2);
    expect(await map.locator('canvas.basemap-tile[data-source="online"]').count()).toBe(0);
    expect(await page.locator('.leaflet-control-attribution').textContent()).toContain('本单位测绘');
    await page.getByTestId('pack-status').and(page.locator('[data-state="ready"]')).waitFor();
    await map.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artefactsDir, 'maps-offline-2-tour-zh.png') });
    const wgsPins = await pinCentres(page, WGS_TOUR.id);

    // a route line per day; one day chosen: the other day's pins are dimmed
    expect(await map.locator('path.map-route').count()).toBe(2);
    await page.getByTestId('tour-map-day').nth(1).click();
    await eventually(() => map.locator('.map-pin--dimmed').count()).toBe(3);
    await page.screenshot({ path: path.join(artefactsDir, 'maps-offline-2b-day2-zh.png') });
    await page.getByRole('button', { name: '全程' }).click();
    await eventually(() => map.locator('.map-pin--dimmed').count()).toBe(0);

    // a pin opens its stop; the stop page shows its location on the pack
    const firstPin = map.locator('[data-testid="tour-map-pin"]').first();
    const firstStopId = await firstPin.getAttribute('data-stop-id');
    await firstPin.click();
    await page.getByTestId('stop-page').waitFor();
    expect(new URL(page.url()).hash).toContain(encodeURIComponent(firstStopId!));
    await page.getByTestId('stop-map-site').waitFor();
    await eventually(() => page.locator('[data-testid="stop-map"] canvas.basemap-tile[data-source="pack"]').count()).toBeGreaterThan(0);
    await page.getByTestId('stop-map').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artefactsDir, 'maps-offline-3-stop-zh.png') });

    // the same itinerary from the GCJ-02 table: every pin on the same pixels
    await openTourMap(page, GCJ_TOUR.name, stopCount);
    const gcjPins = await pinCentres(page, GCJ_TOUR.id);
    expect([...gcjPins.keys()].sort()).toEqual([...wgsPins.keys()].sort());
    for (const [id, at] of wgsPins) {
      const other = gcjPins.get(id)!;
      expect(Math.abs(other.x - at.x), `stop ${id} x`).toBeLessThanOrEqual(1);
      expect(Math.abs(other.y - at.y), `stop ${id} y`).toBeLessThanOrEqual(1);
    }

    // in English
    await page.locator('[data-nav="settings"]').click();
    await page.locator('input[name="locale"][value="en"]').check();
    await page.getByTestId('offline-maps-panel').getByText('Offline maps', { exact: false }).first().waitFor();
    await page.screenshot({ path: path.join(artefactsDir, 'maps-offline-4-settings-en.png'), fullPage: true });
    await openTourMap(page, WGS_TOUR.name, stopCount);
    await map.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artefactsDir, 'maps-offline-5-tour-en.png') });
    await page.locator('[data-nav="settings"]').click();
    await page.locator('input[name="locale"][value="zh-CN"]').check();

    // not one tile asked for since the network went: nothing from the page, nothing at the tile server
    const offlineTileRequests = requests.slice(firstOffline).filter((url) => isTileRequest(url, tiles.origin));
    expect(offlineTileRequests).toEqual([]);
    expect(tiles.requests.length).toBe(tileServerAsked);
    expect(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED/.test(p))).toEqual([]);
  });
});
