/**
 * A city tour's board and bulletin at full size, in Chromium against the real server: 33 projects
 * of 11 units in two groups (县组 visited on the first day, 区组 on the second — 区 sorts before
 * 县 by code point and by pinyin, so only the tour's own order puts 县组 first), scored by 15
 * scorers (4 city leaders and 11 unit heads who recuse from their own unit: 462 sheets), the
 * tour and the sheets made through the real sync push.
 *
 *   1. The secretariat signs in and clicks from the desk to the board: all 462 sheets arrive;
 *      rows come in itinerary order by day, columns in assignment order with 职务; the table
 *      fits the 1366 px window's width and at most two 768 px screens of height, one line per
 *      stop (cut names keep the whole name in a tooltip). Screenshots in zh-CN and en at
 *      1366×768 and 1280×720.
 *   2. From the desk to the rankings, results published, then the bulletin: the header fields
 *      typed and saved, no photo pages (no photos), printed to PDF with print media. The PDF
 *      (pdftotext, pdftoppm): at most 4 A4 pages, 县组 before 区组, Chinese dates only, the
 *      header fields where an official document has them, every unit's score as the shared
 *      engine computes it, every table page with its header row, no heading ending a page.
 *
 * Screenshots, the PDF and its pages go to tests/.tmp/desk-board-bulletin-*.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRankingRules, type Scorer, type Stop, type Template, type Tour, type Unit } from '@shared/domain/schemas';
import { computeRankings } from '@shared/ranking';
import { createTestUser, signIn as apiSignIn } from '../../server/src/test-support/auth-fixtures';
import { buildSheet, SyncClient } from '../../server/src/test-support/sync-client';
import { eventually, signIn, waitSynced } from './helpers/app-actions';
import { chromiumArgs, chromiumPath } from './helpers/chromium';
import { startDemoServer, type DemoServer } from './helpers/demo-server';
import { watchPageProblems } from './helpers/page-problems';
import { artefactsDir } from './helpers/paths';
import { missingPdfTools, pdfText, renderPdfPage } from './helpers/pdf-tools';

const TOUR_ID = 'lc-2018';
const TOUR_NAME = '聊城市2018年度重点项目现场观摩评议';

/** [unit, group, day, its three projects] in itinerary order */
const ITINERARY: [string, string, string, [string, string, string]][] = [
  ['莘县', '县组', '2018-12-03', ['莘县鲁西新材料产业园高端化工及配套设施建设项目', '莘县瓜菜菌标准化种植基地', '莘县智慧物流园']],
  ['阳谷县', '县组', '2018-12-03', ['阳谷祥光铜业阴极铜扩建项目', '阳谷县电缆产业园', '阳谷景阳冈文化旅游区提升工程']],
  ['东阿县', '县组', '2018-12-03', ['东阿阿胶健康产业园', '东阿县黄河生态廊道', '东阿经济开发区标准化厂房']],
  ['茌平县', '县组', '2018-12-03', ['茌平信发集团铝精深加工项目', '茌平县新能源汽车零部件产业园', '茌平县城乡供水一体化工程']],
  ['高唐县', '县组', '2018-12-03', ['高唐泉林纸业秸秆综合利用项目', '高唐县时风集团智能制造车间', '高唐县鱼丘湖片区改造']],
  ['冠县', '县组', '2018-12-03', ['冠县冠星纺织智能化改造项目', '冠县灵芝产业园', '冠县新型建材产业园']],
  ['临清市', '县组', '2018-12-03', ['临清轴承产业园', '临清市运河古城保护与利用工程', '临清市烟店轴承市场升级改造项目']],
  ['东昌府区', '区组', '2018-12-04', ['中通客车新能源客车扩建项目', '东昌府区古城保护与更新', '东昌府区妇幼保健院新院区']],
  ['聊城经济技术开发区', '区组', '2018-12-04', ['时代新能源动力电池项目', '中华路跨徒骇河大桥', '开发区智能装备产业园']],
  ['聊城高新技术产业开发区', '区组', '2018-12-04', ['高新区生物医药产业园', '鲁西化工高端尼龙新材料项目', '高新区科技创新中心']],
  ['江北水城旅游度假区', '区组', '2018-12-04', ['东昌湖水系综合治理工程', '水城明珠大剧场改造提升', '度假区智慧文旅服务中心']],
];

/** the secretariat's scorer list, in its order: [name, 职务, home unit] */
const SCORERS: [string, string, string | null][] = [
  ['市领导1', '市委书记', null],
  ['市领导2', '市长', null],
  ['市领导3', '市委副书记', null],
  ['市领导4', '常务副市长', null],
  ...(
    [
      ['莘县书记', '县委书记'],
      ['阳谷县书记', '县委书记'],
      ['东阿县书记', '县委书记'],
      ['茌平县书记', '县委书记'],
      ['高唐县书记', '县委书记'],
      ['冠县书记', '县委书记'],
      ['临清市书记', '市委书记'],
      ['东昌府区书记', '区委书记'],
      ['开发区书记', '党工委书记'],
      ['高新区书记', '党工委书记'],
      ['度假区书记', '党工委书记'],
    ] as const
  ).map(([name, post], i): [string, string, string] => [name, post, ITINERARY[i]![0]]),
];

const template: Template = {
  id: 'tpl-lc',
  name: '重点项目观摩评议表',
  criteria: [
    { key: 'scale', name: '项目规模', max: 20, step: 0.5, guidance: '' },
    { key: 'progress', name: '建设进度', max: 25, step: 0.5, guidance: '' },
    { key: 'tech', name: '科技含量与产业层次', max: 20, step: 0.5, guidance: '' },
    { key: 'benefit', name: '综合效益', max: 20, step: 0.5, guidance: '' },
    { key: 'report', name: '现场组织与汇报', max: 15, step: 0.5, guidance: '' },
  ],
};

const HEADER = {
  issuingAuthority: '聊城市重点项目观摩活动办公室',
  documentNumber: '聊观办[2018]5号',
  addressees: '各县（市、区）党委和人民政府，市属开发区党工委、管委会，市直有关部门',
  signedBy: '聊城市重点项目观摩活动办公室',
  issueDate: '2018-12-06',
};

let demo: DemoServer;
let browser: Browser;
const missingTools = missingPdfTools();

function buildTour() {
  const tour: Tour = {
    id: TOUR_ID,
    name: TOUR_NAME,
    kind: 'scored',
    startDate: '2018-12-03',
    endDate: '2018-12-04',
    status: 'scoring',
    template,
    rules: { ...defaultRankingRules, trim: { dropHighest: 1, dropLowest: 1, minSheets: 5 } },
  };
  const units: Unit[] = ITINERARY.map(([name, group], i) => ({ id: `${TOUR_ID}-u${i + 1}`, tourId: TOUR_ID, name, group, indicatorScore: null }));
  const order = new Map<string, number>();
  const stops: Stop[] = ITINERARY.flatMap(([, , day, names], u) =>
    names.map((name, k) => {
      const n = (order.get(day) ?? 0) + 1;
      order.set(day, n);
      return {
        id: `${TOUR_ID}-s${u + 1}-${k + 1}`,
        tourId: TOUR_ID,
        unitId: units[u]!.id,
        day,
        order: n,
        name,
        category: '工业',
        totalInvestment: 50000 + 10000 * k,
        completedInvestment: 20000,
        startDate: '2018-03-01',
        content: '',
        lat: null,
        lng: null,
        address: '',
        briefer: '',
      };
    }),
  );
  return { tour, units, stops };
}

/** A value on the criterion's step that differs by scorer, stop and criterion. */
function scoreFor(max: number, step: number, scorer: number, stop: number, k: number): number {
  const fraction = 0.6 + ((scorer * 7 + stop * 13 + k * 5) % 37) / 100;
  return Math.round(Math.floor((max * fraction) / step) * step * 100) / 100;
}

beforeAll(async () => {
  demo = await startDemoServer();
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  await fs.mkdir(artefactsDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

/** The tour, its scorers (accounts made on the server) and every sheet, through the real push. */
async function createScoredTour() {
  const { tour, units, stops } = buildTour();
  const unitId = new Map(units.map((u) => [u.name, u.id]));
  const accounts: Awaited<ReturnType<typeof createTestUser>>[] = [];
  for (const [i, [name]] of SCORERS.entries()) {
    accounts.push(await createTestUser(demo.server.db, { username: `lc${String(i + 1).padStart(2, '0')}`, role: 'scorer', displayName: name }));
  }
  const scorers: Scorer[] = SCORERS.map(([name, post, home], i) => ({
    id: `${TOUR_ID}-p${i + 1}`,
    tourId: TOUR_ID,
    userId: accounts[i]!.id,
    name,
    role: 'scorer',
    homeUnitId: home ? unitId.get(home)! : null,
    weightGroup: null,
    post,
    order: i,
  }));
  const sec = new SyncClient(demo.server.app, await apiSignIn(demo.server.app, 'secretariat', demo.passwords.get('secretariat')));
  // assigned in a scrambled order: only `order` says the list's order
  const scrambled = [...scorers].sort((a, b) => (a.name < b.name ? -1 : 1));
  await sec.pushOk([
    sec.mutation('tours', TOUR_ID, tour),
    ...units.map((u) => sec.mutation('units', TOUR_ID, u)),
    ...stops.map((s) => sec.mutation('stops', TOUR_ID, s)),
    ...scrambled.map((s) => sec.mutation('scorers', TOUR_ID, s)),
  ]);
  const sheets = [];
  for (const [i, scorer] of scorers.entries()) {
    const client = new SyncClient(demo.server.app, await apiSignIn(demo.server.app, accounts[i]!.username, accounts[i]!.password));
    const mine = stops
      .filter((stop) => stop.unitId !== scorer.homeUnitId)
      .map((stop, j) => buildSheet(TOUR_ID, stop.id, scorer.id, Object.fromEntries(template.criteria.map((c, k) => [c.key, scoreFor(c.max, c.step, i, j, k)])), 'submitted'));
    await client.pushOk(mine.map((sheet) => client.mutation('sheets', TOUR_ID, sheet)));
    sheets.push(...mine);
  }
  return { tour, units, stops, scorers, sheets };
}

/** What a reader sees of the board's scroll box and rows. */
async function boardGeometry(page: Page) {
  return page.getByTestId('board-scroll').evaluate((box) => {
    const table = box.querySelector('table')!;
    const rows = [...table.querySelectorAll<HTMLTableRowElement>('[data-testid="board-row"]')];
    const names = rows.map((row) => row.querySelector<HTMLElement>('th')!);
    const line = parseFloat(getComputedStyle(names[0]!).lineHeight);
    return {
      scrollHeight: box.scrollHeight,
      clientHeight: box.clientHeight,
      scrollWidth: box.scrollWidth,
      clientWidth: box.clientWidth,
      tableHeight: table.getBoundingClientRect().height,
      minTableWidth: parseFloat(getComputedStyle(table).minWidth),
      line,
      rowHeights: rows.map((row) => row.getBoundingClientRect().height),
      cut: names.filter((th) => th.scrollWidth > th.clientWidth).map((th) => ({ text: th.textContent, title: th.title })),
      /** what sticks out on the right (should be nothing), for the failure message */
      overflowing: [...box.querySelectorAll('*')]
        .filter((el) => el.getBoundingClientRect().right > box.getBoundingClientRect().left + box.clientLeft + box.clientWidth - 1)
        .slice(0, 8)
        .map((el) => `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`),
    };
  });
}

const shotsOf = (name: string) => path.join(artefactsDir, `desk-board-bulletin-${name}.png`);

/** The viewport, then the board scrolled to its end (what the second screen shows). */
async function boardShots(page: Page, name: string): Promise<void> {
  await page.getByTestId('board-scroll').scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shotsOf(`${name}-top`) });
  await page.getByTestId('board-scroll').evaluate((box) => {
    box.scrollIntoView({ block: 'end' });
    box.scrollTop = box.scrollHeight;
  });
  await page.screenshot({ path: shotsOf(`${name}-end`) });
  await page.getByTestId('board-scroll').evaluate((box) => (box.scrollTop = 0));
  await page.evaluate(() => window.scrollTo(0, 0));
}

describe('a 33-project tour in two groups: board and bulletin', () => {
  it('shows the board in the tour order within two screens, and prints the bulletin as an official document', { timeout: 600_000 }, async () => {
    const records = await createScoredTour();
    expect(records.sheets).toHaveLength(462);
    const rankings = computeRankings({ ...records, sheets: records.sheets });

    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    const problems = watchPageProblems(page, new URL(demo.baseUrl).origin).problems;
    await signIn(page, demo.baseUrl, 'secretariat', demo.passwords.get('secretariat')!);

    // ── 1. the board, reached from the desk
    const openBoard = async (deskLabel: string, boardLabel: string) => {
      await page.getByRole('navigation').getByRole('link', { name: deskLabel }).click();
      await page.getByTestId('desk-tours').getByRole('row').filter({ hasText: TOUR_NAME }).getByRole('link', { name: boardLabel }).click();
      await page.getByTestId('scoring-board').waitFor();
    };
    await openBoard('秘书处', '评分进度');
    await eventually(() => page.getByTestId('board-total-submitted').textContent(), 120_000).toBe('462');
    await waitSynced(page);

    // rows: itinerary order, a heading row per day; columns: assignment order with 职务
    expect(await page.getByTestId('board-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-stop-name')))).toEqual(ITINERARY.flatMap(([, , , names]) => names));
    expect(await page.locator('.board-day').allTextContents()).toEqual(['第1天 · 12月3日 星期一', '第2天 · 12月4日 星期二']);
    expect(await page.getByTestId('board-scorer').allTextContents()).toEqual(SCORERS.map(([name, post]) => `${name}${post}`));
    expect(await page.getByTestId('board-group-progress').allTextContents()).toEqual(['县组：已提交 294 / 294', '区组：已提交 168 / 168']);
    expect(await page.locator(`[data-testid="board-row"][data-stop-name="临清轴承产业园"] td[data-scorer="临清市书记"]`).getAttribute('data-state')).toBe('recused');

    for (const viewport of [
      { width: 1366, height: 768 },
      { width: 1280, height: 720 },
    ]) {
      await page.setViewportSize(viewport);
      await boardShots(page, `board-zh-${viewport.width}`);
      const geometry = await boardGeometry(page);
      // 33 stops × 15 scorers in at most two screens
      expect(geometry.scrollHeight, JSON.stringify(geometry)).toBeLessThanOrEqual(2 * 768);
      expect(geometry.tableHeight).toBeLessThanOrEqual(2 * 768);
      // and all 15 scorers side by side with the counts, no sideways scrolling (a scroll bar's 15 px to spare at 1280)
      expect(geometry.scrollWidth, JSON.stringify(geometry)).toBeLessThanOrEqual(geometry.clientWidth);
      expect(geometry.minTableWidth).toBeLessThanOrEqual(viewport.width - 2 * 16 - 2 - 15);
      // one line per stop; a cut name keeps the whole name in its tooltip
      for (const height of geometry.rowHeights) expect(height).toBeLessThan(2 * geometry.line);
      for (const { text, title } of geometry.cut) expect(title).toContain(text!.replace(/^\d+/, ''));
    }

    // the same board in English (settings → language), at both sizes
    await page.getByRole('navigation').getByRole('link', { name: '设置' }).click();
    await page.getByRole('radio', { name: 'English' }).check();
    await openBoard('Secretariat', 'Scoring progress');
    await eventually(() => page.getByTestId('board-total-submitted').textContent()).toBe('462');
    for (const viewport of [
      { width: 1366, height: 768 },
      { width: 1280, height: 720 },
    ]) {
      await page.setViewportSize(viewport);
      await boardShots(page, `board-en-${viewport.width}`);
      expect((await boardGeometry(page)).scrollHeight).toBeLessThanOrEqual(2 * 768);
    }
    await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('radio', { name: '简体中文' }).check();
    await page.setViewportSize({ width: 1366, height: 768 });

    // ── 2. rankings from the desk, results published, then the bulletin
    await page.getByRole('navigation').getByRole('link', { name: '秘书处' }).click();
    await page.getByTestId('desk-tours').getByRole('row').filter({ hasText: TOUR_NAME }).getByRole('link', { name: '排名与通报' }).click();
    await page.getByTestId('rankings-page').waitFor();
    await page.getByRole('button', { name: '公布结果' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '公布' }).click();
    await eventually(() => page.getByTestId('tour-status').textContent()).toBe('结果已公布');
    await waitSynced(page);
    await page.getByRole('link', { name: '通报（打印 / PDF）' }).click();
    const bulletin = page.getByTestId('bulletin');
    await bulletin.getByRole('heading', { level: 1, name: `关于${TOUR_NAME}结果的通报` }).waitFor();
    // nothing set yet: the date is said to be unset, and no photo pages are offered (no photos)
    await bulletin.getByTestId('bulletin-issue-date-unset').waitFor();
    expect(await bulletin.getByTestId('bulletin-photo-pages').isDisabled()).toBe(true);
    expect(await bulletin.getByTestId('bulletin-project').count()).toBe(0);
    await page.screenshot({ path: shotsOf('bulletin-unset'), fullPage: true });

    const form = bulletin.getByTestId('bulletin-header-form');
    await form.getByLabel('发文机关（红头）').fill(HEADER.issuingAuthority);
    await form.getByLabel('文号').fill(HEADER.documentNumber);
    await form.getByLabel('主送机关').fill(HEADER.addressees);
    await form.getByLabel('落款').fill(HEADER.signedBy);
    await form.getByLabel('印发日期').fill(HEADER.issueDate);
    await form.getByRole('button', { name: '保存文头' }).click();
    await eventually(() => bulletin.getByTestId('bulletin-doc-number').textContent()).toBe('聊观办〔2018〕5号');
    expect(await bulletin.getByTestId('bulletin-issue-date-unset').count()).toBe(0);
    await waitSynced(page);
    await page.screenshot({ path: shotsOf('bulletin-screen'), fullPage: true });

    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    const pdfFile = path.join(artefactsDir, 'desk-board-bulletin.pdf');
    await fs.writeFile(pdfFile, pdf);
    const pageCount = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pageCount).toBeGreaterThanOrEqual(2);
    expect(pageCount, 'a 33-project tour without photos fits in 4 A4 pages').toBeLessThanOrEqual(4);

    // in English: the page around the document speaks English, the document stays Chinese
    await page.getByRole('navigation').getByRole('link', { name: '设置' }).click();
    await page.getByRole('radio', { name: 'English' }).check();
    await page.getByRole('navigation').getByRole('link', { name: 'Secretariat desk' }).click();
    await page.getByTestId('desk-tours').getByRole('row').filter({ hasText: TOUR_NAME }).getByRole('link', { name: 'Rankings & bulletin' }).click();
    await page.getByRole('link', { name: 'Bulletin (print / PDF)' }).click();
    await page.getByTestId('bulletin-header-form').getByRole('button', { name: 'Save header' }).waitFor();
    expect(await page.getByTestId('bulletin-document').getByRole('heading', { level: 1 }).textContent()).toBe(`关于${TOUR_NAME}结果的通报`);
    await page.screenshot({ path: shotsOf('bulletin-screen-en'), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();

    if (missingTools) return; // the text checks below need poppler (pdf-tools says how to install it)
    const pages = (await pdfText(pdfFile)).split('\f').slice(0, pageCount);
    const all = pages.join('\n');
    const squash = (s: string) => s.replace(/\s+/g, '');
    // the header where an official document has it: masthead, 文号, title, 主送 on page 1; 落款 and date at the end
    expect(squash(pages[0]!).indexOf(squash(`${HEADER.issuingAuthority}聊观办〔2018〕5号关于${TOUR_NAME}结果的通报${HEADER.addressees}：`))).toBe(0);
    expect(squash(all)).toMatch(new RegExp(`特此通报。${HEADER.signedBy}2018年12月6日(—\\d—)?$`));
    // Chinese dates only
    expect(squash(all)).toContain('于2018年12月3日至4日举行，共观摩11个参评单位的33个项目。');
    expect(all).not.toMatch(/\d{4}-\d{1,2}-\d{1,2}/);
    // 县组 before 区组, in the unit tables and in the project tables
    const at = (s: string, from = 0) => squash(all).indexOf(s, from);
    expect(at('（一）县组')).toBeGreaterThan(at('一、参评单位排名'));
    expect(at('（二）区组')).toBeGreaterThan(at('（一）县组'));
    expect(at('二、项目排名')).toBeGreaterThan(at('（二）区组'));
    expect(at('（一）县组', at('二、项目排名'))).toBeGreaterThan(at('二、项目排名'));
    expect(at('（二）区组', at('二、项目排名'))).toBeGreaterThan(at('（一）县组', at('二、项目排名')));
    expect(squash(all)).toContain('评分表达到5张的，先去掉1个最高分和1个最低分');
    // every unit with the engine's score on its row
    const lines = all.split('\n').map((l) => l.trim().split(/\s+/));
    const rankText = (rank: number | null, isTie: boolean) => (rank === null ? '—' : isTie ? `${rank}（并列）` : String(rank));
    for (const unit of rankings.units) {
      const name = records.units.find((u) => u.id === unit.unitId)!.name;
      const isTie = rankings.units.some((other) => other !== unit && other.group === unit.group && other.rank === unit.rank);
      const row = [rankText(unit.rank, isTie), name, unit.score!.display];
      expect(lines.some((cells) => cells.join(' ') === row.join(' ')), `the unit row ${row.join(' ')} in:\n${all}`).toBe(true);
    }
    // a table that runs onto the next page repeats its header row; no page ends on a heading
    for (const [i, text] of pages.entries()) {
      const rows = text.split('\n').filter((l) => ITINERARY.some(([, , , names]) => names.some((n) => l.includes(n))));
      if (rows.length > 0) expect(text, `page ${i + 1} has project rows and their header`).toMatch(/名次\s+项目名称\s+参评单位\s+得分/);
      const last = text.split('\n').map((l) => l.trim()).filter((l) => l && !/^—\s*\d+\s*—$/.test(l)).at(-1) ?? '';
      expect(last, `page ${i + 1} ends on a heading`).not.toMatch(/^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)/);
    }
    // the pages as images, to look at
    for (let n = 1; n <= pageCount; n++) await renderPdfPage(pdfFile, n, path.join(artefactsDir, `desk-board-bulletin-page${n}`), 80);
  });
});
