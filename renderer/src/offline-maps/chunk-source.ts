/**
 * A pmtiles `Source` over a pack stored in chunks: `getBytes(offset, length)` returns the bytes
 * of the chunk Blobs that hold the range. In Chromium (browser and Electron) a Blob read from
 * IndexedDB is backed by a file, so the pack is never loaded whole.
 *
 * The few chunks read last are kept in memory (CACHED_CHUNKS, least recently used dropped):
 * a map asks for 20–40 neighbouring tiles at once, and the pack stores neighbours next to each
 * other (PMTiles' clustered Hilbert order), so most of them are a slice of a chunk already read
 * instead of a Blob read each — which queued up behind one another is what made reads slow.
 */
import type { RangeResponse, Source } from 'pmtiles';

/** Chunks kept in memory per open pack (with 1 MiB chunks: at most 8 MiB). */
export const CACHED_CHUNKS = 8;

export class ChunkSource implements Source {
  private readonly cache = new Map<number, Promise<ArrayBuffer>>();

  constructor(
    private readonly key: string,
    private readonly chunks: readonly Blob[],
    private readonly chunkBytes: number,
    private readonly size: number,
    private readonly cachedChunks = CACHED_CHUNKS,
  ) {
    const stored = chunks.reduce((sum, c) => sum + c.size, 0);
    if (stored !== size) throw new Error(`the chunks hold ${stored} bytes, the pack ${size}`);
  }

  getKey(): string {
    return this.key;
  }

  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    // pmtiles asks for the first 16 KiB of a small archive too: read what there is
    const end = Math.min(offset + length, this.size);
    if (offset < 0 || offset >= end) return { data: new ArrayBuffer(0) };
    const first = Math.floor(offset / this.chunkBytes);
    const last = Math.floor((end - 1) / this.chunkBytes);
    const data = new Uint8Array(end - offset);
    for (let i = first; i <= last; i++) {
      const chunkStart = i * this.chunkBytes;
      const chunk = new Uint8Array(await this.chunk(i));
      const from = Math.max(0, offset - chunkStart);
      const to = Math.min(chunk.length, end - chunkStart);
      data.set(chunk.subarray(from, to), chunkStart + from - offset);
    }
    return { data: data.buffer };
  }

  /** Chunk i's bytes: from memory when read lately (a read under way is shared), else from its Blob. */
  private chunk(i: number): Promise<ArrayBuffer> {
    let bytes = this.cache.get(i);
    if (bytes) {
      // most recently used last
      this.cache.delete(i);
    } else {
      bytes = this.chunks[i]!.arrayBuffer();
      // a failed read is not kept
      bytes.catch(() => this.cache.delete(i));
    }
    this.cache.set(i, bytes);
    while (this.cache.size > this.cachedChunks) this.cache.delete(this.cache.keys().next().value!);
    return bytes;
  }
}
