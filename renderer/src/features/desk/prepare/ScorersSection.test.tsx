// @vitest-environment happy-dom
/**
 * The scorers section: the secretariat searches the server's accounts (GET /api/users) by name,
 * sees their roles, picks one, and the assignment is saved; offline / signed out / without the
 * right it says why and the people the desk knows are still offered. The server end of
 * /api/users is tested against the real server (server/src/http/users-routes.test.ts); here the
 * network answers as it would, and the answer passes the same shared schema.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { usersResponseSchema, type UsersResponse } from '@shared/sync/auth-protocol';
import type { Tour } from '../../../db/entities';
import { DbContext } from '../../../db/db-context';
import type { GuanmoDb } from '../../../db/guanmo-db';
import { I18nProvider } from '../../../i18n/I18nProvider';
import { saveSession } from '../../../sync/session-store';
import { createTestDb } from '../../../test-support/test-db';
import { createTour, saveScorer } from './desk-repo';
import { ScorersSection } from './ScorersSection';

const serverUsers: UsersResponse = usersResponseSchema.parse({
  users: [
    { id: 'u-admin', username: 'admin', displayName: '管理员', role: 'admin', disabled: false },
    { id: 'u-sec', username: 'mishu', displayName: '秘书处王', role: 'secretariat', disabled: false },
    { id: 'u-zhang', username: 'zhangsan', displayName: '张三', role: 'scorer', disabled: false },
    { id: 'u-zhang2', username: 'zhangwei', displayName: '张伟', role: 'scorer', disabled: false },
    { id: 'u-li', username: 'lisi', displayName: '李四', role: 'observer', disabled: false },
    { id: 'u-gone', username: 'zhaoliu', displayName: '赵六', role: 'scorer', disabled: true },
  ],
});

let db: GuanmoDb;
let tour: Tour;
let requests: Array<{ url: string; authorization: string | null }>;
let answer: () => Promise<Response>;

beforeEach(async () => {
  localStorage.clear();
  db = createTestDb();
  tour = await createTour(db, 't-sc', { name: '评委测试', kind: 'scored', startDate: '2021-12-08', endDate: '2021-12-09' });
  requests = [];
  answer = async () => new Response(JSON.stringify(serverUsers), { status: 200, headers: { 'content-type': 'application/json' } });
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization') });
    return answer();
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  db.close();
});

async function signInAsSecretariat() {
  await saveSession(db, 'http://server.test:8787', {
    token: 'gm_token',
    tokenType: 'Bearer',
    expiresAt: '2099-01-01T00:00:00.000Z',
    user: { id: 'u-sec', username: 'mishu', displayName: '秘书处王', role: 'secretariat' },
  });
}

function renderSection(node: ReactNode, locale: 'zh-CN' | 'en' = 'zh-CN') {
  return render(
    <I18nProvider initialLocale={locale}>
      <DbContext.Provider value={db}>{node}</DbContext.Provider>
    </I18nProvider>,
  );
}

async function currentScorers() {
  return db.scorers.where('tourId').equals('t-sc').toArray();
}

describe('scorers section', () => {
  it('finds server accounts by name, shows their roles, and assigns the one picked', async () => {
    await signInAsSecretariat();
    await saveScorer(db, { id: 'sc-old', tourId: 't-sc', userId: 'u-zhang2', name: '张伟', role: 'scorer', homeUnitId: null, weightGroup: null });
    renderSection(<ScorersSection tour={tour} units={[]} scorers={await currentScorers()} />);

    const search = await screen.findByLabelText('搜索服务器账号');
    expect(requests).toEqual([{ url: 'http://server.test:8787/api/users', authorization: 'Bearer gm_token' }]);
    // the table shows the account's user name once the list is there
    await within(screen.getByTestId('desk-scorer')).findByText('zhangwei');

    fireEvent.change(search, { target: { value: '张' } });
    const results = screen.getAllByTestId('account-result');
    expect(results.map((r) => r.textContent)).toEqual([expect.stringContaining('张三'), expect.stringContaining('张伟')]);
    expect(results[0]!.textContent).toContain('评委');
    // already in the tour: shown, not choosable
    expect(results[1]!.textContent).toContain('已在本活动中');
    expect(within(results[1]!).getByRole('button')).toHaveProperty('disabled', true);

    // by user name too; a disabled account cannot be chosen
    fireEvent.change(search, { target: { value: 'zhao' } });
    const gone = screen.getByTestId('account-result');
    expect(gone.textContent).toContain('已停用');
    expect(within(gone).getByRole('button')).toHaveProperty('disabled', true);
    fireEvent.change(search, { target: { value: '不存在' } });
    expect(screen.getByText('没有符合“不存在”的账号')).toBeTruthy();

    fireEvent.change(search, { target: { value: 'zhangsan' } });
    fireEvent.click(screen.getByRole('button', { name: '选择张三 zhangsan' }));
    expect((await screen.findByTestId('chosen-account')).textContent).toBe('已选：张三（zhangsan）');
    expect((screen.getByLabelText('用户编号') as HTMLInputElement).value).toBe('u-zhang');
    expect((screen.getByLabelText('姓名') as HTMLInputElement).value).toBe('张三');
    fireEvent.click(screen.getByRole('button', { name: '添加' }));
    await waitFor(async () => expect((await currentScorers()).map((s) => s.userId).sort()).toEqual(['u-zhang', 'u-zhang2']));
    expect((await currentScorers()).find((s) => s.userId === 'u-zhang')).toMatchObject({ name: '张三', role: 'scorer' });

    // an observer account joins as an observer
    fireEvent.change(search, { target: { value: '李' } });
    fireEvent.click(screen.getByRole('button', { name: '选择李四 lisi' }));
    expect((screen.getByLabelText('身份') as HTMLSelectElement).value).toBe('observer');
  });

  it('offline: says the list needs a connection and still offers the people the desk knows', async () => {
    await signInAsSecretariat();
    await createTour(db, 't-other', { name: '另一活动', kind: 'scored', startDate: '2021-12-08', endDate: '2021-12-09' });
    await saveScorer(db, { id: 'sc-known', tourId: 't-other', userId: 'u-known', name: '老评委', role: 'scorer', homeUnitId: null, weightGroup: null });
    answer = () => Promise.reject(new TypeError('Failed to fetch'));
    renderSection(<ScorersSection tour={tour} units={[]} scorers={[]} />);

    const notice = await screen.findByTestId('accounts-unavailable');
    await waitFor(() => expect(notice.dataset.status).toBe('offline'));
    expect(notice.textContent).toContain('账号列表需要连接服务器');
    expect(screen.queryByLabelText('搜索服务器账号')).toBeNull();

    const knownSelect = screen.getByLabelText('从已知人员中选择') as HTMLSelectElement;
    await waitFor(() => expect([...knownSelect.options].map((o) => o.textContent)).toContain('老评委（u-known）'));
    fireEvent.change(knownSelect, { target: { value: 'u-known' } });
    await waitFor(() => expect((screen.getByLabelText('姓名') as HTMLInputElement).value).toBe('老评委'));

    // back online: retry loads the list
    answer = async () => new Response(JSON.stringify(serverUsers), { status: 200, headers: { 'content-type': 'application/json' } });
    fireEvent.click(within(notice).getByRole('button', { name: '重试' }));
    await screen.findByLabelText('搜索服务器账号');
  });

  it('says why when signed out or signed in without the right', async () => {
    const first = renderSection(<ScorersSection tour={tour} units={[]} scorers={[]} />);
    await waitFor(() => expect(screen.getByTestId('accounts-unavailable').dataset.status).toBe('signedOut'));
    expect(requests).toEqual([]); // no session: nothing is asked
    first.unmount();

    await signInAsSecretariat();
    answer = async () => new Response(JSON.stringify({ error: 'forbidden', message: 'This needs the role secretariat or admin' }), { status: 403, headers: { 'content-type': 'application/json' } });
    renderSection(<ScorersSection tour={tour} units={[]} scorers={[]} />);
    await waitFor(() => expect(screen.getByTestId('accounts-unavailable').dataset.status).toBe('forbidden'));
    expect(screen.getByTestId('accounts-unavailable').textContent).toContain('无权查看账号列表');
  });

  it('has no Chinese left in its interface in English (only data)', async () => {
    await signInAsSecretariat();
    await saveScorer(db, { id: 'sc-old', tourId: 't-sc', userId: 'u-zhang2', name: '张伟', role: 'observer', homeUnitId: null, weightGroup: '市领导' });
    const { container } = renderSection(<ScorersSection tour={tour} units={[]} scorers={await currentScorers()} />, 'en');
    const search = await screen.findByLabelText('Search server accounts');
    fireEvent.change(search, { target: { value: 'zhang' } });
    expect(screen.getAllByTestId('account-result')[0]!.textContent).toContain('Scorer');
    let text = container.textContent ?? '';
    for (const value of ['张伟', '张三', '市领导', '（u-known）']) text = text.split(value).join('');
    for (const u of serverUsers.users) text = text.split(u.displayName).join('');
    expect(text).not.toMatch(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/);
    for (const el of container.querySelectorAll('[aria-label]')) {
      const label = (el.getAttribute('aria-label') ?? '').split('张伟').join('').split('张三').join('');
      expect(label).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
