import { useMemo, useState } from 'react';
import { Link } from '../../app/Link';
import { routeHref } from '../../app/router';
import { setCurrentUser } from '../../db/current-user-repo';
import { useDb } from '../../db/db-context';
import { describeStorageError } from '../../db/storage-safety';
import { useCurrentUserRecord, useKnownPeople } from '../../db/use-field-data';
import { useT } from '../../i18n/use-t';
import { useServerMode } from '../../app/server-mode-context';
import { SignInScreen } from '../sign-in/SignInScreen';
import { LanguageSwitch } from '../settings/LanguageSwitch';
import { PersonButton } from './PersonButton';
import { inRosterOrder } from './person-order';
import './people.css';

/**
 * "Who uses this computer?" — in demo mode (the server said it runs the demo): the people
 * assigned to the tours stored here, in roster order (person-order.ts). Shown on first start
 * (isFirstRun) and from settings to switch. Choosing is instant and local; signing in to a server
 * (the link below the list) also sets the user, and is the way in for someone not on the list.
 * On any other server: the sign-in screen, with the accounts that signed in here before.
 */
export function WhoAreYouPage({ isFirstRun = false }: { isFirstRun?: boolean }) {
  const t = useT();
  const { mode, isChecking } = useServerMode();
  if (mode === 'unknown' && isChecking) {
    return (
      <p className="muted" role="status">
        {t('signInScreen.checking')}
      </p>
    );
  }
  // the demo people are a demo's: anywhere else each person signs in (SignInScreen.tsx says why)
  if (mode !== 'demo') return <SignInScreen purpose={isFirstRun ? 'first' : 'switch'} />;
  return <DemoPeoplePicker isFirstRun={isFirstRun} />;
}

function DemoPeoplePicker({ isFirstRun }: { isFirstRun: boolean }) {
  const t = useT();
  const db = useDb();
  const known = useKnownPeople();
  const people = useMemo(() => (known === undefined ? undefined : inRosterOrder(known)), [known]);
  const current = useCurrentUserRecord();
  const [error, setError] = useState<string | null>(null);

  async function choose(userId: string, name: string) {
    setError(null);
    try {
      await setCurrentUser(db, { userId, name });
      if (!isFirstRun) window.location.hash = routeHref({ name: 'tours' });
    } catch (e) {
      console.warn('could not store the current user', e);
      setError(t(describeStorageError(e).messageKey));
    }
  }

  return (
    <section className="page page--narrow who">
      <header className="page__header">
        <h1 className="page__title" tabIndex={-1}>
          {t('who.title')}
        </h1>
        <p className="page__subtitle">{t(isFirstRun ? 'who.firstRunHint' : 'who.switchHint')}</p>
      </header>
      {people === undefined ? (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      ) : people.length === 0 ? (
        <p className="empty">{t('who.nobody')}</p>
      ) : (
        <ul className="people" aria-label={t('who.listLabel')}>
          {people.map((person) => (
            <li key={person.userId}>
              <PersonButton person={person} isCurrent={current?.userId === person.userId} onChoose={() => void choose(person.userId, person.name)} />
            </li>
          ))}
        </ul>
      )}
      <p className="who__sign-in" data-testid="who-sign-in">
        <span>{t('who.signInHint')}</span>
        <Link to={{ name: 'sync' }} className="button">
          {t('who.signIn')}
        </Link>
      </p>
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      {isFirstRun ? (
        <div className="who__language">
          <LanguageSwitch />
        </div>
      ) : (
        <p className="who__back">
          <Link to={{ name: 'settings' }}>← {t('who.back')}</Link>
        </p>
      )}
    </section>
  );
}
