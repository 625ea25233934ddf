/**
 * Coordinates that are legal numbers but implausible for a tour of key projects in China: a
 * swapped 经度/纬度, a point outside China, a point far from every other stop of the tour. Found
 * at import so the secretariat checks the row before scorers see a project in the sea.
 *
 * What must stay true: these are findings for a person to check, never refusals (a tour may
 * well visit a site abroad or one far out); values that cannot be coordinates at all (a
 * latitude of 116) are refused by the importer before this runs.
 *
 * "Far from every other stop" needs two conditions, both on WGS-84 distances:
 * - more than FAR_FROM_MEDIAN_KM (150 km) from the median position (median longitude, median
 *   latitude) of the tour's other stops: a city's districts and counties lie within ~100 km of
 *   its centre (聊城 spans ~130 km, 南通 ~150 km), so a stop of a one-city tour that far from the
 *   others' middle is not in that city. A typo in the integer degrees (36 → 39, 116 → 118) moves
 *   a point 170–330 km;
 * - and more than FAR_FROM_NEAREST_KM (50 km) from the nearest other stop. Without this the
 *   median alone would flag whole days of multi-city tours: the demo study tour visits 日照, 潍坊
 *   and 济宁, up to 230 km apart, and every 济宁 stop is > 150 km from the others' median, yet
 *   each has neighbours within a few kilometres. A wrong point has none.
 * At least MIN_OTHERS (3) other located stops are needed: with one or two, which point is wrong
 * cannot be told.
 */
import { isInChina } from './china-outline';

export interface CheckedPoint {
  /** the caller's handle (the importer: the stop id) */
  readonly key: string;
  /** as written in the table (in the table's coordinate system) */
  readonly lng: number;
  readonly lat: number;
  /** converted to WGS-84, for distances */
  readonly wgs84: { readonly lng: number; readonly lat: number };
}

export type CoordinateFinding =
  /** outside China as written, inside China with longitude and latitude exchanged */
  | { readonly kind: 'swapped'; readonly key: string }
  /** outside China, and the longitude is a number a Chinese latitude would be (15–55) */
  | { readonly kind: 'lngLooksLikeLat'; readonly key: string }
  | { readonly kind: 'outsideChina'; readonly key: string }
  | { readonly kind: 'farFromOthers'; readonly key: string; readonly nearestKm: number; readonly medianKm: number };

export const FAR_FROM_MEDIAN_KM = 150;
export const FAR_FROM_NEAREST_KM = 50;
export const MIN_OTHERS = 3;

/** Latitudes of China (with margin): a longitude in this band is probably a latitude. */
const CHINA_LATITUDES = { min: 15, max: 55 } as const;

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in km (haversine; a sphere is accurate to ~0.5 %, plenty here). */
export function distanceKm(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const toRad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * toRad;
  const dLng = (b.lng - a.lng) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Findings for the points, in the order given (at most one per point). */
export function checkCoordinates(points: readonly CheckedPoint[]): CoordinateFinding[] {
  const findings = new Map<string, CoordinateFinding>();
  const inChina: CheckedPoint[] = [];
  for (const p of points) {
    if (isInChina(p.lng, p.lat)) inChina.push(p);
    else if (isInChina(p.lat, p.lng)) findings.set(p.key, { kind: 'swapped', key: p.key });
    else if (p.lng >= CHINA_LATITUDES.min && p.lng <= CHINA_LATITUDES.max) findings.set(p.key, { kind: 'lngLooksLikeLat', key: p.key });
    else findings.set(p.key, { kind: 'outsideChina', key: p.key });
  }
  // distances only among points in China: a point in the sea must not move the others' middle
  if (inChina.length >= MIN_OTHERS + 1) {
    const lngs = inChina.map((p) => p.wgs84.lng).sort((a, b) => a - b);
    const lats = inChina.map((p) => p.wgs84.lat).sort((a, b) => a - b);
    for (const p of inChina) {
      const middle = { lng: medianWithout(lngs, p.wgs84.lng), lat: medianWithout(lats, p.wgs84.lat) };
      const medianKm = distanceKm(p.wgs84, middle);
      if (medianKm <= FAR_FROM_MEDIAN_KM) continue;
      let nearestKm = Number.POSITIVE_INFINITY;
      for (const q of inChina) if (q !== p) nearestKm = Math.min(nearestKm, distanceKm(p.wgs84, q.wgs84));
      if (nearestKm > FAR_FROM_NEAREST_KM) findings.set(p.key, { kind: 'farFromOthers', key: p.key, nearestKm: Math.round(nearestKm), medianKm: Math.round(medianKm) });
    }
  }
  return points.flatMap((p) => findings.get(p.key) ?? []);
}

/** Median of `sorted` with one occurrence of `value` removed (sorted ascending, value in it). */
function medianWithout(sorted: readonly number[], value: number): number {
  const removed = sorted.indexOf(value);
  const n = sorted.length - 1;
  const at = (i: number) => sorted[i < removed ? i : i + 1]!;
  return n % 2 === 1 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2;
}
