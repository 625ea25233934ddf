/**
 * The secretariat's rankings desk end to end in Chromium, against the real server (its own
 * instance with the demo tours and accounts, so the demo passwords are known):
 *   1. the demo scorers submit their sheets through the real sync push (fast, no UI typing);
 *   2. the secretariat signs in, syncs, opens the rankings: the figures are there;
 *   3. a rule change (no trimming) recomputes at once; saving it writes the tour;
 *   4. the workbook is exported (download captured), read back with exceljs, and its figures
 *      compared with the on-screen figures;
 *   5. a submitted sheet is reopened with a reason, which shows in the audit log; offline,
 *      reopening says it needs a connection;
 *   6. the results are published (tour status through the outbox and sync);
 *   7. the bulletin print view holds the title and rankings and renders to a PDF (page.pdf()) of a
 *      page or two (no photos, so no photo pages).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Criterion, Scorer, Stop, Tour } from '@shared/domain/schemas';
import { startServer, type RunningServer } from '../../server/src/app';
import { signIn as apiSignIn } from '../../server/src/test-support/auth-fixtures';
import { buildSheet, SyncClient } from '../../server/src/test-support/sync-client';
import { loadConfig } from '../../server/src/config';
import { waitLanded } from './helpers/app-actions';
import { chromiumPath } from './helpers/chromium';
import { artefactsDir, rendererDistDir } from './helpers/paths';

const TOUR_ID = 'demo-chongchuan-2021';
const TOUR_NAME = '崇川区2021年重点项目现场观摩评议';
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let dataDir: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
const passwords = new Map<string, string>();

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
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args });
  await fs.mkdir(artefactsDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

/** A value on the criterion's step, from a few seeds, so scorers differ and sheets are complete. */
function scoreFor(criterion: Criterion, scorerIndex: number, stopIndex: number, k: number): number {
  const fraction = 0.62 + ((scorerIndex * 7 + stopIndex * 3 + k * 5) % 11) / 30;
  const steps = Math.floor((criterion.max * Math.min(1, fraction)) / criterion.step);
  return Math.round(steps * criterion.step * 100) / 100;
}

/** Every demo scorer submits a sheet for every stop they do not recuse from, through push. */
async function submitAllSheets(): Promise<number> {
  let submitted = 0;
  for (const [scorerIndex, username] of ['scorer1', 'scorer2', 'scorer3', 'scorer4', 'scorer5'].entries()) {
    const token = await apiSignIn(server.app, username, passwords.get(username));
    const client = new SyncClient(server.app, token);
    const records = await client.pullAll();
    const data = (collection: string) => records.filter((r) => r.collection === collection && r.data).map((r) => r.data as Record<string, unknown>);
    const tour = data('tours').find((t) => t.id === TOUR_ID) as unknown as Tour;
    const stops = (data('stops') as unknown as Stop[]).filter((s) => s.tourId === TOUR_ID).sort((a, b) => a.day.localeCompare(b.day) || a.order - b.order);
    const me = (data('scorers') as unknown as Scorer[]).find((s) => s.tourId === TOUR_ID && s.role === 'scorer' && s.userId === `demo-user-${username}`)!;
    expect(me, `${username} is a scorer of the demo tour`).toBeTruthy();
    const mutations = stops
      .filter((stop) => !(tour.rules.recusal && me.homeUnitId === stop.unitId))
      .map((stop, stopIndex) => {
        const scores = Object.fromEntries(tour.template!.criteria.map((c, k) => [c.key, scoreFor(c, scorerIndex, stopIndex, k)]));
        const sheet = { ...buildSheet(TOUR_ID, stop.id, me.id, scores, 'submitted'), submittedAt: new Date().toISOString() };
        return client.mutation('sheets', TOUR_ID, sheet);
      });
    await client.pushOk(mutations);
    submitted += mutations.length;
  }
  return submitted;
}

async function waitSynced(p: Page): Promise<void> {
  await p.locator('[data-testid="sync-indicator"][data-tone="ok"][data-pending="0"]').waitFor({ timeout: 60_000 });
}

/** stop name → score shown, per project ranking table on screen */
async function screenProjectScores(p: Page): Promise<Map<string, string>> {
  const rows = await p.getByTestId('project-ranking').locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector('th')!.textContent!.trim(), tr.querySelector('[data-testid="project-score"]')!.textContent!.trim()] as [string, string]),
  );
  return new Map(rows);
}

describe('secretariat rankings desk', () => {
  it('shows the rankings, recomputes on a rule change, exports, reopens and prints', async () => {
    const sheetCount = await submitAllSheets();
    expect(sheetCount).toBeGreaterThan(20);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    const baseUrl = server.url;

    // sign in as the secretariat and let sync bring every sheet
    await page.goto(new URL('#/sync', baseUrl).href);
    const form = page.getByTestId('sign-in-form');
    await form.getByLabel('用户名').fill('secretariat');
    await form.getByLabel('密码').fill(passwords.get('secretariat')!);
    await form.getByRole('button', { name: '登录' }).click();
    // a fresh sign-in lands on the role's home (the desk, or 我的观摩)
    await waitLanded(page);
    await waitSynced(page);

    await page.evaluate((h) => void (location.hash = h), `#/tours/${TOUR_ID}/rankings`);
    await page.getByRole('heading', { level: 1, name: `${TOUR_NAME} · 排名` }).waitFor();
    // every sheet arrived: nothing is missing
    await expect.poll(() => page.getByTestId('rankings-page').locator('.page__subtitle').textContent(), { timeout: 30_000 }).toContain('未交评分表 0 张');
    const trimmed = await screenProjectScores(page);
    expect(trimmed.size).toBeGreaterThanOrEqual(5);
    for (const score of trimmed.values()) expect(score).toMatch(/^\d{1,3}\.\d{2}$/);
    await page.screenshot({ path: path.join(artefactsDir, 'desk-rankings-1.png'), fullPage: true });

    // rule change: no trimming → recomputed at once (preview), then saved to the tour
    const rules = page.getByTestId('rules-panel');
    await rules.getByLabel('去掉最高分和最低分').uncheck();
    await expect.poll(async () => [...(await screenProjectScores(page)).entries()].some(([name, s]) => trimmed.get(name) !== s)).toBe(true);
    const plain = await screenProjectScores(page);
    // exporting trial rules asks first; cancelled here (the rules are saved below)
    await expect.poll(() => rules.textContent()).toContain('试算，未保存的规则');
    await page.getByTestId('export-xlsx').click();
    const askTrial = page.getByRole('dialog');
    await expect.poll(() => askTrial.textContent()).toContain('当前为试算规则，尚未保存。仍按试算规则导出？');
    await askTrial.getByRole('button', { name: '取消' }).click();
    await rules.getByRole('button', { name: '保存规则' }).click();
    await expect.poll(() => page.evaluate(async (tourId) => {
      const open = indexedDB.open('guanmo');
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const tour = await new Promise<{ rules: { trim: unknown } }>((resolve, reject) => {
        const req = db.transaction('tours').objectStore('tours').get(tourId);
        req.onsuccess = () => resolve(req.result as { rules: { trim: unknown } });
        req.onerror = () => reject(req.error);
      });
      db.close();
      return tour.rules.trim;
    }, TOUR_ID)).toBeNull();
    await expect.poll(() => screenProjectScores(page)).toEqual(plain);
    await expect.poll(() => rules.textContent()).not.toContain('试算');

    // export the workbook, read it back, compare with the screen
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/成绩汇总-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const file = path.join(artefactsDir, 'desk-rankings.xlsx');
    await download.saveAs(file);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const fromWorkbook = new Map<string, string>();
    for (const sheet of workbook.worksheets.filter((w) => w.name.startsWith('项目排名'))) {
      // row 1 title, row 2 header (名次, 并列, 项目名称, 参评单位, 类别, 得分 …)
      for (let r = 3; r <= sheet.rowCount; r++) {
        const row = sheet.getRow(r);
        const value = row.getCell(6).value;
        expect(typeof value).toBe('number');
        expect(typeof row.getCell(1).value).toBe('number');
        fromWorkbook.set(String(row.getCell(3).value), (value as number).toFixed(2));
      }
    }
    expect(fromWorkbook).toEqual(plain);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['排名规则', '单位排名', '分项平均', '评分明细', '评委统计']));
    // saved rules now: no trial line, and the rules sheet says which rules these are
    expect(workbook.worksheets[0]!.name).toBe('排名规则');
    const ruleRows = new Map<string, unknown>();
    workbook.getWorksheet('排名规则')!.eachRow((row) => ruleRows.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(ruleRows.get('规则状态')).toBe('已保存的规则');
    expect(ruleRows.get('去掉最高分和最低分')).toBe('不去掉，取全部有效评分表的平均分');
    expect(ruleRows.get('计算时间（北京时间）')).toBeInstanceOf(Date);

    // reopen one submitted sheet with a reason: audited, and the sheet stops counting after sync
    const firstProject = page.getByTestId('project-ranking').first().locator('tbody tr').first();
    const projectName = (await firstProject.locator('th').textContent())!.trim();
    await firstProject.getByRole('button', { name: projectName }).click();
    const sheets = page.getByTestId('project-sheets');
    await sheets.locator('tr[data-fate="counted"]').first().getByRole('button', { name: '退回' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('退回原因').fill('分项“综合效益”漏评，请补充');
    await dialog.getByRole('button', { name: '退回' }).click();
    await page.getByTestId('audit-log').getByTestId('audit-reason').filter({ hasText: '分项“综合效益”漏评，请补充' }).waitFor({ timeout: 30_000 });
    await sheets.locator('tr[data-fate="reopened"]').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: path.join(artefactsDir, 'desk-rankings-2.png'), fullPage: true });

    // offline, reopening says it needs a connection (and changes nothing)
    await context.setOffline(true);
    await sheets.locator('tr[data-fate="counted"]').first().getByRole('button', { name: '退回' }).click();
    await expect.poll(() => page.getByRole('dialog').getByRole('alert').textContent()).toContain('需要联网');
    await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();
    await context.setOffline(false);

    // publish the results: the tour's status goes out through the outbox
    await page.getByRole('button', { name: '公布结果' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '公布' }).click();
    await expect.poll(() => page.getByTestId('tour-status').textContent()).toBe('结果已公布');
    await waitSynced(page);

    // bulletin: print view, then a PDF
    await page.evaluate((h) => void (location.hash = h), `#/tours/${TOUR_ID}/bulletin`);
    const bulletin = page.getByTestId('bulletin');
    await bulletin.getByRole('heading', { level: 1, name: `关于${TOUR_NAME}结果的通报` }).waitFor();
    const bulletinScores = await bulletin.getByTestId('bulletin-project-ranking').first().locator('tbody tr td.num').allTextContents();
    expect(bulletinScores.length).toBeGreaterThan(0);
    // the demo tour has no photos: no photo pages
    expect(await bulletin.getByTestId('bulletin-project').count()).toBe(0);
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: path.join(artefactsDir, 'desk-bulletin.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    await fs.writeFile(path.join(artefactsDir, 'desk-bulletin.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // the title, the rankings and the method, without empty per-project pages
    const pageCount = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pageCount).toBeGreaterThanOrEqual(1);
    expect(pageCount).toBeLessThanOrEqual(2);
    await context.close();
  });
});
