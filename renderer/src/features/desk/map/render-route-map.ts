/**
 * Draws the bulletin's route map from the tour's offline pack, as one PNG: the pack's tiles
 * (read from IndexedDB; never the network), each day's route as a line in its day's colour, and
 * the stops as numbered dots. The tiles are drawn in the pack's coordinate system, so the caller
 * passes points already converted to it (display-coords.ts).
 */
import { drawTile, type BasemapTiles } from '../../map/basemap-tiles';
import type { PackReader } from '../../../offline-maps/pack-reader';
import { planRouteMap, TILE_PX } from './route-map-plan';

/** The day colours of the app's maps (map.css .map-day-0 … 7, TourMap's route lines). */
export const ROUTE_DAY_COLOURS = ['#1a4a8a', '#c2410c', '#0c6b63', '#7e3fa0', '#a16207', '#be185d', '#3f6212', '#475569'] as const;

export interface RouteMapDay {
  stops: { label: string; lng: number; lat: number }[];
}

/** Picture size: about 250 dpi across an A4 page's text block (156 mm). */
export const ROUTE_MAP_SIZE = { width: 1600, height: 1100, padding: 70 } as const;

export async function renderRouteMap(reader: PackReader, days: readonly RouteMapDay[], noMapText: string): Promise<Blob | null> {
  const points = days.flatMap((d) => d.stops);
  const plan = planRouteMap(points, ROUTE_MAP_SIZE, { min: reader.pack.minZoom, max: reader.pack.maxZoom });
  if (!plan) return null;
  const canvas = document.createElement('canvas');
  canvas.width = plan.width;
  canvas.height = plan.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const tiles: BasemapTiles = { reader, online: null, noMapText, isOnline: () => false };
  const tile = document.createElement('canvas');
  tile.width = TILE_PX;
  tile.height = TILE_PX;
  for (const t of plan.tiles) {
    tile.getContext('2d')?.clearRect(0, 0, TILE_PX, TILE_PX);
    await drawTile(tile, { z: plan.z, x: t.x, y: t.y }, tiles);
    ctx.drawImage(tile, t.dx, t.dy);
  }
  // routes under the dots
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  days.forEach((day, i) => {
    if (day.stops.length < 2) return;
    ctx.strokeStyle = ROUTE_DAY_COLOURS[i % ROUTE_DAY_COLOURS.length]!;
    ctx.globalAlpha = 0.85;
    ctx.lineWidth = 8;
    ctx.beginPath();
    day.stops.forEach((s, j) => {
      const at = plan.project(s);
      if (j === 0) ctx.moveTo(at.x, at.y);
      else ctx.lineTo(at.x, at.y);
    });
    ctx.stroke();
  });
  ctx.globalAlpha = 1;
  ctx.font = 'bold 28px "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  days.forEach((day, i) => {
    for (const s of day.stops) {
      const at = plan.project(s);
      ctx.beginPath();
      ctx.arc(at.x, at.y, 24, 0, Math.PI * 2);
      ctx.fillStyle = ROUTE_DAY_COLOURS[i % ROUTE_DAY_COLOURS.length]!;
      ctx.fill();
      ctx.lineWidth = 3;
      ctx.strokeStyle = '#ffffff';
      ctx.stroke();
      ctx.fillStyle = '#ffffff';
      ctx.fillText(s.label, at.x, at.y + 1);
    }
  });
  return new Promise((resolve) => canvas.toBlob((blob) => resolve(blob), 'image/png'));
}
