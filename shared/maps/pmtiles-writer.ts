/**
 * A PMTiles v3 writer (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md), pure
 * TypeScript: the server writes tour packs with it, and anything else may.
 *
 * Layout written: header (127 bytes) | root directory | JSON metadata | leaf directories | tile data.
 *
 * - Clustered: tiles are added in ascending tile id, and the data section holds each distinct
 *   content once, in the order of its first tile.
 * - Deduplicated: a tile whose content was seen before points at the earlier bytes (blank sea
 *   tiles, "no data" tiles); consecutive tile ids with the same content become one entry with a
 *   run length.
 * - Directories are gzip'd (fflate). When the root directory would not fit in the first 16 KiB
 *   beside the header (readers fetch those bytes first), entries go to leaf directories and the
 *   root lists the leaves.
 *
 * The tile data may be far larger than memory should hold: `addTile` hands each new content to a
 * sink (the server appends it to a temporary file) and keeps only the offsets. `finish` returns the
 * bytes that go before the data. `writePmtilesArchive` does both in memory for small archives.
 */
import { gzipSync, strToU8 } from 'fflate';
import { MAX_TILE_ZOOM, zxyToTileId } from './tile-math';

export type PmtilesTileType = 'png' | 'jpeg' | 'webp';

const tileTypeCode: Record<PmtilesTileType, number> = { png: 2, jpeg: 3, webp: 4 };

/** PMTiles compression codes */
const COMPRESSION_NONE = 1;
const COMPRESSION_GZIP = 2;

/** gzip without a modification time: the same tiles always make the same bytes (and sha256) */
const deterministic = { mtime: 0 } as const;

export const PMTILES_HEADER_BYTES = 127;
/** Readers fetch the first 16 KiB: header plus root directory must fit. */
export const PMTILES_ROOT_BUDGET = 16_384;

export interface PmtilesEntry {
  tileId: number;
  /** offset in the tile data section (tiles) or the leaf directory section (leaves) */
  offset: number;
  length: number;
  /** tiles: how many consecutive tile ids share this content; 0 = a leaf directory */
  runLength: number;
}

export interface PmtilesWriterOptions {
  tileType: PmtilesTileType;
  /** stored as the archive's JSON metadata (name, attribution, …) */
  metadata: Record<string, unknown>;
  /** [west, south, east, north]; default: the world */
  bounds?: readonly [number, number, number, number];
  /** [lng, lat, zoom]; default: the middle of the bounds at the lowest zoom */
  center?: readonly [number, number, number];
  /** receives each distinct tile content once, in the order of the data section */
  sink: (bytes: Uint8Array) => void;
  /**
   * How tiles are compared for deduplication: a strong digest of the bytes (the server passes
   * sha256). Default: a 64-bit FNV-1a of the bytes with their length, enough for the few
   * thousand distinct tiles of a pack.
   */
  contentKey?: (bytes: Uint8Array) => string;
}

export interface PmtilesSummary {
  /** the bytes before the tile data: header, root directory, metadata, leaf directories */
  head: Uint8Array;
  tileDataLength: number;
  /** head + tile data */
  totalLength: number;
  addressedTiles: number;
  tileEntries: number;
  tileContents: number;
  leafDirectories: number;
  minZoom: number;
  maxZoom: number;
}

export class PmtilesWriter {
  private readonly entries: PmtilesEntry[] = [];
  private readonly offsets = new Map<string, { offset: number; length: number }>();
  private dataLength = 0;
  private addressed = 0;
  private lastTileId = -1;
  private minZoom = Infinity;
  private maxZoom = -Infinity;
  private isFinished = false;

  constructor(private readonly options: PmtilesWriterOptions) {}

  /** Adds a tile; tiles must come in strictly ascending tile id (sort by `zxyToTileId`). */
  addTile(z: number, x: number, y: number, bytes: Uint8Array): void {
    this.addTileById(zxyToTileId(z, x, y), bytes, z);
  }

  addTileById(tileId: number, bytes: Uint8Array, zoom?: number): void {
    if (this.isFinished) throw new Error('PmtilesWriter: addTile after finish');
    if (tileId <= this.lastTileId) throw new Error(`PmtilesWriter: tiles must be added in ascending tile id (${tileId} after ${this.lastTileId})`);
    if (bytes.length === 0) throw new Error('PmtilesWriter: an empty tile is no tile; leave it out');
    this.lastTileId = tileId;
    const z = zoom ?? zoomOfTileId(tileId);
    this.minZoom = Math.min(this.minZoom, z);
    this.maxZoom = Math.max(this.maxZoom, z);
    this.addressed++;

    const key = (this.options.contentKey ?? fnv1a64Key)(bytes);
    let place = this.offsets.get(key);
    if (!place) {
      place = { offset: this.dataLength, length: bytes.length };
      this.offsets.set(key, place);
      this.options.sink(bytes);
      this.dataLength += bytes.length;
    }
    const last = this.entries[this.entries.length - 1];
    // the previous tile id with the same content: extend its run instead of a new entry
    if (last && last.offset === place.offset && last.length === place.length && last.tileId + last.runLength === tileId) {
      last.runLength++;
      return;
    }
    this.entries.push({ tileId, offset: place.offset, length: place.length, runLength: 1 });
  }

  /** The bytes that go before the tile data (everything but the tiles). */
  finish(): PmtilesSummary {
    if (this.isFinished) throw new Error('PmtilesWriter: finish called twice');
    this.isFinished = true;
    const metadata = gzipSync(strToU8(JSON.stringify(this.options.metadata)), deterministic);
    const { root, leaves, leafCount } = buildDirectories(this.entries, PMTILES_ROOT_BUDGET - PMTILES_HEADER_BYTES);
    const minZoom = Number.isFinite(this.minZoom) ? this.minZoom : 0;
    const maxZoom = Number.isFinite(this.maxZoom) ? this.maxZoom : 0;
    const bounds = this.options.bounds ?? [-180, -85.05112878, 180, 85.05112878];
    const center = this.options.center ?? [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, minZoom];

    const rootOffset = PMTILES_HEADER_BYTES;
    const metadataOffset = rootOffset + root.length;
    const leafOffset = metadataOffset + metadata.length;
    const dataOffset = leafOffset + leaves.length;
    const header = new Uint8Array(PMTILES_HEADER_BYTES);
    const view = new DataView(header.buffer);
    header.set(strToU8('PMTiles'), 0);
    view.setUint8(7, 3);
    const u64 = (at: number, value: number) => view.setBigUint64(at, BigInt(value), true);
    u64(8, rootOffset);
    u64(16, root.length);
    u64(24, metadataOffset);
    u64(32, metadata.length);
    u64(40, leafOffset);
    u64(48, leaves.length);
    u64(56, dataOffset);
    u64(64, this.dataLength);
    u64(72, this.addressed);
    u64(80, this.entries.length);
    u64(88, this.offsets.size);
    view.setUint8(96, 1); // clustered
    view.setUint8(97, COMPRESSION_GZIP);
    // PNG, JPEG and WebP are compressed already: the tiles are stored as they are
    view.setUint8(98, COMPRESSION_NONE);
    view.setUint8(99, tileTypeCode[this.options.tileType]);
    view.setUint8(100, minZoom);
    view.setUint8(101, maxZoom);
    const e7 = (at: number, degrees: number) => view.setInt32(at, Math.round(degrees * 1e7), true);
    e7(102, bounds[0]);
    e7(106, bounds[1]);
    e7(110, bounds[2]);
    e7(114, bounds[3]);
    view.setUint8(118, Math.max(0, Math.min(255, Math.round(center[2]))));
    e7(119, center[0]);
    e7(123, center[1]);

    const head = concatBytes([header, root, metadata, leaves]);
    return {
      head,
      tileDataLength: this.dataLength,
      totalLength: head.length + this.dataLength,
      addressedTiles: this.addressed,
      tileEntries: this.entries.length,
      tileContents: this.offsets.size,
      leafDirectories: leafCount,
      minZoom,
      maxZoom,
    };
  }
}

export interface PmtilesTileInput {
  z: number;
  x: number;
  y: number;
  bytes: Uint8Array;
}

/** A whole archive in memory (tests, small imports): tiles in any order, duplicates of z/x/y refused. */
export function writePmtilesArchive(tiles: Iterable<PmtilesTileInput>, options: Omit<PmtilesWriterOptions, 'sink'>): { bytes: Uint8Array; summary: PmtilesSummary } {
  const sorted = [...tiles].map((t) => ({ id: zxyToTileId(t.z, t.x, t.y), t })).sort((a, b) => a.id - b.id);
  const data: Uint8Array[] = [];
  const writer = new PmtilesWriter({ ...options, sink: (bytes) => data.push(bytes) });
  for (const { id, t } of sorted) writer.addTileById(id, t.bytes, t.z);
  const summary = writer.finish();
  return { bytes: concatBytes([summary.head, ...data]), summary };
}

/**
 * Root and leaf directories. All entries in the root when it fits the budget; otherwise leaves of
 * `leafSize` entries (4096 first, doubled until the root of leaves fits), as the reference writers do.
 */
export function buildDirectories(entries: readonly PmtilesEntry[], rootBudget: number): { root: Uint8Array; leaves: Uint8Array; leafCount: number } {
  const whole = gzipSync(serializeDirectory(entries), deterministic);
  if (whole.length <= rootBudget) return { root: whole, leaves: new Uint8Array(0), leafCount: 0 };
  for (let leafSize = 4096; ; leafSize *= 2) {
    const rootEntries: PmtilesEntry[] = [];
    const leafParts: Uint8Array[] = [];
    let offset = 0;
    for (let i = 0; i < entries.length; i += leafSize) {
      const chunk = entries.slice(i, i + leafSize);
      const leaf = gzipSync(serializeDirectory(chunk), deterministic);
      rootEntries.push({ tileId: chunk[0]!.tileId, offset, length: leaf.length, runLength: 0 });
      leafParts.push(leaf);
      offset += leaf.length;
    }
    const root = gzipSync(serializeDirectory(rootEntries), deterministic);
    if (root.length <= rootBudget) return { root, leaves: concatBytes(leafParts), leafCount: leafParts.length };
  }
}

/** The spec's directory encoding: count, then tile id deltas, run lengths, lengths, offsets as varints. */
export function serializeDirectory(entries: readonly PmtilesEntry[]): Uint8Array {
  const out = new VarintBuffer();
  out.write(entries.length);
  let lastId = 0;
  for (const e of entries) {
    out.write(e.tileId - lastId);
    lastId = e.tileId;
  }
  for (const e of entries) out.write(e.runLength);
  for (const e of entries) out.write(e.length);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const prev = entries[i - 1];
    // 0 = right after the previous entry's bytes; otherwise offset + 1
    out.write(i > 0 && prev && e.offset === prev.offset + prev.length ? 0 : e.offset + 1);
  }
  return out.bytes();
}

class VarintBuffer {
  private buffer = new Uint8Array(1024);
  private length = 0;

  write(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint out of range: ${value}`);
    if (this.length + 10 > this.buffer.length) {
      const next = new Uint8Array(this.buffer.length * 2);
      next.set(this.buffer);
      this.buffer = next;
    }
    let v = value;
    while (v >= 0x80) {
      this.buffer[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buffer[this.length++] = v;
  }

  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

function zoomOfTileId(tileId: number): number {
  let z = 0;
  while (z < MAX_TILE_ZOOM && (4 ** (z + 1) - 1) / 3 <= tileId) z++;
  return z;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, p) => sum + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** FNV-1a, 64-bit (as two 32-bit halves), with the length: a content key without Node's crypto. */
export function fnv1a64Key(bytes: Uint8Array): string {
  // offset basis 0xcbf29ce484222325, prime 2^40 + 0x1b3
  let lo = 0x84222325;
  let hi = 0xcbf29ce4;
  for (let i = 0; i < bytes.length; i++) {
    lo = (lo ^ bytes[i]!) >>> 0;
    const low = lo * 0x1b3; // < 2^41: exact
    const high = hi * 0x1b3 + lo * 0x100 + Math.floor(low / 0x100000000); // < 2^50: exact
    lo = low % 0x100000000;
    hi = high % 0x100000000;
  }
  return `${bytes.length}:${hi.toString(16)}:${lo.toString(16)}`;
}
