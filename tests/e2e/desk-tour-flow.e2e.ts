/**
 * The secretariat's whole tour, end to end in Chromium against the real server, importing the demo
 * scored tour from its .csv files (assets/demo); then the import alone from an .xlsx copy of the
 * same tables as a secretariat's Excel has them (title row, Chinese headers, date cells; built
 * from the CSV at test time, see helpers/secretariat-workbooks.ts): past the import nothing
 * depends on the format, and the whole journey twice cost CI 40 s.
 *
 *   1. the secretariat signs in, creates a tour, imports the itinerary and the template (the
 *      preview shows every row of the table before anything is saved), assigns two scorers (one
 *      from a host unit, so recused from its projects) and publishes;
 *   2. each scorer, in a browser context of their own, signs in through the real sign-in,
 *      receives the tour on sync and submits sheets with known scores; the recused scorer sees
 *      回避 and no sheet on their own unit's stops;
 *   3. the secretariat's live board fills as the laptops sync, without a reload: from the live
 *      channel (the desk's periodic round is 10 min away), also after the desk's network drops
 *      and returns (the stream reconnects by itself);
 *   4. the rankings page, the exported workbook (download captured, read back with exceljs) and
 *      a ranking computed here by the shared engine from the submitted scores agree figure for
 *      figure, and with the hand-worked figures below;
 *   5. results are published, and the bulletin's print view becomes a PDF (page.pdf() with print
 *      media, as the browser's "save as PDF" does); then the PDF is read as text (pdftotext)
 *      and rendered to images (pdftoppm), and OCR (tesseract) must read the CJK title off the
 *      rendered first page: the text layer alone would not show missing glyphs.
 *
 * Screenshots, the workbook, the PDF and its rendered pages go to tests/.tmp/desk-tour-flow-*.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scorer, Stop, Tour, Unit } from '@shared/domain/schemas';
import { computeRankings } from '@shared/ranking';
import { signIn as apiSignIn } from '../../server/src/test-support/auth-fixtures';
import { buildSheet, SyncClient } from '../../server/src/test-support/sync-client';
import { eventually, goTo, scoreAndSubmit, signIn, waitSynced } from './helpers/app-actions';
import { chromiumPath } from './helpers/chromium';
import { startDemoServer, type DemoServer } from './helpers/demo-server';
import { watchPageProblems } from './helpers/page-problems';
import { artefactsDir, demoDir } from './helpers/paths';
import { fuzzyContains, inkedRowBands, inkShare, missingPdfTools, ocrText, pdfText, renderPdfCrop, renderPdfPage } from './helpers/pdf-tools';
import { engineCriterionMeans, engineFigures, screenFigures, workbookCriterionMeans, workbookFigures, workbookSheetRows, type RankingFigures, type RankRow } from './helpers/ranking-figures';
import { keepCopy, readDemoCsv, templateWorkbookFromCsv, tourWorkbookFromCsv, XLSX_MIME } from './helpers/secretariat-workbooks';

const TOUR_CSV = path.join(demoDir, 'tour-chongchuan-2021-scored.csv');
const TEMPLATE_CSV = path.join(demoDir, 'template-standard.csv');
const CRITERIA = ['项目规模', '建设进度', '科技含量与产业层次', '综合效益', '现场组织与汇报'];
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

// the stops of the demo tour (assets/demo/tour-chongchuan-2021-scored.csv)
const A = '闹海信息科技'; // 市北高新区 · 园区组
const B = '裕景苑西安置房'; // 文峰街道 · 街道组
const C = '京源睿谷生态科技城'; // 崇川开发区 · 园区组
const D = '长城计算机智能制造基地'; // 港闸开发区 · 园区组
const E = '美韦纶聚乳酸'; // 港闸开发区 · 园区组

/**
 * What each scorer types, criterion by criterion. 评委乙 comes from 港闸开发区, so D and E are
 * recused for them; 评委甲 leaves E unscored (it stays missing on the board).
 */
const SCORERS = [
  { username: 'scorer1', name: '评委甲', homeUnit: null, sheets: { [A]: [18, 22, 17.5, 18, 13], [B]: [16, 20, 15, 16.5, 12], [C]: [19, 24, 19, 18.5, 14], [D]: [17, 22.5, 18, 17, 12] } },
  { username: 'scorer2', name: '评委乙', homeUnit: '港闸开发区', sheets: { [A]: [17, 21.5, 16, 17.5, 12.5], [B]: [15.5, 21, 14.5, 16, 11.5], [C]: [18.5, 23, 18, 17, 13.5] } },
] as const satisfies readonly { username: string; name: string; homeUnit: string | null; sheets: Record<string, readonly number[]> }[];

/**
 * Worked by hand (default rules of a new tour: plain mean, recusal, ranks within unit groups,
 * ties share a rank): A (88.5 + 84.5) / 2 = 86.50, B (79.5 + 78.5) / 2 = 79.00,
 * C (94.5 + 90) / 2 = 92.25, D 86.50 (评委乙 recused), E no sheet. A unit scores the mean of its
 * scored projects: 港闸开发区 = D = 86.50, tied with 市北高新区 = A.
 */
const HAND_WORKED: RankingFigures = {
  projects: [
    { list: '园区组', rank: 1, isTie: false, name: C, score: '92.25' },
    { list: '园区组', rank: 2, isTie: true, name: A, score: '86.50' },
    { list: '园区组', rank: 2, isTie: true, name: D, score: '86.50' },
    { list: '园区组', rank: null, isTie: false, name: E, score: '—' },
    { list: '街道组', rank: 1, isTie: false, name: B, score: '79.00' },
  ],
  units: [
    { list: '园区组', rank: 1, isTie: false, name: '崇川开发区', score: '92.25' },
    { list: '园区组', rank: 2, isTie: true, name: '市北高新区', score: '86.50' },
    { list: '园区组', rank: 2, isTie: true, name: '港闸开发区', score: '86.50' },
    { list: '街道组', rank: 1, isTie: false, name: '文峰街道', score: '79.00' },
  ],
};

const VARIANTS = [
  { format: 'csv', label: 'CSV导入' },
  { format: 'xlsx', label: 'Excel导入' },
] as const;
type Variant = (typeof VARIANTS)[number];

let demo: DemoServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const missingTools = missingPdfTools();

beforeAll(async () => {
  demo = await startDemoServer();
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  await fs.mkdir(artefactsDir, { recursive: true });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await demo?.close();
});

/** per page of the current test: console errors, uncaught errors, failed requests, requests leaving the app */
const laptopProblems: string[][] = [];

/** A laptop: a browser context of its own (own IndexedDB, own sign-in), China locale and time. */
async function newLaptop(options: { syncPeriodMs?: number } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  contexts.push(context);
  if (options.syncPeriodMs) await context.addInitScript(`localStorage.setItem('guanmo.syncPeriodMs', '${options.syncPeriodMs}')`);
  const page = await context.newPage();
  laptopProblems.push(watchPageProblems(page, new URL(demo.baseUrl).origin).problems);
  return page;
}

const password = (username: string) => {
  const p = demo.passwords.get(username);
  if (!p) throw new Error(`no demo password for ${username}`);
  return p;
};

/** today in China, as the bulletin prints it (the browser runs in Asia/Shanghai) */
const chinaToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/** The file a secretariat picks for the itinerary / the template, in the variant's format. */
async function tableFile(variant: Variant, table: 'tour' | 'template') {
  const csv = table === 'tour' ? TOUR_CSV : TEMPLATE_CSV;
  if (variant.format === 'csv') return csv;
  const name = table === 'tour' ? '崇川区重点项目观摩点位表.xlsx' : '观摩评议表.xlsx';
  const bytes = table === 'tour' ? await tourWorkbookFromCsv(csv, '崇川区2021年重点项目观摩点位表') : await templateWorkbookFromCsv(csv, '重点项目观摩评议表（百分制）');
  await keepCopy(artefactsDir, `desk-tour-flow-input-${name}`, bytes);
  return { name, mimeType: XLSX_MIME, buffer: bytes };
}

/**
 * Assigns a server account as scorer with the section's one picker: searched by name (the
 * server's accounts when the desk has them, else the people it already knows), picked, the home
 * unit chosen for recusal, added.
 */
async function addScorer(sec: Page, person: { username: string; name: string; homeUnit: string | null }): Promise<void> {
  const form = sec.getByTestId('add-scorer-form');
  await form.locator('input[type=search]').fill(person.name);
  await form.getByTestId('account-result').filter({ hasText: person.name }).first().getByRole('button').click();
  await eventually(() => form.getByLabel('姓名').inputValue()).toBe(person.name);
  if (person.homeUnit) await form.getByLabel('所属单位（回避本单位项目）').selectOption({ label: person.homeUnit });
  await form.locator('button[type=submit]').click();
  await sec.getByTestId('desk-scorer').filter({ hasText: person.name }).waitFor();
}

/** The preview's table rows (every data row of the imported table). */
const previewRows = (scope: ReturnType<Page['getByTestId']>) => scope.getByTestId('import-preview').locator('table tbody tr');

/**
 * Step 1 of the journey: a new tour, the itinerary and the template from the secretariat's files
 * in the variant's format; every preview row checked against the CSV before anything is saved.
 */
async function prepareTour(sec: Page, variant: Variant, tourName: string, shot: (page: Page, step: string) => Promise<unknown>) {
  await goTo(sec, '#/desk');
  await sec.getByRole('button', { name: '新建观摩活动' }).click();
  const newTour = sec.getByTestId('new-tour-form');
  await newTour.getByLabel('活动名称').fill(tourName);
  await newTour.locator('button[type=submit]').click();
  await sec.getByRole('heading', { level: 1, name: tourName }).waitFor();
  const tourId = decodeURIComponent(new URL(sec.url()).hash.replace('#/desk/tours/', ''));
  expect(tourId).toMatch(/^t-[0-9a-f]{12}$/);

  const csvStops = (await readDemoCsv(TOUR_CSV)).slice(1);
  const stopsImport = sec.getByTestId('stops-import');
  await stopsImport.locator('input[type=file]').setInputFiles(await tableFile(variant, 'tour'));
  await eventually(() => previewRows(stopsImport).count()).toBe(csvStops.length);
  // every row of the file, in order, with its day, unit, group and name
  const previewCells = await previewRows(stopsImport).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
  for (const [i, row] of csvStops.entries()) {
    expect(previewCells[i]).toEqual(expect.arrayContaining([row[3], row[4], row[5]]));
    // the day, as the locale writes it (2021-12-08, 12月8日 or 2021年12月8日)
    const [y, m, d] = row[1]!.split('-').map(Number);
    expect(previewCells[i]!.some((c) => c === row[1] || c === `${m}月${d}日` || c === `${y}年${m}月${d}日`), `day ${row[1]} in ${previewCells[i]}`).toBe(true);
  }
  expect(await sec.getByTestId('desk-stop').count()).toBe(0); // nothing saved by a preview
  await shot(sec, '1-stops-preview');
  await stopsImport.getByTestId('import-preview').getByRole('button', { name: '保存导入' }).click();
  await eventually(() => sec.getByTestId('desk-stop').count()).toBe(csvStops.length);
  expect(await sec.getByTestId('desk-stop').locator('.desk-stop__name').allTextContents()).toEqual(csvStops.map((row) => row[5]));

  const csvCriteria = (await readDemoCsv(TEMPLATE_CSV)).slice(1);
  const templateImport = sec.getByTestId('template-import');
  await templateImport.locator('input[type=file]').setInputFiles(await tableFile(variant, 'template'));
  await eventually(() => previewRows(templateImport).count()).toBe(csvCriteria.length);
  expect(await previewRows(templateImport).locator('td:first-child').allTextContents()).toEqual(csvCriteria.map((row) => row[0]));
  await templateImport.getByTestId('import-preview').getByRole('button', { name: '保存导入' }).click();
  await eventually(() => sec.getByTestId('template-total').textContent()).toBe('100');
  return { tourId, csvStops };
}

/** What the first test hands to the PDF check of the same variant. */
const bulletins = new Map<string, { pdf: string; title: string; printDays: string[]; expected: RankingFigures }>();

describe.each(VARIANTS.filter((v) => v.format === 'csv'))('the secretariat runs a tour imported from $format', (variant) => {
  const tourName = `崇川区2021年重点项目观摩（${variant.label}）`;
  const shot = (page: Page, step: string) => page.screenshot({ path: path.join(artefactsDir, `desk-tour-flow-${variant.format}-${step}.png`), fullPage: true });

  it('imports with a preview, publishes, scorers submit, the board fills, and screen, workbook and engine agree', { timeout: 300_000 }, async () => {
    laptopProblems.length = 0;
    // a periodic round far away: the board must fill from the live channel
    const sec = await newLaptop({ syncPeriodMs: 600_000 });
    await signIn(sec, demo.baseUrl, 'secretariat', password('secretariat'));

    // ── 1. prepare: a new tour, the itinerary and the template from the secretariat's files
    const { tourId, csvStops } = await prepareTour(sec, variant, tourName, shot);

    // ── scorers (评委乙 from 港闸开发区: recused from its projects) and publish
    for (const person of SCORERS) await addScorer(sec, person);
    await sec.getByTestId('publish').getByRole('button', { name: '发布观摩活动' }).click();
    await sec.getByRole('dialog').getByRole('button', { name: '确认发布' }).click();
    await eventually(() => sec.getByTestId('tour-status').textContent()).toBe('已发布');
    await waitSynced(sec);
    await shot(sec, '2-published');

    // ── 2. the board before anyone scored
    await goTo(sec, `#/desk/tours/${encodeURIComponent(tourId)}/board`);
    const cell = (stop: string, scorer: string) => sec.getByTestId('board-row').filter({ hasText: stop }).locator(`td[data-scorer="${scorer}"]`);
    const submittedOnBoard = () => sec.getByTestId('board-total-submitted').textContent();
    await eventually(() => cell(A, '评委甲').getAttribute('data-state')).toBe('notStarted');
    expect(await cell(D, '评委乙').getAttribute('data-state')).toBe('recused');
    expect(await cell(E, '评委乙').getAttribute('data-state')).toBe('recused');
    expect(await submittedOnBoard()).toBe('0');
    const boardUrl = sec.url();
    // a mark in the page: if anything reloaded the board, it would be gone
    await sec.evaluate(() => void ((window as unknown as { boardNeverReloaded?: boolean }).boardNeverReloaded = true));

    // ── the scorers' laptops sign in and receive the published tour on their sync
    const laptops = await Promise.all(
      SCORERS.map(async (person) => {
        const page = await newLaptop({ syncPeriodMs: 2_000 });
        await signIn(page, demo.baseUrl, person.username, password(person.username));
        await goTo(page, `#/tours/${encodeURIComponent(tourId)}`);
        await page.getByRole('heading', { level: 1, name: tourName }).waitFor({ timeout: 30_000 });
        await eventually(() => page.getByTestId('stop').count()).toBe(csvStops.length);
        return { person, page };
      }),
    );

    // 评委乙 on a 港闸开发区 stop: 回避, no sheet to fill
    const scorer2 = laptops[1]!.page;
    await scorer2.getByTestId('stop').filter({ hasText: D }).getByRole('link', { name: D }).click();
    await scorer2.getByRole('heading', { level: 1, name: D }).waitFor();
    await scorer2.getByTestId('recused').waitFor();
    expect(await scorer2.getByTestId('recused').textContent()).toContain('港闸开发区');
    expect(await scorer2.getByTestId('score-sheet').count()).toBe(0);
    await scorer2.screenshot({ path: path.join(artefactsDir, `desk-tour-flow-${variant.format}-3-recused.png`) });

    // ── 3. sheets go in; the board (left open, never reloaded) counts each one as its laptop
    //       syncs, from the live channel: the board polls only while the channel is down, and
    //       says which it does (data-live). 评委乙's first sheet goes in while the desk is offline:
    //       the stream comes back by itself and the board catches up.
    const liveState = () => sec.getByTestId('live-refresh').getAttribute('data-live');
    await eventually(liveState).toBe('live');
    // when the board's count changes, by the page's clock (this machine's, as Date.now() here)
    await sec.evaluate(() => {
      const w = window as unknown as { boardCounts: Array<{ text: string; at: number }> };
      w.boardCounts = [];
      const read = () => document.querySelector('[data-testid="board-total-submitted"]')?.textContent ?? '';
      new MutationObserver(() => {
        if (w.boardCounts.at(-1)?.text !== read()) w.boardCounts.push({ text: read(), at: Date.now() });
      }).observe(document.querySelector('[data-testid="board-total-submitted"]')!.closest('header')!, { subtree: true, childList: true, characterData: true });
    });
    const boardCountAt = (count: number) => sec.evaluate((text) => (window as unknown as { boardCounts: Array<{ text: string; at: number }> }).boardCounts.find((c) => c.text === text)?.at ?? null, String(count));
    // when each laptop's pushes were answered, by the browser's clock (its request timing)
    const pushedAt = new Map<Page, number[]>();
    for (const { page } of laptops) {
      pushedAt.set(page, []);
      page.on('requestfinished', (request) => {
        if (request.method() !== 'POST' || new URL(request.url()).pathname !== '/api/sync/push') return;
        const timing = request.timing();
        pushedAt.get(page)!.push(timing.startTime + timing.responseEnd);
      });
    }
    const seenCounts: string[] = [];
    const latencies: number[] = [];
    let expectedCount = 0;
    for (const [n, { person, page }] of laptops.entries()) {
      for (const [i, [stop, values]] of Object.entries(person.sheets).entries()) {
        const isDeskOffline = n === 1 && i === 0;
        if (isDeskOffline) {
          await sec.context().setOffline(true);
          await eventually(liveState).toBe('paused');
        }
        const total = await scoreAndSubmit(page, tourId, stop, CRITERIA, values);
        expect(Number(total)).toBe((values as readonly number[]).reduce((sum: number, v: number) => sum + v, 0));
        expectedCount++;
        await waitSynced(page);
        if (isDeskOffline) {
          expect(await submittedOnBoard()).toBe(String(expectedCount - 1)); // the desk cannot know yet
          await shot(sec, '4-board-offline');
          await sec.context().setOffline(false);
          await eventually(liveState).toBe('live');
          await eventually(submittedOnBoard).toBe(String(expectedCount));
        } else {
          // the desk's period is 10 min and the board polls only while the channel is down (the
          // state checked below), so only the channel brings it; the goal, 2 s from the push's
          // answer to the screen, is measured and printed, not asserted (this machine is shared)
          await eventually(submittedOnBoard, 15_000).toBe(String(expectedCount));
          expect(await liveState()).toBe('live');
          latencies.push(Math.round((await boardCountAt(expectedCount))! - pushedAt.get(page)!.at(-1)!));
        }
        seenCounts.push((await submittedOnBoard())!);
        if (expectedCount === 1) await shot(sec, '4-board-first-sheet');
      }
    }
    expect(seenCounts).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    console.log(`[${variant.format}] the board showed each sheet ${latencies.map((ms) => `${ms} ms`).join(', ')} after its push was answered (goal < 2 s)`);
    expect(sec.url()).toBe(boardUrl); // the same page all along, never reloaded
    expect(await sec.evaluate(() => (window as unknown as { boardNeverReloaded?: boolean }).boardNeverReloaded)).toBe(true);
    for (const { person } of laptops) for (const stop of Object.keys(person.sheets)) expect(await cell(stop, person.name).getAttribute('data-state')).toBe('submitted');
    expect(await cell(E, '评委甲').getAttribute('data-state')).toBe('notStarted');
    expect(await sec.getByTestId('board-scorer-count').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^4\b/), expect.stringMatching(/^3\b/)]));
    const missing = sec.getByTestId('board-missing').locator('li');
    await eventually(() => missing.allTextContents()).toEqual([expect.stringMatching(new RegExp(`^${E}.*评委甲`))]);
    await shot(sec, '5-board-filled');

    // ── 4. an independent ranking: the tour as the server holds it, the sheets from what was typed
    const api = new SyncClient(demo.server.app, await apiSignIn(demo.server.app, 'secretariat', password('secretariat')));
    const records = await api.pullAll();
    const ofTour = <T,>(collection: string) => records.filter((r) => r.collection === collection && r.data && (r.data as { tourId?: string }).tourId === tourId).map((r) => r.data as T);
    const tour = records.find((r) => r.collection === 'tours' && r.id === tourId)!.data as unknown as Tour;
    const units = ofTour<Unit>('units');
    const stops = ofTour<Stop>('stops');
    const scorers = ofTour<Scorer>('scorers');
    expect(stops.map((s) => s.name).sort()).toEqual(csvStops.map((row) => row[5]).sort());
    const stopId = new Map(stops.map((s) => [s.name, s.id]));
    const criterionKeys = tour.template!.criteria.map((c) => c.key);
    expect(tour.template!.criteria.map((c) => c.name)).toEqual(CRITERIA);
    const typedSheets = SCORERS.flatMap((person) => {
      const scorer = scorers.find((s) => s.name === person.name)!;
      expect(scorer.homeUnitId === null ? null : units.find((u) => u.id === scorer.homeUnitId)?.name).toBe(person.homeUnit);
      return Object.entries(person.sheets).map(([stop, values]) =>
        buildSheet(tourId, stopId.get(stop)!, scorer.id, Object.fromEntries(criterionKeys.map((key, i) => [key, values[i]!])), 'submitted'),
      );
    });
    // what the laptops pushed is exactly what was typed
    const pushedSheets = ofTour<{ id: string; scores: Record<string, number>; status: string }>('sheets');
    expect(pushedSheets.map((s) => ({ id: s.id, scores: s.scores, status: s.status })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      typedSheets.map((s) => ({ id: s.id, scores: s.scores, status: 'submitted' })).sort((a, b) => a.id.localeCompare(b.id)),
    );
    const rankings = computeRankings({ tour, units, stops, scorers, sheets: typedSheets });
    const fromEngine = engineFigures(rankings, { stops: new Map(stops.map((s) => [s.id, s.name])), units: new Map(units.map((u) => [u.id, u.name])) });
    const byList = (rows: RankRow[]) => Object.fromEntries([...new Set(rows.map((r) => r.list))].map((list) => [list, rows.filter((r) => r.list === list)]));
    expect(byList(fromEngine.projects)).toEqual(byList(HAND_WORKED.projects));
    expect(byList(fromEngine.units)).toEqual(byList(HAND_WORKED.units));
    expect(rankings.missingCount).toBe(1);

    // ── the rankings page shows the same figures
    await goTo(sec, `#/tours/${encodeURIComponent(tourId)}/rankings`);
    await sec.getByTestId('rankings-page').getByRole('heading', { level: 1 }).filter({ hasText: tourName }).waitFor();
    await eventually(() => screenFigures(sec)).toEqual(fromEngine);
    await shot(sec, '6-rankings');

    // ── the workbook: download, read back, the same figures again, and the raw sheets as typed
    const exportDays = [chinaToday()];
    const [download] = await Promise.all([sec.waitForEvent('download'), sec.getByTestId('export-xlsx').click()]);
    exportDays.push(chinaToday()); // (a run across midnight in China may name either day)
    expect(exportDays.map((day) => `${tourName}-成绩汇总-${day}.xlsx`)).toContain(download.suggestedFilename());
    const workbookFile = path.join(artefactsDir, `desk-tour-flow-${variant.format}-results.xlsx`);
    await download.saveAs(workbookFile);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(workbookFile);
    const lists = [...new Set(fromEngine.projects.map((p) => p.list))];
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['排名规则', ...lists.map((l) => `项目排名-${l}`), '单位排名', '分项平均', '评分明细', '评委统计']);
    for (const sheet of workbook.worksheets) expect(sheet.views[0], `${sheet.name} has a frozen header`).toMatchObject({ state: 'frozen' });
    expect(workbookFigures(workbook)).toEqual(fromEngine);
    const means = engineCriterionMeans(rankings, new Map(stops.map((s) => [s.id, s.name])));
    expect(means.get(C)).toEqual(['18.75', '23.50', '18.50', '17.75', '13.75']); // by hand: (19 + 18.5) / 2, …
    expect(Object.fromEntries(workbookCriterionMeans(workbook, tour.template!.criteria))).toEqual(Object.fromEntries(means));
    // 评分明细: every submitted sheet as typed, and the recused / missing ones marked as such
    const rawSheets = workbookSheetRows(workbook, tour.template!.criteria);
    const counted = [...rawSheets].filter(([, row]) => row.fate === '计入');
    expect(Object.fromEntries(counted.map(([key, row]) => [key, row.scores]))).toEqual(
      Object.fromEntries(SCORERS.flatMap((person) => Object.entries(person.sheets).map(([stop, values]) => [`${stop} / ${person.name}`, [...values]]))),
    );
    expect(rawSheets.get(`${D} / 评委乙`)?.fate).toBe('回避');
    expect(rawSheets.get(`${E} / 评委乙`)?.fate).toBe('回避');
    expect(rawSheets.get(`${E} / 评委甲`)?.scores).toEqual(CRITERIA.map(() => null));

    // ── 5. publish the results, then the bulletin's print view as a PDF
    await sec.getByRole('button', { name: '公布结果' }).click();
    await sec.getByRole('dialog').getByRole('button', { name: '公布' }).click();
    await eventually(() => sec.getByTestId('tour-status').textContent()).toBe('结果已公布');
    await waitSynced(sec);

    const printDays = [chinaToday()];
    await goTo(sec, `#/tours/${encodeURIComponent(tourId)}/bulletin`);
    const title = `关于${tourName}结果的通报`;
    await sec.getByTestId('bulletin').getByRole('heading', { level: 1, name: title }).waitFor();
    // no photos in this tour: no photo pages (and the option to add them is off)
    expect(await sec.getByTestId('bulletin-photo-pages').isDisabled()).toBe(true);
    expect(await sec.getByTestId('bulletin-project').count()).toBe(0);
    await sec.emulateMedia({ media: 'print' });
    await shot(sec, '7-bulletin-print');
    const pdf = await sec.pdf({ format: 'A4', printBackground: true });
    await sec.emulateMedia({ media: 'screen' });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdfFile = path.join(artefactsDir, `desk-tour-flow-${variant.format}-bulletin.pdf`);
    await fs.writeFile(pdfFile, pdf);
    printDays.push(chinaToday());
    bulletins.set(variant.format, { pdf: pdfFile, title, printDays, expected: fromEngine });
    expect(laptopProblems.flat()).toEqual([]);
    for (const page of [sec, ...laptops.map((l) => l.page)]) await page.context().close();
  });

  it.skipIf(missingTools !== null)(`renders the bulletin PDF and reads its title and rankings off the pages${missingTools ? ` (SKIPPED: ${missingTools})` : ''}`, { timeout: 120_000 }, async () => {
    const bulletin = bulletins.get(variant.format);
    if (!bulletin) throw new Error('no bulletin PDF: the journey above failed before exporting it');
    const { pdf, title, printDays, expected } = bulletin;

    // the text: title, Chinese dates (no 印发日期 was set: its date is left blank), then the unit
    // rankings and the project rankings, each list in the tour's order, every row in rank order
    const pages = (await pdfText(pdf)).split('\f').filter((p) => p.trim() !== '');
    const squash = (s: string) => s.replace(/\s+/g, '');
    expect(squash(pages[0]!)).toContain(squash(title));
    expect(squash(pages[0]!)).toContain('于2021年12月8日举行');
    expect(pages.join('\n')).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    // 印发日期 is not today by default
    const inChinese = (day: string) => day.replace(/^(\d{4})-(\d{2})-(\d{2})$/, (_, y: string, m: string, d: string) => `${y}年${Number(m)}月${Number(d)}日`);
    for (const day of printDays) expect(squash(pages.join(''))).not.toContain(inChinese(day));
    expect(squash(pages.at(-1)!)).toMatch(/特此通报。年月日/);
    // no photo pages: the rankings and the method fit a page or two
    expect(pages.length).toBeLessThanOrEqual(2);
    const lines = pages.join('\n').split('\n');
    const rankText = (r: RankRow) => (r.rank === null ? '—' : r.isTie ? `${r.rank}（并列）` : String(r.rank));
    const projectNames = expected.projects.map((p) => p.name);
    const lists = [...new Set(expected.projects.map((p) => p.list))];
    let at = -1;
    const rows = [
      ...lists.flatMap((list) => expected.units.filter((u) => u.list === list).map((r) => ({ ...r, isProject: false }))),
      ...lists.flatMap((list) => expected.projects.filter((p) => p.list === list).map((r) => ({ ...r, isProject: true }))),
    ];
    for (const row of rows) {
      const found = lines.findIndex((line, i) => {
        if (i <= at) return false;
        const cells = line.trim().split(/\s+/);
        const isProjectRow = projectNames.some((n) => cells.includes(n));
        return isProjectRow === row.isProject && cells[0] === rankText(row) && cells.includes(row.name) && cells.at(-1) === row.score;
      });
      expect(found, `the PDF has the row ${rankText(row)} · ${row.name} · ${row.score} (${row.list}) after line ${at}:\n${lines.join('\n')}`).toBeGreaterThan(at);
      at = found;
    }

    // the pixels: page 1 rendered, not blank, the title drawn in CJK glyphs that OCR can read
    const prefix = path.join(artefactsDir, `desk-tour-flow-${variant.format}-bulletin-page1`);
    const page1 = await renderPdfPage(pdf, 1, prefix, 200);
    const ink = inkShare(page1.gray, { top: 0, bottom: 1 });
    expect(ink, 'page 1 has ink').toBeGreaterThan(0.005);
    expect(ink, 'page 1 is not a black page').toBeLessThan(0.4);
    const bands = inkedRowBands(page1.gray);
    expect(bands.length, 'lines of text on page 1').toBeGreaterThan(8);
    // the title is the first text on the page, one or two lines in its big type (the date line under it is smaller)
    const titleLines = bands.slice(0, 3).filter((band, i, all) => all.slice(0, i + 1).every((b) => b.bottom - b.top >= 0.8 * (bands[0]!.bottom - bands[0]!.top)));
    const titleArea = { top: Math.max(0, titleLines[0]!.top - 0.005), bottom: Math.min(1, titleLines.at(-1)!.bottom + 0.005) };
    const crop = await renderPdfCrop(pdf, 1, titleArea, page1.gray, `${prefix}-title`, 200);
    const readTitle = await ocrText(crop, { block: true });
    const titleMatch = fuzzyContains(title, readTitle);
    expect(titleMatch, `OCR of the title area read “${readTitle}”`).toBeGreaterThanOrEqual(0.8);
    // and the ranking rows on the same page as printed: each project legible with its unit, and
    // every figure of the page, in order, read off the pixels exactly as the text layer has it
    const readPage = await ocrText(page1.png);
    await fs.writeFile(`${prefix}-ocr.txt`, `title area: ${readTitle}\npage: ${readPage}\n`);
    const page1Cells = pages[0]!.split('\n').map((line) => line.trim().split(/\s+/));
    const page1Projects = page1Cells.filter((cells) => cells.length === 4 && projectNames.includes(cells[1]!));
    expect(page1Projects.length, 'project rankings start on page 1').toBeGreaterThan(0);
    for (const [, name, unit] of page1Projects) expect(fuzzyContains(`${name}${unit}`, readPage), `OCR of page 1 finds “${name}${unit}” in “${readPage}”`).toBeGreaterThanOrEqual(0.7);
    const figures = (text: string) => text.match(/\d{1,3}\.\d{2}/g) ?? [];
    expect(figures(pages[0]!).length).toBeGreaterThanOrEqual(page1Projects.length - 1);
    expect(figures(readPage)).toEqual(figures(pages[0]!));
  });
});

// The journey does not depend on the file's format past the import, so the Excel copy of the same
// tables (title row, Chinese headers, date cells) goes through the import alone: the same preview
// rows, the same stops and template saved, and the tour reaches the server as the CSV's did.
describe('the secretariat imports the same tour from the Excel copy of its tables', () => {
  const variant = VARIANTS.find((v) => v.format === 'xlsx')!;
  const tourName = `崇川区2021年重点项目观摩（${variant.label}）`;
  const shot = (page: Page, step: string) => page.screenshot({ path: path.join(artefactsDir, `desk-tour-flow-${variant.format}-${step}.png`), fullPage: true });

  it('previews every row, saves the stops and the template, and syncs them', { timeout: 120_000 }, async () => {
    laptopProblems.length = 0;
    const sec = await newLaptop();
    await signIn(sec, demo.baseUrl, 'secretariat', password('secretariat'));
    const { tourId, csvStops } = await prepareTour(sec, variant, tourName, shot);
    await waitSynced(sec);

    const api = new SyncClient(demo.server.app, await apiSignIn(demo.server.app, 'secretariat', password('secretariat')));
    const records = await api.pullAll();
    const ofTour = <T,>(collection: string) => records.filter((r) => r.collection === collection && r.data && (r.data as { tourId?: string }).tourId === tourId).map((r) => r.data as T);
    expect(ofTour<Stop>('stops').map((s) => s.name).sort()).toEqual(csvStops.map((row) => row[5]).sort());
    const tour = records.find((r) => r.collection === 'tours' && r.id === tourId)!.data as unknown as Tour;
    expect(tour.template!.criteria.map((c) => c.name)).toEqual(CRITERIA);
    expect(tour.template!.criteria.reduce((sum, c) => sum + c.max, 0)).toBe(100);
    expect(laptopProblems.flat()).toEqual([]);
    await sec.context().close();
  });
});
