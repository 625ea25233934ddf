// @vitest-environment happy-dom
/**
 * The desk's refresh bar against an engine stand-in whose status the test sets: the live state
 * in words, the time of the last update, the refresh button running a round, and a failed
 * refresh said in plain words.
 */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nProvider } from '../../../i18n/I18nProvider';
import type { Locale } from '../../../i18n/catalogs';
import { SyncEngineContext } from '../../../sync/SyncProvider';
import type { SyncEngine, SyncReport, SyncStatus } from '../../../sync/sync-types';
import { LiveRefresh } from './LiveRefresh';

afterEach(cleanup);

function stubEngine(initial: Partial<SyncStatus>, nextReport: () => Promise<SyncReport>) {
  let status: SyncStatus = { isSyncing: false, phase: 'idle', lastError: null, lastSuccessAt: null, nextRunAt: null, failures: 0, upload: null, live: 'off', ...initial };
  const listeners = new Set<(s: SyncStatus) => void>();
  let rounds = 0;
  const engine: SyncEngine = {
    syncNow: () => {
      rounds++;
      return nextReport();
    },
    start: () => undefined,
    stop: () => undefined,
    getStatus: () => status,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    engine,
    get rounds() {
      return rounds;
    },
    set(patch: Partial<SyncStatus>) {
      status = { ...status, ...patch };
      for (const l of listeners) l(status);
    },
  };
}

const report = (error: SyncReport['error'] = null): SyncReport => ({
  pushed: { applied: 0, duplicate: 0, rejected: 0, batches: 0 },
  photos: { confirmed: 0, bytesSent: 0, failed: 0 },
  pulled: { records: 0, pages: 0, invalid: 0 },
  error,
  ms: 5,
});

function show(engine: SyncEngine, locale: Locale = 'zh-CN') {
  return render(
    <I18nProvider initialLocale={locale}>
      <SyncEngineContext.Provider value={engine}>
        <LiveRefresh />
      </SyncEngineContext.Provider>
    </I18nProvider>,
  );
}

describe('LiveRefresh', () => {
  it('says whether the page is live or refreshes periodically, and when its data last came', () => {
    const stub = stubEngine({ live: 'connecting' }, async () => report());
    show(stub.engine);
    const bar = screen.getByTestId('live-refresh');
    expect(bar.dataset.live).toBe('polling');
    expect(screen.getByTestId('live-state').textContent).toContain('定时刷新');
    expect(screen.getByTestId('live-state').textContent).toContain('每 5 秒');
    expect(screen.getByTestId('last-updated').textContent).toBe('尚未从服务器取得数据');

    act(() => stub.set({ live: 'live', lastSuccessAt: new Date(2021, 11, 8, 14, 3, 21).toISOString() }));
    expect(bar.dataset.live).toBe('live');
    expect(screen.getByTestId('live-state').textContent).toContain('实时更新中');
    expect(screen.getByTestId('last-updated').textContent).toBe('数据更新于 14:03:21');
  });

  it('runs a round on 刷新, shows it running, and says so when it failed', async () => {
    let finish!: (r: SyncReport) => void;
    const stub = stubEngine({ live: 'live' }, () => new Promise((resolve) => (finish = resolve)));
    show(stub.engine);
    const button = screen.getByRole('button', { name: '刷新' });
    fireEvent.click(button);
    expect(stub.rounds).toBe(1);
    expect(button.textContent).toBe('刷新中…');
    expect((button as HTMLButtonElement).disabled).toBe(true);
    await act(async () => finish(report({ kind: 'offline', message: 'unreachable', at: new Date().toISOString() })));
    expect(screen.getByRole('alert').textContent).toBe('刷新失败：服务器未连接');
    expect(button.textContent).toBe('刷新');

    fireEvent.click(button);
    await act(async () => finish({ ...report(), skipped: 'offline' }));
    expect(screen.getByRole('alert').textContent).toBe('没有网络连接，无法刷新。联网后自动更新。');

    // the network returns and a round succeeds by itself: the message goes
    act(() => stub.set({ lastSuccessAt: new Date().toISOString() }));
    expect(screen.queryByRole('alert')).toBeNull();

    fireEvent.click(button);
    await act(async () => finish(report({ kind: 'busy', message: '503', at: new Date().toISOString() })));
    expect(screen.getByRole('alert').textContent).toBe('刷新失败：服务器繁忙');
    fireEvent.click(button);
    await act(async () => finish(report()));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('in English', () => {
    const stub = stubEngine({ live: 'live', lastSuccessAt: new Date(2021, 11, 8, 9, 5, 0).toISOString() }, async () => report());
    show(stub.engine, 'en');
    expect(screen.getByTestId('live-state').textContent).toContain('Live');
    expect(screen.getByTestId('last-updated').textContent).toBe('Updated 09:05:00');
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeTruthy();
  });
});
