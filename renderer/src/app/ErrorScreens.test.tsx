// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DbContext } from '../db/db-context';
import { GuanmoDb } from '../db/guanmo-db';
import { I18nProvider } from '../i18n/I18nProvider';
import { loadFixtureTours } from '../test-support/tour-fixtures';
import { ErrorBoundary } from './ErrorBoundary';
import { LocalDataGate } from './LocalDataGate';

afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.restoreAllMocks();
});

function Broken(): never {
  throw new Error('boom');
}

describe('error screens', () => {
  it('shows a Chinese message with an English fallback instead of a white screen', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    render(
      <ErrorBoundary>
        <Broken />
      </ErrorBoundary>,
    );
    const alert = screen.getByRole('alert');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('页面出错了');
    expect(alert.textContent).toContain('Something went wrong');
    expect(alert.textContent).toContain('Error: boom');
    expect(screen.getByRole('button').textContent).toContain('重新加载');
  });

  it('explains plainly when IndexedDB is not available', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    // no IndexedDB implementation at all, as in a browser with site data disabled
    const noIndexedDb = new GuanmoDb('unavailable', { indexedDB: undefined, IDBKeyRange: undefined });
    render(
      <I18nProvider>
        <DbContext.Provider value={noIndexedDb}>
          <LocalDataGate loadDemoTours={loadFixtureTours}>
            <p>app</p>
          </LocalDataGate>
        </DbContext.Provider>
      </I18nProvider>,
    );
    expect(await screen.findByRole('heading', { level: 1, name: '无法使用本机数据库' })).toBeTruthy();
    expect(screen.queryByText('app')).toBeNull();
  });
});
