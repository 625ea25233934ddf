// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DbContext } from '../../db/db-context';
import type { GuanmoDb } from '../../db/guanmo-db';
import { I18nProvider } from '../../i18n/I18nProvider';
import { setSyncState, syncRejectionsTable } from '../../sync/sync-tables';
import { createTestDb } from '../../test-support/test-db';
import { RejectionsPanel } from './RejectionsPanel';
import { SyncIndicator } from './SyncIndicator';

let db: GuanmoDb;
beforeEach(async () => {
  localStorage.clear();
  db = createTestDb();
  await db.open();
});
afterEach(() => {
  cleanup();
  db.close();
});

const session = {
  serverUrl: 'http://127.0.0.1:8787',
  token: 't',
  expiresAt: '2030-01-01T00:00:00.000Z',
  user: { id: 'demo-user-scorer1', username: 'scorer1', displayName: '评委甲', role: 'scorer' },
};

function renderIn(node: React.ReactNode) {
  return render(
    <I18nProvider initialLocale="zh-CN">
      <DbContext.Provider value={db}>{node}</DbContext.Provider>
    </I18nProvider>,
  );
}

describe('sync indicator', () => {
  it('says plainly when nobody is signed in, and offers sign-in', async () => {
    renderIn(<SyncIndicator />);
    const button = await screen.findByRole('button', { name: '未登录' });
    fireEvent.click(button);
    expect(screen.getByText('未登录或登录已过期：请重新登录以同步。本机工作不受影响。')).toBeTruthy();
    expect(screen.getByRole('link', { name: '登录后同步' }).getAttribute('href')).toBe('#/sync');
  });

  it('counts records waiting (not field edits) and refused changes, and says an expired session is expired', async () => {
    await setSyncState(db, 'session', session);
    const edit = (n: number, collection: string, recordId: string) => ({ mutationId: `m${n}`, collection, recordId, changedFields: ['x'], hlc: null, createdAt: '2021-12-08T00:00:00.000Z' });
    // one sheet typed field by field (four edits) and two notes: one sheet, two notes
    await db.outbox.bulkAdd([edit(1, 'sheets', 's1'), edit(2, 'sheets', 's1'), edit(3, 'sheets', 's1'), edit(4, 'sheets', 's1'), edit(5, 'notes', 'n1'), edit(6, 'notes', 'n2')] as never);
    renderIn(<SyncIndicator />);
    const button = await screen.findByRole('button', { name: '1 张评分表、2 条记录待同步' });
    expect(screen.getByTestId('sync-indicator').dataset.tone).toBe('pending');
    expect(screen.getByTestId('sync-indicator').dataset.pending).toBe('3');
    fireEvent.click(button);
    expect(screen.getByTestId('sync-pending-changes').textContent).toBe('1 张评分表、2 条记录待同步');
    fireEvent.click(button);

    await syncRejectionsTable(db).put({
      mutationId: 'r1',
      collection: 'sheets',
      recordId: 's1',
      tourId: 't1',
      mutation: { id: 'r1', collection: 'sheets', recordId: 's1', tourId: 't1', op: 'upsert', fields: { scores: {} }, hlc: '2021-12-08T00:00:00.000Z-0000-x' },
      code: 'sheet_locked',
      reason: 'locked',
      rejectedAt: '2021-12-08T01:00:00.000Z',
    });
    await waitFor(() => expect(screen.getByTestId('sync-indicator').dataset.tone).toBe('problem'));

    await setSyncState(db, 'session', { ...session, isExpired: true });
    await screen.findByRole('button', { name: '登录已过期' });
  });

  describe('without a network (navigator.onLine false)', () => {
    const setOnline = (isOnline: boolean) => {
      Object.defineProperty(navigator, 'onLine', { value: isOnline, configurable: true });
      window.dispatchEvent(new Event(isOnline ? 'online' : 'offline'));
    };
    afterEach(() => setOnline(true));

    it('is neutral "offline" with what waits to sync, not a red server problem', async () => {
      await setSyncState(db, 'session', session);
      setOnline(false);
      renderIn(<SyncIndicator />);
      // the network indicator beside it is the header's one 离线: this one only turns neutral
      const button = await screen.findByRole('button', { name: '尚未同步' });
      expect(screen.getByTestId('sync-indicator').dataset.tone).toBe('offline');

      await db.outbox.bulkAdd([
        { mutationId: 'm1', collection: 'notes', recordId: 'n1', changedFields: ['text'], hlc: null, createdAt: '2021-12-08T00:00:00.000Z' },
        { mutationId: 'm2', collection: 'notes', recordId: 'n2', changedFields: ['text'], hlc: null, createdAt: '2021-12-08T00:00:00.000Z' },
        { mutationId: 'm3', collection: 'notes', recordId: 'n3', changedFields: ['text'], hlc: null, createdAt: '2021-12-08T00:00:00.000Z' },
      ] as never);
      await screen.findByRole('button', { name: '3 条记录待同步' });
      expect(screen.getByTestId('sync-indicator').textContent).not.toContain('离线');
      expect(button.className).not.toContain('is-problem');
      fireEvent.click(button);
      expect(screen.getByTestId('sync-offline').textContent).toBe('当前离线：所有内容照常保存在本机，联网后再同步');
      expect((screen.getByTestId('sync-now') as HTMLButtonElement).disabled).toBe(true);

      // the network returns: an ordinary "waiting to sync"
      act(() => setOnline(true));
      await screen.findByRole('button', { name: '3 条记录待同步' });
      expect(screen.getByTestId('sync-indicator').dataset.tone).toBe('pending');
      expect(screen.queryByTestId('sync-offline')).toBeNull();
    });

    it('stays red for a refused change, offline or not', async () => {
      await setSyncState(db, 'session', session);
      await syncRejectionsTable(db).put({
        mutationId: 'r1',
        collection: 'sheets',
        recordId: 's1',
        tourId: 't1',
        mutation: { id: 'r1', collection: 'sheets', recordId: 's1', tourId: 't1', op: 'upsert', fields: { scores: {} }, hlc: '2021-12-08T00:00:00.000Z-0000-x' },
        code: 'sheet_locked',
        reason: 'locked',
        rejectedAt: '2021-12-08T01:00:00.000Z',
      });
      setOnline(false);
      renderIn(<SyncIndicator />);
      await waitFor(() => expect(screen.getByTestId('sync-indicator').dataset.tone).toBe('problem'));
    });

    it('says signed out rather than offline when nobody is signed in', async () => {
      setOnline(false);
      renderIn(<SyncIndicator />);
      await screen.findByRole('button', { name: '未登录' });
      expect(screen.getByTestId('sync-indicator').dataset.tone).toBe('signedOut');
    });
  });

  it('explains a refused change with what to do, and discards it on request', async () => {
    const rejection = {
      mutationId: 'r1',
      collection: 'notes' as const,
      recordId: 'n1',
      tourId: 't1',
      mutation: { id: 'r1', collection: 'notes' as const, recordId: 'n1', tourId: 't1', op: 'upsert' as const, fields: { text: 'x' }, hlc: '2021-12-08T00:00:00.000Z-0000-x' },
      code: 'sheet_locked' as const,
      reason: 'this score sheet has been submitted and is locked',
      rejectedAt: '2021-12-08T01:00:00.000Z',
    };
    await syncRejectionsTable(db).put(rejection);
    renderIn(<RejectionsPanel rejections={[rejection]} />);
    expect(screen.getByText('秘书处已锁定这张评分表，如需修改请联系秘书处。秘书处退回后可点“重试”。')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '放弃本机改动' }));
    const confirm = await screen.findAllByRole('button', { name: '放弃本机改动' });
    fireEvent.click(confirm[confirm.length - 1]!);
    await waitFor(async () => expect(await syncRejectionsTable(db).count()).toBe(0));
  });

  it('says ranking ballot, not score sheet, when a locked ballot refused a change', () => {
    const rejection = {
      mutationId: 'r2',
      collection: 'ballots' as const,
      recordId: 'b1',
      tourId: 't1',
      mutation: { id: 'r2', collection: 'ballots' as const, recordId: 'b1', tourId: 't1', op: 'upsert' as const, fields: { unitIds: ['u1'] }, hlc: '2021-12-08T00:00:00.000Z-0000-x' },
      code: 'sheet_locked' as const,
      reason: 'this ballot has been submitted and is locked',
      rejectedAt: '2021-12-08T01:00:00.000Z',
    };
    renderIn(<RejectionsPanel rejections={[rejection]} />);
    expect(screen.getByText('秘书处已锁定这张排序票，如需修改请联系秘书处。秘书处退回后可点“重试”。')).toBeTruthy();
  });
});
