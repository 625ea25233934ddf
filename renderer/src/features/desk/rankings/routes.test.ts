import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from '../../../app/router';

describe('rankings and bulletin routes', () => {
  it('parses and builds #/tours/:id/rankings and #/tours/:id/bulletin', () => {
    expect(parseRoute('#/tours/demo%20t/rankings')).toEqual({ name: 'rankings', tourId: 'demo t' });
    expect(parseRoute('#/tours/t1/bulletin/')).toEqual({ name: 'bulletin', tourId: 't1' });
    expect(routeHref({ name: 'rankings', tourId: '崇川 2021' })).toBe(`#/tours/${encodeURIComponent('崇川 2021')}/rankings`);
    expect(parseRoute(routeHref({ name: 'bulletin', tourId: 'a/b' }))).toEqual({ name: 'bulletin', tourId: 'a/b' });
    expect(parseRoute('#/tours/t1/ranking').name).toBe('notFound');
  });
});
