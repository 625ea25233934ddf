import { useEffect, useRef, useState, type FormEvent } from 'react';
import { routeAfterSignIn } from '../../app/landing';
import { routeHref } from '../../app/router';
import { useDb } from '../../db/db-context';
import type { MessageKey } from '../../i18n/catalogs';
import { useT } from '../../i18n/use-t';
import { normalizeServerUrl, sessionProtection, SignInError, signIn, suggestedServerUrl, type SessionProtection } from '../../sync/session-store';
import { useSyncEngine } from '../../sync/SyncProvider';
import { getSyncState } from '../../sync/sync-tables';

/**
 * Server address, user name, password → POST /api/auth/login; on success the app syncs at once
 * and (landing 'home') goes to the role's home: the desk for the secretariat, 我的观摩 for
 * everyone else (app/landing.ts). Renewing an expired session of the same account, or landing
 * 'stay', leaves the user where they were. On the desktop it also says where the sign-in is kept:
 * the OS keychain, or, on a computer without one (Linux with no keyring), the app's local data.
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
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (shouldFocusPassword) passwordRef.current?.focus();
  }, [shouldFocusPassword]);

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

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const serverUrl = normalizeServerUrl(server);
    if (!serverUrl) {
      setError(t('signIn.invalidServer'));
      return;
    }
    setIsBusy(true);
    setError(null);
    try {
      const previous = await getSyncState(db, 'session');
      const session = await signIn(db, serverUrl, username.trim(), password);
      setPassword('');
      void engine?.syncNow();
      const next = routeAfterSignIn(previous?.user.id, session.user, landing);
      if (next) window.location.hash = routeHref(next);
    } catch (e) {
      setError(e instanceof SignInError ? t(`signIn.failed.${e.failure}` as MessageKey) : String(e));
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <form className="sign-in-form" onSubmit={(e) => void onSubmit(e)} data-testid="sign-in-form">
      <label>
        <span>{t('signIn.server')}</span>
        <input name="server" type="url" inputMode="url" autoComplete="url" value={server} onChange={(e) => setServer(e.target.value)} required />
      </label>
      <label>
        <span>{t('signIn.username')}</span>
        <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
      </label>
      <label>
        <span>{t('signIn.password')}</span>
        <input ref={passwordRef} name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </label>
      {error && (
        <p className="sign-in-form__error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={isBusy}>
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
