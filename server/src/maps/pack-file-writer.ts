/**
 * Writes a PMTiles file from tiles in tile id order (pack builds, MBTiles imports) into a
 * temporary file of the packs folder, hashing it on the way: the caller installs it
 * (pack-store.ts) or removes it.
 *
 * The tile data goes to a second temporary file as it comes (a pack may be larger than memory
 * should hold), then header + directories + data are joined into the pack file.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import { PmtilesWriter, type PmtilesSummary, type PmtilesWriterOptions } from '@shared/maps/pmtiles-writer';
import type { PackFiles } from './pack-store.js';

export interface OrderedTile {
  /** PMTiles tile id; strictly ascending */
  tileId: number;
  z: number;
  bytes: Uint8Array;
}

export interface WrittenPackFile {
  /** the finished file (temporary name in the packs folder) */
  path: string;
  sha256: string;
  summary: PmtilesSummary;
}

export async function writePackFile(
  files: PackFiles,
  label: string,
  tiles: AsyncIterable<OrderedTile> | Iterable<OrderedTile>,
  options: Omit<PmtilesWriterOptions, 'sink' | 'contentKey'>,
  signal?: AbortSignal,
): Promise<WrittenPackFile> {
  const dataPath = await files.tempPath(`${label}-data`);
  const packPath = await files.tempPath(label);
  let isDone = false;
  try {
    const data = createWriteStream(dataPath);
    const pending: Buffer[] = [];
    const writer = new PmtilesWriter({
      ...options,
      sink: (bytes) => pending.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
      contentKey: (bytes) => createHash('sha256').update(bytes).digest('hex'),
    });
    try {
      for await (const tile of tiles) {
        signal?.throwIfAborted();
        writer.addTileById(tile.tileId, tile.bytes, tile.z);
        for (const chunk of pending.splice(0)) if (!data.write(chunk)) await once(data, 'drain');
      }
    } finally {
      data.end();
      await once(data, 'close');
    }
    const summary = writer.finish();

    const hash = createHash('sha256');
    const out = createWriteStream(packPath);
    hash.update(summary.head);
    out.write(summary.head);
    for await (const chunk of createReadStream(dataPath)) {
      hash.update(chunk as Buffer);
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'close');
    isDone = true;
    return { path: packPath, sha256: hash.digest('hex'), summary };
  } finally {
    await fs.rm(dataPath, { force: true });
    if (!isDone) await fs.rm(packPath, { force: true });
  }
}
