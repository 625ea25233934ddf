/**
 * Stored coordinates are WGS-84; a basemap drawn in GCJ-02 (高德, 腾讯) shows every place ~500 m
 * off from its WGS-84 numbers. What is drawn on such a basemap is converted to its system, and a
 * position picked on it (a dragged pin, a click) is converted back before it is stored, so a pin
 * lands on the same street on every basemap.
 */
import * as L from 'leaflet';
import { convertPoint } from '@shared/maps/coords';
import type { TileCoordSystem } from '@shared/maps/pack-protocol';

export interface WgsPoint {
  lat: number;
  lng: number;
}

export function toDisplay(point: WgsPoint, display: TileCoordSystem): L.LatLng {
  const p = convertPoint(point, 'wgs84', display);
  return L.latLng(p.lat, p.lng);
}

/** A position picked on the map, as WGS-84 rounded to 7 decimals (≈ 1 cm). */
export function fromDisplay(latlng: L.LatLng, display: TileCoordSystem): WgsPoint {
  const p = convertPoint({ lat: latlng.lat, lng: latlng.lng }, display, 'wgs84');
  return { lat: Number(p.lat.toFixed(7)), lng: Number(p.lng.toFixed(7)) };
}
