import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { Link } from '../../app/Link';
import { useDb } from '../../db/db-context';
import { listSignedInAccounts } from '../../db/signed-in-accounts-repo';
import { useT } from '../../i18n/use-t';
import { LanguageSwitch } from '../settings/LanguageSwitch';
import { SignInForm } from './SignInForm';
import './sign-in.css';
import '../people/people.css';

/**
 * Who uses this computer, on a server that does not run the demo (and before any server has
 * answered): each person signs in with their own account. There is no list of names to pick
 * without a password here, unlike the demo: the scores are official, a laptop is often shared,
 * and the server accepts work only from the account it belongs to, so whoever works must be the
 * one signed in. The accounts that signed in on this computer before are offered as a shortcut
 * (their name fills the form; the password is still asked).
 *
 * `purpose`: 'first' — the first screen (nobody known on this device yet); 'switch' — from the
 * settings page, to hand the laptop to a colleague.
 */
export function SignInScreen({ purpose, landing = 'home' }: { purpose: 'first' | 'switch'; landing?: 'home' | 'stay' }) {
  const db = useDb();
  const t = useT();
  const accounts = useLiveQuery(() => listSignedInAccounts(db), [db]);
  const [picked, setPicked] = useState<string | null>(null);
  return (
    <section className="page page--narrow sign-in-screen" data-testid="sign-in-screen">
      <header className="page__header">
        <h1 className="page__title" tabIndex={-1}>
          {t(purpose === 'first' ? 'signInScreen.title' : 'signInScreen.switchTitle')}
        </h1>
        <p className="page__subtitle">{t(purpose === 'first' ? 'signInScreen.intro' : 'signInScreen.switchHint')}</p>
      </header>
      {accounts && accounts.length > 0 && (
        <div className="sign-in-screen__recent">
          <h2 className="section-title">{t('signInScreen.recentTitle')}</h2>
          <ul className="people" aria-label={t('signInScreen.recentTitle')}>
            {accounts.map((account) => (
              <li key={`${account.serverUrl}\u0000${account.userId}`}>
                <button
                  type="button"
                  className={`person${picked === account.username ? ' is-current' : ''}`}
                  aria-pressed={picked === account.username}
                  onClick={() => setPicked(account.username)}
                  data-testid="recent-account"
                >
                  <span className="person__avatar" aria-hidden="true">
                    {Array.from(account.displayName)[0]}
                  </span>
                  <span className="person__text">
                    <span className="person__name">{account.displayName}</span>
                    <span className="person__roles">{account.username}</span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <p className="muted">{t('signInScreen.recentHint')}</p>
        </div>
      )}
      <div className="panel">
        {/* keyed by the picked account: the form starts again with that name, at the password */}
        <SignInForm key={picked ?? ''} initialUsername={picked ?? ''} shouldFocusPassword={picked !== null} landing={landing} />
      </div>
      {purpose === 'first' ? (
        <div className="who__language">
          <LanguageSwitch />
        </div>
      ) : (
        <p className="who__back">
          <Link to={{ name: 'settings' }}>← {t('signInScreen.back')}</Link>
        </p>
      )}
    </section>
  );
}
