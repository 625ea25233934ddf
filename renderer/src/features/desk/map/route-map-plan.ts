/**
 * The bulletin's route map as one picture: the zoom and the window (in Web Mercator pixels) that
 * hold every stop with a margin, and the pack tiles that cover it. Pure, so the framing is tested.
 *
 * What must stay true: every point lands inside the picture, at least `padding` pixels from its
 * edges, at the highest zoom the pack has for which that holds (a pack's low zooms cover the
 * whole tour; its high zooms only the stops' surroundings, so the caller draws a lower zoom's
 * tile enlarged where one is missing).
 */
import { latToTileY, lngToTileX } from '@shared/maps/tile-math';

export const TILE_PX = 256;

export interface RouteMapPlan {
  z: number;
  /** global pixel of the picture's top-left corner at zoom z */
  left: number;
  top: number;
  width: number;
  height: number;
  tiles: { x: number; y: number; dx: number; dy: number }[];
  /** a point's position in the picture */
  project(point: { lng: number; lat: number }): { x: number; y: number };
}

export function planRouteMap(points: readonly { lng: number; lat: number }[], size: { width: number; height: number; padding: number }, zooms: { min: number; max: number; cap?: number }): RouteMapPlan | null {
  if (points.length === 0) return null;
  const maxZ = Math.min(zooms.max, zooms.cap ?? 16);
  let z = zooms.min;
  for (let candidate = maxZ; candidate >= zooms.min; candidate--) {
    const { w, h } = extent(points, candidate);
    if (w <= size.width - 2 * size.padding && h <= size.height - 2 * size.padding) {
      z = candidate;
      break;
    }
  }
  const px = (p: { lng: number; lat: number }) => ({ x: lngToTileX(p.lng, z) * TILE_PX, y: latToTileY(p.lat, z) * TILE_PX });
  const all = points.map(px);
  const cx = (Math.min(...all.map((p) => p.x)) + Math.max(...all.map((p) => p.x))) / 2;
  const cy = (Math.min(...all.map((p) => p.y)) + Math.max(...all.map((p) => p.y))) / 2;
  const left = Math.round(cx - size.width / 2);
  const top = Math.round(cy - size.height / 2);
  const n = 2 ** z;
  const tiles: RouteMapPlan['tiles'] = [];
  for (let ty = Math.floor(top / TILE_PX); ty * TILE_PX < top + size.height; ty++) {
    if (ty < 0 || ty >= n) continue;
    for (let tx = Math.floor(left / TILE_PX); tx * TILE_PX < left + size.width; tx++) {
      if (tx < 0 || tx >= n) continue;
      tiles.push({ x: tx, y: ty, dx: tx * TILE_PX - left, dy: ty * TILE_PX - top });
    }
  }
  return {
    z,
    left,
    top,
    width: size.width,
    height: size.height,
    tiles,
    project: (p) => {
      const g = px(p);
      return { x: g.x - left, y: g.y - top };
    },
  };
}

function extent(points: readonly { lng: number; lat: number }[], z: number): { w: number; h: number } {
  const xs = points.map((p) => lngToTileX(p.lng, z) * TILE_PX);
  const ys = points.map((p) => latToTileY(p.lat, z) * TILE_PX);
  return { w: Math.max(...xs) - Math.min(...xs), h: Math.max(...ys) - Math.min(...ys) };
}
