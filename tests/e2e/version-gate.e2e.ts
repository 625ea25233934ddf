/**
 * The sync protocol version gate end to end in Chromium: an app of protocol N−1 against a server
 * of protocol N that no longer serves it (GUANMO_MIN_SYNC_PROTOCOL=N).
 *
 * The "previous app" is this run's real build with only its protocol stamp rewritten to N−1
 * (renderer/src/sync/app-protocol.ts: `guanmo-sync-protocol=N` → `=N−1`), served to the browser
 * from a copy as the laptop's cached copy of the app: every request for the app's own files is
 * answered from that copy, every /api request goes to the real server. "Updating" is what a
 * browser user does — the page's 刷新页面 button — after the route is lifted, so the reload loads
 * the server's current build, at the same origin, with the same IndexedDB.
 *
 *   1. the scorer signs in with the old app: sign-in works, sync is refused (426) and the app
 *      says 请更新到 x.y 后再同步 with the reload instruction;
 *   2. offline, the scorer scores a stop and submits; back online the sheet stays in the outbox
 *      (the server still refuses) and nothing of it reaches the server;
 *   3. after the update the same outbox syncs, and the server has the sheet exactly once.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_PROTOCOL_VERSION } from '@shared/sync/protocol-version';
import { startServer, type RunningServer } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { serverVersion } from '../../server/src/version';
import { eventually, openSignInFromRoot, waitLanded, waitSynced } from './helpers/app-actions';
import { chromiumPath } from './helpers/chromium';
import { artefactsDir, rendererDistDir } from './helpers/paths';

const TOUR_NAME = '崇川区2021年重点项目现场观摩评议';
const STOP_NAME = '闹海信息科技';
const CRITERIA = ['项目规模', '建设进度', '科技含量与产业层次', '综合效益', '现场组织与汇报'];
const SCORES = [18, 17, 18, 17, 9];
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let dataDir: string;
let oldAppDir: string;
let server: RunningServer;
let browser: Browser;
const passwords = new Map<string, string>();

/** A copy of this run's build speaking protocol N−1: only the stamp differs. */
async function buildPreviousApp(into: string): Promise<void> {
  await fs.cp(rendererDistDir, into, { recursive: true });
  const from = `guanmo-sync-protocol=${SYNC_PROTOCOL_VERSION}`;
  const to = `guanmo-sync-protocol=${SYNC_PROTOCOL_VERSION - 1}`;
  let stamped = 0;
  for (const name of await fs.readdir(path.join(into, 'assets'))) {
    if (!name.endsWith('.js')) continue;
    const file = path.join(into, 'assets', name);
    const text = await fs.readFile(file, 'utf8');
    if (!text.includes(from)) continue;
    await fs.writeFile(file, text.replaceAll(from, to));
    stamped += 1;
  }
  if (stamped === 0) throw new Error(`no "${from}" stamp in the build at ${rendererDistDir}: the previous app cannot be made`);
}

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-e2e-gate-'));
  oldAppDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-e2e-old-app-'));
  await buildPreviousApp(oldAppDir);
  let printed = '';
  server = await startServer(
    loadConfig({
      GUANMO_DATA_DIR: dataDir,
      GUANMO_PORT: '0',
      GUANMO_HOST: '127.0.0.1',
      GUANMO_STATIC_DIR: rendererDistDir,
      GUANMO_DEMO: '1',
      GUANMO_LOG_LEVEL: 'warn',
      // this server no longer serves apps older than its own protocol
      GUANMO_MIN_SYNC_PROTOCOL: String(SYNC_PROTOCOL_VERSION),
    }),
    { output: (text) => void (printed += text) },
  );
  for (const line of printed.split('\n')) {
    const cells = line.split('│').map((c) => c.trim());
    if (cells.length === 6 && cells[1] && cells[4] && cells[1] !== '用户名 User') passwords.set(cells[1], cells[4]);
  }
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args });
  await fs.mkdir(artefactsDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
  await fs.rm(oldAppDir, { recursive: true, force: true });
});

/** The laptop's cached old app: the app's own files come from the N−1 copy; /api goes to the server. */
async function serveOldApp(context: BrowserContext): Promise<() => Promise<void>> {
  const origin = new URL(server.url).origin;
  const handler = async (route: import('playwright-core').Route) => {
    const url = new URL(route.request().url());
    if (url.origin !== origin || url.pathname.startsWith('/api/')) return route.fallback();
    const file = path.join(oldAppDir, url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname));
    if (!file.startsWith(oldAppDir)) return route.abort();
    return route.fulfill({ path: file });
  };
  await context.route('**/*', handler);
  return () => context.unroute('**/*', handler);
}

async function sheetsOnServer(): Promise<number> {
  const row = await server.db.selectFrom('records').select((eb) => eb.fn.countAll().as('n')).where('collection', '=', 'sheets').executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('version gate: an app of protocol N−1 against a server of protocol N', () => {
  let context: BrowserContext;
  let page: Page;

  it('keeps the offline work, says what to update to, and syncs it after the update', async () => {
    // service workers off: the "cache" of the old app is the route below, lifted by the update
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', serviceWorkers: 'block' });
    await context.addInitScript(`localStorage.setItem('guanmo.syncPeriodMs', '3000')`);
    page = await context.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    const liftOldApp = await serveOldApp(context);
    const refused: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 426) refused.push(new URL(response.url()).pathname);
    });

    // 1. sign-in works; sync is refused and the app says so
    await openSignInFromRoot(page, server.url);
    const form = page.getByTestId('sign-in-form');
    await form.getByLabel('用户名').fill('scorer1');
    await form.getByLabel('密码').fill(passwords.get('scorer1')!);
    await form.getByRole('button', { name: '登录' }).click();
    await waitLanded(page);
    const notice = page.getByTestId('update-required');
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toContain(`请更新到 ${serverVersion} 后再同步`);
    expect(refused.length).toBeGreaterThan(0);

    // 2. offline on site: score a stop and submit, by clicking from 我的观摩
    await context.setOffline(true);
    await page.getByTestId('network-indicator').getByText('离线').waitFor();
    await page.getByTestId('tour-card').filter({ hasText: TOUR_NAME }).getByRole('link').click();
    await page.getByTestId('stop').filter({ hasText: STOP_NAME }).getByRole('link', { name: STOP_NAME }).click();
    await page.getByRole('heading', { level: 1, name: STOP_NAME }).waitFor();
    await page.getByTestId('score-sheet').getByLabel(CRITERIA[0]!, { exact: true }).click();
    for (const value of SCORES) {
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(String(value));
      await page.keyboard.press('Enter');
    }
    await page.locator('[data-testid="save-status"][data-status="saved"]').waitFor();
    await page.getByTestId('submit-sheet').click();
    await page.getByRole('dialog').getByRole('button', { name: '确认提交' }).click();
    await page.getByTestId('submitted-sheet').waitFor();

    // back online: the server still refuses this app; the sheet waits in the outbox, untouched
    const refusedBefore = refused.length;
    await context.setOffline(false);
    await eventually(() => refused.length, 30_000).toBeGreaterThan(refusedBefore);
    const indicator = page.getByTestId('sync-indicator');
    await eventually(() => indicator.getAttribute('data-tone')).toBe('problem');
    expect(Number(await indicator.getAttribute('data-pending'))).toBeGreaterThan(0);
    await notice.waitFor();
    expect(await notice.textContent()).toContain('本机的修改都已保存');
    expect(await sheetsOnServer()).toBe(0);
    await page.evaluate(() => window.scrollTo({ top: 0 }));
    await page.screenshot({ path: path.join(artefactsDir, 'version-gate-1-update-required.png') });

    // 3. the update: the server's current build replaces the cached old one; the user reloads
    await liftOldApp();
    await notice.getByTestId('update-reload').click();
    await waitSynced(page, 60_000);
    await expect(page.getByTestId('update-required').count()).resolves.toBe(0);
    expect(await sheetsOnServer()).toBe(1);
    await page.screenshot({ path: path.join(artefactsDir, 'version-gate-2-synced-after-update.png') });
    await context.close();
  });
});
