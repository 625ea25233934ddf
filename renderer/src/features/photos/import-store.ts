/**
 * Imports running per stop, kept outside React: an import goes on when the user leaves the
 * stop page (the photos are being stored either way), and its progress and report are there
 * again when they come back. Batches added while one runs are queued behind it.
 */
import type { GuanmoDb } from '../../db/guanmo-db';
import { importPhotosToStop, type ImportReport, type PhotoProcessor, type PhotoSource, type PhotoTarget } from './import-photos';

export interface StopImportState {
  readonly isRunning: boolean;
  /** files of every batch since the last dismiss */
  readonly total: number;
  readonly done: number;
  /** merged report of the finished batches; null while none finished or after dismiss */
  readonly report: ImportReport | null;
}

const idle: StopImportState = { isRunning: false, total: 0, done: 0, report: null };

export class PhotoImportStore {
  private readonly states = new Map<string, StopImportState>();
  private readonly tails = new Map<string, Promise<void>>();
  private readonly controllers = new Map<string, AbortController>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly db: () => GuanmoDb,
    private readonly pool: () => PhotoProcessor,
  ) {}

  get(stopId: string): StopImportState {
    return this.states.get(stopId) ?? idle;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Queues a batch for a stop; resolves when it has been stored (or stopped). */
  start(target: PhotoTarget, sources: readonly PhotoSource[]): Promise<void> {
    const { stopId } = target;
    if (sources.length === 0) return this.tails.get(stopId) ?? Promise.resolve();
    // a batch started after the previous ones finished gets a report of its own
    const before = this.get(stopId).isRunning ? this.get(stopId) : idle;
    this.set(stopId, { ...before, isRunning: true, total: before.total + sources.length });
    const controller = this.controllers.get(stopId) ?? new AbortController();
    this.controllers.set(stopId, controller);
    let doneBefore = 0;
    const run = async () => {
      doneBefore = this.get(stopId).done;
      const report = await importPhotosToStop(this.db(), this.pool(), sources, target, {
        signal: controller.signal,
        onProgress: ({ done }) => this.set(stopId, { ...this.get(stopId), done: doneBefore + done }),
      });
      const current = this.get(stopId);
      this.set(stopId, { ...current, done: doneBefore + sources.length, report: mergeReports(current.report, report) });
    };
    const tail = (this.tails.get(stopId) ?? Promise.resolve()).then(run, run).finally(() => {
      if (this.tails.get(stopId) === tail) {
        this.tails.delete(stopId);
        this.controllers.delete(stopId);
        this.set(stopId, { ...this.get(stopId), isRunning: false });
      }
    });
    this.tails.set(stopId, tail);
    return tail;
  }

  /** Stops taking new files for this stop; photos already being processed are still stored. */
  cancel(stopId: string): void {
    this.controllers.get(stopId)?.abort();
  }

  /** Forgets a finished import's report. */
  dismiss(stopId: string): void {
    const state = this.get(stopId);
    if (state.isRunning) this.set(stopId, { ...state, report: null });
    else this.set(stopId, idle);
  }

  private set(stopId: string, state: StopImportState): void {
    this.states.set(stopId, state);
    for (const listener of this.listeners) listener();
  }
}

export function mergeReports(a: ImportReport | null, b: ImportReport): ImportReport {
  if (!a) return b;
  return {
    added: [...a.added, ...b.added],
    duplicates: [...a.duplicates, ...b.duplicates],
    failed: [...a.failed, ...b.failed],
    storageError: b.storageError ?? a.storageError,
    notSaved: [...a.notSaved, ...b.notSaved],
    cancelled: a.cancelled || b.cancelled,
  };
}
