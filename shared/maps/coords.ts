/**
 * Coordinate systems of Chinese tables and basemaps (issue 13).
 *
 * - WGS-84 (GPS) and CGCS2000 (天地图, official surveying) differ by centimetres: one system here.
 * - GCJ-02 (高德, 腾讯, most Chinese phone maps) is WGS-84 shifted by the state's obfuscation.
 * - BD-09 (百度) is GCJ-02 shifted again.
 *
 * What must stay true: stored coordinates are WGS-84, always. A table's coordinates are converted
 * when imported (the tour declares the table's system); what is drawn on a GCJ-02 basemap is
 * converted from WGS-84 when drawn, and a pin dragged there is converted back before it is saved.
 * Conversions use gcoord (a maintained library), never hand-copied constants.
 */
import gcoord from 'gcoord';

export const coordSystems = ['wgs84', 'gcj02', 'bd09'] as const;
export type CoordSystem = (typeof coordSystems)[number];

const gcoordSystem = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

export interface LngLat {
  lng: number;
  lat: number;
}

/** A point from `from` to `to`; the same point when the systems are the same. */
export function convertPoint(point: LngLat, from: CoordSystem, to: CoordSystem): LngLat {
  if (from === to) return { lng: point.lng, lat: point.lat };
  const [lng, lat] = gcoord.transform([point.lng, point.lat], gcoordSystem[from], gcoordSystem[to]) as [number, number];
  return { lng, lat };
}

export function toWgs84(point: LngLat, from: CoordSystem): LngLat {
  return convertPoint(point, from, 'wgs84');
}

export function fromWgs84(point: LngLat, to: CoordSystem): LngLat {
  return convertPoint(point, 'wgs84', to);
}
