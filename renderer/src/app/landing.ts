/**
 * Where each role lands: after sign-in, and when the app opens at `/`.
 *   secretariat, admin → the desk (#/desk): every tour, its editor, board, rankings and bulletin
 *   scorer, observer   → 我的观摩 (#/tours): the tours they are assigned to
 * Without a sign-in on this device (a demo laptop whose user was picked from the list, or a first
 * start that still has to sign in): 我的观摩, whose gate asks who is using the app.
 */
import { isDeskRole } from '../features/desk/use-desk-access';
import type { Route } from './router';

export function homeRouteFor(role: string | null | undefined): Route {
  return isDeskRole(role) ? { name: 'desk' } : { name: 'tours' };
}

/**
 * After a successful sign-in: the role's home, unless the same account only renewed an expired
 * session — then the user stays where they were working (null).
 */
export function routeAfterSignIn(previousUserId: string | null | undefined, signedIn: { id: string; role: string }, where: 'home' | 'stay' = 'home'): Route | null {
  if (where === 'stay' || previousUserId === signedIn.id) return null;
  return homeRouteFor(signedIn.role);
}
