import { describe, expect, it } from 'vitest';
import { homeRouteFor, routeAfterSignIn } from './landing';

describe('where each role lands', () => {
  it('the secretariat and admins on the desk, scorers and observers on 我的观摩', () => {
    expect(homeRouteFor('secretariat')).toEqual({ name: 'desk' });
    expect(homeRouteFor('admin')).toEqual({ name: 'desk' });
    expect(homeRouteFor('scorer')).toEqual({ name: 'tours' });
    expect(homeRouteFor('observer')).toEqual({ name: 'tours' });
    // nobody signed in on this device (a demo laptop's picked user, or the first screen)
    expect(homeRouteFor(null)).toEqual({ name: 'tours' });
    expect(homeRouteFor(undefined)).toEqual({ name: 'tours' });
  });

  it('after sign-in: the home of the account that signed in', () => {
    expect(routeAfterSignIn(null, { id: 'u1', role: 'secretariat' })).toEqual({ name: 'desk' });
    expect(routeAfterSignIn(undefined, { id: 'u2', role: 'scorer' })).toEqual({ name: 'tours' });
    // a colleague takes over the laptop: their home
    expect(routeAfterSignIn('u2', { id: 'u1', role: 'admin' })).toEqual({ name: 'desk' });
  });

  it('renewing an expired session, or signing in on a page asked for, stays where the user is', () => {
    expect(routeAfterSignIn('u1', { id: 'u1', role: 'secretariat' })).toBeNull();
    expect(routeAfterSignIn(null, { id: 'u1', role: 'scorer' }, 'stay')).toBeNull();
  });
});
