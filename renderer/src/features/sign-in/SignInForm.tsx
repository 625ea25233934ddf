import { useEffect, useRef, useState, type FormEvent } from 'react';
import { routeAfterSignIn } from '../../app/landing';
import { routeHref } from '../../app/router';
import type { GuanmoApi } from '@shared/ipc/api';
import { isPlainHttpOnPublicAddress } from '@shared/sync/server-address';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@shared/sync/auth-protocol';
import { useDb } from '../../db/db-context';
import type { MessageKey } from '../../i18n/catalogs';
import { useT } from '../../i18n/use-t';
import {
  changePasswordAndSignIn,
  normalizeServerUrl,
  sessionProtection,
  SignInError,
  signIn,
  suggestedServerUrl,
  type SessionProtection,
} from '../../sync/session-store';
import { useSyncEngine } from '../../sync/SyncProvider';
import { getSyncState, setSyncState } from '../../sync/sync-tables';

/** sessionStorage key: the desktop app reloaded to reach a newly saved server; say why the password is asked again */
const reloadedForServerKey = 'guanmo.signIn.reloadedForServer';

/**
 * Server address, user name, password → POST /api/auth/login; on success the app syncs at once
 * and (landing 'home') goes to the role's home: the desk for the secretariat, 我的观摩 for
 * everyone else (app/landing.ts). Renewing an expired session of the same account, or landing
 * 'stay', leaves the user where they were. On the desktop it also says where the sign-in is kept:
 * the OS keychain, or, on a computer without one (Linux with no keyring), the app's local data.
 *
 * A new account's one-time password (from the secretariat's list) opens no session: the server
 * says so, and the form asks for a new password twice, sets it (POST /api/auth/password) and is
 * signed in with it.
 *
 * Plain http to a public address (not this computer, not a private network:
 * shared/sync/server-address.ts) sends the password and every record readable on the way: the
 * form warns and signs in only once the user has ticked that they accept it. On the desktop a
 * server other than the configured one is saved first (the app may talk only to that one), with
 * that confirmation; the page then reloads to reach it and asks for the password again.
 */
export function SignInForm({
  initialUsername = '',
  landing = 'home',
  shouldFocusPassword = false,
}: {
  initialUsername?: string;
  landing?: 'home' | 'stay';
  /** the user name is known (picked from the accounts that signed in here): start at the password */
  shouldFocusPassword?: boolean;
}) {
  const db = useDb();
  const t = useT();
  const engine = useSyncEngine();
  const [server, setServer] = useState('');
  const [username, setUsername] = useState(initialUsername);
  const [password, setPassword] = useState('');
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [protection, setProtection] = useState<SessionProtection | null>(null);
  /** the one-time password was right: a new password is asked for (the server and user name stay as typed) */
  const [isChoosingPassword, setIsChoosingPassword] = useState(false);
  const [newPassword, setNewPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (shouldFocusPassword) passwordRef.current?.focus();
  }, [shouldFocusPassword]);
  const [isPlainHttpAccepted, setIsPlainHttpAccepted] = useState(false);
  const [notice] = useState(() => {
    const server = globalThis.sessionStorage?.getItem(reloadedForServerKey) ?? null;
    globalThis.sessionStorage?.removeItem(reloadedForServerKey);
    return server;
  });
  const typedOrigin = normalizeServerUrl(server);
  const isPlainHttpPublic = typedOrigin !== null && isPlainHttpOnPublicAddress(typedOrigin);

  useEffect(() => {
    let isCurrent = true;
    void sessionProtection().then((p) => isCurrent && setProtection(p));
    return () => {
      isCurrent = false;
    };
  }, []);

  useEffect(() => {
    let isCurrent = true;
    void suggestedServerUrl(db).then((url) => isCurrent && setServer((typed) => typed || url));
    return () => {
      isCurrent = false;
    };
  }, [db]);

  /** after a sign-in: the role's home, unless the same account renewed its session (app/landing.ts) */
  function goHome(previousUserId: string | undefined, user: Parameters<typeof routeAfterSignIn>[1]) {
    const next = routeAfterSignIn(previousUserId, user, landing);
    if (next) window.location.hash = routeHref(next);
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const serverUrl = normalizeServerUrl(server);
    if (!serverUrl) {
      setError(t('signIn.invalidServer'));
      return;
    }
    if (isPlainHttpOnPublicAddress(serverUrl) && !isPlainHttpAccepted) {
      setError(t('signIn.plainHttp.confirmFirst'));
      return;
    }
    setIsBusy(true);
    setError(null);
    try {
      if (await switchDesktopServer(serverUrl, isPlainHttpAccepted)) {
        // the page reloads to reach the new server: keep what was typed, ask for the password again
        await setSyncState(db, 'serverUrl', serverUrl);
        globalThis.sessionStorage?.setItem(reloadedForServerKey, serverUrl);
        globalThis.location.reload();
        return;
      }
      const previous = await getSyncState(db, 'session');
      const session = await signIn(db, serverUrl, username.trim(), password);
      setPassword('');
      void engine?.syncNow();
      goHome(previous?.user.id, session.user);
    } catch (e) {
      if (e instanceof SignInError && e.failure === 'mustChangePassword') setIsChoosingPassword(true);
      else setError(e instanceof SignInError ? t(`signIn.failed.${e.failure}` as MessageKey) : String(e));
    } finally {
      setIsBusy(false);
    }
  }

  async function onChoosePassword(event: FormEvent) {
    event.preventDefault();
    const serverUrl = normalizeServerUrl(server);
    const problem =
      newPassword.length < PASSWORD_MIN_LENGTH
        ? t('signIn.newPassword.tooShort', { min: PASSWORD_MIN_LENGTH })
        : newPassword.length > PASSWORD_MAX_LENGTH
          ? t('signIn.newPassword.tooLong', { max: PASSWORD_MAX_LENGTH })
          : newPassword !== repeated
            ? t('signIn.newPassword.mismatch')
            : newPassword === password
              ? t('signIn.newPassword.same')
              : null;
    if (problem || !serverUrl) {
      setError(problem ?? t('signIn.invalidServer'));
      return;
    }
    setIsBusy(true);
    setError(null);
    try {
      const previous = await getSyncState(db, 'session');
      const session = await changePasswordAndSignIn(db, serverUrl, username.trim(), password, newPassword);
      setPassword('');
      setNewPassword('');
      setRepeated('');
      setIsChoosingPassword(false);
      void engine?.syncNow();
      goHome(previous?.user.id, session.user);
    } catch (e) {
      setError(e instanceof SignInError ? t(`signIn.failed.${e.failure}` as MessageKey) : String(e));
    } finally {
      setIsBusy(false);
    }
  }

  if (isChoosingPassword) {
    return (
      <form className="sign-in-form" onSubmit={(e) => void onChoosePassword(e)} data-testid="new-password-form">
        <p className="notice notice--info" role="status">
          {t('signIn.newPassword.intro')}
        </p>
        <p className="muted">{t('signIn.signingInAs', { username: username.trim() })}</p>
        <label>
          <span>{t('signIn.newPassword.label')}</span>
          <input
            name="new-password"
            type="password"
            autoComplete="new-password"
            minLength={PASSWORD_MIN_LENGTH}
            maxLength={PASSWORD_MAX_LENGTH}
            value={newPassword}
            onChange={(e) => setNewPassword(e.target.value)}
            aria-describedby="new-password-hint"
            required
            autoFocus
          />
        </label>
        <span id="new-password-hint" className="muted sign-in-form__hint">
          {t('signIn.newPassword.hint', { min: PASSWORD_MIN_LENGTH })}
        </span>
        <label>
          <span>{t('signIn.newPassword.repeat')}</span>
          <input name="new-password-repeat" type="password" autoComplete="new-password" value={repeated} onChange={(e) => setRepeated(e.target.value)} required />
        </label>
        {error && (
          <p className="sign-in-form__error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={isBusy}>
          {isBusy ? t('signIn.newPassword.submitting') : t('signIn.newPassword.submit')}
        </button>
        <button
          type="button"
          className="button button--ghost"
          onClick={() => {
            setIsChoosingPassword(false);
            setPassword('');
            setNewPassword('');
            setRepeated('');
            setError(null);
          }}
        >
          {t('signIn.newPassword.back')}
        </button>
      </form>
    );
  }

  return (
    <form className="sign-in-form" onSubmit={(e) => void onSubmit(e)} data-testid="sign-in-form">
      <label>
        <span>{t('signIn.server')}</span>
        <input name="server" type="url" inputMode="url" autoComplete="url" value={server} onChange={(e) => setServer(e.target.value)} required />
      </label>
      {/* right under the address it is about */}
      {isPlainHttpPublic && (
        <div className="notice notice--warning" data-testid="plain-http-warning">
          <p>{t('signIn.plainHttp.warning', { server: typedOrigin })}</p>
          <label className="sign-in-form__check">
            <input type="checkbox" name="acceptPlainHttp" checked={isPlainHttpAccepted} onChange={(e) => setIsPlainHttpAccepted(e.target.checked)} />
            <span>{t('signIn.plainHttp.accept')}</span>
          </label>
        </div>
      )}
      <label>
        <span>{t('signIn.username')}</span>
        <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
      </label>
      <label>
        <span>{t('signIn.password')}</span>
        <input ref={passwordRef} name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </label>
      {notice && (
        <p className="notice notice--info" data-testid="server-switched">
          {t('signIn.serverSwitched', { server: notice })}
        </p>
      )}
      {error && (
        <p className="sign-in-form__error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={isBusy || (isPlainHttpPublic && !isPlainHttpAccepted)}>
        {isBusy ? t('signIn.submitting') : t('signIn.submit')}
      </button>
      {protection === 'keychain' && (
        <p className="muted" data-testid="session-protection" data-protection="keychain">
          {t('signIn.keychain.stored')}
        </p>
      )}
      {protection === 'noKeychain' && (
        <p className="notice notice--info" data-testid="session-protection" data-protection="noKeychain">
          {t('signIn.keychain.unavailable')}
        </p>
      )}
    </form>
  );
}

/**
 * Desktop app: saves `serverUrl` as the sync server when it is not the one in effect (the app
 * may connect only to that one). True when the page must reload to reach it. The browser, and a
 * server fixed by GUANMO_SERVER_URL: nothing to do (false).
 */
async function switchDesktopServer(serverUrl: string, allowPlainHttp: boolean): Promise<boolean> {
  // read off globalThis: tools and tests compile this without the window.guanmo declaration
  const bridge = (globalThis as { guanmo?: Partial<GuanmoApi> }).guanmo;
  if (!bridge?.getServerSettings || !bridge.setServerUrl) return false;
  const settings = await bridge.getServerSettings();
  if (!settings.ok || settings.value.serverUrl === serverUrl || settings.value.source === 'env') return false;
  const saved = await bridge.setServerUrl(serverUrl, { allowPlainHttp });
  if (!saved.ok) throw new Error(saved.error.message);
  return saved.value.needsReload;
}
