import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from '../../app/router';
import { isDeskRole } from './use-desk-access';

describe('desk routes and access', () => {
  it('parses and builds the desk routes (ids with reserved characters round-trip)', () => {
    const routes: Route[] = [{ name: 'desk' }, { name: 'deskTour', tourId: 't-1/x' }, { name: 'deskBoard', tourId: 't 2' }, { name: 'deskDevices', tourId: 't 3' }];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
    expect(parseRoute('#/desk/tours/abc/nope')).toEqual({ name: 'notFound', path: '/desk/tours/abc/nope' });
  });

  it('opens the desk to the secretariat and admins only', () => {
    expect(['secretariat', 'admin', 'scorer', 'observer', null].map(isDeskRole)).toEqual([true, true, false, false, false]);
  });
});
