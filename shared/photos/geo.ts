/** Great-circle distances on WGS-84 coordinates (a sphere is accurate to ~0.5 %, plenty for "which site"). */

const earthRadiusM = 6_371_008.8; // mean radius

export interface LatLng {
  readonly lat: number;
  readonly lng: number;
}

/** Haversine distance in metres. */
export function distanceM(a: LatLng, b: LatLng): number {
  const toRad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * toRad;
  const dLng = (b.lng - a.lng) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.sin(dLng / 2) ** 2;
  return 2 * earthRadiusM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * A usable GPS fix, or null. Cameras without a fix often write 0/0 ("null island"), which is
 * never a construction site in China or anywhere a tour goes.
 */
export function usableLatLng(lat: number | null | undefined, lng: number | null | undefined): LatLng | null {
  if (typeof lat !== 'number' || typeof lng !== 'number') return null;
  if (!Number.isFinite(lat) || !Number.isFinite(lng)) return null;
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
  if (lat === 0 && lng === 0) return null;
  return { lat, lng };
}
