/**
 * Bulk scorer assignment end to end in Chromium against the real server (its own, in demo mode):
 * from `/`, an admin signs in, opens the 聊城 tour in the desk (22 projects, 11 units in 县组 and
 * 区组, on the server), pastes the 15-row list from the clipboard (4 city leaders with accounts
 * named in it, 11 unit heads who recuse from their units), sees the preview, creates the 15
 * missing accounts, prints the password slips and downloads the passwords, assigns everyone at
 * once and publishes. Then 阳谷县书记, on a laptop of their own, signs in with the one-time
 * password from the slip, must choose a new one, and finds the tour. Only clicks and typing:
 * no address is typed after `/`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, waitLanded, waitSynced } from './helpers/app-actions';
import { chromiumArgs, chromiumPath } from './helpers/chromium';
import { startDemoServer, type DemoServer } from './helpers/demo-server';
import { LIAOCHENG_SCORERS, liaochengScorersPaste, liaochengTourCsv } from './helpers/liaocheng-tour';
import { watchPageProblems } from './helpers/page-problems';
import { artefactsDir, demoDir } from './helpers/paths';
import { missingPdfTools, pdfText } from './helpers/pdf-tools';

const TOUR_NAME = '聊城市2021年重点项目观摩';
const NEW_PASSWORD = 'yanggu-shuji-2021';

let demo: DemoServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function api(method: string, url: string, token: string | null, body: string, type: string): Promise<{ tour?: { id: string }; token?: string }> {
  const response = await fetch(new URL(url, demo.baseUrl), { method, headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<{ tour?: { id: string }; token?: string }>;
}

beforeAll(async () => {
  demo = await startDemoServer();
  // the tour exists on the server, as the secretariat imported it there (POST /api/tours/import)
  const { token } = await api('POST', '/api/auth/login', null, JSON.stringify({ username: 'admin', password: demo.passwords.get('admin') }), 'application/json');
  const { tour } = await api('POST', `/api/tours/import?name=${encodeURIComponent(TOUR_NAME)}&kind=scored&fileName=liaocheng.csv`, token!, liaochengTourCsv(), 'text/csv');
  await api('POST', `/api/tours/${encodeURIComponent(tour!.id)}/template/import?fileName=template.csv`, token!, await fs.readFile(path.join(demoDir, 'template-standard.csv'), 'utf8'), 'text/csv');
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  await fs.mkdir(artefactsDir, { recursive: true });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await demo?.close();
});

async function newLaptop(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  contexts.push(context);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(demo.baseUrl).origin });
  return context.newPage();
}

/** From `/`: the "sign in to a server" link, the real form. */
async function signInFromStart(page: Page, username: string, password: string): Promise<void> {
  await page.goto(demo.baseUrl);
  await page.getByTestId('who-sign-in').getByRole('link', { name: '登录服务器' }).click();
  const form = page.getByTestId('sign-in-form');
  await eventually(() => form.getByLabel('服务器地址').inputValue()).toBe(new URL(demo.baseUrl).origin);
  await form.getByLabel('用户名').fill(username);
  await form.getByLabel('密码').fill(password);
  await form.getByRole('button', { name: '登录' }).click();
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(artefactsDir, `scorers-bulk-${name}.png`) });

describe('bulk scorer assignment', () => {
  it('an admin pastes 15 people, creates their accounts, hands out the passwords, assigns all; a new scorer sets a password and sees the tour', async () => {
    const admin = await newLaptop();
    const { problems } = watchPageProblems(admin, new URL(demo.baseUrl).origin);
    await signInFromStart(admin, 'admin', demo.passwords.get('admin')!);
    // a fresh sign-in lands on the role's home: the desk for an admin
    await waitLanded(admin);
    await waitSynced(admin);

    // the desk, the tour
    await admin.getByRole('navigation').getByRole('link', { name: '秘书处' }).click();
    await admin.getByTestId('desk-tours').getByRole('link', { name: TOUR_NAME }).click();
    await admin.getByRole('heading', { level: 1, name: TOUR_NAME }).waitFor();
    const section = admin.getByTestId('scorers-section');
    await section.getByText('还没有分配人员').waitFor();

    // the list from Excel, by the clipboard
    await admin.evaluate((text) => navigator.clipboard.writeText(text), liaochengScorersPaste());
    const box = section.getByLabel('从 Excel 粘贴名单（选中含表头的区域，复制后粘贴到这里）');
    await box.click();
    await admin.keyboard.press('ControlOrMeta+V');
    const preview = section.getByTestId('scorer-preview');
    await preview.waitFor();
    await eventually(() => preview.getByTestId('scorer-preview-row').count()).toBe(15);
    expect(await section.getByTestId('scorer-import-summary').textContent()).toBe('粘贴的名单共 15 人： 可分配 0 人 · 15 人还没有账号');
    const yangguRow = preview.getByTestId('scorer-preview-row').filter({ hasText: '阳谷县书记' });
    expect(await yangguRow.textContent()).toContain('阳谷县 （表中：阳谷）');
    expect(await admin.getByTestId('desk-scorer').count()).toBe(0); // a preview saves nothing
    await section.getByTestId('scorer-import').scrollIntoViewIfNeeded();
    await shot(admin, '1-preview');

    // the missing accounts, created at once, their passwords shown once
    await section.getByRole('button', { name: '创建 15 个账号' }).click();
    const sheet = section.getByTestId('password-sheet');
    await sheet.waitFor({ timeout: 60_000 });
    await sheet.getByText('初始密码只显示这一次').waitFor();
    const rows = await sheet.getByTestId('password-row').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(rows.map(([name, post, username]) => [name, post, username])).toEqual(LIAOCHENG_SCORERS.map((s) => [s.name, s.post, s.username ?? s.name]));
    for (const [, , , password] of rows) expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    await sheet.scrollIntoViewIfNeeded();
    await shot(admin, '2-passwords');

    // printed: the slips and nothing else of the page, every person on them
    await admin.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => void ((window as unknown as { printed: number }).printed += 1);
    });
    await sheet.getByRole('button', { name: '打印密码条' }).click();
    expect(await admin.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await admin.emulateMedia({ media: 'print' });
    const pdfFile = path.join(artefactsDir, 'scorers-bulk-slips.pdf');
    await admin.pdf({ path: pdfFile, format: 'A4', printBackground: true });
    await admin.emulateMedia({ media: 'screen' });
    if (!missingPdfTools()) {
      const text = (await pdfText(pdfFile)).replace(/\s+/g, ' ');
      for (const [name, , username, password] of rows) {
        expect(text).toContain(name!);
        expect(text).toContain(username!);
        expect(text).toContain(password!);
      }
      expect(text).toContain(`${TOUR_NAME} · 账号与初始密码`);
      expect(text).not.toContain('排名规则'); // nothing of the editor
      const pages = (await fs.readFile(pdfFile, 'latin1')).match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
      expect(pages).toBeLessThanOrEqual(2);
    }

    // downloaded: 姓名, 账号, 初始密码
    const [download] = await Promise.all([admin.waitForEvent('download'), sheet.getByTestId('download-passwords').click()]);
    expect(download.suggestedFilename()).toBe(`${TOUR_NAME}-初始密码.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path())!);
    const table = workbook.worksheets[0]!;
    const cells = (n: number) => (table.getRow(n).values as unknown[]).slice(1);
    expect(cells(2)).toEqual(['姓名', '账号', '初始密码']);
    expect(Array.from({ length: 15 }, (_, i) => cells(i + 3))).toEqual(rows.map(([name, , username, password]) => [name, username, password]));

    // everyone ready now: assign all, in the list's order
    await eventually(() => section.getByTestId('assign-all').textContent()).toBe('全部分配（15 人）');
    await section.getByTestId('assign-all').click();
    await section.getByText('已分配 15 人。').waitFor();
    await eventually(() => admin.getByTestId('desk-scorer').count()).toBe(15);
    const listed = await admin.getByTestId('desk-scorer').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(1, 4).map((td) => td.querySelector('input')?.value ?? td.textContent ?? '')));
    expect(listed).toEqual(LIAOCHENG_SCORERS.map((s) => [s.name, s.post, s.username ?? s.name]));
    expect(await admin.getByLabel('阳谷县书记的所属单位').locator('option:checked').textContent()).toBe('阳谷县');
    await sheet.getByTestId('close-passwords').click();
    await sheet.waitFor({ state: 'detached' });
    await section.scrollIntoViewIfNeeded();
    await shot(admin, '3-assigned');

    // publish: the scorers' laptops receive the tour
    await admin.getByRole('button', { name: '发布观摩活动' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: '确认发布' }).click();
    await eventually(() => admin.getByTestId('tour-status').textContent()).toBe('已发布');
    await waitSynced(admin);
    expect(problems).toEqual([]);

    // 阳谷县书记, with the slip: the one-time password, then a password of their own
    const [, , username, oneTime] = rows.find(([name]) => name === '阳谷县书记')!;
    const scorer = await newLaptop();
    await signInFromStart(scorer, username!, oneTime!);
    const choose = scorer.getByTestId('new-password-form');
    await choose.waitFor({ timeout: 60_000 });
    await choose.getByText('这是管理员发给您的初始密码').waitFor();
    await shot(scorer, '4-new-password');
    await choose.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
    await choose.getByLabel('再次输入新密码').fill(NEW_PASSWORD);
    await choose.getByRole('button', { name: '设置新密码并登录' }).click();
    // signed in with the new password: 我的观摩, as 阳谷县书记
    await waitLanded(scorer);
    expect(await scorer.evaluate(() => location.hash)).toBe('#/tours');
    await waitSynced(scorer);
    await scorer.getByRole('navigation').getByRole('link', { name: '观摩活动' }).click();
    await scorer.getByRole('link', { name: TOUR_NAME }).first().waitFor({ timeout: 60_000 });
    await shot(scorer, '5-scorer-tours');

    // the one-time password no longer works; the new one does
    const old = await fetch(new URL('/api/auth/login', demo.baseUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: oneTime }) });
    expect(old.status).toBe(401);
  });
});
