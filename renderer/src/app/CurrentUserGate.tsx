import type { ReactNode } from 'react';
import { useCurrentUserRecord } from '../db/use-field-data';
import { WhoAreYouPage } from '../features/people/WhoAreYouPage';
import { useT } from '../i18n/use-t';
import { CurrentUserContext } from './current-user-context';

/**
 * Renders its children for a known user (useCurrentUser() works below it); on a device where
 * nobody was chosen yet, the "who are you" page instead: the people of the tours stored here in
 * roster order, and a "sign in to a server" link for someone not on the list (a laptop that has
 * not synced yet). Signing in sets the current user too (session-store.ts), so either way
 * leads past this gate.
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
