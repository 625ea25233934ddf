/**
 * Imports a tile archive the organisation already has as a tour's pack
 * (`guanmo-server tiles import --tour ID FILE`):
 *
 * - PMTiles v3 with raster tiles (PNG, JPEG, WebP) is checked (header, root directory, one tile
 *   read back with the pmtiles reader) and taken as it is;
 * - MBTiles (SQLite: tables `metadata` and `tiles`) with raster tiles is converted to PMTiles:
 *   rows are TMS (y counted from the south) unless its metadata says `scheme: xyz`.
 *
 * Anything else is refused with a message saying what was found: vector tiles (pbf / MVT: the app
 * draws raster basemaps), PMTiles v2, other files.
 */
import fs from 'node:fs/promises';
import Sqlite from 'better-sqlite3';
import { PMTiles, type Source } from 'pmtiles';
import { tilePackSchema, type TileCoordSystem, type TilePack } from '@shared/maps/pack-protocol';
import { sniffImage } from '@shared/photos/sniff-image';
import { MAX_MERCATOR_LAT, tileBounds, zxyToTileId } from '@shared/maps/tile-math';
import type { PmtilesTileType } from '@shared/maps/pmtiles-writer';
import { PackBuildError } from './pack-builder.js';
import { writePackFile, type OrderedTile } from './pack-file-writer.js';
import { hashFile, type PackFiles, type StoredPack } from './pack-store.js';

export interface PackImportOptions {
  tourId: string;
  /** the manifest's source id ('imported' when not given) */
  sourceId: string;
  coordSystem: TileCoordSystem;
  /** attribution shown on the map; default: the file's own */
  attribution?: string;
  builtBy?: string | null;
}

export interface PackImportResult {
  pack: StoredPack;
  format: 'pmtiles' | 'mbtiles';
}

function refuse(zh: string, en: string): never {
  throw new PackBuildError(422, 'invalid_archive', zh, en);
}

/** PMTiles or MBTiles, by the file's first bytes. */
export async function detectArchive(file: string): Promise<'pmtiles' | 'mbtiles'> {
  const handle = await fs.open(file, 'r').catch((error: NodeJS.ErrnoException) => refuse(`无法打开文件：${error.message}`, `Cannot open the file: ${error.message}`));
  try {
    const head = Buffer.alloc(16);
    await handle.read(head, 0, 16, 0);
    if (head.subarray(0, 7).toString('latin1') === 'PMTiles') return 'pmtiles';
    if (head.toString('latin1') === 'SQLite format 3\0') return 'mbtiles';
  } finally {
    await handle.close();
  }
  refuse('这不是 PMTiles 或 MBTiles 文件。请导入 .pmtiles 或 .mbtiles 格式的栅格底图。', 'This is neither a PMTiles nor an MBTiles file. Import a raster basemap as .pmtiles or .mbtiles.');
}

export async function importPackFile(files: PackFiles, file: string, options: PackImportOptions): Promise<PackImportResult> {
  const format = await detectArchive(file);
  const pack = format === 'pmtiles' ? await importPmtiles(files, file, options) : await importMbtiles(files, file, options);
  return { pack, format };
}

/** A pmtiles Source reading a local file by range. */
class LocalFileSource implements Source {
  constructor(
    private readonly handle: fs.FileHandle,
    private readonly key: string,
  ) {}
  getKey() {
    return this.key;
  }
  async getBytes(offset: number, length: number) {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.handle.read(buffer, 0, length, offset);
    return { data: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + bytesRead) };
  }
}

const rasterTypes: Record<number, PmtilesTileType> = { 2: 'png', 3: 'jpeg', 4: 'webp' };

async function importPmtiles(files: PackFiles, file: string, options: PackImportOptions): Promise<StoredPack> {
  const handle = await fs.open(file, 'r');
  let manifestBase: Omit<TilePack, 'sha256' | 'size' | 'builtAt'>;
  try {
    const version = Buffer.alloc(1);
    await handle.read(version, 0, 1, 7);
    if (version[0] !== 3) refuse(`这是 PMTiles 第 ${version[0]} 版文件，只支持第 3 版。请用 pmtiles convert 转换后再导入。`, `This is a PMTiles version ${version[0]} file; only version 3 is supported. Convert it with pmtiles convert first.`);
    const reader = new PMTiles(new LocalFileSource(handle, file));
    const header = await reader.getHeader().catch((error: Error) => refuse(`PMTiles 文件已损坏：${error.message}`, `The PMTiles file is damaged: ${error.message}`));
    const tileType = rasterTypes[header.tileType];
    if (!tileType) {
      refuse(
        header.tileType === 1 || header.tileType === 6 ? '这是矢量瓦片（MVT）文件。观摩的地图只显示栅格底图（PNG、JPEG、WebP）。' : '文件中的瓦片不是 PNG、JPEG 或 WebP 栅格图像。',
        header.tileType === 1 || header.tileType === 6 ? 'This file holds vector tiles (MVT); the app shows raster basemaps (PNG, JPEG, WebP).' : 'The tiles are not PNG, JPEG or WebP raster images.',
      );
    }
    if (header.tileCompression !== 1 && header.tileCompression !== 0) {
      refuse('文件中的瓦片被再次压缩（gzip 等），浏览器无法直接显示。请导出未压缩的栅格瓦片。', 'The tiles are compressed again (gzip or similar), which browsers cannot show; export uncompressed raster tiles.');
    }
    if (header.numAddressedTiles === 0) refuse('文件中没有任何瓦片。', 'The file holds no tiles.');
    // one tile read back through the directories: the file is what it says
    const centre = await reader.getZxy(header.minZoom, ...tileAt(header.minZoom, (header.minLon + header.maxLon) / 2, (header.minLat + header.maxLat) / 2));
    if (centre && sniffImage(new Uint8Array(centre.data).subarray(0, 32)).kind !== 'supported') refuse('文件中的瓦片不是有效的图像。', 'The tiles are not valid images.');
    const metadata = ((await reader.getMetadata().catch(() => ({}))) ?? {}) as Record<string, unknown>;
    manifestBase = {
      tourId: options.tourId,
      sourceId: options.sourceId,
      coordSystem: options.coordSystem,
      attribution: cleanAttribution(options.attribution ?? (typeof metadata.attribution === 'string' ? metadata.attribution : '')),
      tileType,
      minZoom: header.minZoom,
      maxZoom: header.maxZoom,
      bounds: clampBounds([header.minLon, header.minLat, header.maxLon, header.maxLat]),
      tileCount: header.numAddressedTiles,
    };
  } finally {
    await handle.close();
  }
  const temp = await files.tempPath(`${options.tourId}-import`);
  try {
    await fs.copyFile(file, temp);
    const { sha256, size } = await hashFile(temp);
    const manifest = tilePackSchema.parse({ ...manifestBase, sha256, size, builtAt: new Date().toISOString() });
    return await files.install(temp, manifest, options.builtBy ?? null);
  } finally {
    await fs.rm(temp, { force: true });
  }
}

function tileAt(z: number, lng: number, lat: number): [number, number] {
  const n = 2 ** z;
  const x = Math.min(n - 1, Math.max(0, Math.floor(((lng + 180) / 360) * n)));
  const rad = (Math.max(-MAX_MERCATOR_LAT, Math.min(MAX_MERCATOR_LAT, lat)) * Math.PI) / 180;
  const y = Math.min(n - 1, Math.max(0, Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)));
  return [x, y];
}

const mbtilesFormats: Record<string, PmtilesTileType> = { png: 'png', jpg: 'jpeg', jpeg: 'jpeg', webp: 'webp' };

async function importMbtiles(files: PackFiles, file: string, options: PackImportOptions): Promise<StoredPack> {
  let db: Sqlite.Database;
  try {
    db = new Sqlite(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    refuse(`无法打开 MBTiles 文件：${(error as Error).message}`, `Cannot open the MBTiles file: ${(error as Error).message}`);
  }
  try {
    const objects = new Set((db.prepare("select name from sqlite_master where type in ('table', 'view')").all() as Array<{ name: string }>).map((r) => r.name));
    if (!objects.has('tiles') || !objects.has('metadata')) {
      refuse('这个 SQLite 文件不是 MBTiles：缺少 metadata 或 tiles 表。', 'This SQLite file is not MBTiles: the metadata or tiles table is missing.');
    }
    const columns = new Set((db.prepare('select * from tiles limit 0').columns() as Array<{ name: string }>).map((c) => c.name));
    for (const needed of ['zoom_level', 'tile_column', 'tile_row', 'tile_data']) {
      if (!columns.has(needed)) refuse(`MBTiles 的 tiles 表缺少 ${needed} 列。`, `The MBTiles tiles table has no ${needed} column.`);
    }
    const metadata = new Map((db.prepare('select name, value from metadata').all() as Array<{ name: string; value: string }>).map((r) => [String(r.name).toLowerCase(), String(r.value ?? '')]));
    const declared = metadata.get('format')?.trim().toLowerCase();
    if (declared === 'pbf' || declared === 'mvt') refuse('这是矢量瓦片（pbf）MBTiles。观摩的地图只显示栅格底图（PNG、JPEG、WebP）。', 'This MBTiles holds vector tiles (pbf); the app shows raster basemaps (PNG, JPEG, WebP).');
    if (declared && !mbtilesFormats[declared]) refuse(`MBTiles 的瓦片格式「${declared}」不受支持，只支持 png、jpg、webp。`, `The MBTiles tile format "${declared}" is not supported; only png, jpg and webp are.`);
    const first = db.prepare('select tile_data from tiles limit 1').get() as { tile_data: Buffer } | undefined;
    if (!first) refuse('MBTiles 文件中没有任何瓦片。', 'The MBTiles file holds no tiles.');
    const sniffed = sniffImage(new Uint8Array(first.tile_data).subarray(0, 32));
    if (sniffed.kind !== 'supported') {
      refuse('MBTiles 中的瓦片不是 PNG、JPEG 或 WebP 图像（可能是矢量瓦片或压缩数据）。', 'The MBTiles tiles are not PNG, JPEG or WebP images (vector tiles or compressed data?).');
    }
    const tileType: PmtilesTileType = declared ? mbtilesFormats[declared]! : ({ 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/webp': 'webp' } as const)[sniffed.mime];
    const isXyz = metadata.get('scheme')?.trim().toLowerCase() === 'xyz';

    // every tile's address, in tile id order; the bytes are read one by one as they are written
    const keys = (db.prepare('select zoom_level as z, tile_column as x, tile_row as row from tiles').all() as Array<{ z: number; x: number; row: number }>).map((k) => {
      const y = isXyz ? k.row : 2 ** k.z - 1 - k.row;
      try {
        return { ...k, y, id: zxyToTileId(k.z, k.x, y) };
      } catch {
        return refuse(`MBTiles 中有无效的瓦片坐标 ${k.z}/${k.x}/${k.row}。`, `The MBTiles holds an invalid tile address ${k.z}/${k.x}/${k.row}.`);
      }
    });
    keys.sort((a, b) => a.id - b.id);
    for (let i = 1; i < keys.length; i++) if (keys[i]!.id === keys[i - 1]!.id) refuse('MBTiles 中有重复的瓦片。', 'The MBTiles holds the same tile twice.');
    const read = db.prepare('select tile_data from tiles where zoom_level = ? and tile_column = ? and tile_row = ?');
    function* tiles(): Generator<OrderedTile> {
      for (const k of keys) {
        const row = read.get(k.z, k.x, k.row) as { tile_data: Buffer | null } | undefined;
        if (!row?.tile_data || row.tile_data.length === 0) continue;
        yield { tileId: k.id, z: k.z, bytes: new Uint8Array(row.tile_data) };
      }
    }
    const minZoom = Math.min(...keys.map((k) => k.z));
    const maxZoom = Math.max(...keys.map((k) => k.z));
    const bounds = parseBounds(metadata.get('bounds')) ?? boundsOfTiles(keys.filter((k) => k.z === maxZoom));
    const attribution = cleanAttribution(options.attribution ?? metadata.get('attribution') ?? '');
    const written = await writePackFile(files, `${options.tourId}-import`, tiles(), {
      tileType,
      metadata: { name: metadata.get('name') ?? options.tourId, attribution, description: 'Guanmo tour pack imported from MBTiles', tourId: options.tourId, generator: 'guanmo' },
      bounds,
      center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, minZoom],
    });
    try {
      const manifest = tilePackSchema.parse({
        tourId: options.tourId,
        sourceId: options.sourceId,
        coordSystem: options.coordSystem,
        attribution,
        sha256: written.sha256,
        size: written.summary.totalLength,
        tileType,
        minZoom: written.summary.minZoom,
        maxZoom: written.summary.maxZoom,
        bounds,
        tileCount: written.summary.addressedTiles,
        builtAt: new Date().toISOString(),
      });
      return await files.install(written.path, manifest, options.builtBy ?? null);
    } finally {
      await fs.rm(written.path, { force: true });
    }
  } finally {
    db.close();
  }
}

function parseBounds(text: string | undefined): [number, number, number, number] | null {
  if (!text) return null;
  const parts = text.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return null;
  const [w, s, e, n] = parts as [number, number, number, number];
  if (w >= e || s >= n) return null;
  return clampBounds([w, s, e, n]);
}

function boundsOfTiles(tiles: ReadonlyArray<{ z: number; x: number; y: number }>): [number, number, number, number] {
  let b: [number, number, number, number] = [180, 90, -180, -90];
  for (const t of tiles) {
    const [w, s, e, n] = tileBounds(t.z, t.x, t.y);
    b = [Math.min(b[0], w), Math.min(b[1], s), Math.max(b[2], e), Math.max(b[3], n)];
  }
  return clampBounds(b);
}

function clampBounds([w, s, e, n]: readonly number[]): [number, number, number, number] {
  const c = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));
  return [c(w!, -180, 180), c(s!, -90, 90), c(e!, -180, 180), c(n!, -90, 90)];
}

/** MBTiles attributions are often HTML links: the text only, within the manifest's limit. */
function cleanAttribution(text: string): string {
  return text
    .replace(/<[^>]*>/g, '')
    .replace(/&copy;/gi, '©')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}
