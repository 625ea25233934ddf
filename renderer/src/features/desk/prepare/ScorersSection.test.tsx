// @vitest-environment happy-dom
/**
 * The scorers section: the assigned list in assignment order with 职务 (never an internal id),
 * reordered with ↑ ↓; one picker that searches the server's accounts (GET /api/users) by name or
 * 账号, or, offline, the people the desk knows; the bulk assignment's preview and 全部分配 for a
 * secretariat (no account creation: the missing-accounts list instead). The network answers as
 * the server would and the answers pass the shared schemas; the real server end is tested in
 * server/src/http/*.test.ts and, with this section, in tests/integration/scorer-accounts.test.tsx.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useLiveQuery } from 'dexie-react-hooks';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { scorersInAssignmentOrder } from '@shared/domain/tour-order';
import { importScorerTable, readTableFile } from '@shared/import';
import { usersResponseSchema, type UsersResponse } from '@shared/sync/auth-protocol';
import type { Tour, Unit } from '../../../db/entities';
import { DbContext } from '../../../db/db-context';
import type { GuanmoDb } from '../../../db/guanmo-db';
import { I18nProvider } from '../../../i18n/I18nProvider';
import { saveSession } from '../../../sync/session-store';
import { createTestDb } from '../../../test-support/test-db';
import { addStop, addUnit, createTour, saveScorer } from './desk-repo';
import { ScorersSection } from './ScorersSection';

const serverUsers: UsersResponse = usersResponseSchema.parse({
  users: [
    { id: 'u-admin', username: 'admin', displayName: '管理员', role: 'admin', disabled: false },
    { id: 'u-sec', username: 'mishu', displayName: '秘书处王', role: 'secretariat', disabled: false },
    { id: 'u-zhang', username: 'zhangsan', displayName: '张三', role: 'scorer', disabled: false },
    { id: 'u-zhang2', username: 'zhangwei', displayName: '张伟', role: 'scorer', disabled: false },
    { id: 'u-li', username: 'lisi', displayName: '李四', role: 'observer', disabled: false },
    { id: 'u-gone', username: 'zhaoliu', displayName: '赵六', role: 'scorer', disabled: true },
    { id: 'u-p3', username: 'pw3', displayName: '评委丙', role: 'scorer', disabled: false },
    { id: 'u-p1', username: 'pw1', displayName: '评委甲', role: 'scorer', disabled: false },
    { id: 'u-p2', username: 'pw2', displayName: '评委乙', role: 'scorer', disabled: false },
    { id: 'u-sld1', username: 'sld1', displayName: '市领导1', role: 'scorer', disabled: false },
  ],
});

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

let db: GuanmoDb;
let tour: Tour;
let units: Unit[];
let requests: Array<{ method: string; url: string; authorization: string | null }>;
let answer: () => Promise<Response>;

beforeEach(async () => {
  localStorage.clear();
  db = createTestDb();
  tour = await createTour(db, 't-sc', { name: '评委测试', kind: 'scored', startDate: '2021-12-08', endDate: '2021-12-09' });
  units = [];
  // the itinerary visits 阳谷县, 莘县, 冠县 in this order (not the order of their names)
  for (const [i, name] of ['阳谷县', '莘县', '冠县'].entries()) {
    const unit = await addUnit(db, { id: `t-sc-unit-${i + 1}`, tourId: 't-sc', name, group: null, indicatorScore: null });
    units.push(unit);
    await addStop(db, { id: `t-sc-stop-${i + 1}`, tourId: 't-sc', unitId: unit.id, day: '2021-12-08', name: `${name}项目`, category: '', totalInvestment: null, completedInvestment: null, startDate: null, content: '', lat: null, lng: null, address: '', briefer: '' });
  }
  units.reverse(); // as the editor gets them: not in tour order
  requests = [];
  answer = async () => json(serverUsers);
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push({ method: init?.method ?? 'GET', url: String(input), authorization: new Headers(init?.headers).get('authorization') });
    return answer();
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  db.close();
});

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function signInAs(role: 'secretariat' | 'admin') {
  await saveSession(db, 'http://server.test:8787', {
    token: 'gm_token',
    tokenType: 'Bearer',
    expiresAt: '2099-01-01T00:00:00.000Z',
    user: role === 'admin' ? { id: 'u-admin', username: 'admin', displayName: '管理员', role } : { id: 'u-sec', username: 'mishu', displayName: '秘书处王', role },
  });
}

/** The section as the tour editor shows it: fed by a live query of the tour's scorers. */
function LiveSection() {
  const scorers = useLiveQuery(() => db.scorers.where('tourId').equals('t-sc').toArray(), []);
  return scorers ? <ScorersSection tour={tour} units={units} scorers={scorers} /> : null;
}

function renderSection(node: ReactNode = <LiveSection />, locale: 'zh-CN' | 'en' = 'zh-CN') {
  return render(
    <I18nProvider initialLocale={locale}>
      <DbContext.Provider value={db}>{node}</DbContext.Provider>
    </I18nProvider>,
  );
}

async function currentScorers() {
  return scorersInAssignmentOrder(await db.scorers.where('tourId').equals('t-sc').toArray());
}

const listedNames = () => screen.getAllByTestId('desk-scorer').map((row) => row.querySelectorAll('td')[1]!.textContent);

describe('scorers section: the assigned list', () => {
  it('lists in assignment order with 职务 and 账号, never an id; ↑ ↓ change the order and keep it', async () => {
    await signInAs('secretariat');
    // an old record without `order` sorts after the ordered ones
    await saveScorer(db, { id: 'sc-old', tourId: 't-sc', userId: 'u-zhang2', name: '张伟', role: 'scorer', homeUnitId: null, weightGroup: null });
    await saveScorer(db, { id: 'sc-b', tourId: 't-sc', userId: 'u-zhang', name: '张三', role: 'scorer', homeUnitId: 't-sc-unit-2', weightGroup: '县区', post: '县委书记', order: 1 });
    await saveScorer(db, { id: 'sc-a', tourId: 't-sc', userId: 'u-sld1', name: '市领导1', role: 'scorer', homeUnitId: null, weightGroup: '市领导', post: '市委书记', order: 0 });
    const { container } = renderSection();
    await waitFor(() => expect(listedNames()).toEqual(['市领导1', '张三', '张伟']));
    const accounts = await waitFor(() => {
      const shown = screen.getAllByTestId('scorer-account').map((c) => c.textContent);
      expect(shown).toEqual(['sld1', 'zhangsan', 'zhangwei']);
      return shown;
    });
    expect(accounts).toHaveLength(3);
    expect((screen.getByLabelText('张三的职务') as HTMLInputElement).value).toBe('县委书记');
    expect((screen.getByLabelText('张三的所属单位') as HTMLSelectElement).value).toBe('t-sc-unit-2');
    expect(container.innerHTML).not.toMatch(UUID);
    expect(container.textContent).not.toContain('u-zhang');

    fireEvent.click(screen.getByRole('button', { name: '上移张伟' }));
    await waitFor(() => expect(listedNames()).toEqual(['市领导1', '张伟', '张三']));
    expect((await currentScorers()).map((s) => [s.name, s.order])).toEqual([
      ['市领导1', 0],
      ['张伟', 1],
      ['张三', 2],
    ]);
    expect(screen.getByRole('button', { name: '上移市领导1' })).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('button', { name: '下移市领导1' }));
    await waitFor(() => expect(listedNames()).toEqual(['张伟', '市领导1', '张三']));
    // the reorder syncs: an outbox entry for `order`
    expect((await db.outbox.toArray()).some((e) => e.recordId === 'sc-a' && e.changedFields.includes('order'))).toBe(true);

    // 职务 and weight group edited in place
    const post = screen.getByLabelText('张伟的职务') as HTMLInputElement;
    fireEvent.change(post, { target: { value: '市发改委主任' } });
    fireEvent.blur(post);
    await waitFor(async () => expect((await db.scorers.get('sc-old'))?.post).toBe('市发改委主任'));
    fireEvent.change(screen.getByLabelText('张伟的所属单位'), { target: { value: 't-sc-unit-3' } });
    await waitFor(async () => expect((await db.scorers.get('sc-old'))?.homeUnitId).toBe('t-sc-unit-3'));
  });

  it('shows no account at all when the server’s list cannot be had (never the id instead)', async () => {
    await saveScorer(db, { id: 'sc-x', tourId: 't-sc', userId: '0d9f2c1e-8b7a-4c3d-9e2f-1a2b3c4d5e6f', name: '王五', role: 'scorer', homeUnitId: null, weightGroup: null, order: 0 });
    const { container } = renderSection();
    await waitFor(() => expect(screen.getByTestId('accounts-unavailable').dataset.status).toBe('signedOut'));
    expect(screen.getByTestId('scorer-account').textContent).toBe('');
    expect(container.innerHTML).not.toMatch(UUID);
  });
});

describe('scorers section: one picker', () => {
  it('finds accounts by name or 账号 (numbered names by number), adds the one picked at the end of the list', async () => {
    await signInAs('secretariat');
    await saveScorer(db, { id: 'sc-old', tourId: 't-sc', userId: 'u-zhang2', name: '张伟', role: 'scorer', homeUnitId: null, weightGroup: null, order: 4 });
    renderSection();
    const search = await screen.findByLabelText('搜索账号');
    expect(requests).toEqual([{ method: 'GET', url: 'http://server.test:8787/api/users', authorization: 'Bearer gm_token' }]);
    expect(screen.queryByLabelText('用户编号')).toBeNull(); // nothing to type an id into

    fireEvent.change(search, { target: { value: '评委' } });
    expect(screen.getAllByTestId('account-result').map((r) => r.textContent?.slice(0, 3))).toEqual(['评委甲', '评委乙', '评委丙']);

    fireEvent.change(search, { target: { value: '张' } });
    const results = screen.getAllByTestId('account-result');
    expect(results.map((r) => r.textContent)).toEqual([expect.stringContaining('张三'), expect.stringContaining('张伟')]);
    expect(results[1]!.textContent).toContain('已在本活动中');
    expect(within(results[1]!).getByRole('button')).toHaveProperty('disabled', true);

    fireEvent.change(search, { target: { value: 'ZHAO' } });
    expect(within(screen.getByTestId('account-result')).getByRole('button')).toHaveProperty('disabled', true); // disabled account
    fireEvent.change(search, { target: { value: '不存在' } });
    expect(screen.getByText('没有符合“不存在”的人')).toBeTruthy();

    fireEvent.change(search, { target: { value: 'zhangsan' } });
    fireEvent.click(screen.getByRole('button', { name: '选择张三 zhangsan' }));
    expect((await screen.findByTestId('chosen-account')).textContent).toBe('已选：张三（账号 zhangsan）');
    fireEvent.change(screen.getByLabelText('所属单位（回避本单位项目）'), { target: { value: 't-sc-unit-1' } });
    fireEvent.change(screen.getByLabelText('职务'), { target: { value: '县委书记' } });
    fireEvent.click(screen.getByRole('button', { name: '添加' }));
    await screen.findByText('已添加张三。');
    expect((await currentScorers()).map((s) => [s.name, s.userId, s.order, s.homeUnitId, s.post ?? null])).toEqual([
      ['张伟', 'u-zhang2', 4, null, null],
      ['张三', 'u-zhang', 5, 't-sc-unit-1', '县委书记'],
    ]);

    // an account that cannot score joins as an observer
    fireEvent.change(search, { target: { value: '李' } });
    fireEvent.click(screen.getByRole('button', { name: '选择李四 lisi' }));
    expect((screen.getByLabelText('身份') as HTMLSelectElement).value).toBe('observer');
    expect((screen.getByRole('option', { name: '评委（评分）' }) as HTMLOptionElement).disabled).toBe(true);
  });

  it('offline: searches the people the desk knows, and says why', async () => {
    await signInAs('secretariat');
    await createTour(db, 't-other', { name: '另一活动', kind: 'scored', startDate: '2021-12-08', endDate: '2021-12-09' });
    await saveScorer(db, { id: 'sc-known', tourId: 't-other', userId: 'u-known', name: '老评委', role: 'scorer', homeUnitId: null, weightGroup: null });
    answer = () => Promise.reject(new TypeError('Failed to fetch'));
    renderSection();
    const notice = await screen.findByTestId('accounts-unavailable');
    await waitFor(() => expect(notice.dataset.status).toBe('offline'));
    expect(notice.textContent).toContain('现在无法连接服务器');
    const search = screen.getByLabelText('搜索本机已知的人员');
    fireEvent.change(search, { target: { value: '老' } });
    const result = screen.getByTestId('account-result');
    expect(result.textContent).not.toContain('u-known');
    fireEvent.click(within(result).getByRole('button'));
    expect((await screen.findByTestId('chosen-account')).textContent).toBe('已选：老评委');
    fireEvent.click(screen.getByRole('button', { name: '添加' }));
    await waitFor(async () => expect((await currentScorers()).map((s) => s.userId)).toEqual(['u-known']));

    answer = async () => json(serverUsers);
    fireEvent.click(within(notice).getByRole('button', { name: '重试' }));
    await screen.findByLabelText('搜索账号');
  });
});

describe('scorers section: bulk assignment as the secretariat', () => {
  const list = ['序号\t姓名\t账号\t职务\t所属单位\t权重组', '1\t市领导1\tsld1\t市委书记\t\t市领导', '2\t张伟\tzhangwei\t\t\t', '3\t阳谷县书记\t\t县委书记\t阳谷\t县区', '4\t莘县书记\t\t县委书记\t莘\t县区', '5\t冠县书记\t\t县委书记\t冠州\t县区', ''].join('\r\n');

  it('previews every row, assigns the ready ones in one go after those assigned, and offers the missing accounts as a list', async () => {
    await signInAs('secretariat');
    await saveScorer(db, { id: 'sc-old', tourId: 't-sc', userId: 'u-zhang2', name: '张伟', role: 'scorer', homeUnitId: null, weightGroup: null, order: 0 });
    const saved: Uint8Array[] = [];
    (globalThis as { guanmo?: unknown }).guanmo = {
      saveFile: async ({ content }: { content: Uint8Array }) => {
        saved.push(content);
        return { ok: true, value: { saved: true, path: '/tmp/x.xlsx' } };
      },
    };
    try {
      renderSection();
      await screen.findByLabelText('搜索账号');
      const box = screen.getByLabelText('从 Excel 粘贴名单（选中含表头的区域，复制后粘贴到这里）');
      fireEvent.change(box, { target: { value: list } });
      expect(await db.scorers.count()).toBe(1); // nothing saved by reading
      fireEvent.click(screen.getByRole('button', { name: '预览' }));

      const rows = await screen.findAllByTestId('scorer-preview-row');
      expect(rows.map((r) => [r.dataset.row, r.dataset.kind])).toEqual([
        ['2', 'assign'],
        ['3', 'assigned'],
        ['4', 'create'],
        ['5', 'create'],
        ['6', 'error'],
      ]);
      expect(screen.getByTestId('scorer-import-summary').textContent).toBe('粘贴的名单共 5 人： 可分配 1 人 · 2 人还没有账号 · 1 人已在本活动中 · 1 行有问题');
      expect(screen.getByTestId('scorer-import-problems').textContent).toContain('第6行「所属单位」: 找不到单位“冠州”（本活动的单位：阳谷县、莘县、冠县）');
      expect(within(rows[2]!).getByText('阳谷县')).toBeTruthy();
      expect(rows[2]!.textContent).toContain('（表中：阳谷）');
      expect(rows[2]!.querySelector('td.mono')?.textContent).toBe('阳谷县书记 新'); // the 账号 proposed, marked new
      // a secretariat cannot create accounts: the list for the administrator instead
      const missing = screen.getByTestId('missing-accounts');
      expect(within(missing).queryByRole('button', { name: /创建/ })).toBeNull();
      fireEvent.click(within(missing).getByRole('button', { name: '下载待建账号名单（2 人）' }));
      // exceljs is loaded on first use: give it time
      await waitFor(() => expect(saved).toHaveLength(1), { timeout: 15_000 });
      const ExcelJS = (await import('exceljs')).default;
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(saved[0]!.buffer as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      const cells = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
      expect(cells(1)).toEqual(['序号', '姓名', '账号', '职务', '所属单位', '权重组', '角色']);
      expect(cells(2)).toEqual(['1', '阳谷县书记', '阳谷县书记', '县委书记', '阳谷县', '县区', '评委']);
      expect(cells(3)).toEqual(['2', '莘县书记', '莘县书记', '县委书记', '莘县', '县区', '评委']);
      // the administrator imports that file as it is (guanmo-server user import, or this desk)
      const again = readTableFile('待建账号名单.xlsx', saved[0]!);
      if (!again.ok) throw new Error(again.errors[0]!.message);
      const reread = importScorerTable(again.value, { units });
      expect(reread.ok && reread.value.rows.map((r) => [r.name, r.username, r.homeUnitId, r.issues.length])).toEqual([
        ['阳谷县书记', '阳谷县书记', 't-sc-unit-1', 0],
        ['莘县书记', '莘县书记', 't-sc-unit-2', 0],
      ]);

      fireEvent.click(screen.getByRole('button', { name: '全部分配（1 人）' }));
      const message = await screen.findByTestId('scorer-import-message');
      expect(message.textContent).toContain('已分配 1 人。');
      expect(message.textContent).toContain('2 人还没有账号，未分配：阳谷县书记、莘县书记。');
      expect(message.textContent).toContain('第6行「所属单位」');
      expect((await currentScorers()).map((s) => [s.name, s.order, s.post ?? null, s.weightGroup])).toEqual([
        ['张伟', 0, null, null],
        ['市领导1', 1, '市委书记', '市领导'],
      ]);
      expect(requests.filter((r) => r.method === 'POST')).toEqual([]);

      // the same list again: the assigned are skipped, nothing doubles
      fireEvent.change(screen.getByLabelText('从 Excel 粘贴名单（选中含表头的区域，复制后粘贴到这里）'), { target: { value: list } });
      fireEvent.click(screen.getByRole('button', { name: '预览' }));
      await waitFor(() => expect(screen.getAllByTestId('scorer-preview-row').filter((r) => r.dataset.kind === 'assigned')).toHaveLength(2));
      expect(screen.getByTestId('assign-all')).toHaveProperty('disabled', true);
    } finally {
      delete (globalThis as { guanmo?: unknown }).guanmo;
    }
  });

  it('matches a list read again against the accounts as they are now: created by the administrator meanwhile, with the page open', async () => {
    await signInAs('secretariat');
    renderSection();
    await screen.findByLabelText('搜索账号');
    fireEvent.change(screen.getByLabelText('从 Excel 粘贴名单（选中含表头的区域，复制后粘贴到这里）'), { target: { value: list } });
    fireEvent.click(screen.getByRole('button', { name: '预览' }));
    await waitFor(() => expect(screen.getAllByTestId('scorer-preview-row').filter((r) => r.dataset.kind === 'create')).toHaveLength(2));
    const usersRead = () => requests.filter((r) => r.method === 'GET' && r.url.endsWith('/api/users')).length;
    const readsBefore = usersRead();

    // the administrator creates the two accounts on their laptop; the clerk throws the preview
    // away (the box empties with it) and reads the same list again
    answer = async () =>
      json({
        users: [
          ...serverUsers.users,
          { id: 'u-yg', username: '阳谷县书记', displayName: '阳谷县书记', role: 'scorer', disabled: false },
          { id: 'u-sx', username: '莘县书记', displayName: '莘县书记', role: 'scorer', disabled: false },
        ],
      });
    fireEvent.click(screen.getByTestId('discard-import'));
    const emptied = screen.getByLabelText('从 Excel 粘贴名单（选中含表头的区域，复制后粘贴到这里）') as HTMLTextAreaElement;
    expect(emptied.value).toBe('');
    fireEvent.change(emptied, { target: { value: list } });
    fireEvent.click(screen.getByRole('button', { name: '预览' }));
    await waitFor(() => expect(screen.getAllByTestId('scorer-preview-row').filter((r) => r.dataset.kind === 'assign').map((r) => r.dataset.row)).toEqual(['2', '3', '4', '5']));
    expect(usersRead()).toBe(readsBefore + 1);
    expect(screen.queryByTestId('missing-accounts')).toBeNull();
    fireEvent.click(screen.getByTestId('assign-all'));
    await screen.findByTestId('scorer-import-message');
    expect((await currentScorers()).map((s) => [s.name, s.userId])).toEqual([
      ['市领导1', 'u-sld1'],
      ['张伟', 'u-zhang2'],
      ['阳谷县书记', 'u-yg'],
      ['莘县书记', 'u-sx'],
    ]);
  });

  it('reads an .xlsx file and says which rows cannot be read, in English too', async () => {
    await signInAs('secretariat');
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('名单');
    sheet.addRow(['姓名', '所属单位', '角色']);
    sheet.addRow(['张三', '冠县', '观摩员']);
    sheet.addRow(['', '莘县', '']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    renderSection(undefined, 'en');
    await screen.findByLabelText('Search accounts');
    const input = screen.getByTestId('scorer-import').querySelector('input[type=file]') as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File([bytes], '名单.xlsx')] } });
    const rows = await screen.findAllByTestId('scorer-preview-row');
    expect(rows.map((r) => [r.dataset.row, r.dataset.kind])).toEqual([
      ['2', 'assign'],
      ['3', 'error'],
    ]);
    expect(rows[0]!.textContent).toContain('Observer');
    expect(rows[1]!.textContent).toContain('both "姓名" and "账号" are empty; fill in at least one');
    expect(screen.getByTestId('scorer-import-summary').textContent).toContain('名单.xlsx: 2 people.');
    fireEvent.click(screen.getByRole('button', { name: 'Assign all (1)' }));
    await waitFor(async () => expect((await currentScorers()).map((s) => [s.name, s.role, s.homeUnitId])).toEqual([['张三', 'observer', 't-sc-unit-3']]));
  });
});
