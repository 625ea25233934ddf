/**
 * Rank vote (排序投票) end to end in Chromium against the real server (its own instance with the
 * demo accounts, so their passwords are known):
 *   1. the secretariat's rank-vote tour (three units, one overall list, recusal) is created through
 *      the server's sync API, as the desk's publish does;
 *   2. a scorer signs in on their laptop, opens the tour, the ballot page lists the units to place
 *      in itinerary order, none placed; submitting it untouched is refused; they place units by
 *      keyboard (Enter on a unit places it at the next rank) and by drag and drop, reorder with
 *      the down button, submit after the confirmation, and the ballot is locked; it syncs;
 *   3. a second scorer, from one of the units (recused from it), votes through the API;
 *   4. the secretariat signs in: the board shows both ballots in, and the rankings rank the
 *      units from the ballots, figure for figure; the exported workbook holds the rules, the unit
 *      ranking under the screen's name for the score (排序得分, no criterion columns) and every
 *      ballot unit by unit (投票明细);
 *   5. the secretariat reopens the first scorer's ballot on the board (audited): the scorer's
 *      laptop receives it on its next sync and the ballot is editable again.
 */
import fs from 'node:fs/promises';
import ExcelJS from 'exceljs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ballotId } from '@shared/domain/rank-vote';
import { signIn as apiSignIn } from '../../server/src/test-support/auth-fixtures';
import { buildTestTour, SyncClient, tourMutations } from '../../server/src/test-support/sync-client';
import { eventually, goTo, signIn, waitSynced } from './helpers/app-actions';
import { chromiumPath } from './helpers/chromium';
import { startDemoServer, type DemoServer } from './helpers/demo-server';
import { artefactsDir } from './helpers/paths';

const TOUR_ID = 'rv-e2e';
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const [U1, U2, U3] = [`${TOUR_ID}-u1`, `${TOUR_ID}-u2`, `${TOUR_ID}-u3`];
const NAMES: Record<string, string> = { [U1]: '港闸开发区', [U2]: '文峰街道', [U3]: '崇川经济开发区' };

let demo: DemoServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  demo = await startDemoServer();
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args });
  await fs.mkdir(artefactsDir, { recursive: true });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await demo?.close();
});

const password = (username: string) => {
  const p = demo.passwords.get(username);
  if (!p) throw new Error(`no demo password for ${username}`);
  return p;
};

async function newLaptop(syncPeriodMs?: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  contexts.push(context);
  if (syncPeriodMs) await context.addInitScript(`localStorage.setItem('guanmo.syncPeriodMs', '${syncPeriodMs}')`);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  return page;
}

/** A rank-vote tour: 港闸开发区 (2 stops, visited first), 文峰街道 (2 stops), 崇川经济开发区 (1 stop). */
async function createRankVoteTour(sec: SyncClient): Promise<void> {
  const t = buildTestTour(TOUR_ID, [
    { userId: 'demo-user-scorer1', name: '评委甲' },
    { userId: 'demo-user-scorer2', name: '评委乙', homeUnit: 'u2' },
  ]);
  t.tour.name = '排序投票观摩（测试）';
  t.tour.rules = { ...t.tour.rules, method: 'rankVote', unitScope: 'tour', recusal: true };
  t.units.forEach((u) => (u.name = NAMES[u.id]!));
  t.units.push({ id: U3, tourId: TOUR_ID, name: NAMES[U3]!, group: null, indicatorScore: null });
  t.stops.push({ ...t.stops[0]!, id: `${TOUR_ID}-s5`, unitId: U3, order: 5, name: '项目5' });
  await sec.pushOk(tourMutations(sec, t));
}

const ballotOrderOnScreen = (page: Page) => page.getByTestId('ballot-unit').locator('.ballot-unit__name').allTextContents();
const waitingOnScreen = (page: Page) => page.getByTestId('ballot-place').locator('.ballot-place__name').allTextContents();

describe('rank vote', () => {
  it('a scorer ranks the units in the app, it syncs, and the secretariat’s rankings come from the ballots', async () => {
    const sec = new SyncClient(demo.server.app, await apiSignIn(demo.server.app, 'secretariat', password('secretariat')));
    await createRankVoteTour(sec);

    // --- the scorer's laptop ---------------------------------------------------------------
    const scorer = await newLaptop(2_000);
    await signIn(scorer, demo.baseUrl, 'scorer1', password('scorer1'));
    await goTo(scorer, `#/tours/${TOUR_ID}`);
    const section = scorer.getByTestId('tour-ballots');
    await section.getByTestId('ballot-state').filter({ hasText: '未开始' }).waitFor();
    await section.getByRole('link', { name: '排序「全部参评单位」' }).click();
    await scorer.getByTestId('ballot-form').waitFor();
    // nothing placed for the scorer: the units wait in itinerary order
    expect(await ballotOrderOnScreen(scorer)).toEqual([]);
    expect(await waitingOnScreen(scorer)).toEqual([NAMES[U1], NAMES[U2], NAMES[U3]]);
    await scorer.getByTestId('submit-ballot').click();
    await eventually(() => scorer.getByTestId('ballot-not-ready').textContent()).toContain('还没有排序，不能提交');
    expect(await scorer.getByRole('dialog').count()).toBe(0);

    // keyboard: Enter on 崇川经济开发区 places it first; the focus stays in the waiting list
    await scorer.getByRole('button', { name: `把「${NAMES[U3]}」排为第 1 名` }).focus();
    await scorer.keyboard.press('Enter');
    await eventually(() => ballotOrderOnScreen(scorer)).toEqual([NAMES[U3]]);
    await eventually(() => scorer.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`把「${NAMES[U2]}」排为第 2 名`);
    await scorer.keyboard.press('Enter');
    await eventually(() => ballotOrderOnScreen(scorer)).toEqual([NAMES[U3], NAMES[U2]]);
    await eventually(() => scorer.getByTestId('ballot-announcement').textContent()).toBe(`「${NAMES[U2]}」排在第 2 名，还有 1 个单位待排`);

    // drag and drop: 港闸开发区 from the waiting list onto 文峰街道's place, then down one by its button
    await scorer.getByTestId('ballot-place').filter({ hasText: NAMES[U1]! }).dragTo(scorer.getByTestId('ballot-unit').filter({ hasText: NAMES[U2]! }));
    await eventually(() => ballotOrderOnScreen(scorer)).toEqual([NAMES[U3], NAMES[U1], NAMES[U2]]);
    await scorer.getByRole('button', { name: `下移「${NAMES[U1]}」` }).click();
    await eventually(() => ballotOrderOnScreen(scorer)).toEqual([NAMES[U3], NAMES[U2], NAMES[U1]]);
    expect(await scorer.getByTestId('ballot-points').allTextContents()).toEqual(['100 分', '97 分', '94 分']);
    await scorer.locator('[data-testid="ballot-save-status"][data-status="saved"]').waitFor();
    await scorer.screenshot({ path: path.join(artefactsDir, 'rank-vote-ballot-form.png'), fullPage: true });

    // submit, after the confirmation
    await scorer.getByTestId('submit-ballot').click();
    const dialog = scorer.getByRole('dialog');
    await expect.poll(() => dialog.textContent()).toContain(`第 1 名「${NAMES[U3]}」，最后一名「${NAMES[U1]}」，共 3 个单位。`);
    await dialog.getByRole('button', { name: '确认提交' }).click();
    await scorer.getByTestId('ballot-locked').waitFor();
    expect(await scorer.getByTestId('ballot-unit').locator('button').count()).toBe(0);
    expect(await ballotOrderOnScreen(scorer)).toEqual([NAMES[U3], NAMES[U2], NAMES[U1]]);
    await scorer.screenshot({ path: path.join(artefactsDir, 'rank-vote-ballot.png'), fullPage: true });
    await waitSynced(scorer);
    const id = ballotId(TOUR_ID, `${TOUR_ID}-p1`, null);
    const stored = (await sec.pullAll()).find((r) => r.collection === 'ballots' && r.id === id);
    expect(stored?.data).toMatchObject({ status: 'submitted', unitIds: [U3, U2, U1] });

    // --- the second scorer (from 文峰街道: recused from it) votes through the API -------------
    const s2 = new SyncClient(demo.server.app, await apiSignIn(demo.server.app, 'scorer2', password('scorer2')));
    const at = new Date().toISOString();
    await s2.pushOk([
      s2.mutation('ballots', TOUR_ID, { id: ballotId(TOUR_ID, `${TOUR_ID}-p2`, null), tourId: TOUR_ID, scorerId: `${TOUR_ID}-p2`, group: null, unitIds: [U3, U1], status: 'submitted', submittedAt: at, updatedAt: at }),
    ]);

    // --- the secretariat -------------------------------------------------------------------
    const desk = await newLaptop(2_000);
    await signIn(desk, demo.baseUrl, 'secretariat', password('secretariat'));
    await goTo(desk, `#/desk/tours/${TOUR_ID}/board`);
    await desk.getByTestId('ballot-board').waitFor();
    await expect.poll(() => desk.getByTestId('ballot-board-total').textContent(), { timeout: 30_000 }).toBe('2/2');
    expect(await desk.locator('[data-testid="ballot-board-row"][data-scorer="评委甲"] td[data-state]').getAttribute('data-state')).toBe('submitted');
    await desk.screenshot({ path: path.join(artefactsDir, 'rank-vote-board.png'), fullPage: true });

    // rankings from the ballots: 崇川经济开发区 100 (100, 100); 文峰街道 97 (scorer 1 only, the
    // other recused); 港闸开发区 95.5 (94, 97)
    await goTo(desk, `#/tours/${TOUR_ID}/rankings`);
    const units = desk.getByTestId('unit-ranking').locator('tbody tr');
    await expect
      .poll(async () => units.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-unit-id'), tr.querySelector('[data-testid="unit-score"]')?.textContent?.trim()])), { timeout: 30_000 })
      .toEqual([
        [U3, '100.00'],
        [U2, '97.00'],
        [U1, '95.50'],
      ]);
    await desk.screenshot({ path: path.join(artefactsDir, 'rank-vote-rankings.png'), fullPage: true });
    expect(await desk.getByTestId('unit-ranking').locator('thead th').allTextContents()).toContain('排序得分');

    // the workbook: the votes can be audited from it
    const [download] = await Promise.all([desk.waitForEvent('download'), desk.getByTestId('export-xlsx').click()]);
    const workbookFile = path.join(artefactsDir, 'rank-vote-results.xlsx');
    await download.saveAs(workbookFile);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(workbookFile);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['排名规则', '单位排名', '投票明细', '评委统计']);
    const rowsOf = (name: string) => {
      const rows: unknown[][] = [];
      workbook.getWorksheet(name)!.eachRow((row, n) => n > 1 && rows.push((row.values as unknown[]).slice(1)));
      return rows;
    };
    const [unitHeader, ...unitRows] = rowsOf('单位排名');
    expect(unitHeader).toEqual(['排名范围', '名次', '并列', '参评单位', '有效排序票', '排序得分', '综合得分']);
    expect(unitRows.map((r) => [r[1], r[3], r[5]])).toEqual([
      [1, NAMES[U3], 100],
      [2, NAMES[U2], 97],
      [3, NAMES[U1], 95.5],
    ]);
    const [ballotHeader, ...ballotRows] = rowsOf('投票明细');
    expect(ballotHeader).toEqual(['评委', '排名范围', '票上名次', '参评单位', '得分', '计分情况', '提交时间']);
    expect(ballotRows.map((r) => [r[0], r[2] ?? null, r[3], r[4] ?? null, r[5]])).toEqual([
      ['评委甲', 1, NAMES[U3], 100, '计入'],
      ['评委甲', 2, NAMES[U2], 97, '计入'],
      ['评委甲', 3, NAMES[U1], 94, '计入'],
      ['评委乙', 1, NAMES[U3], 100, '计入'],
      ['评委乙', 2, NAMES[U1], 97, '计入'],
      ['评委乙', null, NAMES[U2], null, '回避（本单位，不计分）'],
    ]);
    expect(ballotRows[0]![6]).toBeInstanceOf(Date);

    // --- reopen on the board; the scorer's laptop receives it and may change the order again ----
    await goTo(desk, `#/desk/tours/${TOUR_ID}/board`);
    await desk.getByRole('button', { name: '退回「评委甲」对「全部参评单位」的排序票' }).click();
    const reopen = desk.getByRole('dialog');
    await reopen.getByLabel('退回原因（必填）').fill('评委要求调整顺序');
    await reopen.getByRole('button', { name: '确认退回' }).click();
    await expect.poll(() => desk.locator('[data-testid="ballot-board-row"][data-scorer="评委甲"] td[data-state]').getAttribute('data-state'), { timeout: 30_000 }).toBe('reopened');
    await scorer.getByTestId('ballot-form').waitFor({ timeout: 60_000 });
    await scorer.getByText('秘书处已退回这张排序票，请调整后重新提交。').waitFor();
    expect(await ballotOrderOnScreen(scorer)).toEqual([NAMES[U3], NAMES[U2], NAMES[U1]]);
  });
});
