import { describe, expect, it } from 'vitest';
import { NoLocatedStopsError, PackTooLargeError, planPackTiles, type PackStop } from './pack-tiles';
import { distanceMeters, tileBounds, tileOf, zxyToTileId } from './tile-math';

const stop = (id: string, day: string, order: number, lat: number | null, lng: number | null): PackStop => ({ id, day, order, lat, lng });

/** Ground distance from a point to the nearest point of a tile (clamping in degrees: fine at these scales). */
function distanceToTile(p: { lat: number; lng: number }, z: number, x: number, y: number): number {
  const [w, s, e, n] = tileBounds(z, x, y);
  return distanceMeters(p, { lng: Math.min(e, Math.max(w, p.lng)), lat: Math.min(n, Math.max(s, p.lat)) });
}

function idsOf(plan: ReturnType<typeof planPackTiles>): Set<number> {
  return new Set(plan.tiles.map((t) => zxyToTileId(t.z, t.x, t.y)));
}

/** 日照 东港区, 潍坊 寒亭区, 济宁 任城区 */
const rizhao = { lat: 35.46685, lng: 119.49643 };

describe('planPackTiles', () => {
  it('holds the overview zooms over the bounds and only the stop radius at high zooms', () => {
    const plan = planPackTiles([stop('a', '2021-04-21', 1, rizhao.lat, rizhao.lng)], { overviewMaxZoom: 10, maxZoom: 15, radiusMeters: 1500 });
    expect(plan.perZoom[0]).toBe(1);
    expect(plan.minZoom).toBe(0);
    expect(plan.maxZoom).toBe(15);
    // the bounds: the stop plus 10 km at least on each side
    const [w, s, e, n] = plan.bounds;
    expect(distanceMeters(rizhao, { lat: rizhao.lat, lng: w })).toBeGreaterThan(9_900);
    expect(distanceMeters(rizhao, { lat: rizhao.lat, lng: e })).toBeGreaterThan(9_900);
    expect(distanceMeters(rizhao, { lat: s, lng: rizhao.lng })).toBeGreaterThan(9_900);
    expect(distanceMeters(rizhao, { lat: n, lng: rizhao.lng })).toBeGreaterThan(9_900);
    // each overview zoom: exactly the tiles covering the bounds
    for (let z = 0; z <= 10; z++) {
      const nw = tileOf(w, n, z);
      const se = tileOf(e, s, z);
      expect(plan.perZoom[z], `z${z}`).toBe((se.x - nw.x + 1) * (se.y - nw.y + 1));
    }
    // high zooms: the tiles within 1500 m of the stop, checked against ground distances
    const ids = idsOf(plan);
    for (let z = 11; z <= 15; z++) {
      const centre = tileOf(rizhao.lng, rizhao.lat, z);
      let expected = 0;
      for (let x = centre.x - 6; x <= centre.x + 6; x++) {
        for (let y = centre.y - 6; y <= centre.y + 6; y++) {
          const d = distanceToTile(rizhao, z, x, y);
          const has = ids.has(zxyToTileId(z, x, y));
          if (d < 1480) expect(has, `${z}/${x}/${y} at ${Math.round(d)} m`).toBe(true);
          if (d > 1520) expect(has, `${z}/${x}/${y} at ${Math.round(d)} m`).toBe(false);
          if (has) expected++;
        }
      }
      expect(plan.perZoom[z]).toBe(expected);
    }
    // at z15 (a tile is about 1 km here) the 3 km circle takes a handful of tiles, not a square of the area
    expect(plan.perZoom[15]).toBeGreaterThanOrEqual(9);
    expect(plan.perZoom[15]).toBeLessThanOrEqual(20);
  });

  it("covers each day's route between consecutive stops, and nothing between days", () => {
    const a = { lat: 36.7, lng: 119.0 };
    const b = { lat: 36.7, lng: 119.25 }; // 22 km east of a
    const c = { lat: 35.4, lng: 116.6 }; // the next day, far away
    const plan = planPackTiles(
      [stop('c', '2021-04-23', 1, c.lat, c.lng), stop('b', '2021-04-22', 2, b.lat, b.lng), stop('a', '2021-04-22', 1, a.lat, a.lng)],
      { overviewMaxZoom: 8, maxZoom: 16, radiusMeters: 500, routeBufferMeters: 300 },
    );
    expect(plan.stops).toBe(3);
    expect(plan.segments).toBe(1);
    const ids = idsOf(plan);
    const has = (z: number, lng: number, lat: number) => {
      const t = tileOf(lng, lat, z);
      return ids.has(zxyToTileId(z, t.x, t.y));
    };
    const metresPerDegreeLat = 111_320;
    for (const z of [12, 14, 16]) {
      for (let i = 0; i <= 100; i++) {
        const lng = a.lng + ((b.lng - a.lng) * i) / 100;
        // on the line, and 250 m off it on either side: inside the 300 m corridor
        expect(has(z, lng, a.lat), `z${z} on the route at ${lng}`).toBe(true);
        expect(has(z, lng, a.lat + 250 / metresPerDegreeLat)).toBe(true);
        expect(has(z, lng, a.lat - 250 / metresPerDegreeLat)).toBe(true);
      }
    }
    // z16 tiles are ~490 m tall here: 1.2 km off the line is outside the corridor
    for (let i = 10; i <= 90; i++) expect(has(16, a.lng + ((b.lng - a.lng) * i) / 100, a.lat + 1200 / metresPerDegreeLat)).toBe(false);
    // between the last stop of one day and the first of the next: no detail
    for (let i = 10; i <= 90; i += 10) {
      expect(has(16, b.lng + ((c.lng - b.lng) * i) / 100, b.lat + ((c.lat - b.lat) * i) / 100)).toBe(false);
    }
    // the corridor at z16 is a thin band: about its length × width, not the bounding box
    const lengthTiles = Math.ceil(distanceMeters(a, b) / 489) + 2;
    expect(plan.perZoom[16]).toBeLessThan(lengthTiles * 4 + 40);
  });

  it('leaves out stops without coordinates and joins the route around them', () => {
    const plan = planPackTiles(
      [stop('a', 'd1', 1, 36.7, 119.0), stop('gap', 'd1', 2, null, null), stop('b', 'd1', 3, 36.7, 119.1)],
      { overviewMaxZoom: 8, maxZoom: 14 },
    );
    expect(plan.stops).toBe(2);
    expect(plan.segments).toBe(1);
    expect(() => planPackTiles([stop('gap', 'd1', 1, null, null)])).toThrow(NoLocatedStopsError);
  });

  it('refuses a plan swollen by a stop far from the others', () => {
    // a swapped 经度/纬度 puts the stop in Kazakhstan: thousands of km of z17 corridor
    expect(() =>
      planPackTiles([stop('a', 'd1', 1, 35.46, 119.49), stop('b', 'd1', 2, 119.49 - 70, 35.46 + 10)], { maxZoom: 17, maxTiles: 50_000 }),
    ).toThrow(PackTooLargeError);
  });

  it('comes out sorted by tile id, each tile once, within the zooms asked', () => {
    const plan = planPackTiles(
      [stop('a', 'd1', 1, 35.46685, 119.49643), stop('b', 'd1', 2, 35.45938, 119.46925), stop('c', 'd1', 3, 35.45721, 119.42411)],
      { overviewMaxZoom: 9, maxZoom: 15 },
    );
    const ids = plan.tiles.map((t) => zxyToTileId(t.z, t.x, t.y));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(ids.length);
    expect(Math.max(...plan.tiles.map((t) => t.z))).toBe(15);
    expect(Object.values(plan.perZoom).reduce((s, n) => s + n, 0)).toBe(plan.tiles.length);
    expect(plan.center[2]).toBeGreaterThanOrEqual(0);
    expect(plan.center[2]).toBeLessThanOrEqual(9);
  });
});
