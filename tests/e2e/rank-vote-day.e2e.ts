/**
 * A rank-vote day (排序投票) on a real deployment, by clicking only after `/`, at 1366×768:
 *   1. the district's secretariat signs in, creates a rank-vote tour (the method chosen with it;
 *      no score template: the editor says none is needed), imports the itinerary of six 街道,
 *      pastes the list of eight voters (four district leaders, four 街道 heads who recuse from
 *      their own 街道) and assigns them all, and publishes; the voting board stays open;
 *   2. each voter signs in in a browser of their own: 区领导1 votes offline (first trying to
 *      submit the untouched ballot and being told to order it first), then comes back online;
 *      区领导2 works in English and by keyboard only; 钟秀街道书记 leaves a half-built draft
 *      (the board shows it as 草稿), then finishes; the board counts every ballot as it syncs;
 *   3. the rankings page, the exported workbook (单位排名 and every ballot in 投票明细) and the
 *      bulletin PDF agree with the shared engine run here on the orders as typed, and with the
 *      figures worked by hand below; then the desk is walked in English (board, rankings,
 *      bulletin).
 * Screenshots, the workbook and the PDF go to tests/.tmp/rank-vote-day-*.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ballotId, type RankBallot } from '@shared/domain/rank-vote';
import type { Scorer, Stop, Tour, Unit } from '@shared/domain/schemas';
import { computeRankings } from '@shared/ranking';
import { signIn as apiSignIn } from '../../server/src/test-support/auth-fixtures';
import { SyncClient } from '../../server/src/test-support/sync-client';
import { eventually, waitSynced } from './helpers/app-actions';
import { chromiumArgs, chromiumPath } from './helpers/chromium';
import { startRealServer, type RealAccount, type RealServer } from './helpers/demo-server';
import { watchPageProblems } from './helpers/page-problems';
import { artefactsDir } from './helpers/paths';
import { missingPdfTools, pdfText } from './helpers/pdf-tools';

const TOUR_NAME = '崇川区2021年街道重点工作观摩排序';
const ITINERARY = [
  ['序号', '观摩日期', '顺序', '县市区', '分组', '项目名称', '项目类型', '总投资(万元)'],
  ['1', '2021-12-10', '1', '和平桥街道', '', '和平桥社区党群服务中心', '民生', '1200'],
  ['2', '2021-12-10', '2', '和平桥街道', '', '濠西路老旧小区改造', '民生', '3500'],
  ['3', '2021-12-10', '3', '任港街道', '', '任港路口袋公园', '民生', '800'],
  ['4', '2021-12-10', '4', '新城桥街道', '', '新城桥养老服务综合体', '民生', '2600'],
  ['5', '2021-12-10', '5', '虹桥街道', '', '虹桥数字经济产业园', '服务业', '18000'],
  ['6', '2021-12-10', '6', '虹桥街道', '', '虹桥菜场提升工程', '民生', '900'],
  ['7', '2021-12-11', '1', '学田街道', '', '学田智慧社区', '民生', '1500'],
  ['8', '2021-12-11', '2', '钟秀街道', '', '钟秀路街巷整治', '民生', '2200'],
];
/** the six 街道 in itinerary order */
const [A, B, C, D, E, F] = ['和平桥街道', '任港街道', '新城桥街道', '虹桥街道', '学田街道', '钟秀街道'] as const;
const STREETS = [A, B, C, D, E, F];

interface Voter {
  account: RealAccount;
  post: string;
  /** home 街道: recused from it (left off their ballot) */
  home: string | null;
  /** the order they give, best first */
  order: readonly string[];
}
const account = (username: string, displayName: string): RealAccount => ({ username, displayName, role: 'scorer', password: `${username}-pass-2021` });
const VOTERS: readonly Voter[] = [
  { account: account('qld1', '区领导1'), post: '区委书记', home: null, order: [C, A, D, B, F, E] },
  { account: account('qld2', '区领导2'), post: '区长', home: null, order: [A, C, D, F, B, E] },
  { account: account('qld3', '区领导3'), post: '区委副书记', home: null, order: [C, D, A, B, E, F] },
  { account: account('qld4', '区领导4'), post: '常务副区长', home: null, order: [A, D, C, B, F, E] },
  { account: account('hpq', '和平桥街道书记'), post: '党工委书记', home: A, order: [C, D, B, F, E] },
  { account: account('rg', '任港街道书记'), post: '党工委书记', home: B, order: [A, C, D, E, F] },
  { account: account('xt', '学田街道书记'), post: '党工委书记', home: E, order: [D, C, A, B, F] },
  { account: account('zx', '钟秀街道书记'), post: '党工委书记', home: F, order: [C, A, D, B, E] },
];
const secretariat: RealAccount = { username: 'qgmb', displayName: '区观摩办', role: 'secretariat', password: 'guanmoban-pass-2021' };

/**
 * Worked by hand: rank r on a ballot earns 100 − 3(r − 1) (100, 97, 94, 91, 88, 85); a 街道 head's
 * ballot ranks the five others. 和平桥 (97+100+94+100+100+94+97)/7 = 682/7 = 97.43; 任港 637/7 =
 * 91.00; 新城桥 (100+97+100+94+100+97+97+100)/8 = 98.125 → 98.13; 虹桥 767/8 = 95.875 → 95.88;
 * 学田 610/7 = 87.14; 钟秀 619/7 = 88.43. One list (no groups), no ties.
 */
const HAND_WORKED = [
  { rank: 1, name: C, ballots: 8, score: '98.13' },
  { rank: 2, name: A, ballots: 7, score: '97.43' },
  { rank: 3, name: D, ballots: 8, score: '95.88' },
  { rank: 4, name: B, ballots: 7, score: '91.00' },
  { rank: 5, name: F, ballots: 7, score: '88.43' },
  { rank: 6, name: E, ballots: 7, score: '87.14' },
];
const points = (place: number) => 100 - 3 * (place - 1);

let real: RealServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[][] = [];

beforeAll(async () => {
  await fs.mkdir(artefactsDir, { recursive: true });
  real = await startRealServer([secretariat, ...VOTERS.map((v) => v.account)]);
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await real?.close();
});

/** A laptop of its own (own IndexedDB, own sign-in), 1366×768, China locale and time. */
async function newLaptop(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  contexts.push(context);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(real.baseUrl).origin });
  const page = await context.newPage();
  problems.push(watchPageProblems(page, new URL(real.baseUrl).origin).problems);
  return page;
}

const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: path.join(artefactsDir, `rank-vote-day-${name}.png`), fullPage });

/** From `/`: a real server opens at sign-in; the app lands on the role's home. */
async function signInFromRoot(page: Page, who: RealAccount): Promise<void> {
  await page.goto(real.baseUrl);
  const form = page.getByTestId('sign-in-form');
  await eventually(() => form.getByLabel('服务器地址').inputValue()).toBe(new URL(real.baseUrl).origin);
  await form.getByLabel('用户名').fill(who.username);
  await form.getByLabel('密码').fill(who.password);
  await form.getByRole('button', { name: '登录' }).click();
  await page.waitForFunction((hash) => location.hash === hash, who.role === 'secretariat' ? '#/desk' : '#/tours', { timeout: 60_000 });
  await waitSynced(page);
}

const mainNav = (page: Page, locale: 'zh-CN' | 'en') => page.getByRole('navigation', { name: locale === 'en' ? 'Main navigation' : '主导航' });

/** The app's language, switched on its settings page. */
async function switchLanguage(page: Page, to: 'English' | '简体中文'): Promise<void> {
  await mainNav(page, to === 'English' ? 'zh-CN' : 'en').getByRole('link', { name: to === 'English' ? '设置' : 'Settings' }).click();
  await page.getByLabel(to).check();
  await page.getByRole('heading', { level: 1, name: to === 'English' ? 'Settings' : '设置' }).waitFor();
}

const placedOnBallot = (page: Page) => page.getByTestId('ballot-unit').locator('.ballot-unit__name').allTextContents();
const waitingOnBallot = (page: Page) => page.getByTestId('ballot-place').locator('.ballot-place__name').allTextContents();

/** From 我的观摩: the tour, then its ballot (the one list of all units). */
async function openBallot(page: Page, linkName = '排序「全部参评单位」'): Promise<void> {
  await page.getByTestId('tour-card').filter({ hasText: TOUR_NAME }).getByRole('link').first().click();
  await page.getByRole('heading', { level: 1, name: TOUR_NAME }).waitFor();
  await page.getByTestId('tour-ballots').getByRole('link', { name: linkName }).click();
  await page.getByTestId('ballot-form').waitFor();
}

/** Places the units by clicking them, in this order (each goes to the next rank). */
async function placeByClicking(page: Page, order: readonly string[], from = 0): Promise<void> {
  for (const [i, unit] of order.entries()) {
    await page.getByRole('button', { name: `把「${unit}」排为第 ${from + i + 1} 名` }).click();
    await eventually(() => page.getByTestId('ballot-unit').count()).toBe(from + i + 1);
  }
}

async function submitBallot(page: Page, confirm: string, locked: RegExp): Promise<void> {
  await page.getByTestId('submit-ballot').click();
  await page.getByRole('dialog').getByRole('button', { name: confirm }).click();
  await page.getByTestId('ballot-locked').getByText(locked).waitFor();
}

describe('a rank-vote day', () => {
  it('from `/`: prepare without a template, bulk-assign, publish; eight voters vote offline and online; board, rankings, workbook and bulletin agree with the engine and the hand-worked figures', { timeout: 600_000 }, async () => {
    // ── 1. the secretariat prepares the tour ────────────────────────────────────────────────
    const sec = await newLaptop();
    await signInFromRoot(sec, secretariat);
    await sec.getByRole('heading', { level: 1, name: '秘书处工作台' }).waitFor();
    await sec.getByRole('button', { name: '新建观摩活动' }).click();
    const newTour = sec.getByTestId('new-tour-form');
    await newTour.getByLabel('活动名称').fill(TOUR_NAME);
    await newTour.getByLabel('计分方法').selectOption({ label: '排序投票（第r名得 100−3(r−1) 分）' });
    await newTour.getByText('不需要评分表').waitFor();
    await newTour.getByRole('button', { name: '创建' }).click();
    await sec.getByRole('heading', { level: 1, name: TOUR_NAME }).waitFor();

    // no template: the editor says so, and offers nothing to fill
    const templateSection = sec.getByTestId('template-section');
    await templateSection.getByTestId('template-not-needed').waitFor();
    expect(await templateSection.getByTestId('template-import').count()).toBe(0);
    expect(await sec.getByTestId('rules-section').getByLabel('计分方法').inputValue()).toBe('rankVote');

    // the itinerary: six 街道, eight stops over two days
    const stopsImport = sec.getByTestId('stops-import');
    const csv = '\ufeff' + ITINERARY.map((row) => row.join(',')).join('\r\n') + '\r\n';
    await stopsImport.locator('input[type=file]').setInputFiles({ name: '街道观摩点位表.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await eventually(() => stopsImport.getByTestId('import-preview').locator('table tbody tr').count()).toBe(ITINERARY.length - 1);
    await stopsImport.getByTestId('import-preview').getByRole('button', { name: '保存导入' }).click();
    await eventually(() => sec.getByTestId('desk-stop').count()).toBe(ITINERARY.length - 1);

    // the voters: the list pasted from Excel, every account matched, all assigned at once
    const section = sec.getByTestId('scorers-section');
    const pasted = [['序号', '姓名', '账号', '职务', '所属单位'], ...VOTERS.map((v, i) => [String(i + 1), v.account.displayName, v.account.username, v.post, v.home ?? ''])];
    await sec.evaluate((text) => navigator.clipboard.writeText(text), pasted.map((r) => r.join('\t')).join('\r\n') + '\r\n');
    await section.getByLabel('从 Excel 粘贴名单（选中含表头的区域，复制后粘贴到这里）').click();
    await sec.keyboard.press('ControlOrMeta+V');
    await eventually(() => section.getByTestId('scorer-preview-row').count()).toBe(VOTERS.length);
    await eventually(() => section.getByTestId('assign-all').textContent()).toBe(`全部分配（${VOTERS.length} 人）`);
    await section.getByTestId('assign-all').click();
    await eventually(() => sec.getByTestId('desk-scorer').count()).toBe(VOTERS.length);
    expect(await sec.getByLabel('学田街道书记的所属单位').locator('option:checked').textContent()).toBe(E);

    // ready: nothing about a template keeps it from being published
    expect(await sec.getByTestId('publish-problems').count()).toBe(0);
    await sec.getByRole('button', { name: '发布观摩活动' }).click();
    await sec.getByRole('dialog').getByRole('button', { name: '确认发布' }).click();
    await eventually(() => sec.getByTestId('tour-status').textContent()).toBe('已发布');
    await waitSynced(sec);
    await shot(sec, '1-editor', true);

    // the voting board, through the tour bar, left open from here on
    const nav = sec.getByTestId('tour-desk-nav');
    await nav.getByRole('link', { name: '投票进度' }).click();
    await sec.getByRole('heading', { level: 1, name: '排序投票进度' }).waitFor();
    const boardTotal = () => sec.getByTestId('ballot-board-total').textContent();
    await eventually(boardTotal).toBe(`0/${VOTERS.length}`);
    expect(await sec.getByTestId('ballot-board-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-scorer')))).toEqual(VOTERS.map((v) => v.account.displayName));
    expect(await sec.getByTestId('ballot-board').locator('thead th').allTextContents()).toEqual(['评委', '全部参评单位', '已提交']);
    let submitted = 0;

    // ── 2. the voters ───────────────────────────────────────────────────────────────────────
    for (const [n, voter] of VOTERS.entries()) {
      const page = await newLaptop();
      const isEnglish = n === 1;
      await signInFromRoot(page, voter.account);
      if (isEnglish) {
        await switchLanguage(page, 'English');
        await mainNav(page, 'en').getByRole('link', { name: 'Tours' }).click();
      }
      const eligible = STREETS.filter((s) => s !== voter.home);

      if (n === 0) {
        // 区领导1 on the bus: offline from the moment the tour is on the laptop
        await page.context().setOffline(true);
        await openBallot(page);
        expect(await placedOnBallot(page)).toEqual([]);
        expect(await waitingOnBallot(page)).toEqual(STREETS);
        // an untouched ballot is not a vote
        await page.getByTestId('submit-ballot').click();
        await eventually(() => page.getByTestId('ballot-not-ready').textContent()).toBe('还没有排序，不能提交。请从“待排序的单位”中按你的评价依次点选，先点的排第 1 名；全部排好后再提交。');
        expect(await page.getByRole('dialog').count()).toBe(0);
        await shot(page, '2-ballot-untouched');
        await placeByClicking(page, voter.order.slice(0, 3));
        await shot(page, '3-ballot-half');
        await placeByClicking(page, voter.order.slice(3), 3);
        expect(await placedOnBallot(page)).toEqual(voter.order);
        expect(await page.getByTestId('ballot-points').allTextContents()).toEqual(voter.order.map((_, i) => `${points(i + 1)} 分`));
        await shot(page, '4-ballot-complete');
        await submitBallot(page, '确认提交', /已于 .* 提交，排序已锁定/);
        await shot(page, '5-ballot-submitted');
        // the desk cannot know yet
        expect(await boardTotal()).toBe('0/8');
        await page.context().setOffline(false);
      } else if (isEnglish) {
        // 区领导2 in English, by keyboard only: Tab to a unit, Enter places it at the next rank
        await openBallot(page, 'Rank “All units”');
        await page.getByTestId('submit-ballot').click();
        await eventually(() => page.getByTestId('ballot-not-ready').textContent()).toBe('Nothing is ranked yet, so there is nothing to submit. Pick the units to place in your order of preference, rank 1 first; submit once all are placed.');
        // the refused submit put the focus on the first unit to place; Tab / Shift+Tab move among them
        for (const [i, unit] of voter.order.entries()) {
          const wanted = `Place “${unit}” at rank ${i + 1}`;
          for (let presses = 0; presses < 12 && (await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))) !== wanted; presses++) {
            const labels = await page.getByTestId('ballot-place').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')));
            const at = labels.indexOf(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null));
            await page.keyboard.press(at > labels.indexOf(wanted) ? 'Shift+Tab' : 'Tab');
          }
          expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(wanted);
          await page.keyboard.press('Enter');
          await eventually(() => page.getByTestId('ballot-unit').count()).toBe(i + 1);
        }
        expect(await placedOnBallot(page)).toEqual(voter.order);
        // nothing left to place: the focus is on submit, Enter opens the confirmation
        await eventually(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('submit-ballot');
        await shot(page, 'en-1-ballot-complete');
        await page.keyboard.press('Enter');
        await page.getByRole('dialog').getByRole('button', { name: 'Submit' }).click();
        await page.getByTestId('ballot-locked').getByText(/^Submitted at .*; the order is locked/).waitFor();
        await shot(page, 'en-2-ballot-submitted');
      } else if (n === VOTERS.length - 1) {
        // 钟秀街道书记 starts, leaves a half-built draft, and finishes later
        await openBallot(page);
        expect(await waitingOnBallot(page)).toEqual(eligible);
        expect(await page.getByTestId('ballot-recused').textContent()).toContain(`「${F}」是你所在的单位`);
        await placeByClicking(page, voter.order.slice(0, 2));
        await page.locator('[data-testid="ballot-save-status"][data-status="saved"]').waitFor();
        await page.getByRole('link', { name: '返回观摩活动' }).click();
        await eventually(() => page.getByTestId('ballot-state-progress').textContent()).toBe('已排 2/5');
        await waitSynced(page);
        await eventually(() => sec.getByTestId('ballot-board-summary').textContent()).toBe(`已提交 ${submitted} / 8 张，草稿 1，已退回 0，未开始 ${8 - submitted - 1}`);
        expect(await sec.locator(`[data-testid="ballot-board-row"][data-scorer="${voter.account.displayName}"] td[data-state]`).getAttribute('data-state')).toBe('draft');
        await shot(sec, '6-board-draft', true);
        await page.getByTestId('tour-ballots').getByRole('link', { name: '排序「全部参评单位」' }).click();
        await page.getByTestId('ballot-form').waitFor();
        expect(await placedOnBallot(page)).toEqual(voter.order.slice(0, 2));
        // half done: still not a ballot
        await page.getByTestId('submit-ballot').click();
        await eventually(() => page.getByTestId('ballot-not-ready').textContent()).toBe('还有 3 个单位没有排序：请先把全部单位排好再提交。');
        await placeByClicking(page, voter.order.slice(2), 2);
        await submitBallot(page, '确认提交', /已于 .* 提交/);
      } else {
        await openBallot(page);
        expect(await waitingOnBallot(page)).toEqual(eligible);
        if (n === 2) {
          // 区领导3 drags the first two from the waiting list (the second onto the first's place), then clicks
          const order = voter.order;
          await page.getByTestId('ballot-place').filter({ hasText: order[1]! }).dragTo(page.getByTestId('ballot-units'));
          await page.getByTestId('ballot-place').filter({ hasText: order[0]! }).dragTo(page.getByTestId('ballot-unit').filter({ hasText: order[1]! }));
          await eventually(() => placedOnBallot(page)).toEqual(order.slice(0, 2));
          await placeByClicking(page, order.slice(2), 2);
        } else {
          await placeByClicking(page, voter.order);
        }
        expect(await placedOnBallot(page)).toEqual(voter.order);
        await submitBallot(page, '确认提交', /已于 .* 提交/);
      }
      await waitSynced(page);
      submitted++;
      // the open board counts it as the laptop syncs (the live channel), never reloaded
      await eventually(boardTotal).toBe(`${submitted}/8`);
      if (n === 0) await shot(sec, '7-board-first', true);
      await page.context().close();
    }
    await sec.getByTestId('ballot-board-missing').getByText('全部排序票都已提交。').waitFor();
    await shot(sec, '8-board-all-in', true);

    // ── 3. an independent computation: the tour as the server holds it, the orders as typed ────
    const api = new SyncClient(real.server.app, await apiSignIn(real.server.app, secretariat.username, secretariat.password));
    const records = await api.pullAll();
    const tourRecord = records.find((r) => r.collection === 'tours' && (r.data as { name?: string } | null)?.name === TOUR_NAME)!;
    const tourId = tourRecord.id;
    const tour = tourRecord.data as unknown as Tour;
    expect(tour.template).toBeNull();
    const ofTour = <T,>(collection: string) => records.filter((r) => r.collection === collection && !r.deleted && (r.data as { tourId?: string }).tourId === tourId).map((r) => r.data as T);
    const units = ofTour<Unit>('units');
    const stops = ofTour<Stop>('stops');
    const scorers = ofTour<Scorer>('scorers');
    const unitId = new Map(units.map((u) => [u.name, u.id]));
    const stored = ofTour<RankBallot>('ballots');
    const typed = VOTERS.map((voter) => {
      const scorer = scorers.find((s) => s.name === voter.account.displayName)!;
      expect(scorer.homeUnitId === null ? null : units.find((u) => u.id === scorer.homeUnitId)?.name).toBe(voter.home);
      const at = stored.find((b) => b.scorerId === scorer.id)?.submittedAt ?? null;
      return { id: ballotId(tourId, scorer.id, null), tourId, scorerId: scorer.id, group: null, unitIds: voter.order.map((u) => unitId.get(u)!), status: 'submitted' as const, submittedAt: at, updatedAt: at ?? '' };
    });
    // what the laptops pushed is exactly what the voters placed
    expect(stored.map((b) => ({ id: b.id, unitIds: b.unitIds, status: b.status })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      typed.map((b) => ({ id: b.id, unitIds: b.unitIds, status: b.status })).sort((a, b) => a.id.localeCompare(b.id)),
    );
    const rankings = computeRankings({ tour, units, stops, scorers, sheets: [], ballots: typed });
    expect(rankings.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    const fromEngine = rankings.units.map((u) => ({ rank: u.rank, name: unitName.get(u.unitId)!, ballots: u.votes!.ballotsCounted, score: u.score!.display }));
    expect(fromEngine).toEqual(HAND_WORKED);

    // the rankings page, through the tour bar
    await nav.getByRole('link', { name: '排名' }).click();
    await sec.getByRole('heading', { level: 1, name: `${TOUR_NAME} · 排名` }).waitFor();
    const unitTable = sec.getByTestId('unit-ranking');
    const screenRows = () =>
      unitTable.locator('tbody tr').evaluateAll((trs) =>
        trs.map((tr) => {
          const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim());
          return { rank: Number(cells[0]), name: tr.querySelector('th')!.textContent!.trim(), ballots: Number(cells[1]), score: tr.querySelector('[data-testid="unit-score"]')!.textContent!.trim() };
        }),
      );
    await eventually(screenRows).toEqual(HAND_WORKED);
    expect(await unitTable.locator('thead th').allTextContents()).toEqual(expect.arrayContaining(['参评单位', '有效排序票', '排序得分']));
    // no projects ranked, no criteria anywhere, no 未分组 list
    expect(await sec.getByTestId('project-ranking').count()).toBe(0);
    const pageText = await sec.getByTestId('rankings-page').innerText();
    expect(pageText).not.toMatch(/未分组|评分项|现场得分/);
    // the rules panel: only what applies to ballots
    const rulesPanel = sec.getByTestId('rules-panel');
    expect(await rulesPanel.getByLabel('单位得分').count()).toBe(0);
    expect(await rulesPanel.getByLabel('同分时比较').count()).toBe(0);
    expect(await rulesPanel.getByTestId('project-scope').count()).toBe(0);
    await shot(sec, '9-rankings', true);

    // the workbook
    const [download] = await Promise.all([sec.waitForEvent('download'), sec.getByTestId('export-xlsx').click()]);
    const workbookFile = path.join(artefactsDir, 'rank-vote-day-results.xlsx');
    await download.saveAs(workbookFile);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(workbookFile);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['排名规则', '单位排名', '投票明细', '评委统计']);
    const rowsOf = (name: string) => {
      const rows: unknown[][] = [];
      workbook.getWorksheet(name)!.eachRow((row, r) => r > 1 && rows.push((row.values as unknown[]).slice(1)));
      return rows;
    };
    const [unitHeader, ...unitRows] = rowsOf('单位排名');
    expect(unitHeader).toEqual(['排名范围', '名次', '并列', '参评单位', '有效排序票', '排序得分', '综合得分']);
    expect(unitRows.map((r) => ({ rank: r[1], name: r[3], ballots: r[4], score: (r[5] as number).toFixed(2) }))).toEqual(HAND_WORKED);
    expect(unitRows.every((r) => r[0] === '总排名')).toBe(true);
    // 投票明细: every ballot, unit by unit, voters in the list's order, the own 街道 marked
    const [ballotHeader, ...ballotRows] = rowsOf('投票明细');
    expect(ballotHeader).toEqual(['评委', '排名范围', '选票排序', '参评单位', '得分', '计分情况', '提交时间']);
    const expectedBallotRows = VOTERS.flatMap((voter) => [
      ...voter.order.map((unit, i) => [voter.account.displayName, '总排名', i + 1, unit, points(i + 1), '计入']),
      ...(voter.home ? [[voter.account.displayName, '总排名', null, voter.home, null, '回避（本单位，不计分）']] : []),
    ]);
    expect(ballotRows.map((r) => [r[0], r[1], r[2] ?? null, r[3], r[4] ?? null, r[5]])).toEqual(expectedBallotRows);
    expect(ballotRows.filter((r) => r[5] === '计入').every((r) => r[6] instanceof Date)).toBe(true);
    const rulesText = rowsOf('排名规则').map((r) => r.join(' ')).join('\n');
    expect(rulesText).toContain('已提交排序票 8');
    expect(rulesText).not.toMatch(/评分表》|评分项目/);

    // publish the results, then the bulletin as a PDF
    await sec.getByRole('button', { name: '公布结果' }).click();
    await sec.getByRole('dialog').getByRole('button', { name: '公布' }).click();
    await eventually(() => sec.getByTestId('tour-status').textContent()).toBe('结果已公布');
    await waitSynced(sec);
    await nav.getByRole('link', { name: '通报' }).click();
    const bulletin = sec.getByTestId('bulletin-document');
    await bulletin.getByRole('heading', { level: 1, name: `关于${TOUR_NAME}结果的通报` }).waitFor();
    expect(await sec.getByTestId('bulletin-project').count()).toBe(0);
    await shot(sec, '10-bulletin', true);
    await sec.emulateMedia({ media: 'print' });
    const pdfFile = path.join(artefactsDir, 'rank-vote-day-bulletin.pdf');
    await sec.pdf({ path: pdfFile, format: 'A4', printBackground: true });
    await sec.emulateMedia({ media: 'screen' });
    if (!missingPdfTools()) {
      const pages = (await pdfText(pdfFile)).split('\f').filter((p) => p.trim() !== '');
      expect(pages.length).toBe(1);
      const text = pages.join('\n');
      const squashed = text.replace(/\s+/g, '');
      expect(squashed).toContain('于2021年12月10日至11日举行，共观摩6个参评单位的8个项目');
      // the unit ranking in rank order: 名次, 参评单位, 有效票数, 得分
      const lines = text.split('\n').map((l) => l.trim().split(/\s+/));
      let at = -1;
      for (const row of HAND_WORKED) {
        const found = lines.findIndex((cells, i) => i > at && cells[0] === String(row.rank) && cells.includes(row.name) && cells.at(-1) === row.score && cells.includes(String(row.ballots)));
        expect(found, `the PDF has ${row.rank} ${row.name} ${row.ballots} ${row.score} after line ${at}:\n${text}`).toBeGreaterThan(at);
        at = found;
      }
      // the rank-vote rule, and nothing of score sheets or projects' ranking
      expect(squashed).toContain('各评委对全部参评单位排序投票，第1名得100分，每后一名减3分');
      expect(squashed).toContain('评委回避本单位（本单位不计分，其后各单位依次前移）');
      expect(squashed).toContain('单位得分取各评委所给分数的平均分');
      expect(squashed).not.toMatch(/项目排名|评分表|现场打分|未分组/);
    }

    // ── the desk in English: board, rankings, bulletin ──────────────────────────────────────
    await switchLanguage(sec, 'English');
    await mainNav(sec, 'en').getByRole('link', { name: 'Secretariat desk' }).click();
    const row = sec.getByTestId('desk-tour-row').filter({ hasText: TOUR_NAME });
    expect(await row.locator('td').nth(1).textContent()).toBe('Scored inspection · rank vote');
    await row.getByRole('link', { name: 'Voting progress' }).click();
    await sec.getByRole('heading', { level: 1, name: 'Rank vote progress' }).waitFor();
    await eventually(() => sec.getByTestId('ballot-board-summary').textContent()).toBe('8 / 8 submitted, 0 drafts, 0 reopened, 0 not started');
    await shot(sec, 'en-3-board', true);
    await nav.getByRole('link', { name: 'Rankings' }).click();
    await eventually(screenRows).toEqual(HAND_WORKED);
    await shot(sec, 'en-4-rankings', true);
    await nav.getByRole('link', { name: 'Bulletin' }).click();
    await bulletin.waitFor();
    await shot(sec, 'en-5-bulletin', true);

    expect(problems.flat()).toEqual([]);
  });
});
