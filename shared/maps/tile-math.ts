/**
 * Web Mercator tile arithmetic (the XYZ scheme of 天地图 `_w` layers, 高德, OSM and Leaflet) and the
 * PMTiles v3 tile id (a Hilbert curve per zoom, zooms stacked).
 *
 * What must stay true: tile ids are those of the PMTiles spec (tested against the `pmtiles`
 * reader), so a pack this code writes is read by any PMTiles reader.
 */

/** Web Mercator's latitude limit: the square world ends here. */
export const MAX_MERCATOR_LAT = 85.05112878;

/** PMTiles tile ids stay exact JavaScript numbers up to this zoom. */
export const MAX_TILE_ZOOM = 26;

export interface TileXyz {
  z: number;
  x: number;
  y: number;
}

/** Tiles per side at zoom z. */
export function tilesPerSide(z: number): number {
  return 2 ** z;
}

export function isValidTile(z: number, x: number, y: number): boolean {
  if (!Number.isInteger(z) || !Number.isInteger(x) || !Number.isInteger(y)) return false;
  if (z < 0 || z > MAX_TILE_ZOOM) return false;
  const n = tilesPerSide(z);
  return x >= 0 && y >= 0 && x < n && y < n;
}

/** Longitude → fractional tile x at zoom z. */
export function lngToTileX(lng: number, z: number): number {
  return ((lng + 180) / 360) * tilesPerSide(z);
}

/** Latitude → fractional tile y at zoom z (clamped to the Mercator square). */
export function latToTileY(lat: number, z: number): number {
  const clamped = Math.max(-MAX_MERCATOR_LAT, Math.min(MAX_MERCATOR_LAT, lat));
  const rad = (clamped * Math.PI) / 180;
  return ((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * tilesPerSide(z);
}

export function tileXToLng(x: number, z: number): number {
  return (x / tilesPerSide(z)) * 360 - 180;
}

export function tileYToLat(y: number, z: number): number {
  const n = Math.PI - (2 * Math.PI * y) / tilesPerSide(z);
  return (180 / Math.PI) * Math.atan(Math.sinh(n));
}

/** The tile holding a point. */
export function tileOf(lng: number, lat: number, z: number): TileXyz {
  const max = tilesPerSide(z) - 1;
  return {
    z,
    x: Math.min(max, Math.max(0, Math.floor(lngToTileX(lng, z)))),
    y: Math.min(max, Math.max(0, Math.floor(latToTileY(lat, z)))),
  };
}

/** [west, south, east, north] of a tile, in degrees. */
export function tileBounds(z: number, x: number, y: number): [number, number, number, number] {
  return [tileXToLng(x, z), tileYToLat(y + 1, z), tileXToLng(x + 1, z), tileYToLat(y, z)];
}

// Hilbert curve rotation, as in the PMTiles spec's reference code
function rotate(n: number, x: number, y: number, rx: number, ry: number): [number, number] {
  if (ry === 0) {
    if (rx === 1) {
      x = n - 1 - x;
      y = n - 1 - y;
    }
    return [y, x];
  }
  return [x, y];
}

/** Ids of all tiles of the zooms below z: (4^z − 1) / 3. */
function zoomBase(z: number): number {
  return (4 ** z - 1) / 3;
}

/** PMTiles v3 tile id of z/x/y. */
export function zxyToTileId(z: number, x: number, y: number): number {
  if (!isValidTile(z, x, y)) throw new RangeError(`not a tile: ${z}/${x}/${y}`);
  let d = 0;
  let tx = x;
  let ty = y;
  for (let s = tilesPerSide(z) / 2; s >= 1; s /= 2) {
    const rx = (tx & s) > 0 ? 1 : 0;
    const ry = (ty & s) > 0 ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    [tx, ty] = rotate(s, tx, ty, rx, ry);
  }
  return zoomBase(z) + d;
}

/** z/x/y of a PMTiles v3 tile id. */
export function tileIdToZxy(id: number): TileXyz {
  if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`not a tile id: ${id}`);
  let z = 0;
  while (z <= MAX_TILE_ZOOM && zoomBase(z + 1) <= id) z++;
  if (z > MAX_TILE_ZOOM) throw new RangeError(`tile id beyond zoom ${MAX_TILE_ZOOM}: ${id}`);
  let t = id - zoomBase(z);
  let x = 0;
  let y = 0;
  const n = tilesPerSide(z);
  for (let s = 1; s < n; s *= 2) {
    const rx = 1 & Math.floor(t / 2);
    const ry = 1 & (t ^ rx);
    [x, y] = rotate(s, x, y, rx, ry);
    x += s * rx;
    y += s * ry;
    t = Math.floor(t / 4);
  }
  return { z, x, y };
}

/** Metres on the ground per metre of Web Mercator at latitude `lat` (the Mercator stretch). */
export function mercatorScale(lat: number): number {
  return 1 / Math.cos((Math.max(-MAX_MERCATOR_LAT, Math.min(MAX_MERCATOR_LAT, lat)) * Math.PI) / 180);
}

/** Earth's equatorial radius in metres (Web Mercator's sphere). */
export const EARTH_RADIUS_M = 6_378_137;
/** Width of the Mercator world in metres. */
export const WORLD_M = 2 * Math.PI * EARTH_RADIUS_M;

/** Great-circle distance in metres (haversine). */
export function distanceMeters(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const toRad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * toRad;
  const dLng = (b.lng - a.lng) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}
