/**
 * The secretariat's maps on the desk, end to end in Chromium against the real server (its own
 * instance with the demo accounts, whose administrator configured one basemap source: a tile
 * server on localhost standing in for the organisation's own, allowed for packs):
 *
 *   1. the secretariat signs in, creates a tour and imports an itinerary table whose 经度/纬度
 *      were taken from 高德 (GCJ-02) and whose row 4 has a latitude in its 经度 cell: the preview
 *      names the row (第4行「经度」…像是纬度) and shows the stops on a map; the clerk picks GCJ-02
 *      and saves; the server holds the stops as WGS-84 (the demo table's own WGS-84 points);
 *   2. row 4's stop is corrected by typing its 高德 coordinates in the location editor, and stop
 *      1's pin is dragged on the map: the 经度/纬度 fields follow, the new place is saved and
 *      synced, and the server has exactly what the fields say (converted to WGS-84);
 *   3. the offline map pack is built from the desk: progress in tiles, then done with its size,
 *      from the localhost tile server; the server's GET …/tile-pack agrees;
 *   4. the pack comes down to the laptop and the bulletin attaches the route map drawn from it.
 *
 * Screenshots (1366×768, zh-CN) go to tests/.tmp/maps-desk-*.png.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertPoint } from '@shared/maps/coords';
import { tilePackStatusSchema } from '@shared/maps/pack-protocol';
import { signIn as apiSignIn } from '../../server/src/test-support/auth-fixtures';
import { SyncClient } from '../../server/src/test-support/sync-client';
import { eventually, signIn, waitSynced } from './helpers/app-actions';
import { chromiumArgs, chromiumPath } from './helpers/chromium';
import { startDemoServer, type DemoServer } from './helpers/demo-server';
import { artefactsDir, demoDir } from './helpers/paths';
import { startTileServer, type TileServer } from '../../server/src/test-support/tile-server';

const TOUR_NAME = '崇川区项目观摩（地图）';
const SOURCE_NAME = '本单位地图服务（测试）';

let tiles: TileServer;
let demo: DemoServer;
let browser: Browser;
let configDir: string;

beforeAll(async () => {
  tiles = await startTileServer();
  configDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-e2e-mapdesk-'));
  const sourcesFile = path.join(configDir, 'map-sources.json');
  // zooms to 15 keep the pack small (≈ 120 tiles); 40 tiles a second makes its build last a few seconds
  await fs.writeFile(
    sourcesFile,
    JSON.stringify({ organisation: 'Guanmo e2e', defaultSource: 'local', sources: [{ id: 'local', type: 'xyz', name: SOURCE_NAME, attribution: '© 测试底图', url: tiles.template, maxZoom: 15, packs: true, rate: 40 }] }),
  );
  demo = await startDemoServer({ env: { GUANMO_MAP_SOURCES: sourcesFile } });
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  await fs.mkdir(artefactsDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  await tiles?.close();
  if (configDir) await fs.rm(configDir, { recursive: true, force: true });
});

/** The demo tour's table (WGS-84) with its 经度/纬度 as 高德 shows them (GCJ-02), and row 4's 经度 holding its latitude. */
async function amapTable(): Promise<{ csv: string; wgs: { lng: number; lat: number }[]; gcj: { lng: string; lat: string }[] }> {
  const lines = (await fs.readFile(path.join(demoDir, 'tour-chongchuan-2021-scored.csv'), 'utf8')).replace(/^\uFEFF/, '').trim().split('\n');
  const header = lines[0]!.split(',');
  const [lngAt, latAt] = [header.indexOf('经度'), header.indexOf('纬度')];
  const wgs: { lng: number; lat: number }[] = [];
  const gcj: { lng: string; lat: string }[] = [];
  const rows = lines.slice(1).map((line, i) => {
    const cells = line.split(',');
    const point = { lng: Number(cells[lngAt]), lat: Number(cells[latAt]) };
    const shifted = convertPoint(point, 'wgs84', 'gcj02');
    wgs.push(point);
    gcj.push({ lng: shifted.lng.toFixed(6), lat: shifted.lat.toFixed(6) });
    cells[lngAt] = i === 2 ? gcj[i]!.lat : gcj[i]!.lng; // row 4 of the sheet (header = row 1)
    cells[latAt] = gcj[i]!.lat;
    return cells.join(',');
  });
  return { csv: [lines[0], ...rows].join('\n'), wgs, gcj };
}

/** The tour's stops as the server holds them (a secretariat's pull). */
async function serverStops(tourId: string): Promise<Map<string, { name: string; lat: number | null; lng: number | null }>> {
  const api = new SyncClient(demo.server.app, await apiSignIn(demo.server.app, 'secretariat', demo.passwords.get('secretariat')!));
  const stops = new Map<string, { name: string; lat: number | null; lng: number | null }>();
  for (const record of await api.pullAll(500)) {
    if (record.collection !== 'stops' || record.deleted || record.tourId !== tourId) continue;
    const data = record.data as { name: string; lat: number | null; lng: number | null };
    stops.set(data.name, { name: data.name, lat: data.lat, lng: data.lng });
  }
  return stops;
}

const near = (a: number | null | undefined, b: number, tolerance = 3e-6) => a !== null && a !== undefined && Math.abs(a - b) < tolerance;

async function readFields(page: Page): Promise<{ lng: string; lat: string }> {
  const editor = page.getByTestId('stop-location-editor');
  return { lng: await editor.getByLabel('经度', { exact: true }).inputValue(), lat: await editor.getByLabel('纬度', { exact: true }).inputValue() };
}

describe('desk maps: coordinates at import, the location editor, the offline map pack', () => {
  it('imports a 高德 table with a row-named warning, corrects and drags pins, builds the pack', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signIn(page, demo.baseUrl, 'secretariat', demo.passwords.get('secretariat')!);

    // a new tour, from the desk
    await page.getByRole('navigation').getByRole('link', { name: '秘书处' }).click();
    await page.getByRole('button', { name: '新建观摩活动' }).click();
    const newTour = page.getByTestId('new-tour-form');
    await newTour.getByLabel('活动名称').fill(TOUR_NAME);
    await newTour.getByRole('button', { name: '创建' }).click();
    await page.getByRole('heading', { level: 1, name: TOUR_NAME }).waitFor();
    const tourId = decodeURIComponent(new URL(page.url()).hash.replace('#/desk/tours/', ''));

    // 1. the 高德 table: the row-named warning, the stops on a map, GCJ-02 chosen
    const table = await amapTable();
    const stopsImport = page.getByTestId('stops-import');
    await stopsImport.locator('input[type=file]').setInputFiles({ name: '崇川观摩点位（高德坐标）.csv', mimeType: 'text/csv', buffer: Buffer.from(table.csv, 'utf8') });
    const preview = stopsImport.getByTestId('import-preview');
    const warnings = preview.getByTestId('coordinate-warnings');
    await warnings.getByText(`第4行「经度」: “${table.gcj[2]!.lat}” 像是纬度`, { exact: false }).waitFor();
    expect(await warnings.locator('li').count()).toBe(1);
    const system = preview.getByLabel('表中经纬度的坐标系');
    expect(await system.inputValue()).toBe('wgs84'); // the default: GPS / 天地图
    await preview.getByTestId('import-preview-map').locator('[data-testid="preview-pin"]').first().waitFor();
    expect(await preview.getByTestId('import-preview-map').locator('[data-testid="preview-pin"]').count()).toBe(4);
    expect(await preview.getByTestId('import-preview-map').locator('[data-testid="preview-pin-flagged"]').count()).toBe(1);
    await system.selectOption('gcj02');
    // read again in GCJ-02: the same row is still named
    await eventually(() => system.inputValue()).toBe('gcj02');
    await warnings.getByText('第4行「经度」', { exact: false }).waitFor();
    await page.screenshot({ path: path.join(artefactsDir, 'maps-desk-1-import-preview.png'), fullPage: false });
    await preview.screenshot({ path: path.join(artefactsDir, 'maps-desk-1b-import-preview-panel.png') });
    await preview.getByRole('button', { name: '保存导入' }).click();
    await eventually(() => page.getByTestId('desk-stop').count()).toBe(5);
    await waitSynced(page);
    const imported = await serverStops(tourId);
    const names = [...imported.keys()];
    expect(names).toHaveLength(5);
    const byRow = (await page.getByTestId('desk-stop').locator('.desk-stop__name').allTextContents()) as string[];
    // stored WGS-84: the 高德 numbers converted back land on the demo table's own points
    for (const [i, name] of byRow.entries()) {
      if (i === 2) continue;
      expect(near(imported.get(name)!.lng, table.wgs[i]!.lng), `${name} lng`).toBe(true);
      expect(near(imported.get(name)!.lat, table.wgs[i]!.lat), `${name} lat`).toBe(true);
    }

    // 2a. row 4's stop, corrected by typing what 高德 shows (the fields are in the tour's GCJ-02)
    const third = byRow[2]!;
    await page.getByRole('button', { name: `编辑「${third}」的位置` }).click();
    const editor = page.getByTestId('stop-location-editor');
    expect(await editor.getByLabel('经纬度的坐标系').inputValue()).toBe('gcj02');
    await editor.getByLabel('经度', { exact: true }).fill(table.gcj[2]!.lng);
    await editor.getByLabel('纬度', { exact: true }).fill(table.gcj[2]!.lat);
    await editor.getByRole('button', { name: '保存位置' }).click();
    await editor.getByTestId('location-status').getByText(`已保存「${third}」的位置`).waitFor();
    await editor.getByRole('button', { name: '关闭' }).click();

    // 2b. stop 1's pin, dragged: the fields follow, the place is saved and synced
    const first = byRow[0]!;
    await page.getByRole('button', { name: `编辑「${first}」的位置` }).click();
    const pin = editor.getByTestId('location-pin');
    await pin.waitFor();
    // the map's tiles come through the server's proxy of the configured source
    await editor.locator('canvas.basemap-tile[data-source="online"]').first().waitFor({ timeout: 30_000 });
    const before = await readFields(page);
    expect(before).toEqual({ lng: trim(table.gcj[0]!.lng), lat: trim(table.gcj[0]!.lat) });
    const box = (await pin.boundingBox())!;
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 40, y + 20, { steps: 4 });
    await page.mouse.move(x + 90, y + 45, { steps: 4 });
    await page.mouse.up();
    await editor.getByTestId('location-status').getByText(`已保存「${first}」的位置`).waitFor();
    await eventually(async () => (await readFields(page)).lng).not.toBe(before.lng);
    const after = await readFields(page);
    expect(Number(after.lng)).toBeGreaterThan(Number(before.lng)); // dragged east …
    expect(Number(after.lat)).toBeLessThan(Number(before.lat)); // … and south
    await page.screenshot({ path: path.join(artefactsDir, 'maps-desk-2-location-editor.png'), fullPage: false });
    await waitSynced(page);
    const moved = convertPoint({ lng: Number(after.lng), lat: Number(after.lat) }, 'gcj02', 'wgs84');
    await eventually(async () => {
      const now = await serverStops(tourId);
      return near(now.get(first)!.lng, moved.lng) && near(now.get(first)!.lat, moved.lat) && near(now.get(third)!.lng, table.wgs[2]!.lng) && near(now.get(third)!.lat, table.wgs[2]!.lat);
    }).toBe(true);

    // 3. the offline map pack: the source, progress in tiles, done with its size
    const panel = page.getByTestId('tile-pack-panel');
    await panel.getByText(`图源：${SOURCE_NAME}`).waitFor();
    await panel.getByText('这个观摩活动还没有离线地图。').waitFor();
    const requestsBefore = tiles.requests.length;
    await panel.getByRole('button', { name: '生成离线地图' }).click();
    const progress = panel.getByTestId('tile-pack-progress');
    await panel.locator('[data-testid="tile-pack-progress"][data-state="running"]').getByText(/正在生成：\d+ \/ \d+ 个瓦片/).waitFor({ timeout: 30_000 });
    await panel.screenshot({ path: path.join(artefactsDir, 'maps-desk-3-pack-running.png') });
    await eventually(() => progress.getAttribute('data-state'), 60_000).toBe('done');
    await progress.getByText(/已生成：\d+ 个瓦片，[\d.]+ (KB|MB)/).waitFor();
    await panel.getByTestId('tile-pack-current').getByText(SOURCE_NAME, { exact: false }).waitFor();
    await panel.getByRole('button', { name: '重新生成' }).waitFor();
    await panel.screenshot({ path: path.join(artefactsDir, 'maps-desk-4-pack-done.png') });
    const status = tilePackStatusSchema.parse((await demo.server.app.inject({ method: 'GET', url: `/api/tours/${encodeURIComponent(tourId)}/tile-pack`, headers: { authorization: `Bearer ${await apiSignIn(demo.server.app, 'secretariat', demo.passwords.get('secretariat')!)}` } })).json());
    expect(status.pack?.sourceId).toBe('local');
    expect(status.pack!.tileCount).toBeGreaterThan(20);
    expect(status.build?.state).toBe('done');
    expect(await progress.textContent()).toContain(`已生成：${status.pack!.tileCount} 个瓦片`);
    expect(tiles.requests.length).toBeGreaterThan(requestsBefore);

    // 4. the finished pack comes to this computer, and the bulletin attaches the route map drawn from it
    await page.getByRole('link', { name: '通报' }).click();
    const routeMap = page.getByTestId('bulletin-route-map');
    await routeMap.waitFor({ timeout: 60_000 });
    await routeMap.getByText('观摩路线图').waitFor();
    await page.getByTestId('bulletin-document').getByText('附件：观摩路线图').waitFor();
    expect(await routeMap.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(1000);
    await routeMap.screenshot({ path: path.join(artefactsDir, 'maps-desk-5-bulletin-route-map.png') });

    expect(pageErrors).toEqual([]);
    await context.close();
  });
});

/** The fields show at most six decimals, without trailing zeros. */
function trim(text: string): string {
  return text.replace(/0+$/, '').replace(/\.$/, '');
}
