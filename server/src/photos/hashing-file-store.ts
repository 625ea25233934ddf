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
 * - A write keeps what arrived: bytes go to the file as they come (BatchWriter), and when the body
 *   is cut (or tus ends the write) what was received reaches the file before the write returns
 *   or fails, so the client resumes right after it. The request is read straight into the file
 *   (no stream per stage: a socket delivers a body in pieces of 16–64 kB, and every stage costs
 *   per piece).
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import type { Readable } from 'node:stream';
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
    try {
      return await this.append(readable, id, offset);
    } catch (error) {
      throw error instanceof BodyCutError ? ERRORS.FILE_WRITE_ERROR : error;
    }
  }

  /**
   * Appends the bytes of `source` to the upload's data file at `offset`, hashing them on the
   * way; returns the new offset. `maxBytes`: more fails with tus's ERR_MAX_SIZE_EXCEEDED (413).
   * `signal`: ends the write early without error (tus asks when the request goes away or
   * another request needs the upload's lock). A source that fails (a cut connection) fails the
   * write with BodyCutError; either way what arrived before has been written.
   */
  async append(source: Readable, id: string, offset: number, { maxBytes = Infinity, signal }: AppendOptions = {}): Promise<number> {
    const dataPath = this.dataPathOf(id);
    const hash = await this.hashBefore(id, dataPath, offset);
    // until this write has succeeded the entry would not match the file
    this.running.delete(id);
    let file: FileHandle;
    try {
      file = await fs.open(dataPath, 'r+');
    } catch {
      throw ERRORS.FILE_WRITE_ERROR;
    }
    const writer = new BatchWriter(file, offset);
    let outcome: unknown = null;
    try {
      await receive(source, { maxBytes, signal, writer, hash });
    } catch (error) {
      outcome = error;
    }
    // what arrived goes to the file whatever ended the body
    const writeError = await writer.finish();
    await file.close().catch(() => undefined);
    // a full disk says so (503 storage_full with Retry-After, photo-uploads.ts), not a bare 500
    if (writeError !== null) throw isNoSpace(writeError) ? writeError : ERRORS.FILE_WRITE_ERROR;
    if (outcome !== null) throw outcome;
    this.remember(id, { hash, offset: writer.end });
    return writer.end;
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

function isNoSpace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

export interface AppendOptions {
  /** body bytes this write may take at most */
  maxBytes?: number;
  /** ends the write early, keeping what has arrived */
  signal?: AbortSignal;
}

/** The body's source failed before its end (a cut connection): what arrived has been written. */
export class BodyCutError extends Error {
  constructor(readonly causedBy: unknown) {
    super('the upload body was cut');
  }
}

/** bytes received and not written yet, at most: beyond, the source waits for the disk */
const maxUnwrittenBytes = 4 * 1024 * 1024;

/**
 * Writes what it is given in order at consecutive offsets: a piece goes to the file at once when
 * no write is under way, else it waits and goes with everything that arrived meanwhile in one
 * writev (a stalled body's bytes are on disk at once, where another process's HEAD sees them;
 * a fast one is written in large batches). A failed write stops all later ones.
 */
class BatchWriter {
  /** the offset after the last byte given (written or not) */
  end: number;
  /** bytes given and not written yet */
  unwritten = 0;
  error: unknown = null;
  private pieces: Buffer[] = [];
  private piecesBytes = 0;
  /** where the next write goes */
  private writeAt: number;
  private writing: Promise<void> | null = null;
  private onWritten: (() => void) | null = null;

  constructor(
    private readonly file: FileHandle,
    offset: number,
  ) {
    this.end = offset;
    this.writeAt = offset;
  }

  add(piece: Buffer): void {
    this.pieces.push(piece);
    this.piecesBytes += piece.length;
    this.unwritten += piece.length;
    this.end += piece.length;
    this.writing ??= this.writePieces();
  }

  /** Calls `then` once after the next write has completed (or failed). */
  afterNextWrite(then: () => void): void {
    this.onWritten = then;
  }

  /** Waits until everything given is written (or a write failed); returns the failure or null. */
  async finish(): Promise<unknown> {
    while (this.writing) await this.writing;
    return this.error;
  }

  private async writePieces(): Promise<void> {
    while (this.piecesBytes > 0) {
      const pieces = this.pieces;
      const bytes = this.piecesBytes;
      const at = this.writeAt;
      this.pieces = [];
      this.piecesBytes = 0;
      this.writeAt += bytes;
      try {
        if (this.error === null) {
          const { bytesWritten } = await this.file.writev(pieces, at);
          if (bytesWritten !== bytes) throw new Error(`wrote ${bytesWritten} of ${bytes} bytes`);
        }
      } catch (error) {
        this.error ??= error;
      } finally {
        this.unwritten -= bytes;
        const then = this.onWritten;
        this.onWritten = null;
        then?.();
      }
    }
    this.writing = null;
  }
}

/**
 * Reads `source` to its end (or until `signal` aborts) into the writer, hashing each piece as it
 * arrives; holds the source while too much waits for the disk. Rejects with
 * tus's ERR_MAX_SIZE_EXCEEDED, BodyCutError, or the writer's error (the source is then left paused).
 */
function receive(source: Readable, { maxBytes, signal, writer, hash }: { maxBytes: number; signal: AbortSignal | undefined; writer: BatchWriter; hash: Hash }): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let received = 0;
    let isDone = false;
    const done = (error: unknown) => {
      if (isDone) return;
      isDone = true;
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('error', onError);
      source.off('close', onClose);
      signal?.removeEventListener('abort', onAbort);
      if (error === null) resolve();
      else {
        source.pause();
        reject(error);
      }
    };
    const onData = (piece: Buffer) => {
      if (writer.error !== null) return done(writer.error);
      if (received + piece.length > maxBytes) return done(ERRORS.ERR_MAX_SIZE_EXCEEDED);
      received += piece.length;
      hash.update(piece);
      writer.add(piece);
      if (writer.unwritten >= maxUnwrittenBytes && !source.isPaused()) {
        source.pause();
        const resumeWhenWritten = () => {
          if (isDone) return;
          if (writer.error !== null) return done(writer.error);
          if (writer.unwritten >= maxUnwrittenBytes) return writer.afterNextWrite(resumeWhenWritten);
          source.resume();
        };
        writer.afterNextWrite(resumeWhenWritten);
      }
    };
    const onEnd = () => done(null);
    const onError = (error: unknown) => done(new BodyCutError(error));
    // a request whose connection closed before the end of its body emits close without end
    const onClose = () => done(new BodyCutError(new Error('the connection closed before the end of the body')));
    // tus ends the write (the request went away, or another one needs the lock): keep what came
    const onAbort = () => {
      source.pause();
      done(null);
    };
    if (signal?.aborted) return onAbort();
    if (source.readableEnded) return done(null);
    // failed while the prefix was hashed or the file opened (the caller kept its error quiet)
    if (source.destroyed || source.errored) return done(new BodyCutError(source.errored ?? new Error('the body was closed before its end')));
    signal?.addEventListener('abort', onAbort, { once: true });
    source.on('end', onEnd);
    source.on('error', onError);
    source.on('close', onClose);
    source.on('data', onData);
    source.resume();
  });
}
