import { describe, expect, it } from 'vitest';
import { coordSystemSchema } from '../domain/schemas';
import { convertPoint, coordSystems, fromWgs84, toWgs84, type CoordSystem, type LngLat } from './coords';

/**
 * Published reference points, each the same place in the three systems:
 * - gcoord's own fixture, test/fixtures/china-cities.json (github.com/hujiulong/gcoord): city
 *   positions given in WGS84, GCJ02 and BD09 (a few of its 300+ cities, across China);
 * - coordtransform's example (github.com/wandergis/coordtransform, test/app.js), near 天安门:
 *   WGS-84 (116.404, 39.915) → GCJ-02 (116.41024449916938, 39.91640428150164), and GCJ-02
 *   (116.404, 39.915) → BD-09 (116.41036949371029, 39.92133699351021), the values other ports
 *   (hutool's CoordinateUtilTest, coordtransform-rs) test against too.
 * Tolerance 1e-5° (about a metre): the fixtures are rounded to 7 decimals and a pin is drawn on
 * a 256-px tile where one pixel at z18 is ~0.6 m.
 */
const cities: { name: string; WGS84: [number, number]; GCJ02: [number, number]; BD09: [number, number] }[] = [
  { name: '郑州市', WGS84: [113.6192856, 34.7478004], GCJ02: [113.6253334, 34.7466173], BD09: [113.6317519, 34.7528605] },
  { name: '泰安市', WGS84: [117.0815563, 36.2000071], GCJ02: [117.0876215, 36.2002574], BD09: [117.0941183, 36.2062086] },
  { name: '莱芜市', WGS84: [117.6708588, 36.2138283], GCJ02: [117.6767323, 36.2138184], BD09: [117.6832831, 36.2195866] },
  { name: '泰州市', WGS84: [119.9183831, 32.4580023], GCJ02: [119.9231242, 32.4557802], BD09: [119.9296902, 32.4615531] },
  { name: '沈阳市', WGS84: [123.4253306, 41.8032629], GCJ02: [123.4314787, 41.8057023], BD09: [123.438095, 41.8114013] },
  { name: '酒泉市', WGS84: [98.4937175, 39.7319946], GCJ02: [98.4943595, 39.7328234], BD09: [98.5008441, 39.7388949] },
  { name: '那曲地区', WGS84: [92.0499619, 31.4784436], GCJ02: [92.0512438, 31.4762063], BD09: [92.0576832, 31.4824421] },
  { name: '钦州市', WGS84: [108.6503952, 21.9828281], GCJ02: [108.6541485, 21.9799392], BD09: [108.6607283, 21.9856319] },
];

const key: Record<CoordSystem, 'WGS84' | 'GCJ02' | 'BD09'> = { wgs84: 'WGS84', gcj02: 'GCJ02', bd09: 'BD09' };
const at = ([lng, lat]: [number, number]): LngLat => ({ lng, lat });
const TOLERANCE = 1e-5;

function expectNear(actual: LngLat, expected: LngLat, tolerance = TOLERANCE) {
  expect(Math.abs(actual.lng - expected.lng)).toBeLessThan(tolerance);
  expect(Math.abs(actual.lat - expected.lat)).toBeLessThan(tolerance);
}

describe('coordinate systems: published reference points', () => {
  for (const city of cities) {
    for (const from of coordSystems) {
      for (const to of coordSystems) {
        if (from === to) continue;
        it(`${city.name}: ${from} → ${to}`, () => {
          expectNear(convertPoint(at(city[key[from]]), from, to), at(city[key[to]]));
        });
      }
    }
  }

  it('天安门 (coordtransform): WGS-84 → GCJ-02 and GCJ-02 → BD-09', () => {
    expectNear(fromWgs84({ lng: 116.404, lat: 39.915 }, 'gcj02'), { lng: 116.41024449916938, lat: 39.91640428150164 }, 1e-9);
    expectNear(convertPoint({ lng: 116.404, lat: 39.915 }, 'gcj02', 'bd09'), { lng: 116.41036949371029, lat: 39.92133699351021 }, 1e-9);
  });

  it('round-trips through every system within ten centimetres', () => {
    const liaocheng = { lng: 115.985, lat: 36.457 };
    for (const system of coordSystems) expectNear(toWgs84(fromWgs84(liaocheng, system), system), liaocheng, 1e-6);
  });

  it('shifts GCJ-02 by hundreds of metres in China, and not at all outside it', () => {
    const gcj = fromWgs84({ lng: 115.985, lat: 36.457 }, 'gcj02');
    expect(Math.abs(gcj.lng - 115.985) * 90_000).toBeGreaterThan(300); // ~90 km per degree of longitude there
    expect(fromWgs84({ lng: 2.35, lat: 48.86 }, 'gcj02')).toEqual({ lng: 2.35, lat: 48.86 });
  });

  it('names the same systems as the tour schema', () => {
    expect([...coordSystems]).toEqual(coordSystemSchema.options);
  });
});
