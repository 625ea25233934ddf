/**
 * Content-addressed blob store on disk: photo bytes under `<root>/ab/cd/<sha256>`, stored once
 * per hash.
 *
 * What must stay true:
 * - A blob file at its final path always holds exactly the bytes its name hashes to: bytes are
 *   hashed in a private temp file (or, by the upload path, while they were written to it) and
 *   only then renamed into place (rename is atomic), so a
 *   reader never sees a half-written blob and a crash leaves at most a temp file behind.
 * - Several server processes (behind a load balancer) may share one root: every writer works in
 *   its own uniquely named temp file, and two completions of the same hash both end in a rename
 *   of identical bytes onto the same name, which is harmless whichever wins.
 * - Names are validated (lower-case hex sha256) before they touch a path: no traversal.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

export const sha256Pattern = /^[0-9a-f]{64}$/;

export function isSha256Hex(value: string): boolean {
  return sha256Pattern.test(value);
}

/** sha256 of a file as lower-case hex, read as a stream (a 50 MB photo never sits in memory). */
export async function sha256OfFile(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(filePath), hash);
  return hash.digest('hex');
}

export interface BlobInfo {
  sha256: string;
  size: number;
  path: string;
}

/** what a writer computed over the bytes it wrote (see BlobStore.adoptFile) */
export interface HashedBytes {
  sha256: string;
  size: number;
}

export type AdoptResult =
  | { status: 'stored'; blob: BlobInfo }
  /** the store already had these bytes; the offered file was discarded */
  | { status: 'existing'; blob: BlobInfo }
  /** the bytes hash to something else; nothing was stored and the offered file is gone */
  | { status: 'mismatch'; actualSha256: string };

/** Temp files older than this are leftovers of a crash (a hash of 50 MB takes well under a second). */
const staleTempMs = 24 * 60 * 60 * 1000;

export interface StoredBlob {
  sha256: string;
  size: number;
  /** when the bytes were stored (or last vouched for by keep()) */
  mtimeMs: number;
}

export class BlobStore {
  readonly root: string;
  private readonly tempDir: string;
  /** marks of blobs found unreferenced by garbage collection (blob-gc.ts) */
  private readonly markDir: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    // inside the root so the final rename never crosses a file system
    this.tempDir = path.join(this.root, '.tmp');
    this.markDir = path.join(this.root, '.unreferenced');
  }

  /** Final path of a blob; throws on anything but a lower-case hex sha256. */
  pathOf(sha256: string): string {
    if (!isSha256Hex(sha256)) throw new RangeError('not a lower-case hex sha256');
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** The blob's size and path, or null when the store does not have it. */
  async stat(sha256: string): Promise<BlobInfo | null> {
    const blobPath = this.pathOf(sha256);
    try {
      const stats = await fs.stat(blobPath);
      return stats.isFile() ? { sha256, size: stats.size, path: blobPath } : null;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.stat(sha256)) !== null;
  }

  /**
   * Takes ownership of the file at `sourcePath` (it is moved or deleted, never left behind),
   * verifies that its bytes hash to `expectedSha256` and stores it under that hash.
   *
   * The file is first moved to a private temp name: from then on no other request can append to
   * it or finish it a second time, and the hash covers exactly the bytes that get stored.
   *
   * `hashed`: the sha256 and size of the file's bytes as the caller hashed them while writing
   * them (photo-uploads.ts), which spares reading the file a second time. The caller vouches that
   * nothing can write to the file any more; should the claimed file's size differ, it is hashed
   * here all the same.
   */
  async adoptFile(sourcePath: string, expectedSha256: string, hashed?: HashedBytes): Promise<AdoptResult> {
    const finalPath = this.pathOf(expectedSha256);
    const tempPath = await this.claim(sourcePath);
    try {
      const actualSha256 =
        hashed && (await fs.stat(tempPath)).size === hashed.size ? hashed.sha256 : await sha256OfFile(tempPath);
      if (actualSha256 !== expectedSha256) return { status: 'mismatch', actualSha256 };
      const existing = await this.stat(expectedSha256);
      if (existing) {
        // the client now believes the server has these bytes: garbage collection must wait again
        await this.keep(expectedSha256);
        return { status: 'existing', blob: existing };
      }
      await fs.mkdir(path.dirname(finalPath), { recursive: true });
      await fs.rename(tempPath, finalPath);
      const stats = await fs.stat(finalPath);
      return { status: 'stored', blob: { sha256: expectedSha256, size: stats.size, path: finalPath } };
    } finally {
      // after a successful rename there is nothing left to remove
      await fs.rm(tempPath, { force: true });
    }
  }

  /** adoptFile for bytes in memory (a small blob of a batch upload): written to a temp file first. */
  async adoptBytes(bytes: Buffer, expectedSha256: string, hashed: HashedBytes): Promise<AdoptResult> {
    await fs.mkdir(this.tempDir, { recursive: true });
    const incoming = path.join(this.tempDir, `${process.pid}-in-${randomBytes(8).toString('hex')}`);
    try {
      await fs.writeFile(incoming, bytes, { flag: 'wx' });
      return await this.adoptFile(incoming, expectedSha256, hashed);
    } finally {
      await fs.rm(incoming, { force: true });
    }
  }

  /**
   * Call whenever a client is told the server has these bytes (HEAD 200, an upload of bytes it
   * already had): the client may now drop its copy and push the photo record later, so garbage
   * collection restarts its grace period (stored-time and unreferenced-time alike).
   * Returns false when the blob is not there.
   */
  async keep(sha256: string, now: Date = new Date()): Promise<boolean> {
    try {
      await fs.utimes(this.pathOf(sha256), now, now);
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
    await this.clearUnreferencedMark(sha256);
    return true;
  }

  /** Every blob in the store (walks `ab/cd/` folders; temp files and marks are not blobs). */
  async *list(): AsyncGenerator<StoredBlob> {
    for (const a of await readdirOrEmpty(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(a)) continue;
      for (const b of await readdirOrEmpty(path.join(this.root, a))) {
        if (!/^[0-9a-f]{2}$/.test(b)) continue;
        const dir = path.join(this.root, a, b);
        for (const name of await readdirOrEmpty(dir)) {
          if (!isSha256Hex(name) || !name.startsWith(a + b)) continue;
          try {
            const stats = await fs.stat(path.join(dir, name));
            if (stats.isFile()) yield { sha256: name, size: stats.size, mtimeMs: stats.mtimeMs };
          } catch (error) {
            if (!isNotFound(error)) throw error; // removed meanwhile
          }
        }
      }
    }
  }

  /** Removes a blob; false when it was not there (e.g. another process removed it first). */
  async remove(sha256: string): Promise<boolean> {
    const blobPath = this.pathOf(sha256);
    try {
      await fs.unlink(blobPath);
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
    await this.clearUnreferencedMark(sha256);
    // leave empty ab/cd folders: another upload may be renaming into them right now
    return true;
  }

  async listUnreferencedMarks(): Promise<string[]> {
    return (await readdirOrEmpty(this.markDir)).filter(isSha256Hex);
  }

  /** ms since epoch when the blob was first found unreferenced, or null when it is not marked. */
  async unreferencedMarkTime(sha256: string): Promise<number | null> {
    if (!isSha256Hex(sha256)) throw new RangeError('not a lower-case hex sha256');
    try {
      return (await fs.stat(path.join(this.markDir, sha256))).mtimeMs;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** Marks the blob unreferenced as of `at`, unless it is marked already (the first mark counts). */
  async markUnreferenced(sha256: string, at: Date): Promise<void> {
    if (!isSha256Hex(sha256)) throw new RangeError('not a lower-case hex sha256');
    await fs.mkdir(this.markDir, { recursive: true });
    const markPath = path.join(this.markDir, sha256);
    try {
      await fs.writeFile(markPath, '', { flag: 'wx' });
      await fs.utimes(markPath, at, at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }

  async clearUnreferencedMark(sha256: string): Promise<void> {
    if (!isSha256Hex(sha256)) throw new RangeError('not a lower-case hex sha256');
    await fs.rm(path.join(this.markDir, sha256), { force: true });
  }

  /** Deletes temp files left by a crash mid-adopt. Returns how many were removed. */
  async removeStaleTempFiles(now: Date = new Date()): Promise<number> {
    let names: string[];
    try {
      names = await fs.readdir(this.tempDir);
    } catch (error) {
      if (isNotFound(error)) return 0;
      throw error;
    }
    let removed = 0;
    for (const name of names) {
      const filePath = path.join(this.tempDir, name);
      try {
        const stats = await fs.stat(filePath);
        if (now.getTime() - stats.mtimeMs > staleTempMs) {
          await fs.rm(filePath, { force: true });
          removed++;
        }
      } catch (error) {
        if (!isNotFound(error)) throw error; // another process cleaned it first
      }
    }
    return removed;
  }

  /** Moves `sourcePath` to a new unique temp file inside the store (copying across file systems). */
  private async claim(sourcePath: string): Promise<string> {
    await fs.mkdir(this.tempDir, { recursive: true });
    const tempPath = path.join(this.tempDir, `${process.pid}-${randomBytes(8).toString('hex')}`);
    try {
      await fs.rename(sourcePath, tempPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      // the upload folder is on another file system: copy, then drop the source
      await fs.copyFile(sourcePath, tempPath);
      await fs.rm(sourcePath, { force: true });
    }
    return tempPath;
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
