/**
 * Uploading photo bytes that the server has not confirmed (photoBlobs.uploadState 'pending'):
 *   1. HEAD /api/blobs/:sha256 — the server has them already (another device, an earlier round
 *      whose answer was lost): confirmed, nothing sent;
 *   2. else a tus upload (tus-js-client) to /api/uploads in ~1.5 MiB chunks, resumed from the
 *      offset the server holds when an earlier attempt was cut (url storage in IndexedDB);
 *   3. the server hashes the whole file on the last chunk and stores it only when it matches
 *      the declared sha256: only then is the local blob marked 'confirmed' (photos-repo
 *      markBytesConfirmed); until then the local bytes are never removed.
 * No upload hangs: an upload without progress for `timeoutMs` is aborted (a half-open
 * connection) and the round fails with 'timeout'; the next round resumes it.
 */
import { Upload, type DetailedError, type FileReader as TusFileReader, type FileSource } from 'tus-js-client';
import type { GuanmoDb } from '../db/guanmo-db';
import { listPendingBytes, markBytesConfirmed } from '../db/photos-repo';
import { apiUrl, request, SyncError, type HttpContext } from './sync-http';
import { createDexieUrlStorage } from './tus-url-storage';

export const DEFAULT_CHUNK_BYTES = 1.5 * 1024 * 1024;

export interface PhotoUploadResult {
  confirmed: number;
  bytesSent: number;
  failed: number;
}

export interface PhotoUploadOptions {
  chunkBytes?: number;
  onProgress?: (progress: { sha256: string; sent: number; total: number } | null) => void;
}

/**
 * Reads a Blob chunk by chunk: Blob slices for the browser's XHR (no copy into JS memory), bytes
 * for tus-js-client's node HTTP stack (tests, bench), which cannot send Blobs. tus reads `size`.
 */
const canSendBlobs = typeof XMLHttpRequest !== 'undefined';
const blobReader: TusFileReader = {
  async openFile(input: unknown): Promise<FileSource> {
    const blob = input as Blob;
    return {
      size: blob.size,
      async slice(start: number, end: number) {
        const part = blob.slice(start, Math.min(end, blob.size));
        const value = canSendBlobs ? part : Object.assign(new Uint8Array(await part.arrayBuffer()), { size: part.size });
        return { value, done: end >= blob.size };
      },
      close() {},
    };
  },
};

/** Uploads every pending photo's bytes; a network or auth failure stops the run (thrown SyncError). */
export async function uploadPendingPhotos(db: GuanmoDb, http: HttpContext, options: PhotoUploadOptions = {}): Promise<PhotoUploadResult> {
  const result: PhotoUploadResult = { confirmed: 0, bytesSent: 0, failed: 0 };
  for (const sha256 of await listPendingBytes(db)) {
    if (http.signal?.aborted) throw new SyncError('offline', 'sync was stopped');
    const stored = await db.photoBlobs.get(sha256);
    if (!stored || stored.uploadState !== 'pending') continue;
    const head = await request(http, 'HEAD', `/api/blobs/${sha256}`, { okStatuses: [404] });
    if (head.status === 200) {
      await markBytesConfirmed(db, sha256);
      result.confirmed++;
      continue;
    }
    const photo = await db.photos.where('sha256').equals(sha256).first();
    const mime = photo?.mime ?? stored.blob.type ?? 'image/jpeg';
    try {
      result.bytesSent += await uploadOne(db, http, sha256, stored.blob, mime, options);
    } catch (error) {
      if (error instanceof SyncError && error.kind === 'server' && (error.status === 460 || error.status === 415 || error.status === 413 || error.status === 400)) {
        // these bytes will never be accepted as they are (e.g. corrupted on disk): go on with the
        // others; they stay pending and visible in the pending photo bytes
        console.warn(`sync: photo ${sha256} refused by the server: ${error.message}`);
        result.failed++;
        continue;
      }
      throw error;
    } finally {
      options.onProgress?.(null);
    }
    await markBytesConfirmed(db, sha256);
    result.confirmed++;
  }
  return result;
}

function uploadOne(db: GuanmoDb, http: HttpContext, sha256: string, blob: Blob, mime: string, options: PhotoUploadOptions): Promise<number> {
  const endpoint = apiUrl(http.baseUrl, '/api/uploads');
  return new Promise<number>((resolve, reject) => {
    let startOffset: number | null = null;
    let lastSent = 0;
    let lastProgressAt = Date.now();
    let isDone = false;
    const finish = (error: SyncError | null) => {
      if (isDone) return;
      isDone = true;
      clearInterval(watchdog);
      http.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(Math.max(0, blob.size - (startOffset ?? 0)));
    };
    const upload = new Upload(blob, {
      endpoint,
      chunkSize: options.chunkBytes ?? DEFAULT_CHUNK_BYTES,
      metadata: { sha256, filename: `${sha256}.${mime === 'image/png' ? 'png' : mime === 'image/webp' ? 'webp' : 'jpg'}`, filetype: mime },
      headers: http.token ? { Authorization: `Bearer ${http.token}` } : {},
      fileReader: blobReader,
      urlStorage: createDexieUrlStorage(db),
      fingerprint: async () => `guanmo:${endpoint}:${sha256}`,
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      // retries are the sync loop's job (back-off with jitter, resumed next round)
      retryDelays: null,
      onProgress(sent, total) {
        if (startOffset === null) startOffset = Math.max(0, sent);
        lastSent = sent;
        lastProgressAt = Date.now();
        options.onProgress?.({ sha256, sent, total });
      },
      onAfterResponse(req, res) {
        lastProgressAt = Date.now();
        // the offset the server holds when resuming (HEAD) is where this attempt starts
        if (req.getMethod() === 'HEAD' && startOffset === null) {
          const offset = Number(res.getHeader('Upload-Offset'));
          if (Number.isFinite(offset)) startOffset = offset;
        }
        if (req.getMethod() === 'POST' && startOffset === null) startOffset = 0;
      },
      onSuccess() {
        finish(null);
      },
      onError(error) {
        finish(classifyTusError(error, http.timeoutMs));
      },
    });
    const watchdog = setInterval(() => {
      if (Date.now() - lastProgressAt > http.timeoutMs) {
        void upload.abort();
        finish(new SyncError('timeout', `photo upload stalled for ${Math.round(http.timeoutMs / 1000)} s at ${lastSent} of ${blob.size} bytes`));
      }
    }, Math.min(1000, http.timeoutMs));
    const onAbort = () => {
      void upload.abort();
      finish(new SyncError('offline', 'sync was stopped'));
    };
    http.signal?.addEventListener('abort', onAbort);
    upload
      .findPreviousUploads()
      .then((previous) => {
        const newest = [...previous].sort((a, b) => b.creationTime.localeCompare(a.creationTime))[0];
        if (newest) upload.resumeFromPreviousUpload(newest);
        upload.start();
      })
      .catch((error: unknown) => finish(new SyncError('server', `cannot read the stored upload state: ${String(error)}`)));
  });
}

function classifyTusError(error: Error | DetailedError, timeoutMs: number): SyncError {
  const detailed = error as Partial<DetailedError>;
  const status = detailed.originalResponse?.getStatus();
  if (status === 401) return new SyncError('signedOut', 'The session has expired; sign in again to sync', 401);
  if (status !== undefined && status > 0) {
    let message = '';
    try {
      const body = JSON.parse(detailed.originalResponse?.getBody() ?? '') as { message?: unknown };
      if (typeof body.message === 'string') message = body.message;
    } catch {
      // not JSON
    }
    return new SyncError('server', `${status} ${message || error.message}`.trim(), status);
  }
  if (/timeout/i.test(error.message)) return new SyncError('timeout', `the server did not answer within ${Math.round(timeoutMs / 1000)} s`);
  return new SyncError('offline', `the server cannot be reached (${detailed.causingError?.message ?? error.message})`);
}

/** Total bytes of photos the server has not confirmed yet (for the sync indicator). */
export async function pendingPhotoBytes(db: GuanmoDb): Promise<{ count: number; bytes: number }> {
  let bytes = 0;
  let count = 0;
  await db.photoBlobs
    .where('uploadState')
    .equals('pending')
    .each((b) => {
      count++;
      bytes += b.blob.size;
    });
  return { count, bytes };
}
