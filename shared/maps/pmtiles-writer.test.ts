import { PMTiles, zxyToTileId as referenceTileId, tileIdToZxy as referenceZxy, type Source } from 'pmtiles';
import { describe, expect, it, vi } from 'vitest';
import { PmtilesWriter, fnv1a64Key, writePmtilesArchive, type PmtilesTileInput } from './pmtiles-writer';
import { tileIdToZxy, zxyToTileId } from './tile-math';

/** A pmtiles Source over bytes in memory, counting reads. */
class BytesSource implements Source {
  reads = 0;
  constructor(private readonly bytes: Uint8Array) {}
  getKey() {
    return 'memory';
  }
  async getBytes(offset: number, length: number) {
    this.reads++;
    const slice = this.bytes.slice(offset, offset + length);
    return { data: slice.buffer };
  }
}

function tileBytes(label: string, size = 0): Uint8Array {
  const text = new TextEncoder().encode(label);
  const out = new Uint8Array(Math.max(text.length, size));
  out.set(text);
  for (let i = text.length; i < out.length; i++) out[i] = (i * 31 + label.length) & 0xff;
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** A small seeded PRNG, so the test is the same every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('tile ids', () => {
  it('match the PMTiles reference for every tile of low zooms and sampled tiles of high zooms', () => {
    for (let z = 0; z <= 5; z++) {
      for (let x = 0; x < 2 ** z; x++) {
        for (let y = 0; y < 2 ** z; y++) {
          const id = zxyToTileId(z, x, y);
          expect(id).toBe(referenceTileId(z, x, y));
          expect(tileIdToZxy(id)).toEqual({ z, x, y });
        }
      }
    }
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const z = 6 + next(21); // 6..26
      const x = next(2 ** Math.min(z, 30)) % 2 ** z;
      const y = next(2 ** Math.min(z, 30)) % 2 ** z;
      const id = zxyToTileId(z, x, y);
      expect(id).toBe(referenceTileId(z, x, y));
      expect(tileIdToZxy(id)).toEqual({ z, x, y });
      expect(referenceZxy(id)).toEqual([z, x, y]);
    }
  });

  it('refuse what is no tile', () => {
    expect(() => zxyToTileId(3, 8, 0)).toThrow(RangeError);
    expect(() => zxyToTileId(-1, 0, 0)).toThrow(RangeError);
    expect(() => zxyToTileId(2, 1.5, 0)).toThrow(RangeError);
  });
});

describe('PmtilesWriter', () => {
  it('writes an archive the pmtiles reader reads back: tiles, metadata, header', async () => {
    const tiles: PmtilesTileInput[] = [];
    for (let z = 0; z <= 4; z++) for (let x = 0; x < 2 ** z; x++) for (let y = 0; y < 2 ** z; y++) tiles.push({ z, x, y, bytes: tileBytes(`${z}/${x}/${y}`, 40 + z * 10) });
    const { bytes, summary } = writePmtilesArchive(tiles.reverse(), {
      tileType: 'png',
      metadata: { name: '测试 pack', attribution: '© 本单位' },
      bounds: [116.5, 35.1, 119.7, 36.9],
      center: [118, 36, 8],
    });
    expect(summary.addressedTiles).toBe(tiles.length);
    expect(summary.leafDirectories).toBe(0);
    expect(bytes.length).toBe(summary.totalLength);

    const reader = new PMTiles(new BytesSource(bytes));
    const header = await reader.getHeader();
    expect(header).toMatchObject({
      specVersion: 3,
      tileType: 2,
      tileCompression: 1,
      internalCompression: 2,
      clustered: true,
      minZoom: 0,
      maxZoom: 4,
      numAddressedTiles: tiles.length,
      numTileContents: tiles.length,
      minLon: 116.5,
      minLat: 35.1,
      maxLon: 119.7,
      maxLat: 36.9,
      centerZoom: 8,
      centerLon: 118,
      centerLat: 36,
    });
    expect(header.leafDirectoryLength).toBe(0);
    expect(await reader.getMetadata()).toEqual({ name: '测试 pack', attribution: '© 本单位' });
    for (const t of tiles) {
      const got = await reader.getZxy(t.z, t.x, t.y);
      expect(got, `${t.z}/${t.x}/${t.y}`).toBeDefined();
      expect(new Uint8Array(got!.data)).toEqual(t.bytes);
    }
    expect(await reader.getZxy(5, 0, 0)).toBeUndefined();
  });

  it('stores identical tiles once and joins consecutive ones into runs', async () => {
    const sea = tileBytes('sea', 300);
    const tiles: PmtilesTileInput[] = [];
    // z6: the whole zoom is sea except a few land tiles
    for (let x = 0; x < 64; x++) for (let y = 0; y < 64; y++) tiles.push({ z: 6, x, y, bytes: (x + y) % 17 === 0 ? tileBytes(`land ${x}/${y}`, 200) : sea });
    const land = tiles.filter((t) => t.bytes !== sea).length;
    const { bytes, summary } = writePmtilesArchive(tiles, { tileType: 'png', metadata: {} });
    expect(summary.addressedTiles).toBe(64 * 64);
    expect(summary.tileContents).toBe(land + 1);
    // runs of sea between land tiles: far fewer entries than tiles
    expect(summary.tileEntries).toBeLessThan(land * 2 + 2);
    expect(summary.tileDataLength).toBe(300 + tiles.filter((t) => t.bytes !== sea).reduce((s, t) => s + t.bytes.length, 0));

    const reader = new PMTiles(new BytesSource(bytes));
    const header = await reader.getHeader();
    expect(header.numTileContents).toBe(land + 1);
    expect(header.numTileEntries).toBe(summary.tileEntries);
    const wrong: string[] = [];
    for (const t of tiles) {
      const got = await reader.getZxy(t.z, t.x, t.y);
      if (!got || !sameBytes(new Uint8Array(got.data), t.bytes)) wrong.push(`${t.z}/${t.x}/${t.y}`);
    }
    expect(wrong).toEqual([]);
  });

  it('puts the entries of a big pack (>16k tiles) in leaf directories the reader follows', async () => {
    // 20 000 distinct tiles of random sizes scattered over z14, as a pack's stops and routes
    // scatter them (random gaps between tile ids and random lengths: a directory that does not
    // compress into the first 16 KiB)
    const random = mulberry32(42);
    const picked = new Map<number, PmtilesTileInput>();
    while (picked.size < 20_000) {
      const x = 13_000 + Math.floor(random() * 600);
      const y = 6_000 + Math.floor(random() * 600);
      const id = zxyToTileId(14, x, y);
      if (!picked.has(id)) picked.set(id, { z: 14, x, y, bytes: tileBytes(`${x}:${y}`, 100 + Math.floor(random() * 800)) });
    }
    const tiles = [...picked.values()];
    const { bytes, summary } = writePmtilesArchive(tiles, { tileType: 'jpeg', metadata: { name: 'big' } });
    expect(summary.addressedTiles).toBe(20_000);
    expect(summary.leafDirectories).toBeGreaterThan(1);
    const source = new BytesSource(bytes);
    const reader = new PMTiles(source);
    const header = await reader.getHeader();
    expect(header.leafDirectoryLength).toBeGreaterThan(0);
    expect(header.rootDirectoryOffset + header.rootDirectoryLength).toBeLessThanOrEqual(16_384);
    expect(header.tileType).toBe(3);
    // every tile, through the leaves
    const wrong: string[] = [];
    for (const t of tiles) {
      const got = await reader.getZxy(t.z, t.x, t.y);
      if (!got || !sameBytes(new Uint8Array(got.data), t.bytes)) wrong.push(`${t.z}/${t.x}/${t.y}`);
    }
    expect(wrong).toEqual([]);
    // tiles between and beside the picked ones are absent
    let absent = 0;
    for (let x = 13_000; x < 13_050; x++) {
      const id = zxyToTileId(14, x, 6_000);
      if (!picked.has(id)) {
        expect(await reader.getZxy(14, x, 6_000)).toBeUndefined();
        absent++;
      }
    }
    expect(absent).toBeGreaterThan(0);
    expect(await reader.getZxy(14, 12_999, 6_000)).toBeUndefined();
  });

  it('writes the same bytes for the same tiles, whenever it runs (the sha256 names the pack)', () => {
    const tiles = [0, 1, 2].flatMap((z) => Array.from({ length: 4 ** z }, (_, i) => ({ z, x: i % 2 ** z, y: Math.floor(i / 2 ** z), bytes: tileBytes(`${z}:${i}`, 50) })));
    vi.useFakeTimers();
    try {
      vi.setSystemTime(new Date('2021-04-21T08:00:00Z'));
      const first = writePmtilesArchive(tiles, { tileType: 'png', metadata: { name: 'a' } }).bytes;
      vi.setSystemTime(new Date('2026-01-01T12:34:56Z'));
      const second = writePmtilesArchive([...tiles].reverse(), { tileType: 'png', metadata: { name: 'a' } }).bytes;
      expect(sameBytes(first, second)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses tiles out of order and empty tiles', () => {
    const writer = new PmtilesWriter({ tileType: 'png', metadata: {}, sink: () => {} });
    writer.addTile(1, 0, 0, tileBytes('a'));
    expect(() => writer.addTile(0, 0, 0, tileBytes('b'))).toThrow(/ascending/);
    expect(() => writer.addTile(1, 1, 1, new Uint8Array(0))).toThrow(/empty/);
  });

  it('writes an empty archive readers accept', async () => {
    const { bytes, summary } = writePmtilesArchive([], { tileType: 'png', metadata: {} });
    expect(summary.addressedTiles).toBe(0);
    const reader = new PMTiles(new BytesSource(bytes));
    expect((await reader.getHeader()).numAddressedTiles).toBe(0);
  });
});

describe('fnv1a64Key', () => {
  it('tells different contents apart and equal contents together', () => {
    const a = tileBytes('a', 1000);
    const b = a.slice();
    b[999] = b[999]! ^ 1;
    expect(fnv1a64Key(a)).toBe(fnv1a64Key(a.slice()));
    expect(fnv1a64Key(a)).not.toBe(fnv1a64Key(b));
    // the 64-bit FNV-1a of "a" is af63dc4c8601ec8c
    expect(fnv1a64Key(new TextEncoder().encode('a'))).toBe('1:af63dc4c:8601ec8c');
  });
});
