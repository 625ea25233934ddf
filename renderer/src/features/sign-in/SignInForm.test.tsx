// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { GuanmoApi } from '@shared/ipc/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DbContext } from '../../db/db-context';
import type { GuanmoDb } from '../../db/guanmo-db';
import { I18nProvider } from '../../i18n/I18nProvider';
import { createTestDb } from '../../test-support/test-db';
import { setSyncState } from '../../sync/sync-tables';
import { SignInForm } from './SignInForm';
import { SyncPage } from './SyncPage';

let db: GuanmoDb;
const globals = globalThis as { guanmo?: Partial<GuanmoApi> };
beforeEach(async () => {
  localStorage.clear();
  db = createTestDb();
  await db.open();
});
afterEach(() => {
  cleanup();
  delete globals.guanmo;
  db.close();
});

function renderForm(node: React.ReactNode = <SignInForm />) {
  return render(
    <I18nProvider initialLocale="zh-CN">
      <DbContext.Provider value={db}>{node}</DbContext.Provider>
    </I18nProvider>,
  );
}

/** The desktop bridge as far as the form uses it (main's side is tested in electron/session). */
function desktop(isAvailable: boolean, backend: string, kept: { serverUrl: string; token: string } | null = null) {
  globals.guanmo = {
    getServerSettings: async () => ({ ok: true, value: { serverUrl: 'http://192.168.1.10:8787', source: 'settings', savedServerUrl: 'http://192.168.1.10:8787' } }),
    checkKeychain: async () => ({ ok: true, value: { isAvailable, backend } }),
    loadSession: async () => ({ ok: true, value: kept ? { status: 'stored', ...kept } : { status: 'none' } }),
    saveSession: async () => ({ ok: true, value: isAvailable ? { stored: true } : { stored: false, reason: 'unavailable' } }),
    clearSession: async () => ({ ok: true, value: { cleared: true } }),
  };
}

describe('sign-in form: where the sign-in is kept', () => {
  it('says the sign-in goes to the system keychain on a desktop that has one', async () => {
    desktop(true, 'gnome_libsecret');
    renderForm();
    expect((await screen.findByTestId('session-protection')).textContent).toBe('登录凭据保存在本机系统钥匙串中。');
  });

  it('says plainly when there is no keychain (Linux without a keyring)', async () => {
    desktop(false, 'basic_text');
    renderForm();
    const line = await screen.findByTestId('session-protection');
    expect(line.dataset.protection).toBe('noKeychain');
    expect(line.textContent).toContain('本机没有可用的系统钥匙串');
  });

  it('says nothing about it in the browser', async () => {
    renderForm();
    // the server field's suggestion resolves after the keychain check would have
    await screen.findByDisplayValue(/^http/);
    expect(screen.queryByTestId('session-protection')).toBeNull();
  });

  it('reads a session kept in the keychain inside live queries (the sync page shows who is signed in)', async () => {
    const serverUrl = 'http://192.168.1.10:8787';
    desktop(true, 'gnome_libsecret', { serverUrl, token: 'gm_token' });
    const user = { id: 'demo-user-scorer1', username: 'scorer1', displayName: '评委甲', role: 'scorer' };
    await setSyncState(db, 'session', { serverUrl, token: '', tokenInKeychain: true, expiresAt: '2030-01-01T00:00:00.000Z', user });
    renderForm(<SyncPage />);
    expect(await screen.findByRole('heading', { name: '已登录：评委甲（scorer1）' })).toBeTruthy();
    cleanup();
    // the keychain lost it: the page asks for sign-in again, as for an expired session
    desktop(true, 'gnome_libsecret', null);
    renderForm(<SyncPage />);
    expect(await screen.findByText('登录已过期。本机工作不受影响，重新登录后继续同步。')).toBeTruthy();
  });
});

describe('sign-in form: plain http on a public address', () => {
  async function typeServer(url: string) {
    const field = (await screen.findByLabelText('服务器地址')) as HTMLInputElement;
    fireEvent.change(field, { target: { value: url } });
  }
  const submit = () => screen.getByRole('button', { name: '登录' }) as HTMLButtonElement;

  it('warns and asks before signing in over plain http to a public address; not on a private network', async () => {
    renderForm();
    await screen.findByDisplayValue(/^http/); // the suggested address has arrived
    await typeServer('http://192.168.1.10:8787');
    expect(screen.queryByTestId('plain-http-warning')).toBeNull();
    await typeServer('guanmo.example.cn:8787');
    const warning = await screen.findByTestId('plain-http-warning');
    expect(warning.textContent).toContain('http://guanmo.example.cn:8787');
    expect(warning.textContent).toContain('明文传输');
    expect(submit().disabled).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: '我了解风险，仍要连接这个地址' }));
    expect(submit().disabled).toBe(false);
    await typeServer('https://guanmo.example.cn');
    expect(screen.queryByTestId('plain-http-warning')).toBeNull();
  });
});
