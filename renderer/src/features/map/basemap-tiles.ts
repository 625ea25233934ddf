/**
 * Where a map tile comes from, in this order:
 * 1. the tour's offline pack, when it has the tile (read from IndexedDB, no network at all);
 * 2. with a network and an online source the server proxies (GET /api/maps/tiles/…, same
 *    coordinate system as the pack), the live tile;
 * 3. the pack's tile of a lower zoom, enlarged (a blurred map beats none);
 * 4. a plain local tile saying there is no offline map here.
 * Tiles are drawn on a canvas (decoded with createImageBitmap): no <img>, no blob: URL, nothing
 * that is fetched.
 *
 * What must stay true: with no network (navigator.onLine false) step 2 is skipped: no request
 * leaves the page for a tile and nothing waits on one.
 */
import type { MapSource, TilePack } from '@shared/maps/pack-protocol';
import type { PackReader } from '../../offline-maps/pack-reader';
import { mapApiPaths } from '../../offline-maps/map-api-paths';
import { apiUrl } from '../../sync/sync-http';

export interface TileCoords {
  z: number;
  x: number;
  y: number;
}

export type TileSourceKind = 'pack' | 'online' | 'pack-enlarged' | 'none';

export interface OnlineTiles {
  source: MapSource;
  baseUrl: string;
  token: string;
}

export interface BasemapTiles {
  reader: PackReader | null;
  online: OnlineTiles | null;
  /** drawn on tiles where there is no map, in the UI's language */
  noMapText: string;
  isOnline?: () => boolean;
  fetch?: typeof fetch;
}

/** How many zoom levels a pack tile may be enlarged (4 = 16×: beyond that it is a blur). */
const MAX_ENLARGE_LEVELS = 4;
const ONLINE_TILE_TIMEOUT_MS = 8_000;

const mimeOf: Record<TilePack['tileType'], string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

/** Whether the app records tile timings (the map benchmark sets localStorage 'guanmo.mapTiming'). */
function isTiming(): boolean {
  try {
    return globalThis.localStorage?.getItem('guanmo.mapTiming') === '1';
  } catch {
    return false;
  }
}

/** Draws tile `c` on `canvas`; resolves where it came from. */
export async function drawTile(canvas: HTMLCanvasElement, c: TileCoords, tiles: BasemapTiles, signal?: AbortSignal): Promise<TileSourceKind> {
  const ctx = canvas.getContext('2d');
  if (!ctx) return 'none';
  const { reader } = tiles;
  if (reader && c.z >= reader.pack.minZoom && c.z <= reader.pack.maxZoom) {
    const started = performance.now();
    const bytes = await reader.tile(c.z, c.x, c.y, signal);
    if (isTiming()) performance.measure('guanmo:tile-read', { start: started, end: performance.now() });
    if (bytes && (await paint(ctx, canvas, bytes, mimeOf[reader.pack.tileType]))) return 'pack';
  }
  const isOnline = tiles.isOnline ?? (() => globalThis.navigator?.onLine !== false);
  if (tiles.online && isOnline() && c.z >= tiles.online.source.minZoom && c.z <= tiles.online.source.maxZoom) {
    const blob = await fetchOnlineTile(tiles.online, c, tiles.fetch ?? globalThis.fetch.bind(globalThis), signal);
    if (blob && (await paint(ctx, canvas, blob))) return 'online';
  }
  if (reader) {
    for (let up = 1; up <= MAX_ENLARGE_LEVELS && c.z - up >= reader.pack.minZoom; up++) {
      if (c.z - up > reader.pack.maxZoom) continue;
      const bytes = await reader.tile(c.z - up, c.x >> up, c.y >> up, signal);
      if (!bytes) continue;
      const parts = 2 ** up;
      const size = 256 / parts;
      const source = { x: (c.x % parts) * size, y: (c.y % parts) * size, size };
      if (await paint(ctx, canvas, bytes, mimeOf[reader.pack.tileType], source)) return 'pack-enlarged';
    }
  }
  drawNoMap(ctx, canvas, tiles.noMapText);
  return 'none';
}

async function paint(ctx: CanvasRenderingContext2D, canvas: HTMLCanvasElement, bytes: ArrayBuffer | Blob, type?: string, source?: { x: number; y: number; size: number }): Promise<boolean> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(bytes instanceof Blob ? bytes : new Blob([bytes], { type }));
  } catch {
    return false; // not an image: treated as missing
  }
  ctx.imageSmoothingEnabled = true;
  if (source) {
    const scale = bitmap.width / 256;
    ctx.drawImage(bitmap, source.x * scale, source.y * scale, source.size * scale, source.size * scale, 0, 0, canvas.width, canvas.height);
  } else ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return true;
}

async function fetchOnlineTile(online: OnlineTiles, c: TileCoords, fetchFn: typeof fetch, signal?: AbortSignal): Promise<Blob | null> {
  const timeout = AbortSignal.timeout(ONLINE_TILE_TIMEOUT_MS);
  try {
    const response = await fetchFn(apiUrl(online.baseUrl, mapApiPaths.tile(online.source.id, c.z, c.x, c.y)), {
      headers: { authorization: `Bearer ${online.token}` },
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    if (!response.ok) {
      await response.body?.cancel();
      return null;
    }
    return await response.blob();
  } catch {
    return null;
  }
}

/** A plain tile: a light ground, a faint frame and the words, so the user knows why it is empty. */
export function drawNoMap(ctx: CanvasRenderingContext2D, canvas: HTMLCanvasElement, text: string): void {
  ctx.fillStyle = '#eef1f4';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.strokeStyle = '#dde2e8';
  ctx.lineWidth = 1;
  ctx.strokeRect(0.5, 0.5, canvas.width - 1, canvas.height - 1);
  ctx.fillStyle = '#8a95a3';
  ctx.font = '13px "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, canvas.width / 2, canvas.height / 2);
}
