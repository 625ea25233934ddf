/**
 * Tour packs on disk and in the database.
 *
 * Files: `<data folder>/tile-packs/<tourId>-<sha256>.pmtiles`, immutable (the hash names the
 * bytes). The database row (tile_packs) says which file is a tour's current pack, with its
 * manifest.
 *
 * What must stay true:
 * - Replacing a pack is atomic: the new file is complete and in place before the row points at
 *   it; readers see the old pack or the new one, never a mix.
 * - An old file goes once unused: at once when no download of it is running in this process,
 *   else when the last one ends. (Another process's download keeps its open file on Linux and
 *   macOS; on Windows the removal fails and `sweepUnusedPacks` takes the file later.)
 * - A file nobody references (a crash between writing and recording it) is swept.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { tilePackSchema, type TilePack } from '@shared/maps/pack-protocol';
import type { Database } from '../db/schema.js';

export const tilePacksDirName = 'tile-packs';

export function tilePacksDir(dataDir: string): string {
  return path.join(dataDir, tilePacksDirName);
}

export function packFileName(tourId: string, sha256: string): string {
  return `${tourId}-${sha256}.pmtiles`;
}

export interface StoredPack {
  tourId: string;
  sha256: string;
  fileName: string;
  size: number;
  manifest: TilePack;
  builtAt: string;
  builtBy: string | null;
}

function rowToPack(row: Database['tile_packs']): StoredPack {
  return {
    tourId: row.tour_id,
    sha256: row.sha256,
    fileName: row.file_name,
    size: Number(row.size),
    manifest: tilePackSchema.parse(JSON.parse(row.manifest)),
    builtAt: row.built_at,
    builtBy: row.built_by,
  };
}

export async function getPack(db: Kysely<Database>, tourId: string): Promise<StoredPack | null> {
  const row = await db.selectFrom('tile_packs').selectAll().where('tour_id', '=', tourId).executeTakeFirst();
  return row ? rowToPack(row) : null;
}

export async function listPacks(db: Kysely<Database>): Promise<StoredPack[]> {
  const rows = await db.selectFrom('tile_packs').selectAll().orderBy('built_at', 'desc').execute();
  return rows.map(rowToPack);
}

/** sha256 (hex) and size of a file, read as a stream. */
export async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * The pack files of this process: which are being read (downloads), and the removal of the old
 * ones once unused. One per server (and one per CLI run).
 */
export class PackFiles {
  private readonly readers = new Map<string, number>();
  private readonly pendingRemoval = new Set<string>();

  constructor(
    readonly dataDir: string,
    private readonly db: Kysely<Database>,
  ) {}

  get dir(): string {
    return tilePacksDir(this.dataDir);
  }

  pathOf(fileName: string): string {
    return path.join(this.dir, fileName);
  }

  /** A new temporary file name in the packs folder (same file system: the final rename is atomic). */
  async tempPath(label: string): Promise<string> {
    await fs.mkdir(this.dir, { recursive: true });
    return path.join(this.dir, `.tmp-${label}-${process.pid}-${randomBytes(6).toString('hex')}`);
  }

  /** Marks a file as being read until the returned function is called. */
  openReader(fileName: string): () => void {
    this.readers.set(fileName, (this.readers.get(fileName) ?? 0) + 1);
    let isClosed = false;
    return () => {
      if (isClosed) return;
      isClosed = true;
      const left = (this.readers.get(fileName) ?? 1) - 1;
      if (left > 0) {
        this.readers.set(fileName, left);
        return;
      }
      this.readers.delete(fileName);
      if (this.pendingRemoval.has(fileName)) void this.removeIfUnused(fileName);
    };
  }

  /**
   * Makes the finished file at `tempFile` the tour's current pack: renames it to its final name,
   * records it, and removes the pack it replaces once that is unused.
   */
  async install(tempFile: string, manifest: TilePack, builtBy: string | null): Promise<StoredPack> {
    const pack = tilePackSchema.parse(manifest);
    const fileName = packFileName(pack.tourId, pack.sha256);
    const finalPath = this.pathOf(fileName);
    await fs.rename(tempFile, finalPath);
    const previous = await getPack(this.db, pack.tourId);
    const row = {
      tour_id: pack.tourId,
      sha256: pack.sha256,
      file_name: fileName,
      size: pack.size,
      manifest: JSON.stringify(pack),
      built_at: pack.builtAt,
      built_by: builtBy,
    };
    await this.db
      .insertInto('tile_packs')
      .values(row)
      .onConflict((oc) => oc.column('tour_id').doUpdateSet({ sha256: row.sha256, file_name: row.file_name, size: row.size, manifest: row.manifest, built_at: row.built_at, built_by: row.built_by }))
      .execute();
    if (previous && previous.fileName !== fileName) {
      this.pendingRemoval.add(previous.fileName);
      await this.removeIfUnused(previous.fileName);
    }
    return (await getPack(this.db, pack.tourId))!;
  }

  /** Removes a tour's pack (the tour was deleted). */
  async remove(tourId: string): Promise<boolean> {
    const previous = await getPack(this.db, tourId);
    if (!previous) return false;
    await this.db.deleteFrom('tile_packs').where('tour_id', '=', tourId).execute();
    this.pendingRemoval.add(previous.fileName);
    await this.removeIfUnused(previous.fileName);
    return true;
  }

  private async removeIfUnused(fileName: string): Promise<void> {
    if (this.readers.has(fileName)) return;
    const stillCurrent = await this.db.selectFrom('tile_packs').select('tour_id').where('file_name', '=', fileName).executeTakeFirst();
    this.pendingRemoval.delete(fileName);
    if (stillCurrent) return;
    await fs.rm(this.pathOf(fileName), { force: true }).catch(() => {
      // Windows: another process still has it open; the next sweep takes it
    });
  }

  /**
   * Removes pack files no row references and no download here reads, and temporary files left
   * by builds that died more than a day ago. Returns the names removed.
   */
  async sweepUnusedPacks(now = Date.now()): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const referenced = new Set((await this.db.selectFrom('tile_packs').select('file_name').execute()).map((r) => r.file_name));
    const removed: string[] = [];
    for (const name of names) {
      const full = this.pathOf(name);
      if (name.startsWith('.tmp-')) {
        const stat = await fs.stat(full).catch(() => null);
        if (stat && now - stat.mtimeMs > 24 * 3600_000) {
          await fs.rm(full, { force: true }).catch(() => {});
          removed.push(name);
        }
        continue;
      }
      if (!name.endsWith('.pmtiles') || referenced.has(name) || this.readers.has(name)) continue;
      await fs.rm(full, { force: true }).catch(() => {});
      removed.push(name);
    }
    return removed;
  }
}
