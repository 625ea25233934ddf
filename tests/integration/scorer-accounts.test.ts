// @vitest-environment happy-dom
/**
 * Bulk assignment against the REAL server (in-process, SQLite in a temp folder; the app's
 * requests reach it through Fastify's inject, so no port is opened): an admin pastes the 15-row
 * 聊城 list into the scorers section, creates the 15 missing accounts (the first answer is lost
 * on the way back, and the retry still hands out passwords that work), assigns everyone; then a
 * new scorer signs in with the one-time password through the app's sign-in form, must choose a
 * new password, and is signed in with it.
 */
import fs from 'node:fs/promises';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useLiveQuery } from 'dexie-react-hooks';
import { createElement, type ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { scorersInAssignmentOrder } from '@shared/domain/tour-order';
import { importTourTable, parseCsv } from '@shared/import';
import type { GuanmoApp } from '../../server/src/app';
import { findUserByUsername } from '../../server/src/db/users';
import { makeTempDir } from '../../server/src/test-support/backends';
import { createCapturedApp } from '../../server/src/test-support/server-fixtures';
import { DbContext } from '../../renderer/src/db/db-context';
import type { Tour } from '../../renderer/src/db/entities';
import type { GuanmoDb } from '../../renderer/src/db/guanmo-db';
import { createTour, saveImportedItinerary } from '../../renderer/src/features/desk/prepare/desk-repo';
import { ScorersSection } from '../../renderer/src/features/desk/prepare/ScorersSection';
import { SignInForm } from '../../renderer/src/features/sign-in/SignInForm';
import { I18nProvider } from '../../renderer/src/i18n/I18nProvider';
import { getSession, signIn } from '../../renderer/src/sync/session-store';
import { createTestDb } from '../../renderer/src/test-support/test-db';
import { LIAOCHENG_SCORERS, LIAOCHENG_UNITS, liaochengScorersPaste, liaochengTourCsv } from '../e2e/helpers/liaocheng-tour';

// a server on the organisation's network (plain http is accepted there without a warning)
const SERVER = 'http://10.0.0.5:8787';
const ADMIN_PASSWORD = 'admin-password-1';

let dataDir: string;
let guanmo: GuanmoApp;
/** set to drop the answer of the next account batch after the server has processed it */
let loseNextBatchAnswer = false;
const batchBodies: string[] = [];
/** argon2 for 15 accounts on a busy 2-core machine: wait for the server, not a fixed second */
const slow = { timeout: 60_000 };

/** fetch for the app's code, answered by the real server through inject */
function injectFetch(app: GuanmoApp['app']): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => (headers[key] = value));
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? init.body : undefined;
    if (url.pathname === '/api/users/batch' && body) batchBodies.push(body);
    const res = await app.inject({ method: method as 'GET', url: url.pathname + url.search, headers, payload: body });
    if (url.pathname === '/api/users/batch' && loseNextBatchAnswer) {
      loseNextBatchAnswer = false;
      throw new TypeError('Failed to fetch'); // the connection dropped before the answer arrived
    }
    const answerHeaders = new Headers();
    for (const [key, value] of Object.entries(res.headers)) if (value !== undefined) answerHeaders.set(key, String(value));
    return new Response(res.statusCode === 204 ? null : res.body, { status: res.statusCode, headers: answerHeaders });
  }) as typeof fetch;
}

beforeAll(async () => {
  dataDir = await makeTempDir('guanmo-scorer-accounts-');
  guanmo = await createCapturedApp({ GUANMO_DATA_DIR: dataDir, GUANMO_LOG_LEVEL: 'error', GUANMO_ADMIN_PASSWORD: ADMIN_PASSWORD });
}, 60_000);
afterAll(async () => {
  await guanmo?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function ui(db: GuanmoDb, node: ReactNode) {
  return render(createElement(I18nProvider, { initialLocale: 'zh-CN', children: createElement(DbContext.Provider, { value: db }, node) }));
}

function LiveSection({ db, tour }: { db: GuanmoDb; tour: Tour }) {
  const data = useLiveQuery(async () => ({ units: await db.units.where('tourId').equals(tour.id).toArray(), scorers: await db.scorers.where('tourId').equals(tour.id).toArray() }), [db, tour.id]);
  return data ? createElement(ScorersSection, { tour, units: data.units, scorers: data.scorers }) : null;
}

describe('bulk assignment with the real server', () => {
  it('an admin pastes 15 people, creates their accounts (safe to retry), assigns all; a new scorer must choose a password', async () => {
    vi.stubGlobal('fetch', injectFetch(guanmo.app));
    const desk = createTestDb();
    await signIn(desk, SERVER, 'admin', ADMIN_PASSWORD);
    const tour = await createTour(desk, 't-lc', { name: '聊城市2021年重点项目观摩', kind: 'scored', startDate: '2021-11-23', endDate: '2021-11-24' });
    const itinerary = importTourTable(parseCsv(liaochengTourCsv()), { tourId: tour.id });
    if (!itinerary.ok) throw new Error(itinerary.errors.map((e) => e.message).join('\n'));
    await saveImportedItinerary(desk, tour, itinerary.value);
    const unitId = (name: string) => itinerary.value.units.find((u) => u.name === name)!.id;

    ui(desk, createElement(LiveSection, { db: desk, tour }));
    await screen.findByLabelText('搜索账号', undefined, slow); // the server's accounts are in
    const box = screen.getByLabelText('从 Excel 粘贴名单（选中含表头的区域，复制后粘贴到这里）');
    // a paste into the empty box previews at once
    fireEvent.paste(box, { clipboardData: { getData: (type: string) => (type === 'text/plain' ? liaochengScorersPaste() : '') } });
    const rows = await screen.findAllByTestId('scorer-preview-row');
    expect(rows.map((r) => r.dataset.kind)).toEqual(Array(15).fill('create'));
    expect(screen.getByTestId('scorer-import-summary').textContent).toBe('粘贴的名单共 15 人： 可分配 0 人 · 15 人还没有账号');

    // the answer of the first try is lost: the accounts exist, the desk does not know it
    loseNextBatchAnswer = true;
    fireEvent.click(screen.getByRole('button', { name: '创建 15 个账号' }));
    expect((await screen.findByTestId('scorer-import-message', undefined, slow)).textContent).toContain('创建账号失败：无法连接服务器');
    expect(await findUserByUsername(guanmo.db, '阳谷县书记')).toMatchObject({ mustChangePassword: true });
    fireEvent.click(screen.getByRole('button', { name: '创建 15 个账号' }));
    const sheet = await screen.findByTestId('password-sheet', undefined, slow);
    // the retry sent the same passwords, so the ones shown are the accounts' one-time passwords
    expect(batchBodies).toHaveLength(2);
    expect(batchBodies[1]).toBe(batchBodies[0]);
    const shown = within(sheet)
      .getAllByTestId('password-row')
      .map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent ?? ''));
    expect(shown.map(([name, , username]) => [name, username])).toEqual(LIAOCHENG_SCORERS.map((s) => [s.name, s.username ?? s.name]));
    for (const [, , username, password] of [shown[0]!, shown[5]!]) {
      const login = await guanmo.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      expect(login.json()).toMatchObject({ error: 'password_change_required' });
    }
    // printed slips carry the server to sign in to
    expect(document.body.querySelector('[data-testid="password-slips"]')?.textContent).toContain(SERVER);
    expect(document.documentElement.classList.contains('printing-password-slips')).toBe(true);

    // every row is ready now: assign all in one go, in the list's order
    await waitFor(() => expect(screen.getByTestId('assign-all').textContent).toBe('全部分配（15 人）'), slow);
    fireEvent.click(screen.getByTestId('assign-all'));
    await screen.findByText('已分配 15 人。', undefined, slow);
    const assigned = scorersInAssignmentOrder(await desk.scorers.where('tourId').equals(tour.id).toArray());
    expect(assigned.map((s) => [s.order, s.name, s.post, s.homeUnitId, s.weightGroup, s.role])).toEqual(
      LIAOCHENG_SCORERS.map((s, i) => {
        const unit = s.unit === null ? null : LIAOCHENG_UNITS.find((u) => u.short === s.unit)!.name;
        return [i, s.name, s.post, unit === null ? null : unitId(unit), s.weightGroup, 'scorer'];
      }),
    );
    const accounts = new Map((await Promise.all(assigned.map((s) => guanmo.db.selectFrom('users').select(['id', 'username']).where('id', '=', s.userId).executeTakeFirst()))).map((u) => [u!.id, u!.username]));
    expect(assigned.map((s) => accounts.get(s.userId))).toEqual(LIAOCHENG_SCORERS.map((s) => s.username ?? s.name));

    // closing the sheet forgets the passwords
    fireEvent.click(within(sheet).getByTestId('close-passwords'));
    await waitFor(() => expect(screen.queryByTestId('password-sheet')).toBeNull());
    expect(document.body.textContent).not.toContain(shown[5]![3]!);
    expect(document.documentElement.classList.contains('printing-password-slips')).toBe(false);
    cleanup();
    desk.close();

    // 阳谷县书记 on a laptop of their own: the one-time password, then a new one of their choice
    const [, , username, oneTime] = shown[5]!;
    const laptop = createTestDb();
    ui(laptop, createElement(SignInForm));
    const form = await screen.findByTestId('sign-in-form');
    fireEvent.change(within(form).getByLabelText('服务器地址'), { target: { value: SERVER } });
    fireEvent.change(within(form).getByLabelText('用户名'), { target: { value: username } });
    fireEvent.change(within(form).getByLabelText('密码'), { target: { value: oneTime } });
    fireEvent.click(within(form).getByRole('button', { name: '登录' }));
    const choose = await screen.findByTestId('new-password-form', undefined, slow);
    expect(choose.textContent).toContain('这是管理员发给您的初始密码');
    expect(await getSession(laptop)).toBeNull(); // no session from a one-time password
    fireEvent.change(within(choose).getByLabelText('新密码'), { target: { value: 'yanggu-2021' } });
    fireEvent.change(within(choose).getByLabelText('再次输入新密码'), { target: { value: 'yanggu-2022' } });
    fireEvent.click(within(choose).getByRole('button', { name: '设置新密码并登录' }));
    expect((await within(choose).findByRole('alert', undefined, slow)).textContent).toBe('两次输入的新密码不一致');
    fireEvent.change(within(choose).getByLabelText('再次输入新密码'), { target: { value: 'yanggu-2021' } });
    fireEvent.click(within(choose).getByRole('button', { name: '设置新密码并登录' }));
    await waitFor(async () => expect((await getSession(laptop))?.user).toMatchObject({ username, displayName: '阳谷县书记', role: 'scorer' }), slow);
    expect((await guanmo.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: oneTime } })).statusCode).toBe(401);
    expect((await guanmo.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'yanggu-2021' } })).statusCode).toBe(200);
    laptop.close();
  }, 120_000);
});
