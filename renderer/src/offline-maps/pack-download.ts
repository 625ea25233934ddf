/**
 * Downloads one tour pack (GET /api/tours/:id/tile-pack/file) into IndexedDB, resumably: the bytes
 * are requested from the first one not stored yet (`Range: bytes=N-`), cut into chunks that are
 * stored as they complete (pack-store.ts, with the sha256 so far), and the pack becomes `ready`
 * only when all its bytes hash to its sha256. A download cut by the network, a closed laptop or
 * a reload goes on from the last stored chunk next time.
 *
 * What must stay true:
 * - Bytes of another build never mix into a pack: the server's ETag names the pack's sha256, and
 *   an answer for another hash stops the download (PackChangedError; the caller asks for the
 *   tour's current pack again).
 * - A stalled connection never holds the download forever: no byte for `idleTimeoutMs` aborts it.
 */
import type { TilePack } from '@shared/maps/pack-protocol';
import type { TilePackRecord } from '../db/entities';
import type { GuanmoDb } from '../db/guanmo-db';
import { apiUrl } from '../sync/sync-http';
import { mapApiPaths } from './map-api-paths';
import { appendChunk, beginPack, markReady } from './pack-store';

export interface PackServer {
  fetch: typeof fetch;
  baseUrl: string;
  token: string;
}

export interface DownloadOptions {
  /** after each stored chunk */
  onProgress?: (record: TilePackRecord) => void;
  signal?: AbortSignal;
  /** abort when no byte arrives for this long (default 30 s) */
  idleTimeoutMs?: number;
  now?: () => Date;
  /** bytes per stored chunk of a new download (tests use small ones); default PACK_CHUNK_BYTES */
  chunkBytes?: number;
}

/** The server now serves another build of the tour's pack. */
export class PackChangedError extends Error {
  override readonly name = 'PackChangedError';
}

/** The server refused or could not serve the file (not a network failure). */
export class PackServerError extends Error {
  override readonly name = 'PackServerError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Downloads what is missing of `pack` and verifies it; resolves the ready record. */
export async function downloadPack(db: GuanmoDb, server: PackServer, pack: TilePack, options: DownloadOptions = {}): Promise<TilePackRecord> {
  const now = options.now ?? (() => new Date());
  let record = await beginPack(db, pack, now(), options.chunkBytes);
  if (record.state === 'ready') return record;
  if (record.bytesStored < pack.size) record = await fetchRest(db, server, record, options, now);
  return markReady(db, pack.sha256, now());
}

async function fetchRest(db: GuanmoDb, server: PackServer, start: TilePackRecord, options: DownloadOptions, now: () => Date): Promise<TilePackRecord> {
  const { pack } = start;
  const idle = new AbortController();
  const signal = options.signal ? AbortSignal.any([idle.signal, options.signal]) : idle.signal;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const stillAlive = () => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(new DOMException('no bytes arrived', 'TimeoutError')), idleTimeoutMs);
  };
  let record = start;
  try {
    stillAlive();
    const response = await server.fetch(apiUrl(server.baseUrl, mapApiPaths.packFile(pack.tourId)), {
      headers: { authorization: `Bearer ${server.token}`, range: `bytes=${record.bytesStored}-` },
      signal,
      cache: 'no-store',
    });
    if (response.status !== 206 && response.status !== 200) {
      await response.body?.cancel();
      throw new PackServerError(`the server answered ${response.status} for the map pack`, response.status);
    }
    const etag = response.headers.get('etag');
    if (etag !== null && etag.replace(/^W\//, '').replace(/"/g, '') !== pack.sha256) {
      await response.body?.cancel();
      throw new PackChangedError(`the server now has pack ${etag}, not ${pack.sha256}`);
    }
    // 206 must start where asked; a server that ignores ranges (200) sends everything from byte 0
    let skip = 0;
    if (response.status === 206) {
      const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
      if (!range || Number(range[1]) !== record.bytesStored) throw new PackServerError(`unexpected Content-Range ${response.headers.get('content-range')}`, 206);
    } else skip = record.bytesStored;
    if (!response.body) throw new PackServerError('the answer has no body', response.status);

    const reader = response.body.getReader();
    let buffer = new Uint8Array(record.chunkBytes);
    let filled = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      stillAlive();
      let bytes = value;
      if (skip > 0) {
        const dropped = Math.min(skip, bytes.length);
        skip -= dropped;
        bytes = bytes.subarray(dropped);
      }
      while (bytes.length > 0) {
        const wanted = Math.min(record.chunkBytes, pack.size - record.bytesStored) - filled;
        const take = Math.min(wanted, bytes.length);
        buffer.set(bytes.subarray(0, take), filled);
        filled += take;
        bytes = bytes.subarray(take);
        if (filled === Math.min(record.chunkBytes, pack.size - record.bytesStored)) {
          record = await appendChunk(db, pack.sha256, buffer.subarray(0, filled), now());
          options.onProgress?.(record);
          buffer = new Uint8Array(record.chunkBytes);
          filled = 0;
          if (record.bytesStored === pack.size) {
            await reader.cancel().catch(() => undefined);
            return record;
          }
        }
      }
    }
    // the connection ended early: what is stored stays, the rest comes next time
    throw new TypeError(`the download ended after ${record.bytesStored} of ${pack.size} bytes`);
  } finally {
    clearTimeout(timer);
  }
}
