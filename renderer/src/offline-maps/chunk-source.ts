/**
 * A pmtiles `Source` over a pack stored in chunks: `getBytes(offset, length)` slices the chunk
 * Blobs that hold the range and reads only those bytes. In Chromium (browser and Electron) a Blob
 * read from IndexedDB is backed by a file, so a tile read touches a few kilobytes on disk and the
 * pack is never loaded whole.
 */
import type { RangeResponse, Source } from 'pmtiles';

export class ChunkSource implements Source {
  constructor(
    private readonly key: string,
    private readonly chunks: readonly Blob[],
    private readonly chunkBytes: number,
    private readonly size: number,
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
    const parts: Blob[] = [];
    for (let i = first; i <= last; i++) {
      const chunkStart = i * this.chunkBytes;
      parts.push(this.chunks[i]!.slice(Math.max(0, offset - chunkStart), Math.min(this.chunkBytes, end - chunkStart)));
    }
    const data = parts.length === 1 ? await parts[0]!.arrayBuffer() : await new Blob(parts).arrayBuffer();
    return { data };
  }
}
