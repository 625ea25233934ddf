import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from './router';

describe('hash routes', () => {
  it('parses the known routes', () => {
    // `/` is the role's home (landing.ts), not a page
    expect(parseRoute('')).toEqual({ name: 'home' });
    expect(parseRoute('#')).toEqual({ name: 'home' });
    expect(parseRoute('#/')).toEqual({ name: 'home' });
    expect(parseRoute('#/tours')).toEqual({ name: 'tours' });
    expect(parseRoute('#/tours/')).toEqual({ name: 'tours' });
    expect(parseRoute('#/tours/demo-chongchuan-2021')).toEqual({ name: 'tour', tourId: 'demo-chongchuan-2021' });
    expect(parseRoute('#/settings')).toEqual({ name: 'settings' });
    expect(parseRoute('#/about')).toEqual({ name: 'settings' });
    expect(parseRoute('#/tours/demo-chongchuan-2021/stops/demo-chongchuan-2021-stop-1')).toEqual({
      name: 'stop',
      tourId: 'demo-chongchuan-2021',
      stopId: 'demo-chongchuan-2021-stop-1',
    });
    expect(parseRoute('#/who')).toEqual({ name: 'who' });
  });

  it('sends anything else to not-found, including undecodable ids', () => {
    expect(parseRoute('#/nowhere').name).toBe('notFound');
    expect(parseRoute('#/tours/a/b').name).toBe('notFound');
    expect(parseRoute('#/tours/%E0%A4%A').name).toBe('notFound');
    expect(parseRoute('#/tours/t/stops').name).toBe('notFound');
    expect(parseRoute('#/tours/t/photos/p').name).toBe('notFound');
    expect(parseRoute('#/tours/t/stops/%E0%A4%A').name).toBe('notFound');
    expect(parseRoute('#/who/else').name).toBe('notFound');
  });

  it('round-trips ids with any characters', () => {
    const routes: Route[] = [
      { name: 'home' },
      { name: 'tours' },
      { name: 'settings' },
      { name: 'who' },
      { name: 'tour', tourId: '观摩 2021/#?%' },
      { name: 'stop', tourId: 't/1', stopId: '项目:3?#' },
    ];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
  });
});
