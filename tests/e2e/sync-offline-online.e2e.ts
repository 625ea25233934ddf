/**
 * Sync end to end in Chromium against the real server (its own instance here, with the demo
 * tours and accounts, serving the built app, so it can be stopped and restarted):
 *   1. two scorers and the secretariat in separate browser contexts; both scorers work offline
 *      (a sheet, a note, a photo each), come back online, and the secretariat's screen has all
 *      of it without anyone pressing a button;
 *   2. the server is stopped in the middle of a photo upload and started again; the upload
 *      finishes from the offset the server kept (no byte range sent twice beyond one chunk);
 *   3. the same push delivered twice (its answer lost), a laptop whose clock runs two hours
 *      fast, and a sheet the secretariat reopens while the scorer is offline.
 * In 1, the scorers' photos reach the secretariat as thumbnails first (fetched by themselves,
 * seen in the network requests), the original only when one is opened in the viewer, and the
 * thumbnails still show after an offline reload.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { BLOB_BATCH_HEADER } from '@shared/sync/blob-protocol';
import { readStore, waitLanded } from './helpers/app-actions';
import { chromiumPath } from './helpers/chromium';
import { artefactsDir, rendererDistDir } from './helpers/paths';
import { installPhotoFixtures, makeJpegs } from './helpers/photo-fixtures';

const TOUR_ID = 'demo-chongchuan-2021';
const TOUR_NAME = '崇川区2021年重点项目现场观摩评议';
const STOP_NAME = '闹海信息科技';
const CRITERIA = ['项目规模', '建设进度', '科技含量与产业层次', '综合效益', '现场组织与汇报'];
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let dataDir: string;
let server: RunningServer;
let baseUrl: string;
let port: number;
const passwords = new Map<string, string>();
let browser: Browser;

async function start(atPort: number): Promise<RunningServer> {
  let printed = '';
  const running = await startServer(
    loadConfig({ GUANMO_DATA_DIR: dataDir, GUANMO_PORT: String(atPort), GUANMO_HOST: '127.0.0.1', GUANMO_STATIC_DIR: rendererDistDir, GUANMO_DEMO: '1', GUANMO_LOG_LEVEL: 'warn' }),
    { output: (text) => void (printed += text) },
  );
  // the one-time table of demo accounts: │ user │ name │ role │ password │
  for (const line of printed.split('\n')) {
    const cells = line.split('│').map((c) => c.trim());
    if (cells.length === 6 && cells[1] && cells[4] && cells[1] !== '用户名 User') passwords.set(cells[1], cells[4]);
  }
  return running;
}

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-e2e-sync-'));
  server = await start(0);
  baseUrl = server.url;
  port = Number(new URL(baseUrl).port);
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args });
  await fs.mkdir(artefactsDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function newLaptop(options: { periodMs?: number; clockAheadMs?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  if (options.periodMs) await context.addInitScript(`localStorage.setItem('guanmo.syncPeriodMs', '${options.periodMs}')`);
  // the laptop's wall clock (Date) runs ahead; timers keep running
  if (options.clockAheadMs) await context.clock.setFixedTime(Date.now() + options.clockAheadMs);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'warning' || message.type() === 'error') console.warn(`page ${message.type()}: ${message.text()}`);
  });
  return { context, page };
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(new URL('#/sync', baseUrl).href);
  const form = page.getByTestId('sign-in-form');
  await expect.poll(() => form.getByLabel('服务器地址').inputValue()).toBe(new URL(baseUrl).origin);
  await form.getByLabel('用户名').fill(username);
  await form.getByLabel('密码').fill(passwords.get(username)!);
  if (username === 'secretariat') await page.screenshot({ path: path.join(artefactsDir, 'sync-0-sign-in.png') });
  await form.getByRole('button', { name: '登录' }).click();
  // a fresh sign-in lands on the role's home (the desk, or 我的观摩)
  await waitLanded(page);
  await waitSynced(page);
  if (username === 'secretariat') {
    await page.getByTestId('sync-indicator').getByRole('button').first().click();
    await page.screenshot({ path: path.join(artefactsDir, 'sync-0-signed-in.png') });
    await page.getByTestId('sync-indicator').getByRole('button').first().click();
  }
}

async function waitSynced(page: Page, timeout = 60_000): Promise<void> {
  const started = Date.now();
  try {
    await page.locator('[data-testid="sync-indicator"][data-tone="ok"][data-pending="0"]').waitFor({ timeout });
  } catch (error) {
    const indicator = page.getByTestId('sync-indicator');
    const state = { tone: await indicator.getAttribute('data-tone'), pending: await indicator.getAttribute('data-pending'), rejected: await indicator.getAttribute('data-rejected') };
    const rejections = await readStore(page, 'syncRejections');
    const outbox = await readStore(page, 'outbox');
    await indicator.getByRole('button').click();
    const details = await indicator.textContent();
    throw new Error(`not synced: ${JSON.stringify(state)} ${details} rejections=${JSON.stringify(rejections)} outbox=${JSON.stringify(outbox)}`, { cause: error });
  }
  console.info(`synced after ${Date.now() - started} ms`);
}

const go = (page: Page, hash: string) => page.evaluate((h) => void (location.hash = h), hash);

async function openStop(page: Page): Promise<void> {
  await go(page, `#/tours/${TOUR_ID}`);
  await page.getByRole('heading', { level: 1, name: TOUR_NAME }).waitFor();
  await page.getByTestId('stop').filter({ hasText: STOP_NAME }).getByRole('link', { name: STOP_NAME }).click();
  await page.getByRole('heading', { level: 1, name: STOP_NAME }).waitFor();
}

async function typeScores(page: Page, values: readonly string[]): Promise<void> {
  await page.getByTestId('score-sheet').getByLabel(CRITERIA[0]!, { exact: true }).click();
  for (const value of values) {
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(value);
    await page.keyboard.press('Enter');
  }
  await page.locator('[data-testid="save-status"][data-status="saved"]').waitFor();
}

async function addNote(page: Page, text: string): Promise<void> {
  const composer = page.getByTestId('note-composer').first();
  await composer.getByText('亮点', { exact: true }).click();
  await composer.getByRole('textbox').fill(text);
  await composer.getByRole('button', { name: '添加记录' }).click();
  await page.getByTestId('note-text').filter({ hasText: text }).waitFor();
}

async function addPhoto(page: Page, spec: { name: string; width: number; height: number; noise: number; quality?: number }): Promise<void> {
  await installPhotoFixtures(page);
  const files = await makeJpegs(page, [{ ...spec, label: spec.name }]);
  await page.getByTestId('photo-input').setInputFiles(files);
  await page.getByTestId('photo-import-report').getByText('已添加 1 张照片。').waitFor({ timeout: 60_000 });
}

describe('sync: offline work reaches the secretariat by itself', () => {
  it('two scorers work offline, come back online, and the secretariat sees everything', async () => {
    const sec = await newLaptop({ periodMs: 2_000 });
    const a = await newLaptop();
    const b = await newLaptop();
    // every photo blob the secretariat's browser asks the server for, from the start
    const blobRequests: string[] = [];
    sec.page.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith('/api/blobs/')) blobRequests.push(`${request.method()} ${pathname.slice('/api/blobs/'.length)}`);
    });
    await signIn(sec.page, 'secretariat');
    await signIn(a.page, 'scorer1');
    await signIn(b.page, 'scorer2');

    // on the bus: no signal
    for (const laptop of [a, b]) {
      await laptop.context.setOffline(true);
      await laptop.page.getByTestId('network-indicator').getByText('离线').waitFor();
    }
    // while the browser knows it is offline the sync engine does not even try (no push bound to
    // fail with net::ERR_INTERNET_DISCONNECTED)
    const offlineSyncRequests: string[] = [];
    const onOfflineRequest = (request: { url(): string }) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith('/api/sync/') || pathname === '/api/auth/me' || pathname.startsWith('/api/uploads')) offlineSyncRequests.push(pathname);
    };
    await openStop(a.page);
    // (from here: a round already under way when the signal went is over by now)
    a.page.on('request', onOfflineRequest);
    await typeScores(a.page, ['18.5', '22', '17.5', '18', '13']);
    await addNote(a.page, '研发中心已投入使用（评委甲）');
    await addPhoto(a.page, { name: 'a.jpg', width: 1600, height: 1200, noise: 0.3 });

    await openStop(b.page);
    await typeScores(b.page, ['17', '20', '16', '17.5', '12']);
    await addNote(b.page, '厂房主体已封顶（评委乙）');
    await addPhoto(b.page, { name: 'b.jpg', width: 1600, height: 1200, noise: 0.3 });

    for (const laptop of [a, b]) {
      const indicator = laptop.page.getByTestId('sync-indicator');
      // records, not field edits: one sheet typed in five fields, one note, one photo (record and bytes)
      await expect.poll(async () => Number(await indicator.getAttribute('data-pending'))).toBe(3);
      // offline is normal on site: neutral, not a red server problem; 离线 is said once, by the network indicator
      expect(await indicator.getAttribute('data-tone')).toBe('offline');
      expect(await indicator.getByRole('status').textContent()).toBe('1 张评分表、1 条记录、1 张照片待同步');
      expect(await laptop.page.locator('.app-header').getByText('离线', { exact: true }).count()).toBe(1);
    }
    a.page.off('request', onOfflineRequest);
    expect(offlineSyncRequests).toEqual([]);
    await a.page.screenshot({ path: path.join(artefactsDir, 'sync-1-offline-pending.png') });

    // back in signal: nobody presses anything
    await a.context.setOffline(false);
    await b.context.setOffline(false);
    await waitSynced(a.page);
    await waitSynced(b.page);

    type Sheet = { stopId: string; scorerId: string; scores: Record<string, number | null> };
    await expect
      .poll(async () => (await readStore<Sheet>(sec.page, 'sheets')).filter((s) => s.stopId === `${TOUR_ID}-stop-1`).length, { timeout: 60_000 })
      .toBeGreaterThanOrEqual(2);
    const notes = await readStore<{ text: string }>(sec.page, 'notes');
    expect(notes.map((n) => n.text)).toEqual(expect.arrayContaining(['研发中心已投入使用（评委甲）', '厂房主体已封顶（评委乙）']));
    const photos = await readStore<{ sha256: string; authorId: string }>(sec.page, 'photos');
    expect(new Set(photos.map((p) => p.authorId))).toEqual(new Set(['demo-user-scorer1', 'demo-user-scorer2']));
    const sheets = await readStore<Sheet>(sec.page, 'sheets');
    expect(sheets.map((s) => Object.values(s.scores).reduce<number>((sum, v) => sum + (v ?? 0), 0)).sort()).toEqual([82.5, 89]);

    // the photo bytes are on the server, verified by hash
    const secToken = (await readStore<{ key: string; value: { token: string } | null }>(sec.page, 'syncState')).find((e) => e.key === 'session')!.value!.token;
    for (const photo of photos) {
      const head = await fetch(new URL(`api/blobs/${photo.sha256}`, baseUrl), { method: 'HEAD', headers: { authorization: `Bearer ${secToken}` } });
      expect(head.status).toBe(200);
    }
    // and the scorers' local copies are confirmed
    for (const laptop of [a, b]) {
      const blobs = await readStore<{ uploadState: string }>(laptop.page, 'photoBlobs');
      expect(blobs.map((x) => x.uploadState)).toEqual(['confirmed']);
    }
    // thumbnails first: the secretariat's laptop fetches each photo's thumbnail by itself (its
    // own blob, named by the record), and no original; the gallery shows them without a click
    const withThumbs = await readStore<{ sha256: string; thumbSha256?: string | null }>(sec.page, 'photos');
    expect(withThumbs.every((p) => typeof p.thumbSha256 === 'string')).toBe(true);
    await expect.poll(async () => (await readStore<{ sha256: string }>(sec.page, 'photoPreviews')).length, { timeout: 30_000 }).toBe(2);
    expect((await readStore(sec.page, 'photoBlobs')).length).toBe(0);
    await go(sec.page, `#/tours/${TOUR_ID}/stops/${TOUR_ID}-stop-1`);
    await expect.poll(() => sec.page.getByTestId('photo-tile').count(), { timeout: 30_000 }).toBe(2);
    const tileWidths = () => sec.page.locator('[data-testid="photo-tile"] img').evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).naturalWidth));
    await expect.poll(tileWidths, { timeout: 30_000 }).toEqual([320, 320]); // the 1600 × 1200 originals' thumbnails
    expect(await sec.page.getByTestId('photo-tile').getByText('照片待同步').count()).toBe(0);
    const thumbGets = withThumbs.map((p) => `GET ${p.thumbSha256!}`);
    // (a thumbnail asked for before its author had uploaded it is asked for again: hence the set)
    const blobGets = () => [...new Set(blobRequests.filter((r) => r.startsWith('GET')))].sort();
    expect(blobGets()).toEqual(thumbGets.sort());
    await sec.page.getByTestId('photo-grid').scrollIntoViewIfNeeded();
    await sec.page.screenshot({ path: path.join(artefactsDir, 'sync-2-secretariat-thumbnails.png') });

    // opening one photo fetches its original (only that one), shown in place of the thumbnail
    const tile = sec.page.getByTestId('photo-tile').first();
    const openedId = await tile.getAttribute('data-photo-id');
    const opened = (await readStore<{ id: string; sha256: string }>(sec.page, 'photos')).find((p) => p.id === openedId)!;
    const other = withThumbs.find((p) => p.sha256 !== opened.sha256)!;
    await tile.getByRole('button').click();
    const image = sec.page.getByTestId('photo-viewer-image');
    await image.waitFor({ timeout: 30_000 });
    await expect.poll(() => image.evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 30_000 }).toBe(1600);
    expect(await image.getAttribute('data-quality')).toBe('full');
    expect(blobGets()).toEqual([...thumbGets, `GET ${opened.sha256}`].sort());
    expect((await readStore<{ uploadState: string }>(sec.page, 'photoBlobs')).map((x) => x.uploadState)).toEqual(['confirmed']);
    await sec.page.screenshot({ path: path.join(artefactsDir, 'sync-2-secretariat.png') });
    await sec.page.keyboard.press('Escape');
    await sec.page.getByTestId('photo-viewer').waitFor({ state: 'detached' });

    // offline, after a reload (app shell from the service worker): the thumbnails are still
    // there; the photo never opened shows its thumbnail and says why the original cannot come
    await sec.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
      }
    });
    await sec.context.setOffline(true);
    await sec.page.reload();
    await sec.page.getByTestId('network-indicator').getByText('离线').waitFor();
    await expect.poll(() => sec.page.getByTestId('photo-tile').count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(tileWidths, { timeout: 30_000 }).toEqual([320, 320]);
    const requestsBefore = blobRequests.length;
    await sec.page.locator(`[data-testid="photo-tile"]:not([data-photo-id="${openedId}"])`).getByRole('button').click();
    const status = sec.page.getByTestId('photo-viewer-status');
    await status.and(sec.page.locator('[data-status="offline"]')).waitFor({ timeout: 30_000 });
    expect(await status.textContent()).toContain('无法连接服务器');
    expect(await image.getAttribute('data-quality')).toBe('thumbnail');
    expect(await image.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(320);
    expect([...new Set(blobRequests.slice(requestsBefore))]).toEqual([`GET ${other.sha256}`]); // tried, and failed offline
    expect((await readStore(sec.page, 'photoBlobs')).length).toBe(1);
    await sec.page.screenshot({ path: path.join(artefactsDir, 'sync-2-secretariat-offline.png') });
    // back online: the original comes by itself
    await sec.context.setOffline(false);
    await expect.poll(() => image.getAttribute('data-quality'), { timeout: 30_000 }).toBe('full');
    for (const laptop of [sec, a, b]) await laptop.context.close();
  });

  it('a server stopped in the middle of a photo upload: the upload finishes from its offset after the restart', async () => {
    const laptop = await newLaptop();
    await signIn(laptop.page, 'scorer3');
    const patches: { offset: number; bytes: number }[] = [];
    const thumbnails: number[] = [];
    let isCut = false;
    await laptop.context.route(/\/api\/(uploads(\/|$)|blobs\/batch$)/, async (route) => {
      const request = route.request();
      const headers = request.headers();
      // the thumbnail (uploaded first) goes in a batch of small blobs, its size in the header
      if (new URL(request.url()).pathname.endsWith('/api/blobs/batch')) {
        for (const entry of (headers[BLOB_BATCH_HEADER] ?? '').split(',')) thumbnails.push(Number(entry.split(':')[1]));
        return route.continue();
      }
      // creation-with-upload: the first chunk rides in the creating POST, at offset 0
      if (request.method() === 'POST' && !headers['x-http-method-override']) {
        patches.push({ offset: 0, bytes: request.postDataBuffer()?.length ?? 0 });
        return route.continue();
      }
      if (request.method() !== 'PATCH') return route.continue();
      const offset = Number(headers['upload-offset']);
      const bytes = request.postDataBuffer()?.length ?? 0;
      if (!isCut && offset > 0) {
        // the second chunk: the server goes down before it arrives
        isCut = true;
        await server.close();
        await route.abort('connectionrefused');
        server = await start(port);
        return;
      }
      patches.push({ offset, bytes });
      return route.continue();
    });

    await openStop(laptop.page);
    await addPhoto(laptop.page, { name: 'big.jpg', width: 3000, height: 2200, noise: 1, quality: 0.97 });
    const [blob] = await readStore<{ sha256: string; blob: Blob }>(laptop.page, 'photoBlobs');
    const size = await laptop.page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve) => {
        const r = indexedDB.open('guanmo');
        r.onsuccess = () => resolve(r.result);
      });
      const rows = await new Promise<{ blob: Blob }[]>((resolve) => {
        const r = db.transaction('photoBlobs').objectStore('photoBlobs').getAll();
        r.onsuccess = () => resolve(r.result as { blob: Blob }[]);
      });
      db.close();
      return rows[0]!.blob.size;
    });
    expect(size).toBeGreaterThan(2 * 1.5 * 1024 * 1024 * 0.6); // more than one chunk

    await waitSynced(laptop.page, 90_000);
    expect(isCut).toBe(true);
    const states = await readStore<{ uploadState: string }>(laptop.page, 'photoBlobs');
    expect(states.map((s) => s.uploadState)).toEqual(['confirmed']);
    // after the restart the upload went on at the offset the server had kept, not from 0
    const afterCut = patches.filter((p) => p.offset > 0);
    expect(afterCut.length).toBeGreaterThan(0);
    expect(patches.filter((p) => p.offset === 0)).toHaveLength(1);
    const sent = patches.reduce((sum, p) => sum + p.bytes, 0);
    expect(sent).toBe(size); // every byte once: the cut chunk never reached the server
    expect(thumbnails).toHaveLength(1); // and the thumbnail, once, before the photo
    const head = await fetch(new URL(`api/blobs/${blob!.sha256}`, baseUrl), { method: 'HEAD', headers: { authorization: `Bearer ${(await readStore<{ key: string; value: { token: string } | null }>(laptop.page, 'syncState')).find((e) => e.key === 'session')!.value!.token}` } });
    expect(head.status).toBe(200);
    await laptop.context.close();
  });

  it('a push answered twice, a clock two hours fast, and a sheet reopened while offline', async () => {
    const fast = await newLaptop({ periodMs: 2_000, clockAheadMs: 2 * 3600_000 });
    const right = await newLaptop({ periodMs: 2_000 });
    type Push = { mutations: { id: string }[] };
    const pushes: { ids: string[]; statuses: string[] }[] = [];
    let isAnswerLost = false;
    await fast.context.route('**/api/sync/push', async (route) => {
      const body = route.request().postDataJSON() as Push;
      const response = await route.fetch();
      const json = (await response.json()) as { results: { status: string }[] };
      pushes.push({ ids: body.mutations.map((m) => m.id), statuses: json.results.map((r) => r.status) });
      if (!isAnswerLost && pushes.length === 1) {
        // the server applied the push, but its answer never arrives
        isAnswerLost = true;
        return route.abort('connectionreset');
      }
      return route.fulfill({ response, json });
    });
    await signIn(fast.page, 'scorer5');
    await signIn(right.page, 'scorer5');

    await openStop(fast.page);
    await typeScores(fast.page, ['18', '20', '16', '17', '12']);
    await waitSynced(fast.page);
    expect(pushes.length).toBeGreaterThanOrEqual(2);
    expect(pushes[1]!.ids).toEqual(pushes[0]!.ids); // sent again, the same mutations
    expect(pushes[0]!.statuses).toEqual(['applied']);
    expect(pushes[1]!.statuses).toEqual(['duplicate']);

    // the other laptop (correct clock) changes a score later: it must win although the fast
    // laptop's stamps are two hours ahead
    await openStop(right.page);
    await expect.poll(() => right.page.getByTestId('score-sheet').getByLabel(CRITERIA[0]!, { exact: true }).inputValue(), { timeout: 30_000 }).toBe('18');
    await right.page.getByTestId('score-sheet').getByLabel(CRITERIA[0]!, { exact: true }).fill('19.5');
    await right.page.locator('[data-testid="save-status"][data-status="saved"]').waitFor();
    await waitSynced(right.page);
    type Sheet = { id: string; status: string; scores: Record<string, number | null> };
    const firstScore = async (page: Page) => {
      const [sheet] = await readStore<Sheet>(page, 'sheets');
      return sheet ? Object.values(sheet.scores)[0] : undefined;
    };
    await expect.poll(() => firstScore(fast.page), { timeout: 30_000 }).toBe(19.5);

    // submitted, then the laptop goes offline; the secretariat reopens the sheet meanwhile.
    // (The open form keeps what was typed on this laptop; reopening the stop shows the synced value.)
    await openStop(fast.page);
    await expect.poll(() => fast.page.getByTestId('score-sheet').getByLabel(CRITERIA[0]!, { exact: true }).inputValue(), { timeout: 30_000 }).toBe('19.5');
    await fast.page.getByTestId('submit-sheet').click();
    await fast.page.getByRole('dialog').getByRole('button', { name: '确认提交' }).click();
    await fast.page.getByTestId('submitted-sheet').waitFor();
    await waitSynced(fast.page);
    const [submitted] = await readStore<Sheet>(fast.page, 'sheets');
    expect(submitted!.status).toBe('submitted');
    await fast.context.setOffline(true);

    const login = (await (await fetch(new URL('api/auth/login', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'secretariat', password: passwords.get('secretariat') }),
    })).json()) as { token: string };
    const reopen = await fetch(new URL(`api/sheets/${encodeURIComponent(submitted!.id)}/reopen`, baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${login.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: '评委申请更正分数' }),
    });
    expect(reopen.status).toBe(200);
    await fast.page.waitForTimeout(500);
    expect((await readStore<Sheet>(fast.page, 'sheets'))[0]!.status).toBe('submitted'); // offline: nothing arrived

    await fast.context.setOffline(false);
    await expect.poll(async () => (await readStore<Sheet>(fast.page, 'sheets'))[0]!.status, { timeout: 30_000 }).toBe('reopened');
    await fast.page.getByTestId('score-sheet').waitFor(); // editable again
    await fast.page.screenshot({ path: path.join(artefactsDir, 'sync-3-reopened.png') });
    for (const laptop of [fast, right]) await laptop.context.close();
  });
});
