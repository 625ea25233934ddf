/**
 * Unsynced work carried by file, in Chromium against a real server (issue 15 item 3):
 *   - a scorer signs in on laptop A, goes offline and scores three projects with a photo each;
 *     on a weak connection only A's small report of what it holds reaches the server (its
 *     pushes fail), so the secretariat's desk lists laptop A with that work;
 *   - A exports the work from Settings (a download, by clicking); on laptop B (another browser
 *     profile) the same scorer signs in, sees what the file holds, imports it; B's sync brings
 *     exactly those sheets and photos to the server, each mutation applied once;
 *   - importing the same file again changes nothing; a truncated file and another scorer's file
 *     are refused with the message shown; the desk then lists no laptop, and says A's work was
 *     carried by file.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carryKeyResponseSchema } from '@shared/sync/carry-protocol';
import { sealCarryFile } from '../../renderer/src/features/carry/carry-file';
import { eventually, readStore, signInFromRoot, waitSynced } from './helpers/app-actions';
import { chromiumArgs, chromiumPath } from './helpers/chromium';
import { startDemoServer, type DemoServer } from './helpers/demo-server';
import { artefactsDir } from './helpers/paths';
import { installPhotoFixtures, makeJpegs } from './helpers/photo-fixtures';

const TOUR_NAME = '崇川区2021年重点项目现场观摩评议';
const STOPS = ['闹海信息科技', '裕景苑西安置房', '京源睿谷生态科技城'];
const CRITERIA = ['项目规模', '建设进度', '科技含量与产业层次', '综合效益', '现场组织与汇报'];
const SCORES = [
  [18, 17, 16, 15, 14],
  [17, 16, 15, 14, 13],
  [16, 15, 14, 13, 12],
];

let demo: DemoServer;
let browser: Browser;
const tmpDir = path.join(path.dirname(artefactsDir), '.tmp', 'carry-by-file');

beforeAll(async () => {
  demo = await startDemoServer();
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  await fs.mkdir(tmpDir, { recursive: true });
  await fs.mkdir(artefactsDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

async function laptop(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  return { context, page };
}

const signIn = (page: Page, username: string) => signInFromRoot(page, demo.baseUrl, username, demo.passwords.get(username)!);

async function openSettings(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '设置' }).click();
  await page.getByTestId('carry-panel').waitFor({ timeout: 10_000 }).catch(async (error: unknown) => {
    await page.screenshot({ path: path.join(tmpDir, 'settings-failed.png') });
    throw error;
  });
}

/** From 我的观摩: the tour, then each project, typing its scores and adding one photo. */
async function scoreThreeStopsWithPhotos(page: Page): Promise<void> {
  await page.getByTestId('tour-card').filter({ hasText: TOUR_NAME }).getByRole('link').first().click();
  await page.getByRole('heading', { level: 1, name: TOUR_NAME }).waitFor();
  await installPhotoFixtures(page);
  for (const [i, stop] of STOPS.entries()) {
    await page.getByTestId('stop').filter({ hasText: stop }).getByRole('link', { name: stop }).click();
    await page.getByRole('heading', { level: 1, name: stop }).waitFor();
    await page.getByTestId('score-sheet').getByLabel(CRITERIA[0]!, { exact: true }).click();
    for (const value of SCORES[i]!) {
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(String(value));
      await page.keyboard.press('Enter');
    }
    await page.locator('[data-testid="save-status"][data-status="saved"]').waitFor();
    const files = await makeJpegs(page, [{ name: `IMG_${i + 1}.JPG`, label: stop, width: 640, height: 480, noise: 0.05 }]);
    await page.getByTestId('photo-input').setInputFiles(files);
    await page.getByTestId('photo-import-report').getByText('已添加 1 张照片。').waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: new RegExp(TOUR_NAME) }).first().click();
    await page.getByRole('heading', { level: 1, name: TOUR_NAME }).waitFor();
  }
}

/** Chooses a file in Settings → 导入未同步的工作, by clicking the button. */
async function chooseCarryFile(page: Page, file: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('carry-import').click();
  await (await chooser).setFiles(file);
}

async function openDevicesPage(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '秘书处' }).click();
  const row = page.getByTestId('desk-tour-actions').filter({ has: page.locator('[data-action="devices"]') }).first();
  await row.locator('[data-action="devices"]').click();
  await page.getByTestId('carry-devices-page').waitFor();
}

describe('unsynced work carried by file', () => {
  it('moves a broken laptop’s offline work to another laptop and the server, once; the desk follows', async () => {
    const sec = await laptop();
    await signIn(sec.page, 'secretariat');
    const a = await laptop();
    await signIn(a.page, 'scorer1');
    await a.context.setOffline(true);
    await a.page.getByTestId('network-indicator').getByText('离线').waitFor();
    await scoreThreeStopsWithPhotos(a.page);
    const outboxA = await readStore<{ mutationId: string; collection: string }>(a.page, 'outbox');
    expect(new Set(outboxA.filter((e) => e.collection === 'sheets').map((e) => e.mutationId)).size).toBeGreaterThanOrEqual(3);

    // a weak connection: the small report gets through, every push fails
    await a.context.route('**/api/sync/push', (route) => route.abort('connectionreset'));
    await a.context.setOffline(false);
    await openDevicesPage(sec.page);
    await eventually(async () => {
      await sec.page.getByTestId('carry-devices-refresh').click();
      return sec.page.getByTestId('carry-devices').locator('tbody tr').count();
    }, 45_000).toBe(1);
    const rowA = sec.page.getByTestId('carry-devices').locator('tbody tr');
    await expect.poll(() => rowA.textContent()).toContain('3 张评分表');
    expect(await rowA.textContent()).toContain('评委甲');
    expect(await rowA.textContent()).toContain('3 张照片');
    await sec.page.screenshot({ path: path.join(artefactsDir, 'carry-1-desk-before.png') });

    // the laptop breaks for good (nothing of its work is on the server); it exports first
    await a.context.setOffline(true);
    await openSettings(a.page);
    await expect.poll(() => a.page.getByTestId('carry-pending').textContent()).toContain('3 张评分表');
    const download = a.page.waitForEvent('download');
    await a.page.getByTestId('carry-export').click();
    const file = path.join(tmpDir, (await download).suggestedFilename());
    await (await download).saveAs(file);
    expect(path.basename(file)).toMatch(/^观摩未同步-评委甲-\d{8}-\d{4}\.guanmo$/);
    await a.page.getByTestId('carry-outcome').getByText('已下载').waitFor();
    await a.page.screenshot({ path: path.join(artefactsDir, 'carry-2-exported.png') });
    const server = demo.server.db;
    const sheetCount = async () => (await server.selectFrom('records').select('id').where('collection', '=', 'sheets').where('id', 'like', '%scorer1%').execute()).length;
    expect(await sheetCount()).toBe(0);

    // laptop B: the same scorer signs in, sees what the file holds, imports it
    const b = await laptop();
    await signIn(b.page, 'scorer1');
    await openSettings(b.page);
    await chooseCarryFile(b.page, file);
    const preview = b.page.getByTestId('carry-preview');
    await preview.waitFor();
    const previewText = await preview.textContent();
    expect(previewText).toContain('评委甲');
    expect(previewText).toContain(`${TOUR_NAME}：3 张评分表、3 张照片`);
    await b.page.screenshot({ path: path.join(artefactsDir, 'carry-3-preview.png') });
    await b.page.getByTestId('carry-confirm').click();
    await b.page.getByTestId('carry-outcome').getByText('已导入').waitFor();
    await waitSynced(b.page);
    // photo bytes go after the records: wait until every one is confirmed
    await eventually(async () => (await readStore<{ uploadState: string }>(b.page, 'photoBlobs')).filter((x) => x.uploadState === 'pending').length, 45_000).toBe(0);

    // the server has exactly A's sheets and photos, each of A's mutations applied once
    const sheets = await server.selectFrom('records').select(['id', 'data']).where('collection', '=', 'sheets').where('id', 'like', '%scorer1%').execute();
    expect(sheets).toHaveLength(3);
    const sheetsA = await readStore<{ id: string; scores: Record<string, number> }>(a.page, 'sheets');
    for (const local of sheetsA) {
      const onServer = sheets.find((s) => s.id === local.id);
      expect(JSON.parse(onServer!.data).scores).toEqual(local.scores);
    }
    const photosA = await readStore<{ id: string; sha256: string }>(a.page, 'photos');
    const photos = await server.selectFrom('records').select('id').where('collection', '=', 'photos').where('id', 'in', photosA.map((p) => p.id)).execute();
    expect(photos).toHaveLength(3);
    for (const photo of photosA) {
      const head = await fetch(new URL(`api/blobs/${photo.sha256}`, demo.baseUrl), { method: 'HEAD', headers: { authorization: `Bearer ${await apiToken('secretariat')}` } });
      expect(head.status).toBe(200);
    }
    const mutationIds = outboxA.map((e) => e.mutationId);
    const applied = await server.selectFrom('changes').select('mutation_id').where('mutation_id', 'in', mutationIds).execute();
    expect(applied.length).toBeGreaterThan(0);
    expect(new Set(applied.map((c) => c.mutation_id)).size).toBe(applied.length);
    const changesBefore = (await server.selectFrom('changes').select('seq').execute()).length;

    // importing the same file again changes nothing
    await chooseCarryFile(b.page, file);
    await b.page.getByTestId('carry-preview').getByText('这个文件已经导入过').waitFor();
    expect(await b.page.getByTestId('carry-confirm').count()).toBe(0);
    await b.page.getByTestId('carry-preview').getByRole('button', { name: '取消' }).click();
    expect(await readStore(b.page, 'outbox')).toEqual([]);

    // a truncated file and another scorer's file are refused, nothing written
    const bytes = await fs.readFile(file);
    const truncated = path.join(tmpDir, 'truncated.guanmo');
    await fs.writeFile(truncated, bytes.subarray(0, bytes.byteLength - 4096));
    await chooseCarryFile(b.page, truncated);
    await b.page.getByTestId('carry-outcome').getByText('文件不完整').waitFor();
    const foreign = path.join(tmpDir, 'other-scorer.guanmo');
    await fs.writeFile(foreign, await otherScorersFile());
    await chooseCarryFile(b.page, foreign);
    await b.page.getByTestId('carry-outcome').getByText('这个文件属于 评委乙（scorer2）').waitFor();
    await b.page.screenshot({ path: path.join(artefactsDir, 'carry-4-foreign-refused.png') });
    expect(await readStore(b.page, 'outbox')).toEqual([]);
    expect((await server.selectFrom('changes').select('seq').execute()).length).toBe(changesBefore);

    // the desk: no laptop holds unsynced work of the tour; A's was carried by file
    await eventually(async () => {
      await sec.page.getByTestId('carry-devices-refresh').click();
      return sec.page.getByTestId('carry-devices-none').count();
    }, 30_000).toBe(1);
    await sec.page.getByTestId('carry-devices-carried').getByText('已由文件转移并同步').waitFor();
    await sec.page.screenshot({ path: path.join(artefactsDir, 'carry-5-desk-after.png') });

    // the same screens in English
    for (const page of [sec.page, b.page]) {
      await openSettings(page);
      await page.getByText('English', { exact: true }).click();
    }
    await b.page.screenshot({ path: path.join(artefactsDir, 'carry-6-settings-en.png'), fullPage: true });
    await sec.page.getByRole('navigation').getByRole('link', { name: 'Secretariat' }).click();
    await sec.page.locator('[data-action="devices"]').first().click();
    await sec.page.getByTestId('carry-devices-none').waitFor();
    await sec.page.screenshot({ path: path.join(artefactsDir, 'carry-7-desk-en.png') });
  });
});

async function apiToken(username: string): Promise<string> {
  const response = await fetch(new URL('api/auth/login', demo.baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: demo.passwords.get(username) }),
  });
  return ((await response.json()) as { token: string }).token;
}

/** A file exported by 评委乙 (scorer2), sealed with their own key, as their laptop would. */
async function otherScorersFile(): Promise<Uint8Array> {
  const token = await apiToken('scorer2');
  const key = carryKeyResponseSchema.parse(await (await fetch(new URL('api/carry/key', demo.baseUrl), { headers: { authorization: `Bearer ${token}` } })).json());
  return sealCarryFile({
    header: { exportId: 'other-export', user: { id: key.userId, username: 'scorer2', displayName: '评委乙' }, keyId: key.keyId, exportedAt: new Date().toISOString(), fromDevice: { clientId: 'laptop-yi', name: '评委乙的电脑' } },
    key: key.key,
    json: { entries: [], records: [], blobs: [], previews: [], tours: [] },
    blobs: [],
  });
}
