// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import type { GuanmoApi } from '@shared/ipc/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DbContext } from '../../db/db-context';
import type { GuanmoDb } from '../../db/guanmo-db';
import { I18nProvider } from '../../i18n/I18nProvider';
import { createTestDb } from '../../test-support/test-db';
import { SignInForm } from './SignInForm';

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

function renderForm() {
  return render(
    <I18nProvider initialLocale="zh-CN">
      <DbContext.Provider value={db}>
        <SignInForm />
      </DbContext.Provider>
    </I18nProvider>,
  );
}

/** The desktop bridge as far as the form uses it (main's side is tested in electron/session). */
function desktop(isAvailable: boolean, backend: string) {
  globals.guanmo = {
    getServerSettings: async () => ({ ok: true, value: { serverUrl: 'http://192.168.1.10:8787', source: 'settings', savedServerUrl: 'http://192.168.1.10:8787' } }),
    checkKeychain: async () => ({ ok: true, value: { isAvailable, backend } }),
    loadSession: async () => ({ ok: true, value: { status: 'none' } }),
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
});
