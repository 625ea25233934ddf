/**
 * Importing photos: files → photo workers (hash, EXIF, previews) → one atomic write per photo.
 *
 * What must stay true:
 * - Bounded memory for any number of files: at most `lanes` files are being processed or
 *   written at once (a lane takes the next file only when its previous photo is stored).
 * - Every photo is all or nothing (photos-repo.addPhoto). A file that cannot be used is
 *   reported by name and the others still import.
 * - When the disk is full, the import stops: photos stored before stay, the one that hit the
 *   quota left nothing behind, and the report names what was not saved.
 */
import type { PhotoMeta } from '@shared/domain/schemas';
import type { GuanmoDb } from '../../db/guanmo-db';
import { addPhoto, type AddPhotoResult } from '../../db/photos-repo';
import { describeStorageError, type StorageErrorDescription } from '../../db/storage-safety';
import type { PhotoFailure, PhotoJobResult, ProcessedPhoto } from './photo-worker-protocol';

/** What does the per-photo work: the worker pool in the app, a fake in tests. */
export interface PhotoProcessor {
  /** how many photos it works on at once */
  readonly size: number;
  process(file: Blob): Promise<PhotoJobResult>;
}

export interface PhotoSource {
  file: Blob;
  /** shown in messages: the file name, or a made-up name for a camera capture */
  name: string;
  /** when the photo has no EXIF time (a capture from the laptop camera): when it was taken */
  takenAtFallback?: string;
}

export interface PhotoTarget {
  tourId: string;
  stopId: string;
  authorId: string;
}

export type ImportFailure =
  | PhotoFailure
  /** the photo workers could not run (e.g. their script failed to load) */
  | { readonly kind: 'processing-failed'; readonly detail: string }
  /** writing it failed for another reason than space */
  | { readonly kind: 'save-failed'; readonly detail: string };

export interface FailedFile {
  name: string;
  failure: ImportFailure;
}

export interface ImportProgress {
  total: number;
  /** files finished, whatever the outcome */
  done: number;
}

export interface ImportReport {
  added: PhotoMeta[];
  /** names of files already on that stop (nothing written) */
  duplicates: string[];
  failed: FailedFile[];
  /** set when local storage refused a write (quota): the import stopped there */
  storageError: StorageErrorDescription | null;
  /** names of files not saved because the import stopped (storage full or cancelled) */
  notSaved: string[];
  cancelled: boolean;
}

export interface ImportOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  /**
   * files in the works at once (processing, waiting for a worker, or being written); default:
   * twice the pool's size, so a worker takes its next photo while the last one is written.
   * Decoded images live only in the workers, so memory stays bounded by the pool's size.
   */
  lanes?: number;
}

export type AnalysedPhoto = { source: PhotoSource; ok: true; photo: ProcessedPhoto } | { source: PhotoSource; ok: false; failure: ImportFailure };

/** Adds photos to one stop as they are processed. */
export async function importPhotosToStop(db: GuanmoDb, pool: PhotoProcessor, sources: readonly PhotoSource[], target: PhotoTarget, options: ImportOptions = {}): Promise<ImportReport> {
  const report = emptyReport();
  let done = 0;
  await runLanes(sources, options.lanes ?? pool.size * 2, options.signal, report, async (source) => {
    // a photo already being processed when the user cancels is still saved: only new ones stop
    await save(db, await analyse(pool, source), target, report);
    options.onProgress?.({ total: sources.length, done: ++done });
  });
  report.cancelled = options.signal?.aborted === true;
  // lanes finish out of order: tell the user in the order they picked the files
  const order = new Map(sources.map((s, i) => [s.name, i] as const).reverse());
  report.notSaved.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  return report;
}

/** Processes photos without storing them (the tour import shows them, with proposed stops, first). */
export async function analysePhotos(pool: PhotoProcessor, sources: readonly PhotoSource[], options: ImportOptions = {}): Promise<AnalysedPhoto[] | null> {
  const results: AnalysedPhoto[] = new Array<AnalysedPhoto>(sources.length);
  const indexes = new Map(sources.map((s, i) => [s, i]));
  let done = 0;
  const report = emptyReport();
  await runLanes(sources, options.lanes ?? pool.size * 2, options.signal, report, async (source) => {
    results[indexes.get(source)!] = await analyse(pool, source);
    options.onProgress?.({ total: sources.length, done: ++done });
  });
  return options.signal?.aborted ? null : results;
}

/** Stores analysed photos, each at its chosen stop. */
export async function saveAnalysedPhotos(
  db: GuanmoDb,
  items: readonly { analysed: AnalysedPhoto; stopId: string }[],
  target: Omit<PhotoTarget, 'stopId'>,
  options: Omit<ImportOptions, 'lanes'> = {},
): Promise<ImportReport> {
  const report = emptyReport();
  let done = 0;
  // one lane: the work left is writing, which IndexedDB serialises anyway
  await runLanes(items, 1, options.signal, report, async ({ analysed, stopId }) => {
    await save(db, analysed, { ...target, stopId }, report);
    options.onProgress?.({ total: items.length, done: ++done });
  }, (item) => item.analysed.source.name);
  report.cancelled = options.signal?.aborted === true;
  return report;
}

async function analyse(pool: PhotoProcessor, source: PhotoSource): Promise<AnalysedPhoto> {
  try {
    const result = await pool.process(source.file);
    if (!result.ok) return { source, ok: false, failure: result.failure };
    const photo = result.photo.takenAt === null && source.takenAtFallback ? { ...result.photo, takenAt: source.takenAtFallback } : result.photo;
    return { source, ok: true, photo };
  } catch (error) {
    return { source, ok: false, failure: { kind: 'processing-failed', detail: error instanceof Error ? error.message : String(error) } };
  }
}

async function save(db: GuanmoDb, analysed: AnalysedPhoto, target: PhotoTarget, report: ImportReport): Promise<void> {
  const { source } = analysed;
  if (!analysed.ok) {
    report.failed.push({ name: source.name, failure: analysed.failure });
    return;
  }
  if (report.storageError) {
    report.notSaved.push(source.name);
    return;
  }
  const { photo } = analysed;
  let result: AddPhotoResult;
  try {
    result = await addPhoto(db, {
      ...target,
      sha256: photo.sha256,
      size: photo.size,
      mime: photo.mime,
      width: photo.width,
      height: photo.height,
      takenAt: photo.takenAt,
      lat: photo.lat,
      lng: photo.lng,
      // the very bytes that were hashed: a File is a snapshot, reading it after a change fails
      original: source.file.slice(0, source.file.size, photo.mime),
      thumb: photo.thumb,
      thumbSha256: photo.thumbSha256,
      display: photo.display,
    });
  } catch (error) {
    const described = describeStorageError(error);
    if (described.kind === 'quota') {
      report.storageError = described;
      report.notSaved.push(source.name);
    } else {
      report.failed.push({ name: source.name, failure: { kind: 'save-failed', detail: described.detail } });
    }
    return;
  }
  if (result.status === 'added') report.added.push(result.photo);
  else report.duplicates.push(source.name);
}

/**
 * Runs `work` over the items with at most `lanes` at once, in order of the items. Stops taking
 * new items when cancelled or when storage is full; the items never started are listed as not saved.
 */
async function runLanes<T>(
  items: readonly T[],
  lanes: number,
  signal: AbortSignal | undefined,
  report: ImportReport,
  work: (item: T) => Promise<void>,
  nameOf: (item: T) => string = (item) => (item as PhotoSource).name,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      if (isStopped(report, signal)) {
        for (const item of items.slice(next)) report.notSaved.push(nameOf(item));
        next = items.length;
        return;
      }
      const item = items[next++]!;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, lane));
}

function isStopped(report: ImportReport, signal: AbortSignal | undefined): boolean {
  return report.storageError !== null || signal?.aborted === true;
}

function emptyReport(): ImportReport {
  return { added: [], duplicates: [], failed: [], storageError: null, notSaved: [], cancelled: false };
}
