import { describe, expect, it } from 'vitest';
import { planRouteMap, TILE_PX } from './route-map-plan';

// the demo scored tour in 崇川 (南通), WGS-84
const stops = [
  { lng: 120.87891, lat: 32.02751 },
  { lng: 120.8912, lat: 32.03791 },
  { lng: 120.81899, lat: 32.04676 },
  { lng: 120.84, lat: 32.08 },
  { lng: 120.86, lat: 31.99 },
];

describe('the bulletin route map framing', () => {
  it('picks the highest zoom that holds every stop inside the padding, and covers the picture with tiles', () => {
    const plan = planRouteMap(stops, { width: 1600, height: 1000, padding: 60 }, { min: 0, max: 17 })!;
    for (const p of stops) {
      const at = plan.project(p);
      expect(at.x).toBeGreaterThanOrEqual(60);
      expect(at.x).toBeLessThanOrEqual(1540);
      expect(at.y).toBeGreaterThanOrEqual(60);
      expect(at.y).toBeLessThanOrEqual(940);
    }
    // one zoom more would not fit
    const tighter = planRouteMap(stops, { width: 800, height: 500, padding: 60 }, { min: 0, max: 17 })!;
    expect(tighter.z).toBe(plan.z - 1);
    // every pixel of the picture is under a tile
    const covered = (x: number, y: number) => plan.tiles.some((t) => x >= t.dx && x < t.dx + TILE_PX && y >= t.dy && y < t.dy + TILE_PX);
    for (const [x, y] of [[0, 0], [1599, 0], [0, 999], [1599, 999], [800, 500]] as const) expect(covered(x, y)).toBe(true);
  });

  it('never goes above the pack’s highest zoom (nor 16, for one stop), nor below its lowest', () => {
    expect(planRouteMap([stops[0]!], { width: 1600, height: 1000, padding: 60 }, { min: 0, max: 18 })!.z).toBe(16);
    expect(planRouteMap(stops, { width: 1600, height: 1000, padding: 60 }, { min: 0, max: 10 })!.z).toBe(10);
    const world = [{ lng: -170, lat: 60 }, { lng: 170, lat: -60 }];
    expect(planRouteMap(world, { width: 400, height: 300, padding: 20 }, { min: 3, max: 14 })!.z).toBe(3);
    expect(planRouteMap([], { width: 400, height: 300, padding: 20 }, { min: 0, max: 14 })).toBeNull();
  });
});
