import { PMTiles } from 'pmtiles';
import { describe, expect, it } from 'vitest';
import { writeTestPmtiles, type TestTile } from '../test-support/pmtiles-test-writer';
import { ChunkSource } from './chunk-source';

/** Tiles whose bytes name them, so a wrong tile can never pass for the right one. */
function tilesAround(z: number, x0: number, y0: number, n: number): TestTile[] {
  const tiles: TestTile[] = [];
  for (let x = x0; x < x0 + n; x++) for (let y = y0; y < y0 + n; y++) tiles.push({ z, x, y, data: new TextEncoder().encode(`tile ${z}/${x}/${y} `.repeat(20)) });
  return tiles;
}

function chunked(bytes: Uint8Array, chunkBytes: number): Blob[] {
  const chunks: Blob[] = [];
  for (let at = 0; at < bytes.length; at += chunkBytes) chunks.push(new Blob([bytes.slice(at, at + chunkBytes)]));
  return chunks;
}

/** A ChunkSource that records what pmtiles asks of it. */
function recordingSource(bytes: Uint8Array, chunkBytes: number) {
  const source = new ChunkSource('test', chunked(bytes, chunkBytes), chunkBytes, bytes.length);
  const reads: { offset: number; length: number }[] = [];
  return {
    reads,
    source: {
      getKey: () => source.getKey(),
      getBytes: (offset: number, length: number) => {
        reads.push({ offset, length });
        return source.getBytes(offset, length);
      },
    },
  };
}

describe('ChunkSource', () => {
  const tiles = [...tilesAround(12, 3400, 1600, 6), ...tilesAround(14, 13600, 6400, 8), { z: 5, x: 26, y: 12, data: new Uint8Array([1, 2, 3]) }];
  const bytes = writeTestPmtiles(tiles, { tileType: 'png' });

  it('serves byte ranges across chunk boundaries, and what there is past the end', async () => {
    const source = new ChunkSource('k', chunked(bytes, 1000), 1000, bytes.length);
    for (const [offset, length] of [
      [0, 10],
      [995, 10],
      [1000, 1000],
      [1999, 2002],
      [bytes.length - 5, 100],
    ] as const) {
      const got = new Uint8Array((await source.getBytes(offset, length)).data);
      expect(got).toEqual(bytes.slice(offset, Math.min(bytes.length, offset + length)));
    }
    expect((await source.getBytes(bytes.length, 10)).data.byteLength).toBe(0);
    expect(() => new ChunkSource('k', chunked(bytes, 1000).slice(1), 1000, bytes.length)).toThrow(/chunks hold/);
  });

  it('lets pmtiles read every tile of a pack stored in chunks, and nothing where there is none', async () => {
    for (const chunkBytes of [257, 4096, 1 << 20]) {
      const { source, reads } = recordingSource(bytes, chunkBytes);
      const archive = new PMTiles(source);
      const header = await archive.getHeader();
      expect([header.minZoom, header.maxZoom, header.numAddressedTiles]).toEqual([5, 14, tiles.length]);
      for (const t of tiles) expect(new Uint8Array((await archive.getZxy(t.z, t.x, t.y))!.data)).toEqual(t.data);
      expect(await archive.getZxy(14, 0, 0)).toBeUndefined();
      expect(await archive.getZxy(18, 0, 0)).toBeUndefined();
      // range reads only: after the header, every read is one tile or one directory
      const tileReads = reads.slice(1);
      expect(Math.max(...tileReads.map((r) => r.length))).toBeLessThan(bytes.length / 4);
    }
  });

  it('reads packs whose directory needs leaves', async () => {
    const many = tilesAround(15, 27000, 12800, 40);
    const withLeaves = writeTestPmtiles(many, { tileType: 'png', leafSize: 100 });
    const archive = new PMTiles(new ChunkSource('leaves', chunked(withLeaves, 65_536), 65_536, withLeaves.length));
    for (const t of [many[0]!, many[777]!, many[many.length - 1]!]) expect(new Uint8Array((await archive.getZxy(t.z, t.x, t.y))!.data)).toEqual(t.data);
    expect(await archive.getZxy(15, 27000, 12799)).toBeUndefined();
  });
});

describe('ChunkSource keeps the chunks read last in memory', () => {
  /** Blobs that count how often their bytes are read. */
  function countingChunks(bytes: Uint8Array, chunkBytes: number) {
    const reads: number[] = [];
    const chunks = chunked(bytes, chunkBytes).map((blob, i) => {
      const read = blob.arrayBuffer.bind(blob);
      return Object.assign(blob, {
        arrayBuffer: () => {
          reads.push(i);
          return read();
        },
      });
    });
    return { chunks, reads };
  }
  const bytes = new Uint8Array(10_000).map((_, i) => i % 251);

  it('reads a chunk once for many tiles in it, also when asked at the same time', async () => {
    const { chunks, reads } = countingChunks(bytes, 1000);
    const source = new ChunkSource('k', chunks, 1000, bytes.length, 3);
    const got = await Promise.all([10, 200, 400, 600].map((offset) => source.getBytes(offset, 50)));
    got.forEach((r, i) => expect(new Uint8Array(r.data)).toEqual(bytes.slice([10, 200, 400, 600][i]!, [10, 200, 400, 600][i]! + 50)));
    expect(reads).toEqual([0]);
  });

  it('drops the least recently used chunk beyond its limit, and reads it again when asked', async () => {
    const { chunks, reads } = countingChunks(bytes, 1000);
    const source = new ChunkSource('k', chunks, 1000, bytes.length, 2);
    await source.getBytes(0, 10); // chunk 0
    await source.getBytes(1000, 10); // chunk 1
    await source.getBytes(5, 10); // chunk 0 again: from memory, now the most recent
    await source.getBytes(2000, 10); // chunk 2: chunk 1 goes
    await source.getBytes(1500, 10); // chunk 1: read again
    expect(reads).toEqual([0, 1, 2, 1]);
    expect(new Uint8Array((await source.getBytes(1990, 20)).data)).toEqual(bytes.slice(1990, 2010));
  });
});
