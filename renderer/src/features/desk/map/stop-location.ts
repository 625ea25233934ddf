/**
 * A stop's location as the desk shows and takes it: the 经度/纬度 fields are in a coordinate
 * system the clerk picks (the tour's declared one by default: what the secretariat's table and
 * map app use), while what is stored is always WGS-84 (shared/maps/coords.ts).
 *
 * What must stay true: a value read back into the fields and saved again unchanged moves the
 * stop by less than a centimetre (7 decimals stored, 6 shown ≈ 0.1 m, conversions invert to
 * well under that), and nothing that is not a number in range is ever stored.
 */
import type { TourCoordSystem } from '@shared/domain/schemas';
import { isInChina } from '@shared/maps/china-outline';
import { convertPoint } from '@shared/maps/coords';

export interface WgsPoint {
  lat: number;
  lng: number;
}

/** Decimals shown in the fields (1e-6° ≈ 0.1 m) and kept when stored (1e-7° ≈ 1 cm). */
const SHOWN_DECIMALS = 6;
const STORED_DECIMALS = 7;

export function roundStored(point: WgsPoint): WgsPoint {
  return { lat: Number(point.lat.toFixed(STORED_DECIMALS)), lng: Number(point.lng.toFixed(STORED_DECIMALS)) };
}

/** The field texts of a stored (WGS-84) point in `system`; empty fields for a stop without one. */
export function locationFields(point: { lat: number | null; lng: number | null }, system: TourCoordSystem): { lng: string; lat: string } {
  if (point.lat === null || point.lng === null) return { lng: '', lat: '' };
  const shown = system === 'wgs84' ? { lat: point.lat, lng: point.lng } : convertPoint({ lat: point.lat, lng: point.lng }, 'wgs84', system);
  return { lng: trimZeros(shown.lng.toFixed(SHOWN_DECIMALS)), lat: trimZeros(shown.lat.toFixed(SHOWN_DECIMALS)) };
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

export type ParsedLocation =
  /** both fields empty: the stop has no location */
  | { ok: true; point: null }
  | { ok: true; point: WgsPoint; isInChina: boolean }
  | { ok: false; field: 'lng' | 'lat' | 'both' };

/**
 * The typed 经度/纬度 (in `system`) as a WGS-84 point to store. Accepts the full-width digits and
 * the 。／，decimal marks of a Chinese input method and a trailing ° ; refuses anything else.
 */
export function parseLocationFields(lngText: string, latText: string, system: TourCoordSystem): ParsedLocation {
  const lngTrim = normalise(lngText);
  const latTrim = normalise(latText);
  if (lngTrim === '' && latTrim === '') return { ok: true, point: null };
  const lng = toNumber(lngTrim);
  const lat = toNumber(latTrim);
  const isLngBad = lng === null || Math.abs(lng) > 180;
  const isLatBad = lat === null || Math.abs(lat) > 90;
  if (isLngBad && isLatBad) return { ok: false, field: 'both' };
  if (isLngBad) return { ok: false, field: 'lng' };
  if (isLatBad) return { ok: false, field: 'lat' };
  const wgs = system === 'wgs84' ? { lat: lat!, lng: lng! } : convertPoint({ lat: lat!, lng: lng! }, system, 'wgs84');
  const point = roundStored(wgs);
  return { ok: true, point, isInChina: isInChina(point.lng, point.lat) };
}

function normalise(text: string): string {
  return text
    .trim()
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, '.')
    .replace(/[－—]/g, '-')
    .replace(/°$/, '')
    .trim();
}

function toNumber(text: string): number | null {
  if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** Whether two stored points are the same place (to the stored precision). */
export function isSamePoint(a: { lat: number | null; lng: number | null }, b: { lat: number | null; lng: number | null }): boolean {
  if (a.lat === null || a.lng === null || b.lat === null || b.lng === null) return (a.lat === null || a.lng === null) && (b.lat === null || b.lng === null);
  return Math.abs(a.lat - b.lat) < 5e-8 && Math.abs(a.lng - b.lng) < 5e-8;
}
