/**
 * Uploading photo bytes that the server has not confirmed (photoBlobs.uploadState 'pending'),
 * with the thumbnail of each photo (PhotoMeta.thumbSha256, its own content-addressed blob):
 *   1. one `POST /api/blobs/missing` asks which of all these hashes (originals and thumbnails)
 *      the server lacks (a server without that route: a HEAD per hash). Bytes it holds already
 *      (another device, another user, an earlier round whose answer was lost) are not sent
 *      again: this user proves they hold them by answering the server's possession challenges
 *      (POST /api/blobs/challenges, /api/blobs/proofs: a hash of a random nonce and a random
 *      range of the bytes), without which their photo records would not let anyone download
 *      those bytes; then the originals are confirmed;
 *   2. the missing thumbnails first, all of them, so that other people's galleries fill early:
 *      a few dozen kB each, up to a hundred in one `POST /api/blobs/batch` (a server without that
 *      route: one tus request each, the bytes in the creating POST, four at once);
 *   3. then the missing originals with tus (tus-js-client) to /api/uploads in ~1.5 MiB chunks,
 *      the first chunk in the creating POST (creation-with-upload: one round trip less),
 *      resumed from the offset the server holds when an earlier attempt was cut (url storage in
 *      IndexedDB). `lanes` files at once (default 2), but only ONE request carrying bytes on the
 *      wire at a time (BodyGate): one file's round trips, IndexedDB writes and waiting for the
 *      server overlap the other's bytes, while a dropped connection still interrupts at most
 *      one chunk (and a browser re-sending the interrupted request by itself, as Chromium does
 *      on a reused keep-alive connection, repeats at most that one);
 *   4. the server hashes the whole file on the last chunk and stores it only when it matches
 *      the declared sha256: only then is the local blob marked 'confirmed' (photos-repo
 *      markBytesConfirmed, written beside the next uploads: ConfirmationWriter); until then the
 *      local bytes are never removed.
 * A thumbnail needs no state of its own: it is uploaded while its original is pending, and
 * asked about again each round until the original is confirmed (then it was sent before).
 * Every upload names the tour of its photo (the server's quotas count per tour). When the server
 * says the storage quota is full (413) or uploads come too fast (429), the round stops with that
 * error, which the sync indicator explains (sync-words.ts); the bytes stay pending here.
 * No upload hangs: an upload without progress for `timeoutMs` is aborted (a half-open
 * connection) and the round fails with 'timeout'; the next round resumes it.
 */
import { Upload, type DetailedError, type FileReader as TusFileReader, type FileSource } from 'tus-js-client';
import type { PhotoMeta } from '@shared/domain/schemas';
import { sha256Hex } from '@shared/photos/sha256';
import {
  BLOB_BATCH_HEADER,
  BLOB_BATCH_TOUR_HEADER,
  blobBatchResponseSchema,
  blobChallengeResponseSchema,
  blobProofResponseSchema,
  formatBlobBatchHeader,
  MAX_BATCH_BLOB_BYTES,
  MAX_BATCH_BLOBS,
  MAX_BATCH_BYTES,
  MAX_MISSING_BLOBS_QUERY,
  MAX_POSSESSION_BATCH,
  missingBlobsResponseSchema,
  type BlobChallenge,
} from '@shared/sync/blob-protocol';
import type { GuanmoDb } from '../db/guanmo-db';
import { listPendingBytes, markBytesConfirmed } from '../db/photos-repo';
import { apiUrl, parseErrorBody, parseRetryAfter, request, requestJson, SyncError, type HttpContext } from './sync-http';
import { createDexieUrlStorage } from './tus-url-storage';
import { protocolHeaders } from './version-gate';

export const DEFAULT_CHUNK_BYTES = 1.5 * 1024 * 1024;
/** files uploaded at once */
export const DEFAULT_UPLOAD_LANES = 2;
/** thumbnails uploaded at once (one small request each) */
export const THUMBNAIL_UPLOAD_LANES = 4;

export interface PhotoUploadResult {
  confirmed: number;
  bytesSent: number;
  failed: number;
  /** thumbnails sent this round (their bytes are in bytesSent too) */
  thumbnails?: number;
}

export interface PhotoUploadOptions {
  chunkBytes?: number;
  /** files uploaded at once (≥ 1) */
  lanes?: number;
  /** requests carrying upload bytes on the wire at once (default 1; see BodyGate) */
  bodiesInFlight?: number;
  onProgress?: (progress: { sha256: string; sent: number; total: number } | null) => void;
}

/** What one round has to upload, in order. */
export interface PhotoUploadPlan {
  /** pending originals, oldest photo first */
  originals: PlannedBytes[];
  /** thumbnails of the pending originals' photos, as stored on this device */
  thumbnails: PlannedBytes[];
}

export interface PlannedBytes {
  sha256: string;
  blob: Blob;
  mime: PhotoMeta['mime'];
  /** the tour of the photo (uploads name it: the server's quotas count per tour); null when no record names the bytes */
  tourId: string | null;
}

/**
 * Lets `permits` requests with upload bytes on the wire at a time (default one), in the order
 * asked: `acquire` resolves a `release` (calling it twice frees one permit only).
 */
export class BodyGate {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(permits = 1) {
    this.free = Math.max(1, Math.floor(permits));
  }

  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        let isReleased = false;
        resolve(() => {
          if (isReleased) return;
          isReleased = true;
          const next = this.waiting.shift();
          if (next) next();
          else this.free++;
        });
      };
      if (this.free > 0) {
        this.free--;
        grant();
      } else {
        this.waiting.push(grant);
      }
    });
  }
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
        // the whole blob (a thumbnail) as it is: a slice is a new blob to register (~1 ms in Chromium)
        const part = start === 0 && end >= blob.size ? blob : blob.slice(start, Math.min(end, blob.size));
        const value = canSendBlobs ? part : Object.assign(new Uint8Array(await part.arrayBuffer()), { size: part.size });
        return { value, done: end >= blob.size };
      },
      close() {},
    };
  },
};

const uploadMimes: readonly string[] = ['image/jpeg', 'image/png', 'image/webp'];

/** The pending originals and their thumbnails, read in one transaction. */
export async function planPhotoUploads(db: GuanmoDb): Promise<PhotoUploadPlan> {
  return db.transaction('r', [db.photoBlobs, db.photos, db.photoPreviews], async () => {
    const pending = await listPendingBytes(db);
    if (pending.length === 0) return { originals: [], thumbnails: [] };
    const [blobs, photos, previews] = await Promise.all([
      db.photoBlobs.bulkGet(pending),
      db.photos.where('sha256').anyOf(pending).toArray(),
      db.photoPreviews.bulkGet(pending),
    ]);
    const photosBySha = new Map<string, PhotoMeta[]>();
    for (const photo of photos) photosBySha.set(photo.sha256, [...(photosBySha.get(photo.sha256) ?? []), photo]);
    const firstCreated = (sha: string) => (photosBySha.get(sha) ?? []).reduce((min, p) => (p.createdAt < min ? p.createdAt : min), '\uffff');

    const originals: PlannedBytes[] = [];
    const thumbnails = new Map<string, PlannedBytes>();
    pending.forEach((sha256, i) => {
      const stored = blobs[i];
      if (!stored || stored.uploadState !== 'pending') return;
      const ofSha = photosBySha.get(sha256) ?? [];
      const mime = ofSha[0]?.mime ?? (uploadMimes.includes(stored.blob.type) ? (stored.blob.type as PhotoMeta['mime']) : 'image/jpeg');
      originals.push({ sha256, blob: stored.blob, mime, tourId: ofSha[0]?.tourId ?? null });
      // the one thumbnail this device can send is the stored preview: only when a record names it
      const preview = previews[i];
      const thumbSha = preview?.thumbSha256;
      const naming = thumbSha ? ofSha.find((p) => p.thumbSha256 === thumbSha) : undefined;
      if (thumbSha && naming && !thumbnails.has(thumbSha)) {
        thumbnails.set(thumbSha, { sha256: thumbSha, blob: preview.thumb, mime: 'image/jpeg', tourId: naming.tourId });
      }
    });
    originals.sort((a, b) => firstCreated(a.sha256).localeCompare(firstCreated(b.sha256)) || a.sha256.localeCompare(b.sha256));
    return { originals, thumbnails: [...thumbnails.values()] };
  });
}

/**
 * Which of these hashes the server has no bytes for: POST /api/blobs/missing in batches, or a
 * HEAD per hash when the server predates that route (it answers 404).
 */
export async function findMissingBlobs(http: HttpContext, sha256s: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(sha256s)];
  const missing = new Set<string>();
  for (let start = 0; start < unique.length; start += MAX_MISSING_BLOBS_QUERY) {
    const batch = unique.slice(start, start + MAX_MISSING_BLOBS_QUERY);
    try {
      const answer = await requestJson(http, 'POST', '/api/blobs/missing', missingBlobsResponseSchema, { sha256s: batch });
      for (const sha of answer.missing) missing.add(sha);
    } catch (error) {
      if (!(error instanceof SyncError && error.status === 404)) throw error;
      for (const sha of unique.slice(start)) {
        const head = await request(http, 'HEAD', `/api/blobs/${sha}`, { okStatuses: [404] });
        if (head.status !== 200) missing.add(sha);
      }
      return missing;
    }
  }
  return missing;
}

/** Uploads every pending photo's bytes; a network or auth failure stops the run (thrown SyncError). */
export async function uploadPendingPhotos(db: GuanmoDb, http: HttpContext, options: PhotoUploadOptions = {}): Promise<PhotoUploadResult> {
  const result: PhotoUploadResult = { confirmed: 0, bytesSent: 0, failed: 0, thumbnails: 0 };
  const plan = await planPhotoUploads(db);
  if (plan.originals.length === 0) return result;
  const lanes = Math.max(1, Math.floor(options.lanes ?? DEFAULT_UPLOAD_LANES));
  const gate = new BodyGate(options.bodiesInFlight ?? 1);
  const stopIfAborted = () => {
    if (http.signal?.aborted) throw new SyncError('offline', 'sync was stopped');
  };

  stopIfAborted();
  const missing = await findMissingBlobs(http, [...plan.thumbnails.map((t) => t.sha256), ...plan.originals.map((o) => o.sha256)]);
  // bytes the server has from elsewhere: prove this user holds them too, then confirm the originals
  const onServer = [...plan.thumbnails, ...plan.originals].filter((b) => !missing.has(b.sha256));
  const proven = await proveHeldBytes(http, onServer);
  const held = plan.originals.filter((o) => !missing.has(o.sha256) && proven.has(o.sha256));
  if (held.length > 0) {
    // one transaction (one commit) for all of them
    await markBytesConfirmed(db, ...held.map((original) => original.sha256));
    result.confirmed += held.length;
  }

  // thumbnails first: other people see something early; a refused one never holds up its photo.
  // Batches of many in one request (POST /api/blobs/batch); what a batch cannot take (a server
  // without the route, an unusually big thumbnail) goes one small tus request each, several at
  // once past the gate (a cut costs a few dozen kB).
  const thumbnails = plan.thumbnails.filter((t) => missing.has(t.sha256));
  const unbatched = await uploadThumbnailBatches(http, thumbnails, result, stopIfAborted);
  const thumbnailGate = new BodyGate(THUMBNAIL_UPLOAD_LANES);
  await runLanes(
    unbatched,
    THUMBNAIL_UPLOAD_LANES,
    async (thumb) => {
      stopIfAborted();
      const sent = await uploadOrSkip(db, http, thumb, options, { isResumable: false, gate: thumbnailGate });
      if (sent === null) return;
      result.bytesSent += sent;
      result.thumbnails = (result.thumbnails ?? 0) + 1;
    },
  );

  const confirmations = new ConfirmationWriter(db);
  try {
    await runLanes(
      plan.originals.filter((o) => missing.has(o.sha256)),
      lanes,
      async (original) => {
        stopIfAborted();
        // the bytes may have been confirmed or removed since the plan (another tab's round)
        const stored = await db.photoBlobs.get(original.sha256);
        if (!stored || stored.uploadState !== 'pending') return;
        const sent = await uploadOrSkip(db, http, original, options, { isResumable: true, gate });
        if (sent === null) {
          result.failed++;
          return;
        }
        result.bytesSent += sent;
        // the lane goes on with its next photo while the mark is written
        confirmations.add(original.sha256);
      },
    );
  } finally {
    // the round ends only once every confirmation it got is written
    await confirmations.settled();
    result.confirmed += confirmations.written;
  }
  if (confirmations.error !== null) throw confirmations.error;
  return result;
}

/**
 * Sends `thumbnails` in as few POST /api/blobs/batch requests as the limits allow
 * (shared/sync/blob-protocol.ts), one after the other; counts what the server took into `result`.
 * Returns the thumbnails left for tus: too big for a batch, or all of them when the server has no
 * batch route (404, an older server). One the server refuses (its bytes do not match its hash,
 * e.g. corrupted on this disk) is left out with a warning, as a refused tus upload is.
 */
async function uploadThumbnailBatches(
  http: HttpContext,
  thumbnails: readonly PlannedBytes[],
  result: PhotoUploadResult,
  stopIfAborted: () => void,
): Promise<PlannedBytes[]> {
  const fitting = thumbnails.filter((t) => t.blob.size <= MAX_BATCH_BLOB_BYTES && t.tourId !== null);
  const left = thumbnails.filter((t) => t.blob.size > MAX_BATCH_BLOB_BYTES && t.tourId !== null);
  // one tour per batch: the batch names it (Guanmo-Tour)
  const byTour = new Map<string, PlannedBytes[]>();
  for (const thumb of fitting) byTour.set(thumb.tourId!, [...(byTour.get(thumb.tourId!) ?? []), thumb]);
  const batches = [...byTour.values()].flatMap((ofTour) => batchesOf(ofTour));
  for (const [b, batch] of batches.entries()) {
    stopIfAborted();
    const entries = batch.map((t) => ({ sha256: t.sha256, size: t.blob.size }));
    let answer: Response;
    try {
      answer = await request(http, 'POST', '/api/blobs/batch', {
        bytes: new Blob(batch.map((t) => t.blob)),
        headers: { [BLOB_BATCH_HEADER]: formatBlobBatchHeader(entries), [BLOB_BATCH_TOUR_HEADER]: encodeURIComponent(batch[0]!.tourId!) },
      });
    } catch (error) {
      // no batch route: this batch and the ones after it go through tus
      if (error instanceof SyncError && error.status === 404) return [...left, ...batches.slice(b).flat()];
      throw error;
    }
    const parsed = blobBatchResponseSchema.safeParse(await answer.json().catch(() => null));
    if (!parsed.success) throw new SyncError('invalidResponse', 'POST /api/blobs/batch: unexpected answer');
    for (const [i, outcome] of parsed.data.results.entries()) {
      if (outcome.status === 'mismatch') {
        console.warn(`sync: thumbnail ${outcome.sha256} refused by the server: its bytes do not match its hash`);
        continue;
      }
      result.bytesSent += entries[i]?.size ?? 0;
      result.thumbnails = (result.thumbnails ?? 0) + 1;
    }
  }
  return left;
}

/** Consecutive groups within the batch limits (count and bytes). */
function batchesOf(thumbnails: readonly PlannedBytes[]): PlannedBytes[][] {
  const batches: PlannedBytes[][] = [];
  let current: PlannedBytes[] = [];
  let bytes = 0;
  for (const thumb of thumbnails) {
    if (current.length > 0 && (current.length === MAX_BATCH_BLOBS || bytes + thumb.blob.size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(thumb);
    bytes += thumb.blob.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Marks originals whose bytes the server has confirmed (photos-repo markBytesConfirmed) without
 * holding up the lanes: the app's database commits 'strict' (each commit waits for the disk),
 * and a lane waiting for that leaves the connection idle. Marks that arrive while one is being
 * written go together in the next transaction. A mark lost to a crash is harmless: the bytes stay
 * pending, and the next round learns from POST /api/blobs/missing that the server has them.
 */
class ConfirmationWriter {
  written = 0;
  error: unknown = null;
  private queued: string[] = [];
  private writing: Promise<void> | null = null;

  constructor(private readonly db: GuanmoDb) {}

  add(sha256: string): void {
    this.queued.push(sha256);
    this.writing ??= this.writeQueued();
  }

  /** Resolves once everything added has been written (or has failed: see `error`). */
  async settled(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async writeQueued(): Promise<void> {
    while (this.queued.length > 0) {
      const batch = this.queued;
      this.queued = [];
      try {
        await markBytesConfirmed(this.db, ...batch);
        this.written += batch.length;
      } catch (error) {
        this.error ??= error;
      }
    }
    this.writing = null;
  }
}

/**
 * Which of these bytes (the server holds them all) this user has proved to hold: held before, or
 * proved now by answering the server's possession challenges. A server without the challenge
 * route (older) needs no proof: all of them.
 */
export async function proveHeldBytes(http: HttpContext, bytes: readonly PlannedBytes[]): Promise<Set<string>> {
  const bySha = new Map(bytes.map((b) => [b.sha256, b]));
  const hashes = [...bySha.keys()];
  const proven = new Set<string>();
  for (let start = 0; start < hashes.length; start += MAX_POSSESSION_BATCH) {
    const batch = hashes.slice(start, start + MAX_POSSESSION_BATCH);
    let asked;
    try {
      asked = await requestJson(http, 'POST', '/api/blobs/challenges', blobChallengeResponseSchema, { sha256s: batch });
    } catch (error) {
      if (error instanceof SyncError && error.status === 404) return new Set(hashes);
      throw error;
    }
    for (const sha of asked.held) proven.add(sha);
    if (asked.challenges.length === 0) continue;
    const proofs = await Promise.all(asked.challenges.map(async (challenge) => ({ sha256: challenge.sha256, token: challenge.token, proof: await answerChallenge(challenge, bySha.get(challenge.sha256)!.blob) })));
    const answer = await requestJson(http, 'POST', '/api/blobs/proofs', blobProofResponseSchema, { proofs });
    for (const outcome of answer.results) {
      if (outcome.status === 'proven') proven.add(outcome.sha256);
      // the bytes here differ from the server's (damaged on this disk), or the challenge expired: next round
      else console.warn(`sync: proving the bytes of ${outcome.sha256} failed (${outcome.status})`);
    }
  }
  return proven;
}

/** sha256(nonce bytes ‖ bytes[start, end)) in hex (shared/sync/blob-protocol.ts). */
export async function answerChallenge(challenge: Pick<BlobChallenge, 'nonce' | 'start' | 'end'>, blob: Blob): Promise<string> {
  const range = new Uint8Array(await blob.slice(challenge.start, challenge.end).arrayBuffer());
  const nonce = new Uint8Array(challenge.nonce.match(/../g)!.map((hex) => parseInt(hex, 16)));
  const text = new Uint8Array(nonce.length + range.length);
  text.set(nonce, 0);
  text.set(range, nonce.length);
  // crypto.subtle exists only in secure contexts; the plain TS hash everywhere else
  const subtle = globalThis.crypto?.subtle;
  if (subtle) {
    const digest = new Uint8Array(await subtle.digest('SHA-256', text));
    return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
  }
  return sha256Hex(text);
}

/** Refusals that stop the round (the next uploads would meet them too), with what the user is told. */
const roundStoppingCodes = new Set(['quota_exceeded', 'tour_quota_exceeded']);

/**
 * One upload; null when the server refuses these bytes for good (e.g. corrupted on disk, not a
 * photo): the others go on, and a refused original stays pending and visible in the pending
 * photo bytes. A full quota stops the round instead (its error tells the user).
 */
async function uploadOrSkip(db: GuanmoDb, http: HttpContext, bytes: PlannedBytes, options: PhotoUploadOptions, how: UploadHow): Promise<number | null> {
  if (bytes.tourId === null) {
    console.warn(`sync: ${bytes.sha256} is named by no photo record here; not uploaded`);
    return null;
  }
  try {
    return await uploadOne(db, http, bytes, options, how);
  } catch (error) {
    if (error instanceof SyncError && error.code !== undefined && roundStoppingCodes.has(error.code)) throw error;
    if (error instanceof SyncError && error.kind === 'server' && (error.status === 460 || error.status === 415 || error.status === 413 || error.status === 400)) {
      console.warn(`sync: ${how.isResumable ? 'photo' : 'thumbnail'} ${bytes.sha256} refused by the server: ${error.message}`);
      return null;
    }
    throw error;
  } finally {
    if (how.isResumable) options.onProgress?.(null);
  }
}

/**
 * Runs `work` over the items, at most `lanes` at once, taking them in order. The first error
 * stops the lanes from taking more; the items under way finish (or fail) and the error is thrown.
 */
export async function runLanes<T>(items: readonly T[], lanes: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async () => {
    while (failure === null && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
  if (failure !== null) throw (failure as { error: unknown }).error;
}

function extensionOf(mime: string): string {
  return mime === 'image/png' ? 'png' : mime === 'image/webp' ? 'webp' : 'jpg';
}

interface UploadHow {
  /** keep the upload's url in IndexedDB to resume it after a cut (not for one-request thumbnails) */
  isResumable: boolean;
  /** the round's gate: one request with upload bytes on the wire at a time */
  gate: BodyGate;
}

function uploadOne(db: GuanmoDb, http: HttpContext, bytes: PlannedBytes, options: PhotoUploadOptions, { isResumable, gate }: UploadHow): Promise<number> {
  const { sha256, blob, mime } = bytes;
  const endpoint = apiUrl(http.baseUrl, '/api/uploads');
  return new Promise<number>((resolve, reject) => {
    let startOffset: number | null = null;
    let lastSent = 0;
    let lastProgressAt = Date.now();
    let isDone = false;
    /** waiting for the gate is not a stall: the other file's bytes are moving */
    let isWaitingForGate = false;
    let releaseGate: (() => void) | null = null;
    const finish = (error: SyncError | null) => {
      if (isDone) return;
      isDone = true;
      releaseGate?.();
      releaseGate = null;
      clearInterval(watchdog);
      http.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(Math.max(0, blob.size - (startOffset ?? 0)));
    };
    const upload = new Upload(blob, {
      endpoint,
      chunkSize: options.chunkBytes ?? DEFAULT_CHUNK_BYTES,
      // creation-with-upload: the first chunk (a whole thumbnail) rides in the creating POST
      uploadDataDuringCreation: true,
      metadata: { sha256, filename: `${sha256}.${extensionOf(mime)}`, filetype: mime, tourId: bytes.tourId ?? '' },
      headers: { ...protocolHeaders(), ...(http.token ? { Authorization: `Bearer ${http.token}` } : {}) },
      fileReader: blobReader,
      // a thumbnail is sent in one request: nothing to resume, no IndexedDB write
      ...(isResumable
        ? {
            urlStorage: createDexieUrlStorage(db),
            fingerprint: async () => `guanmo:${endpoint}:${sha256}`,
            storeFingerprintForResuming: true,
            removeFingerprintOnSuccess: true,
          }
        : { storeFingerprintForResuming: false }),
      // retries are the sync loop's job (back-off with jitter, resumed next round)
      retryDelays: null,
      async onBeforeRequest(req) {
        const method = req.getMethod();
        if (method !== 'POST' && method !== 'PATCH') return;
        isWaitingForGate = true;
        const release = await gate.acquire();
        isWaitingForGate = false;
        lastProgressAt = Date.now();
        // stopped while waiting: let the next one through at once
        if (isDone) release();
        else releaseGate = release;
      },
      onProgress(sent, total) {
        if (startOffset === null) startOffset = Math.max(0, sent);
        lastSent = sent;
        lastProgressAt = Date.now();
        if (isResumable) options.onProgress?.({ sha256, sent, total });
      },
      onAfterResponse(req, res) {
        releaseGate?.();
        releaseGate = null;
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
      if (!isWaitingForGate && Date.now() - lastProgressAt > http.timeoutMs) {
        void upload.abort();
        finish(new SyncError('timeout', `photo upload stalled for ${Math.round(http.timeoutMs / 1000)} s at ${lastSent} of ${blob.size} bytes`));
      }
    }, Math.min(1000, http.timeoutMs));
    const onAbort = () => {
      void upload.abort();
      finish(new SyncError('offline', 'sync was stopped'));
    };
    http.signal?.addEventListener('abort', onAbort);
    if (!isResumable) {
      upload.start();
      return;
    }
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
    const { message, code } = parseErrorBody(detailed.originalResponse?.getBody() ?? '');
    const text = `${status} ${message || error.message}`.trim();
    if (status === 429 || status === 503) {
      return new SyncError('busy', text, status, parseRetryAfter(detailed.originalResponse?.getHeader('Retry-After') ?? null), code);
    }
    return new SyncError('server', text, status, undefined, code);
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
