/**
 * Tiles fetched from upstream, on disk under `<data folder>/tile-cache/<source>-<fingerprint>/z/x/y.<ext>`:
 * the tile proxy answers from it, and a pack build that was interrupted continues from it
 * (a re-run fetches only the tiles it does not hold yet).
 *
 * - `y.none` records that the upstream has no tile there (404), so neither asks again.
 * - Entries older than `maxAgeMs` count as absent (basemaps change: new roads, new districts).
 * - Writes go to a temporary file renamed into place: a reader never sees half a tile, and a
 *   build killed mid-write leaves no broken tile behind.
 *
 * Several server processes may share the data folder: a rename is atomic, and two processes
 * writing the same tile write the same bytes.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { StoredImageMime } from '@shared/photos/sniff-image';
import type { ConfiguredSource } from './map-sources.js';
import type { TileImage } from './tile-upstream.js';

export const tileCacheDirName = 'tile-cache';
/** 30 days: basemaps change slowly, and a tour is prepared weeks before it runs */
export const defaultTileCacheMaxAgeMs = 30 * 24 * 3600_000;

const extOf: Record<StoredImageMime, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };
const mimeOf: Record<string, StoredImageMime> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' };

export type CachedTile = { kind: 'tile'; tile: TileImage } | { kind: 'none' };

export class TileCache {
  constructor(
    readonly root: string,
    private readonly maxAgeMs = defaultTileCacheMaxAgeMs,
  ) {}

  static inDataDir(dataDir: string, maxAgeMs?: number): TileCache {
    return new TileCache(path.join(dataDir, tileCacheDirName), maxAgeMs);
  }

  private dirOf(source: ConfiguredSource, z: number, x: number): string {
    return path.join(this.root, `${source.id}-${source.fingerprint}`, String(z), String(x));
  }

  /** The cached tile, `none`, or null when not cached (or too old). */
  async get(source: ConfiguredSource, z: number, x: number, y: number, now = Date.now()): Promise<CachedTile | null> {
    const dir = this.dirOf(source, z, x);
    for (const ext of [...new Set(Object.values(extOf)), 'none']) {
      const file = path.join(dir, `${y}.${ext}`);
      let stat;
      try {
        stat = await fs.stat(file);
      } catch {
        continue;
      }
      if (now - stat.mtimeMs > this.maxAgeMs) return null;
      if (ext === 'none') return { kind: 'none' };
      try {
        const bytes = new Uint8Array(await fs.readFile(file));
        if (bytes.length === 0) return null;
        return { kind: 'tile', tile: { bytes, mime: mimeOf[ext]! } };
      } catch {
        return null;
      }
    }
    return null;
  }

  /** Whether a fresh entry exists, without reading it (resume counts). */
  async has(source: ConfiguredSource, z: number, x: number, y: number, now = Date.now()): Promise<boolean> {
    return (await this.get(source, z, x, y, now)) !== null;
  }

  async put(source: ConfiguredSource, z: number, x: number, y: number, entry: CachedTile): Promise<void> {
    const dir = this.dirOf(source, z, x);
    await fs.mkdir(dir, { recursive: true });
    const ext = entry.kind === 'none' ? 'none' : extOf[entry.tile.mime];
    const file = path.join(dir, `${y}.${ext}`);
    const temp = path.join(dir, `.${y}.${randomBytes(6).toString('hex')}.tmp`);
    await fs.writeFile(temp, entry.kind === 'none' ? new Uint8Array(0) : entry.tile.bytes);
    await fs.rename(temp, file);
    // a tile that changed format upstream: the older file must not shadow the new one
    for (const other of [...new Set(Object.values(extOf)), 'none']) {
      if (other !== ext) await fs.rm(path.join(dir, `${y}.${other}`), { force: true });
    }
  }
}
