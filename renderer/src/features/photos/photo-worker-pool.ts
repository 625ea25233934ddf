/**
 * A small pool of photo workers. Each worker runs one job at a time; jobs wait in a FIFO queue
 * of file references (no bytes), so memory is bounded by the number of workers, not by the
 * number of files. Workers are started on first use and stopped after a quiet minute.
 */
import type { PhotoJob, PhotoJobResult } from './photo-worker-protocol';
// the URL of the bundled worker script (Vite builds it as its own chunk)
import photoWorkerUrl from './photo-worker.ts?worker&url';

export type CreateWorker = () => Worker;

interface Pending {
  file: Blob;
  resolve: (result: PhotoJobResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job: { jobId: number; pending: Pending; timer: ReturnType<typeof setTimeout> } | null;
  /** it answered at least once: a later error is a crash on one photo, not a script that cannot start */
  hasAnswered: boolean;
}

export interface PhotoWorkerPoolOptions {
  size: number;
  createWorker?: CreateWorker;
  /** a photo that takes longer than this is given up (its worker restarted) */
  jobTimeoutMs?: number;
  /** idle workers are stopped after this long */
  idleMs?: number;
}

export const createPhotoWorker: CreateWorker = () => new Worker(photoWorkerUrl, { type: 'module', name: 'guanmo-photos' });

export class PhotoWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextJobId = 1;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  /** the most workers (and so photos being decoded) at once */
  readonly size: number;
  private readonly createWorker: CreateWorker;
  private readonly jobTimeoutMs: number;
  private readonly idleMs: number;

  constructor({ size, createWorker = createPhotoWorker, jobTimeoutMs = 120_000, idleMs = 60_000 }: PhotoWorkerPoolOptions) {
    this.size = Math.max(1, size);
    this.createWorker = createWorker;
    this.jobTimeoutMs = jobTimeoutMs;
    this.idleMs = idleMs;
  }

  /** Processes one file in a worker. Rejects only when no worker can run (e.g. the script failed to load). */
  process(file: Blob): Promise<PhotoJobResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ file, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every worker; queued and running jobs are rejected. */
  terminate(): void {
    const error = new Error('photo processing was stopped');
    for (const pending of this.queue.splice(0)) pending.reject(error);
    for (const slot of this.slots.splice(0)) this.stopSlot(slot, error);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private dispatch(): void {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => s.job === null) ?? (this.slots.length < this.size ? this.startSlot() : null);
      if (!slot) return;
      const pending = this.queue.shift()!;
      const jobId = this.nextJobId++;
      const timer = setTimeout(() => this.failSlot(slot, new Error('photo processing timed out')), this.jobTimeoutMs);
      slot.job = { jobId, pending, timer };
      const job: PhotoJob = { jobId, file: pending.file };
      slot.worker.postMessage(job);
    }
    if (this.slots.every((s) => s.job === null)) {
      this.idleTimer = setTimeout(() => {
        for (const slot of this.slots.splice(0)) slot.worker.terminate();
      }, this.idleMs);
    }
  }

  private startSlot(): Slot {
    const slot: Slot = { worker: this.createWorker(), job: null, hasAnswered: false };
    slot.worker.onmessage = (event: MessageEvent<PhotoJobResult>) => {
      const job = slot.job;
      if (!job || event.data.jobId !== job.jobId) return;
      clearTimeout(job.timer);
      slot.job = null;
      slot.hasAnswered = true;
      job.pending.resolve(event.data);
      this.dispatch();
    };
    // the worker script failed to load or crashed: its job fails, the slot is replaced on demand
    slot.worker.onerror = (event) => {
      event.preventDefault();
      this.failSlot(slot, new Error(`photo worker failed: ${event.message || 'could not start'}`), !slot.hasAnswered);
    };
    this.slots.push(slot);
    return slot;
  }

  private failSlot(slot: Slot, error: Error, isStartFailure = false): void {
    const index = this.slots.indexOf(slot);
    if (index !== -1) this.slots.splice(index, 1);
    this.stopSlot(slot, error);
    // a worker script that cannot even start (e.g. not cached and offline) will not start for
    // the next photo either: fail the queue too, rather than trying once per photo
    if (isStartFailure) for (const pending of this.queue.splice(0)) pending.reject(error);
    this.dispatch();
  }

  private stopSlot(slot: Slot, error: Error): void {
    if (slot.job) {
      clearTimeout(slot.job.timer);
      slot.job.pending.reject(error);
      slot.job = null;
    }
    slot.worker.terminate();
  }
}

let shared: PhotoWorkerPool | null = null;

/** The app's pool: as many workers as cores, at most three (decoding a 12 MP photo takes ~50 MB). */
export function getPhotoWorkerPool(): PhotoWorkerPool {
  if (!shared) {
    const cores = typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2;
    shared = new PhotoWorkerPool({ size: Math.min(3, Math.max(1, cores)) });
  }
  return shared;
}

/**
 * Fetches the worker script into the HTTP cache once the app has loaded, so the first import
 * still works when the network is gone by then (in a plain browser; the desktop app loads its
 * files from disk). Best effort: a failure here changes nothing.
 */
export function warmPhotoWorkerScript(): void {
  if (typeof fetch !== 'function' || typeof window === 'undefined' || window.location.protocol === 'file:') return;
  void fetch(photoWorkerUrl, { credentials: 'same-origin' }).catch(() => undefined);
}

// Soon after the app starts (the stop and tour pages import this module), while the network is
// most likely still there. Only in builds: the dev server compiles the worker on request.
if (import.meta.env.PROD && typeof window !== 'undefined') setTimeout(warmPhotoWorkerScript, 1500);
