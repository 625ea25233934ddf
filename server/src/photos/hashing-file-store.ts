/**
 * The tus FileStore, hashing the bytes of each upload as they are written (one pass over the
 * bytes instead of writing them and reading the finished file back to hash it).
 *
 * node:crypto Hash state cannot be saved to disk, so the running hash lives in memory, keyed by
 * upload id together with the offset it has covered. A write continues that hash only when it
 * starts exactly at that offset; otherwise (a resume after a server restart, an upload whose
 * previous chunk another process wrote, a write that failed midway) the already-written prefix
 * is hashed from disk once and the upload goes on incrementally from there.
 *
 * What must stay true:
 * - An entry's hash covers exactly the first `offset` bytes of the upload's data file: a write
 *   updates the hash with precisely the chunks the file stream accepted, and an entry is dropped
 *   whenever a write fails (bytes may have reached the disk that the hash did not, or the other
 *   way round).
 * - Offsets only grow and every write holds the upload's lock (tus + upload-locker.ts), so an
 *   entry whose offset equals the write's offset was made by the last write to that file.
 * - `finishedSha256` is only trusted for an upload whose offset has reached its size: tus never
 *   appends beyond the declared size, so those bytes can no longer change.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileStore } from '@tus/file-store';
import { ERRORS } from '@tus/server';

interface RunningHash {
  hash: Hash;
  /** bytes of the data file the hash has covered */
  offset: number;
}

/**
 * Running hashes kept at most. An entry is a few hundred bytes; uploads abandoned midway leave
 * theirs behind, so the oldest go first (they would only cost one prefix re-read on resume).
 */
const maxRunningHashes = 2000;

export class HashingFileStore extends FileStore {
  private readonly running = new Map<string, RunningHash>();

  /** the data file of an upload (ids are checked by tus: no separators, no traversal) */
  dataPathOf(id: string): string {
    return path.join(this.directory, id);
  }

  override async write(readable: http.IncomingMessage | Readable, id: string, offset: number): Promise<number> {
    const dataPath = this.dataPathOf(id);
    const hash = await this.hashBefore(id, dataPath, offset);
    // until this write has succeeded the entry would not match the file
    this.running.delete(id);
    let received = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        received += chunk.length;
        callback(null, chunk);
      },
    });
    try {
      await pipeline(readable, hashing, createWriteStream(dataPath, { flags: 'r+', start: offset }));
    } catch {
      throw ERRORS.FILE_WRITE_ERROR;
    }
    const newOffset = offset + received;
    this.remember(id, { hash, offset: newOffset });
    return newOffset;
  }

  /**
   * The sha256 (lower-case hex) of a finished upload's bytes as hashed while they were written,
   * or null when this process did not see every byte in sequence (the caller then hashes the
   * file). Forgets the upload's running hash either way.
   */
  finishedSha256(id: string, size: number): string | null {
    const entry = this.running.get(id);
    this.running.delete(id);
    if (!entry || entry.offset !== size) return null;
    return entry.hash.digest('hex');
  }

  forget(id: string): void {
    this.running.delete(id);
  }

  override async remove(id: string): Promise<void> {
    this.running.delete(id);
    await super.remove(id);
  }

  /** The hash of the file's first `offset` bytes: the running one, or read from disk once. */
  private async hashBefore(id: string, dataPath: string, offset: number): Promise<Hash> {
    const entry = this.running.get(id);
    if (entry && entry.offset === offset) return entry.hash;
    const hash = createHash('sha256');
    if (offset > 0) {
      try {
        await pipeline(createReadStream(dataPath, { start: 0, end: offset - 1 }), async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) hash.update(chunk);
        });
      } catch {
        throw ERRORS.FILE_WRITE_ERROR;
      }
    }
    return hash;
  }

  private remember(id: string, entry: RunningHash): void {
    this.running.delete(id);
    this.running.set(id, entry);
    if (this.running.size > maxRunningHashes) {
      const oldest = this.running.keys().next();
      if (!oldest.done) this.running.delete(oldest.value);
    }
  }
}
