/**
 * Which tiles a tour pack holds (issue 13): the tour's whole area at low zooms, and the high zooms
 * only where people are — around each stop and along each day's route.
 *
 * - Overview: zooms 0…`overviewMaxZoom` over the bounds of all located stops plus a margin
 *   (the larger of `marginMeters` and a tenth of the area's size on each side).
 * - Detail: zooms `overviewMaxZoom + 1`…`maxZoom`, every tile within `radiusMeters` of a stop, and
 *   every tile within `routeBufferMeters` of a day's route.
 * - A day's route is the straight segments between its consecutive located stops in itinerary
 *   order (shared/domain/tour-order.ts). There is no road routing offline: the bus's real road
 *   may leave the corridor where it bends away from the straight line, and the map then shows
 *   the overview zooms there.
 *
 * Distances are measured on the ground (a metre at latitude φ is 1/cos φ metres of Web Mercator).
 * Stops without coordinates are left out (a route joins the located stops around them).
 *
 * What must stay true: pure and deterministic; tiles come out sorted by PMTiles tile id, each once.
 */
import { compareStops } from '../domain/tour-order';
import { latToTileY, lngToTileX, mercatorScale, MAX_MERCATOR_LAT, tileIdToZxy, WORLD_M, zxyToTileId, type TileXyz } from './tile-math';

export interface PackStop {
  id: string;
  day: string;
  order: number;
  lat: number | null;
  lng: number | null;
}

export interface PackTileOptions {
  /** highest zoom drawn over the tour's whole area */
  overviewMaxZoom: number;
  /** highest zoom around stops and along routes */
  maxZoom: number;
  /** around each stop, metres */
  radiusMeters: number;
  /** on each side of a day's route, metres */
  routeBufferMeters: number;
  /** least margin around the stops' bounds for the overview, metres */
  marginMeters: number;
  /** refuse plans larger than this (a stop placed in another province makes a huge corridor) */
  maxTiles: number;
}

export const defaultPackTileOptions: PackTileOptions = {
  overviewMaxZoom: 11,
  maxZoom: 17,
  // 1 km around a site covers the site and the streets to it at z17 while keeping a 28-stop tour's
  // pack under 50 MB (1.5 km measured 61 MB: npm run bench:map)
  radiusMeters: 1000,
  routeBufferMeters: 300,
  marginMeters: 10_000,
  maxTiles: 250_000,
};

export interface PackTilePlan {
  /** sorted by tile id */
  tiles: TileXyz[];
  /** zoom → tiles of that zoom */
  perZoom: Record<number, number>;
  /** [west, south, east, north] of the overview area (WGS-84 degrees) */
  bounds: [number, number, number, number];
  /** [lng, lat, zoom]: the middle of the stops, at a zoom that shows the whole tour */
  center: [number, number, number];
  minZoom: number;
  maxZoom: number;
  /** located stops the plan covers, and the route segments between them */
  stops: number;
  segments: number;
}

export class PackTooLargeError extends Error {
  override name = 'PackTooLargeError';
  constructor(readonly tileCount: number, readonly limit: number) {
    super(`the pack would hold ${tileCount} tiles (limit ${limit}); check the stops' coordinates, or lower the zoom or radius`);
  }
}

export class NoLocatedStopsError extends Error {
  override name = 'NoLocatedStopsError';
  constructor() {
    super('no stop of the tour has coordinates');
  }
}

/** A point in Web Mercator world units (0…1 across the world, y down) */
interface WorldPoint {
  u: number;
  v: number;
  lat: number;
}

function toWorld(lng: number, lat: number): WorldPoint {
  return { u: lngToTileX(lng, 0), v: latToTileY(lat, 0), lat };
}

/** Ground metres → world units at a latitude. */
function worldDistance(meters: number, lat: number): number {
  return (meters * mercatorScale(lat)) / WORLD_M;
}

export function planPackTiles(stops: readonly PackStop[], options: Partial<PackTileOptions> = {}): PackTilePlan {
  const o = { ...defaultPackTileOptions, ...options };
  if (o.maxZoom < o.overviewMaxZoom) throw new RangeError('maxZoom is below overviewMaxZoom');
  const located = [...stops]
    .filter((s): s is PackStop & { lat: number; lng: number } => s.lat !== null && s.lng !== null && Number.isFinite(s.lat) && Number.isFinite(s.lng))
    .sort(compareStops);
  if (located.length === 0) throw new NoLocatedStopsError();

  const points = located.map((s) => toWorld(s.lng, s.lat));
  const segments: Array<[WorldPoint, WorldPoint]> = [];
  for (let i = 1; i < located.length; i++) {
    if (located[i]!.day === located[i - 1]!.day) segments.push([points[i - 1]!, points[i]!]);
  }

  const bounds = overviewBounds(located, o.marginMeters);
  const ids = new Set<number>();
  const add = (z: number, x: number, y: number) => {
    ids.add(zxyToTileId(z, x, y));
    if (ids.size > o.maxTiles) throw new PackTooLargeError(ids.size, o.maxTiles);
  };

  for (let z = 0; z <= o.overviewMaxZoom; z++) {
    const n = 2 ** z;
    const x0 = clampTile(Math.floor(lngToTileX(bounds[0], z)), n);
    const x1 = clampTile(Math.floor(lngToTileX(bounds[2], z)), n);
    const y0 = clampTile(Math.floor(latToTileY(bounds[3], z)), n);
    const y1 = clampTile(Math.floor(latToTileY(bounds[1], z)), n);
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) add(z, x, y);
  }

  for (let z = o.overviewMaxZoom + 1; z <= o.maxZoom; z++) {
    const n = 2 ** z;
    for (const p of points) {
      const r = worldDistance(o.radiusMeters, p.lat);
      forTilesNear(z, n, p, p, r, add);
    }
    for (const [a, b] of segments) {
      // the stretch is largest at the segment's end nearer the pole
      const r = worldDistance(o.routeBufferMeters, Math.max(Math.abs(a.lat), Math.abs(b.lat)));
      forTilesNear(z, n, a, b, r, add);
    }
  }

  const sorted = [...ids].sort((a, b) => a - b);
  const tiles = sorted.map(tileIdToZxy);
  const perZoom: Record<number, number> = {};
  for (const t of tiles) perZoom[t.z] = (perZoom[t.z] ?? 0) + 1;
  return {
    tiles,
    perZoom,
    bounds,
    center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, fittingZoom(bounds, o.overviewMaxZoom)],
    minZoom: 0,
    maxZoom: o.maxZoom,
    stops: located.length,
    segments: segments.length,
  };
}

/** The stops' bounds grown by the margin (at least `marginMeters`, at least a tenth of the size). */
export function overviewBounds(stops: ReadonlyArray<{ lat: number; lng: number }>, marginMeters: number): [number, number, number, number] {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const s of stops) {
    west = Math.min(west, s.lng);
    east = Math.max(east, s.lng);
    south = Math.min(south, s.lat);
    north = Math.max(north, s.lat);
  }
  const metresPerDegreeLat = 111_320;
  const midLat = (south + north) / 2;
  const metresPerDegreeLng = metresPerDegreeLat * Math.max(0.01, Math.cos((midLat * Math.PI) / 180));
  const padLat = Math.max(marginMeters / metresPerDegreeLat, (north - south) / 10);
  const padLng = Math.max(marginMeters / metresPerDegreeLng, (east - west) / 10);
  return [
    Math.max(-180, west - padLng),
    Math.max(-MAX_MERCATOR_LAT, south - padLat),
    Math.min(180, east + padLng),
    Math.min(MAX_MERCATOR_LAT, north + padLat),
  ];
}

/** The highest zoom (≤ max) at which the bounds fit in about 4 × 3 tiles: a laptop screen's worth. */
function fittingZoom(bounds: readonly [number, number, number, number], max: number): number {
  for (let z = max; z > 0; z--) {
    const w = lngToTileX(bounds[2], z) - lngToTileX(bounds[0], z);
    const h = latToTileY(bounds[1], z) - latToTileY(bounds[3], z);
    if (w <= 4 && h <= 3) return z;
  }
  return 0;
}

function clampTile(i: number, n: number): number {
  return Math.max(0, Math.min(n - 1, i));
}

/**
 * Calls `add` for every tile of zoom z within world distance r of the segment a–b (a point when
 * a = b). Walks the segment's columns, each only over the rows the corridor can reach there.
 */
function forTilesNear(z: number, n: number, a: WorldPoint, b: WorldPoint, r: number, add: (z: number, x: number, y: number) => void): void {
  const x0 = clampTile(Math.floor((Math.min(a.u, b.u) - r) * n), n);
  const x1 = clampTile(Math.floor((Math.max(a.u, b.u) + r) * n), n);
  for (let x = x0; x <= x1; x++) {
    const left = x / n;
    const right = (x + 1) / n;
    // the part of the segment within reach of this column
    const [vMin, vMax] = segmentRowsWithin(a, b, left - r, right + r);
    if (vMin > vMax) continue;
    const y0 = clampTile(Math.floor((vMin - r) * n), n);
    const y1 = clampTile(Math.floor((vMax + r) * n), n);
    for (let y = y0; y <= y1; y++) {
      if (segmentRectDistance(a, b, left, y / n, right, (y + 1) / n) <= r) add(z, x, y);
    }
  }
}

/** v-range of the segment a–b where u lies in [u0, u1]; empty (min > max) when it never does. */
function segmentRowsWithin(a: WorldPoint, b: WorldPoint, u0: number, u1: number): [number, number] {
  if (a.u === b.u) return a.u >= u0 && a.u <= u1 ? [Math.min(a.v, b.v), Math.max(a.v, b.v)] : [1, 0];
  const t0 = Math.max(0, Math.min(1, (u0 - a.u) / (b.u - a.u)));
  const t1 = Math.max(0, Math.min(1, (u1 - a.u) / (b.u - a.u)));
  const lo = Math.min(t0, t1);
  const hi = Math.max(t0, t1);
  const uLo = a.u + (b.u - a.u) * lo;
  const uHi = a.u + (b.u - a.u) * hi;
  if (Math.max(uLo, uHi) < u0 - 1e-12 || Math.min(uLo, uHi) > u1 + 1e-12) return [1, 0];
  const vLo = a.v + (b.v - a.v) * lo;
  const vHi = a.v + (b.v - a.v) * hi;
  return [Math.min(vLo, vHi), Math.max(vLo, vHi)];
}

function pointSegmentDistance(pu: number, pv: number, a: WorldPoint, b: WorldPoint): number {
  const du = b.u - a.u;
  const dv = b.v - a.v;
  const lengthSq = du * du + dv * dv;
  const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((pu - a.u) * du + (pv - a.v) * dv) / lengthSq));
  return Math.hypot(pu - (a.u + t * du), pv - (a.v + t * dv));
}

function pointRectDistance(pu: number, pv: number, left: number, top: number, right: number, bottom: number): number {
  const du = pu < left ? left - pu : pu > right ? pu - right : 0;
  const dv = pv < top ? top - pv : pv > bottom ? pv - bottom : 0;
  return Math.hypot(du, dv);
}

function segmentsCross(a: WorldPoint, b: WorldPoint, cu: number, cv: number, du: number, dv: number): boolean {
  const cross = (pu: number, pv: number, qu: number, qv: number, ru: number, rv: number) => (qu - pu) * (rv - pv) - (qv - pv) * (ru - pu);
  const d1 = cross(cu, cv, du, dv, a.u, a.v);
  const d2 = cross(cu, cv, du, dv, b.u, b.v);
  const d3 = cross(a.u, a.v, b.u, b.v, cu, cv);
  const d4 = cross(a.u, a.v, b.u, b.v, du, dv);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/** Shortest distance between the segment a–b and a rectangle (0 when they touch). */
export function segmentRectDistance(a: WorldPoint, b: WorldPoint, left: number, top: number, right: number, bottom: number): number {
  const da = pointRectDistance(a.u, a.v, left, top, right, bottom);
  const db = pointRectDistance(b.u, b.v, left, top, right, bottom);
  if (da === 0 || db === 0) return 0;
  const edges: Array<[number, number, number, number]> = [
    [left, top, right, top],
    [right, top, right, bottom],
    [right, bottom, left, bottom],
    [left, bottom, left, top],
  ];
  if (edges.some(([cu, cv, du, dv]) => segmentsCross(a, b, cu, cv, du, dv))) return 0;
  return Math.min(
    da,
    db,
    pointSegmentDistance(left, top, a, b),
    pointSegmentDistance(right, top, a, b),
    pointSegmentDistance(right, bottom, a, b),
    pointSegmentDistance(left, bottom, a, b),
  );
}
