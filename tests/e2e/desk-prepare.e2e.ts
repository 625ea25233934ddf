/**
 * Secretariat desk end to end in Chromium against the real server (its own instance, with the
 * demo accounts, serving the built app):
 *   the secretariat signs in, creates a tour, imports the demo scored tour's itinerary and the
 *   standard template from their .csv files (a broken table first: its row errors, nothing
 *   saved), sees the previews, saves, assigns a scorer and publishes; the scorer, in another
 *   browser context, signs in and receives the tour, scores a stop and submits; the board on the
 *   secretariat's side shows the sheet submitted without anyone pressing a button.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { waitLanded } from './helpers/app-actions';
import { chromiumPath } from './helpers/chromium';
import { artefactsDir, demoDir, rendererDistDir } from './helpers/paths';

const TOUR_NAME = '崇川区重点项目观摩（秘书处端到端）';
const STOP_NAME = '闹海信息科技';
const CRITERIA_VALUES = ['18', '22', '17.5', '18', '13'];
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let dataDir: string;
let server: RunningServer;
let baseUrl: string;
const passwords = new Map<string, string>();
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-e2e-desk-'));
  let printed = '';
  server = await startServer(
    loadConfig({ GUANMO_DATA_DIR: dataDir, GUANMO_PORT: '0', GUANMO_HOST: '127.0.0.1', GUANMO_STATIC_DIR: rendererDistDir, GUANMO_DEMO: '1', GUANMO_LOG_LEVEL: 'warn' }),
    { output: (text) => void (printed += text) },
  );
  // the one-time table of demo accounts: │ user │ name │ role │ password │
  for (const line of printed.split('\n')) {
    const cells = line.split('│').map((c) => c.trim());
    if (cells.length === 6 && cells[1] && cells[4] && cells[1] !== '用户名 User') passwords.set(cells[1], cells[4]);
  }
  baseUrl = server.url;
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args });
  await fs.mkdir(artefactsDir, { recursive: true });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function newLaptop(options: { periodMs?: number } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  contexts.push(context);
  if (options.periodMs) await context.addInitScript(`localStorage.setItem('guanmo.syncPeriodMs', '${options.periodMs}')`);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  return page;
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(new URL('#/sync', baseUrl).href);
  const form = page.getByTestId('sign-in-form');
  await expect.poll(() => form.getByLabel('服务器地址').inputValue()).toBe(new URL(baseUrl).origin);
  await form.getByLabel('用户名').fill(username);
  await form.getByLabel('密码').fill(passwords.get(username)!);
  await form.getByRole('button', { name: '登录' }).click();
  // a fresh sign-in lands on the role's home (the desk, or 我的观摩)
  await waitLanded(page);
  await waitSynced(page);
}

async function waitSynced(page: Page): Promise<void> {
  await page.locator('[data-testid="sync-indicator"][data-tone="ok"][data-pending="0"]').waitFor({ timeout: 60_000 });
}

const go = (page: Page, hash: string) => page.evaluate((h) => void (location.hash = h), hash);

describe('secretariat desk: prepare a tour, publish it, watch it being scored', () => {
  it('imports the demo tour with a preview, publishes, and the board fills as the scorer submits', async () => {
    const sec = await newLaptop();
    await signIn(sec, 'secretariat');

    // a new tour
    await sec.getByRole('navigation').getByRole('link', { name: '秘书处' }).click();
    await sec.getByRole('heading', { level: 1, name: '秘书处工作台' }).waitFor();
    await sec.getByRole('button', { name: '新建观摩活动' }).click();
    const newTour = sec.getByTestId('new-tour-form');
    await newTour.getByRole('button', { name: '创建' }).click();
    await newTour.getByText('请填写观摩活动名称').waitFor(); // validated before anything is saved
    await newTour.getByLabel('活动名称').fill(TOUR_NAME);
    await newTour.getByRole('button', { name: '创建' }).click();
    await sec.getByRole('heading', { level: 1, name: TOUR_NAME }).waitFor();
    const tourId = decodeURIComponent(new URL(sec.url()).hash.replace('#/desk/tours/', ''));
    expect(tourId).toMatch(/^t-[0-9a-f]{12}$/);

    // a broken itinerary: every row error, nothing to save
    const stopsImport = sec.getByTestId('stops-import');
    const broken = (await fs.readFile(path.join(demoDir, 'tour-chongchuan-2021-scored.csv'), 'utf8')).replace('2021-12-08,2,', '2021-13-45,2,');
    await stopsImport.locator('input[type=file]').setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from(broken, 'utf8') });
    await stopsImport.getByTestId('import-errors').getByText(/第3行「观摩日期」/).waitFor();
    expect(await stopsImport.getByRole('button', { name: '保存导入' }).count()).toBe(0);
    expect(await sec.getByTestId('desk-stop').count()).toBe(0);

    // the real table: preview, then save
    await stopsImport.locator('input[type=file]').setInputFiles(path.join(demoDir, 'tour-chongchuan-2021-scored.csv'));
    const stopsPreview = stopsImport.getByTestId('import-preview');
    await stopsPreview.getByRole('cell', { name: STOP_NAME }).waitFor();
    expect(await sec.getByTestId('desk-stop').count()).toBe(0); // a preview saves nothing
    await sec.screenshot({ path: path.join(artefactsDir, 'desk-1-import-preview.png'), fullPage: true });
    await stopsPreview.getByRole('button', { name: '保存导入' }).click();
    await expect.poll(() => sec.getByTestId('desk-stop').count()).toBe(5);
    expect(await sec.getByTestId('desk-stop').first().textContent()).toContain(STOP_NAME);

    // keyboard reorder: the second stop up and back down
    const second = await sec.getByTestId('desk-stop').nth(1).locator('.desk-stop__name').textContent();
    await sec.getByRole('button', { name: `上移「${second}」` }).click();
    await expect.poll(() => sec.getByTestId('desk-stop').first().locator('.desk-stop__name').textContent()).toBe(second);
    await sec.getByRole('button', { name: `下移「${second}」` }).click();
    await expect.poll(() => sec.getByTestId('desk-stop').first().locator('.desk-stop__name').textContent()).toBe(STOP_NAME);

    // drag and drop: the last stop onto the first place, then back to the end
    const names = () => sec.getByTestId('desk-stop').locator('.desk-stop__name').allTextContents();
    const original = await names();
    await sec.getByTestId('desk-stop').last().dragTo(sec.getByTestId('desk-stop').first());
    await expect.poll(names).toEqual([original.at(-1), ...original.slice(0, -1)]);
    await sec.getByTestId('desk-stop').first().dragTo(sec.getByTestId('desk-stop').last());
    await expect.poll(names).toEqual(original);

    // the template: preview with its total, then save
    const templateImport = sec.getByTestId('template-import');
    await templateImport.locator('input[type=file]').setInputFiles(path.join(demoDir, 'template-standard.csv'));
    const templatePreview = templateImport.getByTestId('import-preview');
    await templatePreview.getByRole('cell', { name: '现场组织与汇报' }).waitFor();
    await templatePreview.getByRole('button', { name: '保存导入' }).click();
    await expect.poll(() => sec.getByTestId('template-total').textContent()).toBe('100');

    // the same template as an .xlsx workbook (as Excel saves it): preview, save, same total
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('评分表');
    const csvRows = (await fs.readFile(path.join(demoDir, 'template-standard.csv'), 'utf8')).replace(/^\uFEFF/, '').trim().split('\n');
    sheet.addRow(['评分项目', '分值', '最小步长', '评分要点']);
    for (const line of csvRows.slice(1)) {
      const [name, max, step] = line.split(',');
      sheet.addRow([name, Number(max), Number(step), `${name}的评分要点（xlsx）`]);
    }
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    await templateImport.locator('input[type=file]').setInputFiles({ name: '评分表.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: xlsx });
    await templatePreview.getByRole('cell', { name: '现场组织与汇报的评分要点（xlsx）' }).waitFor();
    await templatePreview.getByRole('button', { name: '保存导入' }).click();
    await expect.poll(() => sec.getByTestId('template-editor').getByLabel('第5项 评分要点').inputValue()).toBe('现场组织与汇报的评分要点（xlsx）');
    await expect.poll(() => sec.getByTestId('template-total').textContent()).toBe('100');

    // a scorer, found by name among the server's accounts and picked
    const addScorer = sec.getByTestId('add-scorer-form');
    await addScorer.getByLabel('搜索账号').fill('评委甲');
    await addScorer.getByRole('button', { name: '选择评委甲 scorer1' }).click();
    await expect.poll(() => addScorer.getByLabel('姓名').inputValue()).toBe('评委甲');
    await addScorer.getByRole('button', { name: '添加' }).click();
    await sec.getByTestId('desk-scorer').filter({ hasText: '评委甲' }).waitFor();

    // publish
    await sec.getByRole('button', { name: '发布观摩活动' }).click();
    await sec.getByRole('dialog').getByRole('button', { name: '确认发布' }).click();
    await expect.poll(() => sec.getByTestId('tour-status').textContent()).toBe('已发布');
    await waitSynced(sec);
    await sec.screenshot({ path: path.join(artefactsDir, 'desk-2-published.png'), fullPage: true });

    // the board, before anyone scored
    await go(sec, `#/desk/tours/${encodeURIComponent(tourId)}/board`);
    const cell = sec.getByTestId('board-row').filter({ hasText: STOP_NAME }).locator('td[data-scorer="评委甲"]');
    await expect.poll(() => cell.getAttribute('data-state')).toBe('notStarted');

    // the scorer's laptop receives the tour on its sync, scores the stop and submits
    const scorer = await newLaptop({ periodMs: 2_000 });
    await signIn(scorer, 'scorer1');
    await go(scorer, '#/tours');
    await scorer.getByRole('link', { name: TOUR_NAME }).first().waitFor();
    await go(scorer, `#/tours/${encodeURIComponent(tourId)}`);
    await scorer.getByRole('heading', { level: 1, name: TOUR_NAME }).waitFor();
    await scorer.getByTestId('stop').filter({ hasText: STOP_NAME }).getByRole('link', { name: STOP_NAME }).click();
    await scorer.getByRole('heading', { level: 1, name: STOP_NAME }).waitFor();
    await scorer.getByTestId('score-sheet').getByLabel('项目规模', { exact: true }).click();
    for (const value of CRITERIA_VALUES) {
      await scorer.keyboard.press('ControlOrMeta+A');
      await scorer.keyboard.type(value);
      await scorer.keyboard.press('Enter');
    }
    await scorer.locator('[data-testid="save-status"][data-status="saved"]').waitFor({ timeout: 10_000 }).catch(async (error: unknown) => {
      await scorer.screenshot({ path: path.join(artefactsDir, 'desk-fail.png'), fullPage: true });
      throw new Error(`not saved: ${await scorer.getByTestId('save-status').getAttribute('title')} ${await scorer.getByTestId('save-status').textContent()}`, { cause: error });
    });
    await scorer.getByTestId('submit-sheet').click();
    await scorer.getByRole('dialog').getByRole('button', { name: '确认提交' }).click();
    await scorer.getByTestId('submitted-sheet').waitFor();
    await waitSynced(scorer);

    // the board shows it without a button press (the board asks for frequent sync rounds)
    await expect.poll(() => cell.getAttribute('data-state'), { timeout: 30_000 }).toBe('submitted');
    await expect.poll(() => sec.getByTestId('board-total-submitted').textContent()).toBe('1');
    await sec.getByTestId('board-missing').getByText(STOP_NAME).waitFor({ state: 'detached' });
    await sec.screenshot({ path: path.join(artefactsDir, 'desk-3-board.png'), fullPage: true });

    // editing the published tour reaches the scorer's laptop on its next sync
    const renamed = `${TOUR_NAME}（修订）`;
    await go(sec, `#/desk/tours/${encodeURIComponent(tourId)}`);
    const meta = sec.getByTestId('tour-meta-form');
    await meta.getByLabel('活动名称').fill(renamed);
    await meta.getByRole('button', { name: '保存基本信息' }).click();
    await meta.getByText('已保存，评委的电脑下次同步时收到更改').waitFor();
    await go(scorer, `#/tours/${encodeURIComponent(tourId)}`);
    await scorer.getByRole('heading', { level: 1, name: renamed }).waitFor({ timeout: 30_000 });
  });
});
