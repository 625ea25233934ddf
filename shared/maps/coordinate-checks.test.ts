import { describe, expect, it } from 'vitest';
import { checkCoordinates, distanceKm, type CheckedPoint } from './coordinate-checks';

const point = (key: string, lng: number, lat: number): CheckedPoint => ({ key, lng, lat, wgs84: { lng, lat } });

// 聊城's counties (illustrative positions): one city, ~130 km across
const liaocheng = [point('东昌府', 115.985, 36.457), point('临清', 115.704, 36.838), point('冠县', 115.442, 36.484), point('东阿', 116.247, 36.335), point('高唐', 116.23, 36.866)];

describe('checkCoordinates', () => {
  it('finds nothing wrong with one city', () => {
    expect(checkCoordinates(liaocheng)).toEqual([]);
  });

  it('flags swapped columns that put the point in China once exchanged', () => {
    expect(checkCoordinates([...liaocheng, point('反了', 36.2, 80.1)])).toEqual([{ kind: 'swapped', key: '反了' }]);
  });

  it('says a longitude looks like a latitude when it does', () => {
    expect(checkCoordinates([...liaocheng, point('纬度写进经度', 36.23, 36.5)])).toEqual([{ kind: 'lngLooksLikeLat', key: '纬度写进经度' }]);
  });

  it('flags a point outside China', () => {
    expect(checkCoordinates([...liaocheng, point('首尔', 126.98, 37.57)])).toEqual([{ kind: 'outsideChina', key: '首尔' }]);
  });

  it('flags a point far from every other stop, with the distances', () => {
    // 36 → 39 in the latitude: 330 km north, near 天津
    const findings = checkCoordinates([...liaocheng, point('笔误', 115.985, 39.457)]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'farFromOthers', key: '笔误' });
    if (findings[0]?.kind === 'farFromOthers') {
      expect(findings[0].nearestKm).toBeGreaterThan(250);
      expect(findings[0].medianKm).toBeGreaterThan(300);
    }
  });

  it('does not flag the cities of a multi-city tour (日照, 潍坊, 济宁: 230 km apart)', () => {
    const tour = [
      point('日照1', 119.49643, 35.46685),
      point('日照2', 119.46925, 35.45938),
      point('潍坊1', 119.25215, 36.7),
      point('潍坊2', 119.00609, 36.71),
      point('潍坊3', 119.03, 36.7),
      point('济宁1', 116.975, 35.4),
      point('济宁2', 116.607, 35.41),
    ];
    expect(distanceKm(tour[0]!.wgs84, tour[6]!.wgs84)).toBeGreaterThan(200);
    expect(checkCoordinates(tour)).toEqual([]);
  });

  it('needs three other stops to call one far', () => {
    expect(checkCoordinates([point('a', 115.985, 36.457), point('b', 115.7, 36.8), point('far', 120.0, 30.0)])).toEqual([]);
  });

  it('keeps points outside China out of the others\u2019 middle', () => {
    const findings = checkCoordinates([...liaocheng, point('海里', 150, 10), point('海里2', 151, 11), point('海里3', 152, 12)]);
    expect(findings.map((f) => f.kind)).toEqual(['outsideChina', 'outsideChina', 'outsideChina']);
  });

  it('measures distances on the sphere', () => {
    // 北京 → 上海 ≈ 1068 km
    expect(distanceKm({ lng: 116.397, lat: 39.909 }, { lng: 121.47, lat: 31.23 })).toBeGreaterThan(1050);
    expect(distanceKm({ lng: 116.397, lat: 39.909 }, { lng: 121.47, lat: 31.23 })).toBeLessThan(1085);
  });
});
