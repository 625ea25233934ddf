import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitLanded } from './helpers/app-actions';
import { chromiumPath, launchChromium, type ChromiumSession } from './helpers/chromium';
import { startDemoServer, type DemoServer } from './helpers/demo-server';
import { watchPageProblems } from './helpers/page-problems';
import { artefactsDir } from './helpers/paths';
import './helpers/provided';

/**
 * The field app as a scorer uses it on the bus: offline right after the first load, pick who
 * you are, score three stops of the demo scored tour (one submitted), write notes, and find
 * everything as it was after a reload. Then a recusal, and a full disk.
 *
 * Demo data (assets/demo): tour demo-chongchuan-2021, template 项目规模 20 / 建设进度 25 /
 * 科技含量与产业层次 20 / 综合效益 20 / 现场组织与汇报 15, steps of 0.5; scorer2 (评委乙) comes
 * from 港闸开发区, which hosts stops 4 and 5.
 */

const TOUR_NAME = '崇川区2021年重点项目现场观摩评议';
const CRITERIA = ['项目规模', '建设进度', '科技含量与产业层次', '综合效益', '现场组织与汇报'];

/** The score sheet drafts in the app's IndexedDB, read directly rather than through the app. */
function storedDrafts(page: Page): Promise<{ scorerId: string; stopId: string; texts: Record<string, string> }[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('guanmo');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      return await new Promise((resolve, reject) => {
        const request = db.transaction('sheetDrafts').objectStore('sheetDrafts').getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    } finally {
      db.close();
    }
  });
}

/** The score sheet of a stop as stored in the app's IndexedDB: status and scores in template order (read directly). */
function storedSheet(page: Page, stopName: string): Promise<{ status: string; scores: (number | null)[] } | null> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('guanmo');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const all = <T,>(store: string) =>
      new Promise<T[]>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result as T[]);
        request.onerror = () => reject(request.error);
      });
    try {
      const [tours, stops, sheets] = await Promise.all([
        all<{ id: string; template: { criteria: { key: string }[] } | null }>('tours'),
        all<{ id: string; tourId: string; name: string }>('stops'),
        all<{ tourId: string; stopId: string; status: string; scores: Record<string, number | null> }>('sheets'),
      ]);
      const stop = stops.find((s) => s.name === name);
      const sheet = stop && sheets.find((s) => s.stopId === stop.id);
      const criteria = tours.find((t) => t.id === stop?.tourId)?.template?.criteria ?? [];
      return sheet ? { status: sheet.status, scores: criteria.map((c) => sheet.scores[c.key] ?? null) } : null;
    } finally {
      db.close();
    }
  }, stopName);
}

describe('field scoring: offline from the first screen to the last', () => {
  const baseUrl = inject('baseUrl');
  const origin = new URL(baseUrl).origin;
  let session: ChromiumSession;

  beforeAll(async () => {
    session = await launchChromium();
    await fs.mkdir(artefactsDir, { recursive: true });
  });
  afterAll(async () => {
    await session?.close();
  });

  const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: path.join(artefactsDir, `field-scoring-${name}.png`), fullPage });
  const field = (page: Page, name: string) => page.getByTestId('score-sheet').getByLabel(name, { exact: true });

  async function openStop(page: Page, stopName: string): Promise<void> {
    await page.getByTestId('stop').filter({ hasText: stopName }).getByRole('link', { name: stopName }).click();
    await page.getByRole('heading', { level: 1, name: stopName }).waitFor();
  }

  async function backToItinerary(page: Page): Promise<void> {
    await page.getByRole('link', { name: `← 返回行程：${TOUR_NAME}` }).click();
    await page.getByRole('heading', { level: 1, name: TOUR_NAME }).waitFor();
  }

  /** Types each value into its field by keyboard, Enter moving to the next field. */
  async function typeScores(page: Page, values: readonly string[]): Promise<void> {
    await field(page, CRITERIA[0]!).click();
    for (const value of values) {
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(value);
      await page.keyboard.press('Enter');
    }
  }

  /**
   * A page of the shared context as `person`: the picker loads online (the app shell), then the
   * laptop goes offline before the person and the scored tour are picked.
   */
  async function openTourOfflineAs(page: Page, person: string): Promise<void> {
    await session.context.setOffline(false);
    await page.goto(`${baseUrl}#/who`);
    await page.getByRole('heading', { level: 1, name: '选择本机使用者' }).waitFor();
    await session.context.setOffline(true);
    await page.getByTestId('person').filter({ hasText: person }).click();
    await page.getByTestId('tour-card').filter({ hasText: TOUR_NAME }).getByRole('link').click();
  }

  async function waitSaved(page: Page): Promise<void> {
    await page.locator('[data-testid="save-status"][data-status="saved"]').waitFor();
  }

  async function stopStates(page: Page): Promise<string[]> {
    const rows = page.getByTestId('stop');
    await rows.first().getByTestId('stop-status').waitFor();
    return rows.getByTestId('stop-status').allTextContents();
  }

  async function addNote(scope: Locator, kind: string, text: string): Promise<void> {
    const composer = scope.getByTestId('note-composer').first();
    await composer.getByText(kind, { exact: true }).click();
    await composer.getByRole('textbox').fill(text);
    await composer.getByRole('button', { name: '添加记录' }).click();
    await scope.getByTestId('note-text').filter({ hasText: text }).waitFor();
  }

  it('scores three stops, submits one, writes notes, and finds it all after a reload', async () => {
    const page = await session.context.newPage();
    const { problems } = watchPageProblems(page, origin);

    await page.goto(baseUrl);
    await page.getByRole('heading', { level: 1, name: '选择本机使用者' }).waitFor();
    // the first load ends when the app-shell service worker controls the page: files the app
    // fetches later (the photo worker script) then come from its cache, not the network
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null);
    // the bus leaves the signal behind right after the first load
    await session.context.setOffline(true);
    await page.getByTestId('network-indicator').getByText('离线').waitFor();
    await shot(page, '1-who');

    await page.getByTestId('person').filter({ hasText: '评委甲' }).click();
    const card = page.getByTestId('tour-card').filter({ hasText: TOUR_NAME });
    await card.getByText('评委', { exact: true }).waitFor();
    await card.getByText('已提交 0 / 5 个项目').waitFor();
    await expect(page.getByTestId('current-user').textContent()).resolves.toContain('评委甲');
    await shot(page, '2-tours');

    await card.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: TOUR_NAME }).waitFor();
    expect(await stopStates(page)).toEqual(Array(5).fill('未评分照片 0记录 0'));
    const next = page.getByTestId('next-stop');
    await next.getByText('闹海信息科技').waitFor();
    await shot(page, '3-itinerary');

    // ── stop 1: type every score with the keyboard, see the total, a refused value, then submit
    await next.getByTestId('next-stop-link').click();
    await page.getByRole('heading', { level: 1, name: '闹海信息科技' }).waitFor();
    await page.getByTestId('stop-facts').getByText('10亿元').waitFor();
    await page.getByTestId('stop-facts').getByText('100000万元').waitFor();
    await page.getByTestId('stop-facts').getByText('5.4亿元').waitFor();
    await typeScores(page, ['18.5', '22', '17.5', '18', '13']);
    // Enter on the last criterion moved focus to the submit button
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('submit-sheet');
    await expect(page.getByTestId('sheet-total').textContent()).resolves.toBe('89');
    await page.getByText('已评 5 / 5 项').waitFor();

    await field(page, '建设进度').fill('22.3');
    const stepMessage = page.getByTestId('criterion').filter({ hasText: '建设进度' }).getByTestId('criterion-error');
    await expect(stepMessage.textContent()).resolves.toBe('请按 0.5 分一档打分，例如 22 或 22.5');
    await expect(page.getByTestId('sheet-total').textContent()).resolves.toBe('67');
    await field(page, '项目规模').fill('25');
    await page.getByText('分数应在 0 到 20 分之间').waitFor();
    await shot(page, '4-invalid');
    // a sheet with a refused value is not submitted
    await page.getByTestId('submit-sheet').click();
    await page.getByText('还有 2 项未填或不符合要求，请修改后再提交。').waitFor();
    expect(await page.getByRole('dialog').isVisible()).toBe(false);

    await field(page, '项目规模').fill('18.5');
    await field(page, '建设进度').fill('22');
    await expect(page.getByTestId('sheet-total').textContent()).resolves.toBe('89');
    await waitSaved(page);

    // re-typing over the values with no delay between keys, on a slow busy laptop (CPU throttled):
    // the autosave's earlier writes ("1" of "18.5") come back after the field was left, and
    // must never replace the newer text, on screen or in the stored sheet; a round to other
    // values, then twice the same values again (a field re-typed to the value it had)
    const finalScores = ['18.5', '22', '17.5', '18', '13'];
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
    for (const round of [['19', '21.5', '17', '16', '12.5'], finalScores, finalScores]) {
      await field(page, CRITERIA[0]!).click();
      for (const value of round) {
        await page.keyboard.press('ControlOrMeta+A');
        await page.keyboard.type(value, { delay: 0 });
        await page.keyboard.press('Enter');
      }
      await expect.poll(() => storedSheet(page, '闹海信息科技'), { timeout: 20_000 }).toEqual({ status: 'draft', scores: round.map(Number) });
      await waitSaved(page);
      expect(await Promise.all(CRITERIA.map((name) => field(page, name).inputValue()))).toEqual(round);
    }
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await cdp.detach();
    await expect(page.getByTestId('sheet-total').textContent()).resolves.toBe('89');
    expect(await page.getByTestId('submit-sheet').evaluate((e) => getComputedStyle(e).letterSpacing)).not.toBe('normal');
    await page.getByTestId('submit-sheet').focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.getByText('本项目合计 89 分（满分 100 分）。').waitFor();
    // focus starts on "check again": a stray Enter never submits
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('再检查一下');
    await shot(page, '5-confirm');
    await dialog.getByRole('button', { name: '确认提交' }).click();
    const locked = page.getByTestId('submitted-sheet');
    await locked.getByText('评分已提交').waitFor();
    expect(await locked.getByTestId('criterion-value').allTextContents()).toEqual(['18.5 / 20', '22 / 25', '17.5 / 20', '18 / 20', '13 / 15']);
    // what was typed is what was submitted
    expect(await storedSheet(page, '闹海信息科技')).toEqual({ status: 'submitted', scores: finalScores.map(Number) });
    expect(await page.getByTestId('score-sheet').count()).toBe(0);
    const submittedAt = await locked.getByTestId('submitted-at').textContent();
    expect(submittedAt).toMatch(/^提交时间：\d+月\d+日 \d{2}:\d{2}$/);

    // ── notes on stop 1: add two, edit one, delete the other
    const notes = page.getByTestId('notes-section');
    await addNote(notes, '亮点', '研发中心已投入使用，入驻企业 12 家');
    await addNote(notes, '问题', '施工道路扬尘较大');
    const first = notes.getByTestId('note').filter({ hasText: '研发中心已投入使用' });
    await first.getByRole('button', { name: '编辑' }).click();
    const editor = first.getByTestId('note-composer');
    await editor.getByText('建议', { exact: true }).click();
    await editor.getByRole('textbox').fill('研发中心已投入使用，建议加快二期招商');
    await editor.getByRole('button', { name: '保存修改' }).click();
    await notes.getByTestId('note-text').filter({ hasText: '建议加快二期招商' }).waitFor();
    const second = notes.getByTestId('note').filter({ hasText: '施工道路扬尘较大' });
    await second.getByRole('button', { name: '删除' }).click();
    await page.getByRole('dialog').getByText('施工道路扬尘较大').waitFor();
    await shot(page, '6-delete-note');
    await page.getByRole('dialog').getByRole('button', { name: '删除' }).click();
    await second.waitFor({ state: 'detached' });
    expect(await notes.getByTestId('note-text').allTextContents()).toEqual(['研发中心已投入使用，建议加快二期招商']);
    await shot(page, '7-stop-submitted', true);

    // ── stop 2 (the next unscored one): a partial draft with a refused value
    await locked.getByTestId('next-unscored').click();
    await page.getByRole('heading', { level: 1, name: '裕景苑西安置房' }).waitFor();
    await typeScores(page, ['15', '20.5', '30']);
    await page.getByText('分数应在 0 到 20 分之间').waitFor();
    await expect(page.getByTestId('sheet-total').textContent()).resolves.toBe('35.5');
    await waitSaved(page);
    await shot(page, '8-stop-draft');

    // ── stop 3: all five scored, not submitted
    await page.getByTestId('next-stop-nav').click();
    await page.getByRole('heading', { level: 1, name: '京源睿谷生态科技城' }).waitFor();
    await typeScores(page, ['19', '24.5', '19.5', '18', '14']);
    await expect(page.getByTestId('sheet-total').textContent()).resolves.toBe('95');
    await waitSaved(page);

    await backToItinerary(page);
    const expectedStates = ['已提交照片 0记录 1', '草稿照片 0记录 0', '草稿照片 0记录 0', '未评分照片 0记录 0', '未评分照片 0记录 0'];
    expect(await stopStates(page)).toEqual(expectedStates);
    await page.getByTestId('next-stop').getByText('裕景苑西安置房').waitFor();
    await shot(page, '9-itinerary-progress');

    // ── back online only to reload (offline reload needs the service worker, a later issue)
    await session.context.setOffline(false);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: TOUR_NAME }).waitFor();
    await session.context.setOffline(true);
    expect(await stopStates(page)).toEqual(expectedStates);

    await openStop(page, '闹海信息科技');
    await page.getByTestId('submitted-sheet').getByText('评分已提交').waitFor();
    expect(await page.getByTestId('submitted-sheet').getByTestId('criterion-value').allTextContents()).toEqual(['18.5 / 20', '22 / 25', '17.5 / 20', '18 / 20', '13 / 15']);
    expect(await page.getByTestId('submitted-at').textContent()).toBe(submittedAt);
    expect(await page.getByTestId('notes-section').getByTestId('note-text').allTextContents()).toEqual(['研发中心已投入使用，建议加快二期招商']);
    await page.getByTestId('notes-section').getByText('建议', { exact: true }).first().waitFor();

    await page.getByTestId('next-stop-nav').click();
    await page.getByRole('heading', { level: 1, name: '裕景苑西安置房' }).waitFor();
    const stop2Values = await Promise.all(CRITERIA.map((name) => field(page, name).inputValue()));
    expect(stop2Values).toEqual(['15', '20.5', '30', '', '']);
    await page.getByText('分数应在 0 到 20 分之间').waitFor();
    await expect(page.getByTestId('sheet-total').textContent()).resolves.toBe('35.5');

    await page.getByTestId('next-stop-nav').click();
    await page.getByRole('heading', { level: 1, name: '京源睿谷生态科技城' }).waitFor();
    expect(await Promise.all(CRITERIA.map((name) => field(page, name).inputValue()))).toEqual(['19', '24.5', '19.5', '18', '14']);
    await expect(page.getByTestId('sheet-total').textContent()).resolves.toBe('95');

    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows 回避 and no sheet to a scorer from the host unit (scorer2 on a 港闸开发区 stop)', async () => {
    const page = await session.context.newPage();
    const { problems } = watchPageProblems(page, origin);
    await openTourOfflineAs(page, '评委乙');
    await page.getByRole('heading', { level: 1, name: TOUR_NAME }).waitFor();
    const states = await stopStates(page);
    expect(states.map((s) => s.replace(/照片.*/, ''))).toEqual(['未评分', '未评分', '未评分', '回避', '回避']);

    await openStop(page, '长城计算机智能制造基地');
    const recused = page.getByTestId('recused');
    await recused.getByText('回避', { exact: true }).waitFor();
    await recused.getByText('您来自港闸开发区，按规定回避本单位的项目，无需评分。').waitFor();
    expect(await page.getByTestId('score-sheet').count()).toBe(0);
    // notes and photos are still open to a recused scorer
    await page.getByTestId('notes-section').getByTestId('note-composer').waitFor();
    await shot(page, '10-recused', true);

    // on the study tour the same person observes: photos and notes, no score sheet at all
    await page.getByRole('navigation').getByRole('link', { name: '观摩活动' }).click();
    const study = page.getByTestId('tour-card').filter({ hasText: '山亭区2021年赴日照潍坊济宁考察学习' });
    await study.getByText('观摩人员', { exact: true }).waitFor();
    await study.getByRole('link').click();
    await page.getByTestId('stop').first().waitFor();
    expect(await page.getByTestId('next-stop').count()).toBe(0);
    const firstStop = (await page.getByTestId('stop').first().getByRole('heading', { level: 4 }).textContent())!;
    await openStop(page, firstStop);
    await addNote(page.getByTestId('notes-section'), '建议', '学习其园区配套服务的做法');
    expect(await page.getByTestId('sheet-section').count()).toBe(0);
    await shot(page, '10b-study-stop');
    await page.getByRole('link', { name: /^← 返回行程/ }).click();
    await page.getByTestId('stop').first().getByText('记录 1').waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says plainly when the disk is full, keeps what was saved, and saves once there is room', async () => {
    const page = await session.context.newPage();
    const { problems } = watchPageProblems(page, origin);
    await openTourOfflineAs(page, '评委丙');
    await openStop(page, '美韦纶聚乳酸');
    await field(page, '项目规模').fill('16');
    await waitSaved(page);

    // the disk fills up. Chromium's own quota override (CDP Storage.overrideQuotaForOrigin) has no
    // effect on this build, so IndexedDB is made to refuse writes exactly as a full disk makes it:
    // put/add throw a DOMException named QuotaExceededError, which aborts the whole transaction.
    await page.evaluate(() => {
      const refuse = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
      const original = { put: IDBObjectStore.prototype.put, add: IDBObjectStore.prototype.add };
      Object.assign(window, { restoreDisk: () => Object.assign(IDBObjectStore.prototype, original) });
      Object.assign(IDBObjectStore.prototype, { put: refuse, add: refuse });
    });
    await field(page, '建设进度').fill('20');
    // said where the scorer is looking: pinned to the bottom of the window, and under the total
    const alert = page.getByTestId('save-alert');
    await alert.getByText('本机存储空间已满，刚才的修改没有保存；之前保存的内容都完好无损。', { exact: false }).waitFor();
    expect(await alert.isVisible()).toBe(true);
    await page.locator('[data-testid="save-status"][data-status="error"]').getByText('最近的修改未能保存').waitFor();
    // the value stays on screen, the total counts it, and what was saved before is intact
    expect(await field(page, '建设进度').inputValue()).toBe('20');
    await expect(page.getByTestId('sheet-total').textContent()).resolves.toBe('36');
    const stored = (await storedDrafts(page)).filter((d) => d.scorerId.endsWith('scorer3'));
    expect(stored.map((d) => d.texts)).toEqual([{ c1: '16', c2: '', c3: '', c4: '', c5: '' }]);
    await shot(page, '11-disk-full');

    // room again: retry saves it
    await page.evaluate(() => (window as unknown as { restoreDisk: () => void }).restoreDisk());
    await alert.getByRole('button', { name: '重试保存' }).click();
    await alert.waitFor({ state: 'detached' });
    await waitSaved(page);
    await session.context.setOffline(false);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: '美韦纶聚乳酸' }).waitFor();
    expect(await field(page, '项目规模').inputValue()).toBe('16');
    expect(await field(page, '建设进度').inputValue()).toBe('20');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('speaks English when switched, the template staying as the secretariat wrote it', async () => {
    const page = await session.context.newPage();
    const { problems } = watchPageProblems(page, origin);
    await session.context.setOffline(false);
    await page.goto(`${baseUrl}#/settings`);
    await page.getByRole('heading', { level: 1, name: '设置' }).waitFor();
    await session.context.setOffline(true);
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.getByText('User on this computer', { exact: true }).waitFor();
    await page.getByTestId('storage-panel').getByText('Available', { exact: true }).waitFor();

    await page.getByRole('navigation').getByRole('link', { name: 'Tours' }).click();
    await page.getByTestId('tour-card').filter({ hasText: TOUR_NAME }).getByRole('link').click();
    await page.getByTestId('next-stop').getByText('Next project to score').waitFor();
    await openStop(page, '闹海信息科技');
    await page.getByRole('heading', { level: 2, name: 'Score sheet' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Site notes' }).waitFor();
    await page.getByTestId('stop-facts').getByText('¥1 billion').waitFor();
    await page.getByTestId('stop-facts').getByText('100,000 wan (万元)').waitFor();
    await page.getByText('Max 20 points, steps of 0.5').first().waitFor();
    await field(page, '项目规模').fill('12.3');
    await page.getByText('Scores go in steps of 0.5, e.g. 12 or 12.5').waitFor();
    await page.getByText('Total', { exact: true }).waitFor();
    // html lang follows the locale: "Submit scores" is not spread out the way 提交评分 is
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.getByTestId('submit-sheet').evaluate((e) => getComputedStyle(e).letterSpacing)).toBe('normal');
    await shot(page, '12-english');
    expect(problems).toEqual([]);
    await page.close();
  });
});

/**
 * One scorer, two laptops, both signed in to the real server (its own instance, demo accounts)
 * with the same stop open: what one laptop saves, submits, or the secretariat reopens shows up on
 * the other laptop's open sheet without reopening the page.
 */
describe('an open score sheet follows sync', () => {
  const STOP = '闹海信息科技';
  let demo: DemoServer;
  let browser: Browser;

  beforeAll(async () => {
    demo = await startDemoServer();
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    await fs.mkdir(artefactsDir, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  const field = (page: Page, name: string) => page.getByTestId('score-sheet').getByLabel(name, { exact: true });

  /** A laptop whose sync pulls every second (the app's diagnostic override), signed in as scorer1, on the stop. */
  async function laptop(stop = STOP): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await context.addInitScript(`localStorage.setItem('guanmo.syncPeriodMs', '1000')`);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    // the first-run picker offers sign-in to someone it does not know yet
    await page.goto(demo.baseUrl);
    await page.getByRole('heading', { level: 1, name: '选择本机使用者' }).waitFor();
    await page.getByTestId('who-sign-in').getByRole('link', { name: '登录服务器' }).click();
    const form = page.getByTestId('sign-in-form');
    await expect.poll(() => form.getByLabel('服务器地址').inputValue()).toBe(new URL(demo.baseUrl).origin);
    await form.getByLabel('用户名').fill('scorer1');
    await form.getByLabel('密码').fill(demo.passwords.get('scorer1')!);
    await form.getByRole('button', { name: '登录' }).click();
    // a fresh sign-in lands on 我的观摩
    await waitLanded(page);
    await page.evaluate(() => void (location.hash = '#/tours/demo-chongchuan-2021'));
    await page.getByRole('heading', { level: 1, name: TOUR_NAME }).waitFor({ timeout: 60_000 });
    await page.getByTestId('stop').filter({ hasText: stop }).getByRole('link', { name: stop }).click();
    await page.getByRole('heading', { level: 1, name: stop }).waitFor();
    await field(page, CRITERIA[0]!).waitFor();
    return { context, page };
  }

  async function typeInto(page: Page, name: string, value: string): Promise<void> {
    await field(page, name).click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(value);
  }

  async function waitPushed(page: Page): Promise<void> {
    await page.locator('[data-testid="save-status"][data-status="saved"]').waitFor();
    await page.locator('[data-testid="sync-indicator"][data-pending="0"]').waitFor({ timeout: 60_000 });
  }

  it('takes values, a submit and a reopen from the other laptop into the open sheet', async () => {
    const a = await laptop();
    const b = await laptop();

    // laptop A scores; laptop B, with the same sheet open, shows it
    const values = ['18', '20', '15', '16', '12'];
    for (const [i, value] of values.entries()) await typeInto(a.page, CRITERIA[i]!, value);
    await waitPushed(a.page);
    for (const [i, value] of values.entries()) await expect.poll(() => field(b.page, CRITERIA[i]!).inputValue(), { timeout: 30_000 }).toBe(value);
    await b.page.getByTestId('sheet-synced').waitFor();
    await expect.poll(() => b.page.getByTestId('sheet-total').textContent()).toBe('81');

    // A is typing in 建设进度 when B's change of it and of 综合效益 arrives: A's text stays, 综合效益 updates
    await typeInto(a.page, CRITERIA[1]!, '2');
    await a.context.setOffline(true); // keep A's keystrokes local while B's change lands
    await typeInto(b.page, CRITERIA[1]!, '22');
    await typeInto(b.page, CRITERIA[3]!, '17.5');
    await waitPushed(b.page);
    await a.context.setOffline(false);
    await expect.poll(() => field(a.page, CRITERIA[3]!).inputValue(), { timeout: 30_000 }).toBe('17.5');
    expect(await field(a.page, CRITERIA[1]!).inputValue()).toBe('2');
    await a.page.screenshot({ path: path.join(artefactsDir, 'field-scoring-sync-1-values.png') });
    // A finishes typing; A's newer write wins on the server and comes back to B
    await a.page.keyboard.type('4');
    await waitPushed(a.page);
    await expect.poll(() => field(b.page, CRITERIA[1]!).inputValue(), { timeout: 30_000 }).toBe('24');
    await expect.poll(() => field(b.page, CRITERIA[3]!).inputValue()).toBe('17.5');

    // B submits: A's open form locks, and says so
    await b.page.getByTestId('submit-sheet').click();
    await b.page.getByRole('dialog').getByRole('button', { name: '确认提交' }).click();
    await b.page.getByTestId('submitted-sheet').waitFor();
    await b.page.locator('[data-testid="sync-indicator"][data-pending="0"]').waitFor({ timeout: 60_000 });
    await a.page.getByTestId('submitted-sheet').waitFor({ timeout: 30_000 });
    const locked = a.page.getByTestId('sheet-sync-notice');
    await expect.poll(() => locked.getAttribute('data-kind')).toBe('lockedElsewhere');
    expect(await a.page.getByTestId('submitted-sheet').getByTestId('criterion-value').allTextContents()).toEqual(['18 / 20', '24 / 25', '15 / 20', '17.5 / 20', '12 / 15']);
    await a.page.screenshot({ path: path.join(artefactsDir, 'field-scoring-sync-2-locked.png') });

    // the secretariat reopens it: A's sheet unlocks with a notice
    const sheetRecord = (await a.page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('guanmo');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      try {
        return await new Promise<{ id: string }[]>((resolve, reject) => {
          const request = db.transaction('sheets').objectStore('sheets').getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      } finally {
        db.close();
      }
    }))[0]!;
    const login = (await (await fetch(new URL('api/auth/login', demo.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'secretariat', password: demo.passwords.get('secretariat') }),
    })).json()) as { token: string };
    const reopen = await fetch(new URL(`api/sheets/${encodeURIComponent(sheetRecord.id)}/reopen`, demo.baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${login.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: '评委申请更正分数' }),
    });
    expect(reopen.status).toBe(200);
    await a.page.getByTestId('score-sheet').waitFor({ timeout: 30_000 });
    await expect.poll(() => a.page.getByTestId('sheet-sync-notice').getAttribute('data-kind')).toBe('reopened');
    expect(await a.page.getByTestId('sheet-sync-notice').textContent()).toContain('秘书处已退回这张评分表');
    expect(await field(a.page, CRITERIA[1]!).inputValue()).toBe('24');
    await a.page.screenshot({ path: path.join(artefactsDir, 'field-scoring-sync-3-reopened.png') });
    for (const laptop of [a, b]) await laptop.context.close();
  });

  it('an expired session: scoring goes on, sync waits for sign-in, then sends what was typed meanwhile', async () => {
    // another stop than the test above, so that each test stands on its own
    const a = await laptop('裕景苑西安置房');
    await typeInto(a.page, CRITERIA[0]!, '19');
    await waitPushed(a.page);
    // the server forgets the session (expired, or signed out elsewhere)
    const session = (await a.page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('guanmo');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      try {
        return await new Promise<{ value: { token: string } }>((resolve, reject) => {
          const request = db.transaction('syncState').objectStore('syncState').get('session');
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      } finally {
        db.close();
      }
    }))!;
    const logout = await fetch(new URL('api/auth/logout', demo.baseUrl), { method: 'POST', headers: { authorization: `Bearer ${session.value.token}` } });
    expect(logout.status).toBe(204);

    // local work goes on: typed and saved; the next sync finds the session gone and says so
    await typeInto(a.page, CRITERIA[1]!, '21.5');
    await a.page.locator('[data-testid="save-status"][data-status="saved"]').waitFor();
    const indicator = a.page.locator('[data-testid="sync-indicator"][data-tone="signedOut"]');
    await indicator.waitFor({ timeout: 30_000 });
    expect(Number(await indicator.getAttribute('data-pending'))).toBeGreaterThan(0);
    expect(await field(a.page, CRITERIA[1]!).inputValue()).toBe('21.5');

    // signing in again is only needed to sync: what was typed meanwhile goes out
    await a.page.evaluate(() => void (location.hash = '#/sync'));
    await a.page.getByText('登录已过期。本机工作不受影响，重新登录后继续同步。').waitFor();
    const form = a.page.getByTestId('sign-in-form');
    await expect.poll(() => form.getByLabel('用户名').inputValue()).toBe('scorer1');
    await form.getByLabel('密码').fill(demo.passwords.get('scorer1')!);
    await form.getByRole('button', { name: '登录' }).click();
    await a.page.getByRole('heading', { name: /^已登录：/ }).waitFor();
    await a.page.locator('[data-testid="sync-indicator"][data-tone="ok"][data-pending="0"]').waitFor({ timeout: 60_000 });
    await a.context.close();
  });
});
