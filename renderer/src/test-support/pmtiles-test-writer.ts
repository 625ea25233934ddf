/**
 * A minimal PMTiles v3 writer for tests and benchmarks (the server's pack builder has its own):
 * header, root directory (leaf directories when the root would not fit the first 16 KiB),
 * optional JSON metadata, tile data. Directories and tiles are stored uncompressed; tiles are in
 * tile-id order (clustered). Read back by the `pmtiles` package in the tests.
 * Spec: github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md
 */
import { zxyToTileId } from 'pmtiles';

export interface TestTile {
  z: number;
  x: number;
  y: number;
  data: Uint8Array;
}

export interface TestPackOptions {
  tileType: 'png' | 'jpeg' | 'webp';
  /** [west, south, east, north]; default: the tiles' extent at their highest zoom */
  bounds?: [number, number, number, number];
  metadata?: Record<string, unknown>;
  /** entries per leaf directory when leaves are needed (tests force small ones) */
  leafSize?: number;
}

const HEADER_BYTES = 127;
const FIRST_READ_BYTES = 16_384;
const TILE_TYPE = { png: 2, jpeg: 3, webp: 4 } as const;
const COMPRESSION_NONE = 1;

interface Entry {
  tileId: number;
  offset: number;
  length: number;
  runLength: number;
}

export function writeTestPmtiles(tiles: readonly TestTile[], options: TestPackOptions): Uint8Array<ArrayBuffer> {
  if (tiles.length === 0) throw new Error('a pack needs at least one tile');
  const sorted = tiles.map((t) => ({ ...t, tileId: zxyToTileId(t.z, t.x, t.y) })).sort((a, b) => a.tileId - b.tileId);
  const entries: Entry[] = [];
  let offset = 0;
  for (const t of sorted) {
    if (entries.length > 0 && entries[entries.length - 1]!.tileId === t.tileId) throw new Error(`tile ${t.z}/${t.x}/${t.y} twice`);
    entries.push({ tileId: t.tileId, offset, length: t.data.length, runLength: 1 });
    offset += t.data.length;
  }
  const tileData = concat(sorted.map((t) => t.data));
  const metadata = new TextEncoder().encode(JSON.stringify(options.metadata ?? {}));

  let root = serializeDirectory(entries);
  let leaves: Uint8Array = new Uint8Array(0);
  if (HEADER_BYTES + root.length > FIRST_READ_BYTES || options.leafSize !== undefined) {
    const leafSize = options.leafSize ?? 4096;
    const leafParts: Uint8Array[] = [];
    const rootEntries: Entry[] = [];
    let leafOffset = 0;
    for (let i = 0; i < entries.length; i += leafSize) {
      const part = serializeDirectory(entries.slice(i, i + leafSize));
      rootEntries.push({ tileId: entries[i]!.tileId, offset: leafOffset, length: part.length, runLength: 0 });
      leafParts.push(part);
      leafOffset += part.length;
    }
    root = serializeDirectory(rootEntries);
    leaves = concat(leafParts);
    if (HEADER_BYTES + root.length > FIRST_READ_BYTES) throw new Error('too many leaves for this test writer');
  }

  const zooms = sorted.map((t) => t.z);
  const minZoom = Math.min(...zooms);
  const maxZoom = Math.max(...zooms);
  const bounds = options.bounds ?? extentOf(sorted.filter((t) => t.z === maxZoom));
  const rootOffset = HEADER_BYTES;
  const metadataOffset = rootOffset + root.length;
  const leafOffset = metadataOffset + metadata.length;
  const dataOffset = leafOffset + leaves.length;

  const header = new Uint8Array(HEADER_BYTES);
  const view = new DataView(header.buffer);
  header.set(new TextEncoder().encode('PMTiles'), 0);
  header[7] = 3;
  const u64 = (at: number, value: number) => {
    view.setUint32(at, value % 2 ** 32, true);
    view.setUint32(at + 4, Math.floor(value / 2 ** 32), true);
  };
  u64(8, rootOffset);
  u64(16, root.length);
  u64(24, metadataOffset);
  u64(32, metadata.length);
  u64(40, leafOffset);
  u64(48, leaves.length);
  u64(56, dataOffset);
  u64(64, tileData.length);
  u64(72, entries.length);
  u64(80, entries.length);
  u64(88, entries.length);
  header[96] = 1; // clustered
  header[97] = COMPRESSION_NONE; // internal
  header[98] = COMPRESSION_NONE; // tiles
  header[99] = TILE_TYPE[options.tileType];
  header[100] = minZoom;
  header[101] = maxZoom;
  const e7 = (at: number, degrees: number) => view.setInt32(at, Math.round(degrees * 1e7), true);
  e7(102, bounds[0]);
  e7(106, bounds[1]);
  e7(110, bounds[2]);
  e7(114, bounds[3]);
  header[118] = minZoom;
  e7(119, (bounds[0] + bounds[2]) / 2);
  e7(123, (bounds[1] + bounds[3]) / 2);
  return concat([header, root, metadata, leaves, tileData]);
}

function serializeDirectory(entries: readonly Entry[]): Uint8Array {
  const bytes: number[] = [];
  const varint = (n: number) => {
    let v = n;
    while (v >= 0x80) {
      bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    bytes.push(v);
  };
  varint(entries.length);
  let lastId = 0;
  for (const e of entries) {
    varint(e.tileId - lastId);
    lastId = e.tileId;
  }
  for (const e of entries) varint(e.runLength);
  for (const e of entries) varint(e.length);
  entries.forEach((e, i) => {
    const previous = entries[i - 1];
    varint(previous && e.offset === previous.offset + previous.length ? 0 : e.offset + 1);
  });
  return new Uint8Array(bytes);
}

function extentOf(tiles: readonly { z: number; x: number; y: number }[]): [number, number, number, number] {
  const z = tiles[0]!.z;
  const xs = tiles.map((t) => t.x);
  const ys = tiles.map((t) => t.y);
  const [west, north] = tileCorner(z, Math.min(...xs), Math.min(...ys));
  const [east, south] = tileCorner(z, Math.max(...xs) + 1, Math.max(...ys) + 1);
  return [west, south, east, north];
}

/** The north-west corner of tile (x, y) at zoom z, [lng, lat] (Web Mercator). */
export function tileCorner(z: number, x: number, y: number): [number, number] {
  const n = 2 ** z;
  const lng = (x / n) * 360 - 180;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
  return [lng, lat];
}

/** The tile (x, y) at zoom z holding (lng, lat) (Web Mercator). */
export function tileOf(z: number, lng: number, lat: number): { x: number; y: number } {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return {
    x: Math.floor(((lng + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n),
  };
}

function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out: Uint8Array<ArrayBuffer> = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
