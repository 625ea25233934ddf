import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from '../../app/router';

describe('ballot route', () => {
  it('names the ranking list after the tour: none for all units / the default group, else the unit group', () => {
    expect(parseRoute('#/tours/t1/ballot')).toEqual({ name: 'ballot', tourId: 't1', group: null });
    expect(parseRoute(`#/tours/t1/ballot/${encodeURIComponent('县组')}`)).toEqual({ name: 'ballot', tourId: 't1', group: '县组' });
    expect(parseRoute('#/tours/t1/ballot/%E0%A4%A').name).toBe('notFound');
    expect(parseRoute('#/tours/t1/ballot/a/b').name).toBe('notFound');
  });

  it('round-trips ids and group names with any characters', () => {
    const routes: Route[] = [
      { name: 'ballot', tourId: '观摩 2021/#?%', group: null },
      { name: 'ballot', tourId: 't', group: '区组/开发区 #1' },
    ];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
  });
});
