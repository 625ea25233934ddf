import type { ReactNode } from 'react';
import { useCurrentUserRecord } from '../db/use-field-data';
import { WhoAreYouPage } from '../features/people/WhoAreYouPage';
import { SignInScreen } from '../features/sign-in/SignInScreen';
import { useT } from '../i18n/use-t';
import { CurrentUserContext } from './current-user-context';
import { useRoute } from './router';
import { useServerMode } from './server-mode-context';

/**
 * Renders its children for a known user (useCurrentUser() works below it). On a device where
 * nobody is known yet:
 * - the server runs the demo: "who uses this computer", the demo people in roster order (and a
 *   sign-in link for someone not on the list);
 * - any other server, or none answered yet: the sign-in screen (SignInScreen.tsx says why
 *   there is no list of names there). While the first answer is awaited, a short loading line.
 * Signing in sets the current user (session-store.ts), so either way leads past this gate; on
 * 我的观摩 (the first screen) it lands on the role's home, elsewhere it stays on the page asked for.
 */
export function CurrentUserGate({ children }: { children: ReactNode }) {
  const t = useT();
  const user = useCurrentUserRecord();
  const { mode, isChecking } = useServerMode();
  const route = useRoute();
  if (user === undefined || (user === null && mode === 'unknown' && isChecking)) {
    return (
      <p className="muted" role="status">
        {t(user === null ? 'signInScreen.checking' : 'common.loading')}
      </p>
    );
  }
  if (user === null) {
    if (mode === 'demo') return <WhoAreYouPage isFirstRun />;
    return <SignInScreen purpose="first" landing={route.name === 'tours' || route.name === 'home' ? 'home' : 'stay'} />;
  }
  return <CurrentUserContext.Provider value={user}>{children}</CurrentUserContext.Provider>;
}
