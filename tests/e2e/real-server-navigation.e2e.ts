/**
 * A real deployment (no demo), opened at `/` in fresh browser profiles and used by clicking only:
 * the secretariat signs in, lands on the desk and reaches a tour's editor, board, rankings and
 * bulletin (and exports the workbook) through the desk and the tour bar; a scorer signs in, lands
 * on 我的观摩, and once the results are published reaches the rankings and the bulletin from the
 * tour. Nowhere a demo tour or a demo person (评委甲…, 秘书处（演示）).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sheetId } from '@shared/domain/schemas';
import { signIn as apiSignIn } from '../../server/src/test-support/auth-fixtures';
import { buildSheet, buildTestTour, SyncClient, tourMutations } from '../../server/src/test-support/sync-client';
import { findUserByUsername } from '../../server/src/db/users';
import { eventually } from './helpers/app-actions';
import { launchChromium, type ChromiumSession } from './helpers/chromium';
import { startRealServer, type RealAccount, type RealServer } from './helpers/demo-server';
import { watchPageProblems } from './helpers/page-problems';
import { artefactsDir } from './helpers/paths';

const TOUR_ID = 'city-2024-spring';
const TOUR_NAME = '市2024年春季重点项目现场观摩';
const secretariat: RealAccount = { username: 'guanmoban', displayName: '市观摩办', role: 'secretariat', password: 'secretariat-pass-2024' };
const scorer: RealAccount = { username: 'lisi', displayName: '李四', role: 'scorer', password: 'scorer-pass-2024' };
/** what only the demo has: its tours' names, its people, its mark */
const demoTraces = ['演示', '评委甲', '评委乙', '秘书处（演示）', '崇川区2021', '山亭区2021', '选择本机使用者'];

describe('a real server, by clicking from `/`', () => {
  let real: RealServer;
  let api: SyncClient;

  beforeAll(async () => {
    await fs.mkdir(artefactsDir, { recursive: true });
    real = await startRealServer([secretariat, scorer]);
    // the tour the secretariat prepared (through the same sync API the desk uses), with 李四 on it
    // and one sheet of his already in
    const scorerId = (await findUserByUsername(real.server.db, scorer.username))!.id;
    api = new SyncClient(real.server.app, await apiSignIn(real.server.app, secretariat.username, secretariat.password));
    const tour = buildTestTour(TOUR_ID, [{ userId: scorerId, name: scorer.displayName }]);
    tour.tour.name = TOUR_NAME;
    await api.pushOk(tourMutations(api, tour));
    const field = new SyncClient(real.server.app, await apiSignIn(real.server.app, scorer.username, scorer.password));
    const sheet = buildSheet(TOUR_ID, tour.stops[0]!.id, tour.scorers[0]!.id, { progress: 36, quality: 27, benefit: 26 }, 'submitted');
    expect(sheet.id).toBe(sheetId(TOUR_ID, tour.stops[0]!.id, tour.scorers[0]!.id));
    await field.pushOk([field.mutation('sheets', TOUR_ID, sheet)]);
  });
  afterAll(async () => {
    await real?.close();
  });

  async function expectNoDemo(page: Page) {
    const text = await page.locator('body').innerText();
    for (const trace of demoTraces) expect(text, `"${trace}" on ${page.url()}`).not.toContain(trace);
  }

  /** The first screen of a fresh profile: sign-in (no list of people), then the form. */
  async function signInFromRoot(page: Page, account: RealAccount) {
    await page.goto(real.baseUrl);
    await page.getByRole('heading', { level: 1, name: '登录' }).waitFor();
    expect(await page.getByTestId('person').count()).toBe(0);
    await expectNoDemo(page);
    const form = page.getByTestId('sign-in-form');
    await eventually(() => form.getByLabel('服务器地址').inputValue()).toBe(new URL(real.baseUrl).origin);
    await form.getByLabel('用户名').fill(account.username);
    await form.getByLabel('密码').fill(account.password);
    await form.getByRole('button', { name: '登录' }).click();
  }

  it('the secretariat lands on the desk and reaches editor, board, rankings, bulletin and the export by clicking', async () => {
    const session: ChromiumSession = await launchChromium();
    try {
      const page = await session.context.newPage();
      const { problems } = watchPageProblems(page, new URL(real.baseUrl).origin);
      await signInFromRoot(page, secretariat);

      await page.getByRole('heading', { level: 1, name: '秘书处工作台' }).waitFor();
      expect(new URL(page.url()).hash).toBe('#/desk');
      const row = page.getByTestId('desk-tour-row').filter({ hasText: TOUR_NAME });
      await row.waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('desk-tour-row').count()).toBe(1);
      await expectNoDemo(page);

      // desk → editor
      await row.getByRole('link', { name: '编辑', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: TOUR_NAME }).waitFor();
      const nav = page.getByTestId('tour-desk-nav');
      expect(await nav.getByRole('link', { name: '编辑' }).getAttribute('aria-current')).toBe('page');
      await expectNoDemo(page);
      // editor → board → rankings → bulletin, through the tour bar
      await nav.getByRole('link', { name: '评分进度' }).click();
      await page.getByRole('heading', { level: 1, name: '评分进度' }).waitFor();
      await page.getByTestId('scoring-board').waitFor();
      await nav.getByRole('link', { name: '排名' }).click();
      await page.getByRole('heading', { level: 1, name: `${TOUR_NAME} · 排名` }).waitFor();
      await nav.getByRole('link', { name: '通报' }).click();
      await page.getByTestId('bulletin-document').waitFor();
      expect(await page.getByTestId('bulletin-document').innerText()).toContain(TOUR_NAME);
      // bulletin → back to the editor, and back to the desk
      await nav.getByRole('link', { name: '编辑' }).click();
      await page.getByRole('heading', { level: 1, name: TOUR_NAME }).waitFor();
      await nav.getByRole('link', { name: '秘书处工作台' }).click();
      await page.getByRole('heading', { level: 1, name: '秘书处工作台' }).waitFor();

      // desk → 排名与通报, then 导出 straight from the desk (the workbook of the saved rules)
      await row.getByRole('link', { name: '排名与通报' }).click();
      await page.getByRole('heading', { level: 1, name: `${TOUR_NAME} · 排名` }).waitFor();
      await page.goBack();
      await row.getByRole('button', { name: '导出' }).click();
      const dialog = page.getByTestId('desk-export-dialog');
      await dialog.getByText('还有 3 张评分表没有提交').waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('export-xlsx').click()]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^${TOUR_NAME}.*\\.xlsx$`));
      await dialog.getByRole('button', { name: '关闭' }).click();

      // 观摩活动 for the secretariat: the tours, and the way to the desk, never "nothing assigned to you"
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '观摩活动' }).click();
      await page.getByTestId('tours-desk-callout').waitFor();
      expect(await page.getByTestId('tour-card').count()).toBe(1);
      expect(await page.locator('body').innerText()).not.toContain('本机还没有分配给');
      // the brand goes home: the desk
      await page.locator('.brand').click();
      await page.getByRole('heading', { level: 1, name: '秘书处工作台' }).waitFor();
      await expectNoDemo(page);
      expect(problems).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('a scorer lands on 我的观摩, and reaches rankings and bulletin from the tour once published', async () => {
    const session: ChromiumSession = await launchChromium();
    try {
      const page = await session.context.newPage();
      const { problems } = watchPageProblems(page, new URL(real.baseUrl).origin);
      await signInFromRoot(page, scorer);

      await page.getByRole('heading', { level: 1, name: '观摩活动' }).waitFor();
      expect(new URL(page.url()).hash).toBe('#/tours');
      const card = page.getByTestId('tour-card').filter({ hasText: TOUR_NAME });
      await card.waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('tour-card').count()).toBe(1);
      // no desk for a scorer
      expect(await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '秘书处' }).count()).toBe(0);
      await expectNoDemo(page);

      await card.getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: TOUR_NAME }).waitFor();
      expect(await page.getByRole('link', { name: '查看排名' }).count()).toBe(0);

      // the secretariat publishes the results; the scorer syncs now
      await api.pushOk([api.change('tours', TOUR_ID, TOUR_ID, { status: 'results_published' })]);
      await page.getByTestId('sync-indicator').getByRole('button').first().click();
      await page.getByTestId('sync-now').click();
      await page.getByRole('link', { name: '查看排名' }).waitFor({ timeout: 60_000 });
      await page.getByRole('link', { name: '查看排名' }).click();
      await page.getByRole('heading', { level: 1, name: `${TOUR_NAME} · 排名` }).waitFor();
      const nav = page.getByTestId('tour-desk-nav');
      await nav.getByRole('link', { name: '通报' }).click();
      await page.getByTestId('bulletin-document').waitFor();
      await nav.getByRole('link', { name: '行程', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: TOUR_NAME }).waitFor();
      await page.getByRole('link', { name: '查看通报' }).click();
      await page.getByTestId('bulletin-document').waitFor();
      await expectNoDemo(page);
      expect(problems).toEqual([]);
      await page.screenshot({ path: path.join(artefactsDir, 'real-server-scorer-bulletin.png') });
    } finally {
      await session.close();
    }
  });
});
