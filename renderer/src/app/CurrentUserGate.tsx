import type { ReactNode } from 'react';
import { useCurrentUserRecord } from '../db/use-field-data';
import { WhoAreYouPage } from '../features/people/WhoAreYouPage';
import { useT } from '../i18n/use-t';
import { CurrentUserContext } from './current-user-context';

/**
 * Renders its children for a known user (useCurrentUser() works below it); on a device where
 * nobody was chosen yet, the "who are you" page instead. The only place that decides how the
 * user is identified: sign-in replaces the picker here.
 */
export function CurrentUserGate({ children }: { children: ReactNode }) {
  const t = useT();
  const user = useCurrentUserRecord();
  if (user === undefined) {
    return (
      <p className="muted" role="status">
        {t('common.loading')}
      </p>
    );
  }
  if (user === null) return <WhoAreYouPage isFirstRun />;
  return <CurrentUserContext.Provider value={user}>{children}</CurrentUserContext.Provider>;
}
