import { createContext, useContext } from 'react';
import type { CurrentUser } from '../db/entities';

/**
 * The person using the app, for every feature: `const user = useCurrentUser()`. Provided by
 * CurrentUserGate, which today asks "who are you" on first start; server sign-in will later
 * provide the same value from the same meta record, without any feature changing.
 */
export const CurrentUserContext = createContext<CurrentUser | null>(null);

export function useCurrentUser(): CurrentUser {
  const user = useContext(CurrentUserContext);
  if (!user) throw new Error('useCurrentUser() needs a <CurrentUserGate> above it');
  return user;
}
