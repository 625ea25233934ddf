import { describe, expect, it } from 'vitest';
import { distanceM, usableLatLng } from './geo';

describe('distanceM', () => {
  it.each([
    { name: 'same point', a: { lat: 32.02751, lng: 120.87891 }, b: { lat: 32.02751, lng: 120.87891 }, m: 0 },
    // one thousandth of a degree of latitude ≈ 111.2 m anywhere
    { name: '0.001° north', a: { lat: 32.02751, lng: 120.87891 }, b: { lat: 32.02851, lng: 120.87891 }, m: 111.2 },
    // 0.001° of longitude shrinks with cos(latitude): 111.2 × cos 32° ≈ 94.3 m
    { name: '0.001° east at 32°N', a: { lat: 32, lng: 120 }, b: { lat: 32, lng: 120.001 }, m: 94.3 },
    // 南通 → 上海 人民广场, about 100 km
    { name: 'Nantong to Shanghai', a: { lat: 32.0158, lng: 120.8640 }, b: { lat: 31.2304, lng: 121.4737 }, m: 104_700 },
  ])('$name', ({ a, b, m }) => {
    expect(distanceM(a, b)).toBeCloseTo(m, m > 1000 ? -3 : 0);
    expect(distanceM(b, a)).toBeCloseTo(distanceM(a, b), 6);
  });
});

describe('usableLatLng', () => {
  it.each([
    [32.1, 120.9, { lat: 32.1, lng: 120.9 }],
    [0, 0, null],
    [null, 120.9, null],
    [32.1, undefined, null],
    [Number.NaN, 120, null],
    [91, 120, null],
    [-33.9, 151.2, { lat: -33.9, lng: 151.2 }],
  ])('(%s, %s) → %j', (lat, lng, expected) => {
    expect(usableLatLng(lat as number | null, lng as number | undefined)).toEqual(expected);
  });
});
