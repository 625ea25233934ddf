/**
 * Reading tiles from a ready pack: the pmtiles reader over the stored chunks (ChunkSource). One
 * reader per pack for the app's lifetime, so a map opened again starts with the archive's header
 * and directories already parsed (pmtiles caches them).
 */
import { PMTiles } from 'pmtiles';
import type { TilePack } from '@shared/maps/pack-protocol';
import type { TilePackRecord } from '../db/entities';
import type { GuanmoDb } from '../db/guanmo-db';
import { ChunkSource } from './chunk-source';
import { packChunks, touchPack } from './pack-store';

export interface PackReader {
  readonly sha256: string;
  readonly pack: TilePack;
  /** the tile's bytes (PNG, JPEG or WebP as the pack says), or null where the pack has none */
  tile(z: number, x: number, y: number, signal?: AbortSignal): Promise<ArrayBuffer | null>;
}

const readers = new Map<string, Promise<PackReader>>();

/** The reader of a ready pack (shared: opened once per pack). */
export function openPackReader(db: GuanmoDb, record: TilePackRecord): Promise<PackReader> {
  if (record.state !== 'ready') return Promise.reject(new Error(`pack ${record.sha256} is not ready`));
  let reader = readers.get(record.sha256);
  if (!reader) {
    reader = createReader(db, record);
    readers.set(record.sha256, reader);
    // a failed open is not kept: the next map tries again
    reader.catch(() => readers.delete(record.sha256));
    void touchPack(db, record.sha256).catch(() => undefined);
  }
  return reader;
}

/** Drops the reader of a pack that was deleted. */
export function forgetPackReader(sha256: string): void {
  readers.delete(sha256);
}

async function createReader(db: GuanmoDb, record: TilePackRecord): Promise<PackReader> {
  const chunks = await packChunks(db, record);
  const archive = new PMTiles(new ChunkSource(`guanmo-pack:${record.sha256}`, chunks, record.chunkBytes, record.pack.size));
  // reads the header and root directory now, so the first tile does not pay for them
  await archive.getHeader();
  return {
    sha256: record.sha256,
    pack: record.pack,
    async tile(z, x, y, signal) {
      const found = await archive.getZxy(z, x, y, signal);
      return found ? found.data : null;
    },
  };
}
