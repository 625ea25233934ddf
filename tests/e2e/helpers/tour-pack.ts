/**
 * A tour pack made the way the server's builder makes one (TODO for the lead: switch to the tiles
 * engineer's builder once merged): low zooms over the whole area of the tour's stops, high zooms
 * only around each stop, every tile fetched from a tile server over HTTP, written as one PMTiles
 * archive (the minimal test writer, read back by the `pmtiles` package in the app).
 */
import { createHash } from 'node:crypto';
import type { TilePack } from '@shared/maps/pack-protocol';
import { tileOf, writeTestPmtiles, type TestTile } from '../../../renderer/src/test-support/pmtiles-test-writer';

export interface PackPlan {
  /** WGS-84 stop positions */
  points: readonly { lat: number; lng: number }[];
  /** zooms over the whole area */
  lowZooms: readonly [number, number];
  /** zooms around each stop, up to this one */
  maxZoom: number;
  /** tiles around each stop on each high zoom, in each direction */
  reach: number;
}

export function plannedTiles(plan: PackPlan): { z: number; x: number; y: number }[] {
  const wanted = new Map<string, { z: number; x: number; y: number }>();
  const add = (z: number, x: number, y: number) => wanted.set(`${z}/${x}/${y}`, { z, x, y });
  const lats = plan.points.map((p) => p.lat);
  const lngs = plan.points.map((p) => p.lng);
  const [west, east, south, north] = [Math.min(...lngs) - 0.05, Math.max(...lngs) + 0.05, Math.min(...lats) - 0.05, Math.max(...lats) + 0.05];
  for (let z = plan.lowZooms[0]; z <= plan.lowZooms[1]; z++) {
    const nw = tileOf(z, west, north);
    const se = tileOf(z, east, south);
    for (let x = nw.x; x <= se.x; x++) for (let y = nw.y; y <= se.y; y++) add(z, x, y);
  }
  for (let z = plan.lowZooms[1] + 1; z <= plan.maxZoom; z++) {
    for (const p of plan.points) {
      const at = tileOf(z, p.lng, p.lat);
      for (let dx = -plan.reach; dx <= plan.reach; dx++) for (let dy = -plan.reach; dy <= plan.reach; dy++) add(z, at.x + dx, at.y + dy);
    }
  }
  return [...wanted.values()];
}

/** Fetches the planned tiles from `tileServerUrl` (a few at a time) and writes the pack. */
export async function buildTestPack(tourId: string, tileServerUrl: string, plan: PackPlan): Promise<{ bytes: Uint8Array<ArrayBuffer>; pack: TilePack }> {
  const coords = plannedTiles(plan);
  const tiles: TestTile[] = [];
  for (let i = 0; i < coords.length; i += 8) {
    await Promise.all(
      coords.slice(i, i + 8).map(async (c) => {
        const response = await fetch(`${tileServerUrl}/${c.z}/${c.x}/${c.y}.png`);
        if (!response.ok) throw new Error(`tile ${c.z}/${c.x}/${c.y}: ${response.status}`);
        tiles.push({ ...c, data: new Uint8Array(await response.arrayBuffer()) });
      }),
    );
  }
  const lats = plan.points.map((p) => p.lat);
  const lngs = plan.points.map((p) => p.lng);
  const bounds: [number, number, number, number] = [Math.min(...lngs) - 0.05, Math.min(...lats) - 0.05, Math.max(...lngs) + 0.05, Math.max(...lats) + 0.05];
  const bytes = writeTestPmtiles(tiles, { tileType: 'png', bounds });
  return { bytes, pack: describePack(tourId, bytes, { bounds, minZoom: plan.lowZooms[0], maxZoom: plan.maxZoom, tileCount: tiles.length }) };
}

export function describePack(tourId: string, bytes: Uint8Array, facts: { bounds: [number, number, number, number]; minZoom: number; maxZoom: number; tileCount: number }): TilePack {
  return {
    tourId,
    sourceId: 'test-xyz',
    coordSystem: 'wgs84',
    attribution: '测试底图（本机绘制）',
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
    tileType: 'png',
    builtAt: new Date().toISOString(),
    ...facts,
  };
}
