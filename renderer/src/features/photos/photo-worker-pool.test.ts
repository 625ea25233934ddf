import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PhotoJob, PhotoJobResult } from './photo-worker-protocol';
import { PhotoWorkerPool } from './photo-worker-pool';

/**
 * A stand-in for a photo worker: answers each job after `delayMs` (or never, or with an error),
 * and records what the pool did with it.
 */
class FakeWorker {
  static created: FakeWorker[] = [];
  static busyAtOnce = 0;
  static maxBusyAtOnce = 0;
  onmessage: ((event: MessageEvent<PhotoJobResult>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  isTerminated = false;
  jobs: number[] = [];
  constructor(private readonly behaviour: 'answer' | 'hang' | 'fail-to-start' = 'answer') {
    FakeWorker.created.push(this);
    if (behaviour === 'fail-to-start') {
      setTimeout(() => this.onerror?.({ message: 'script failed to load', preventDefault() {} } as ErrorEvent), 1);
    }
  }
  postMessage(job: PhotoJob) {
    this.jobs.push(job.jobId);
    if (this.behaviour !== 'answer') return;
    FakeWorker.busyAtOnce++;
    FakeWorker.maxBusyAtOnce = Math.max(FakeWorker.maxBusyAtOnce, FakeWorker.busyAtOnce);
    setTimeout(() => {
      FakeWorker.busyAtOnce--;
      if (this.isTerminated) return;
      const result: PhotoJobResult = { jobId: job.jobId, ok: false, failure: { kind: 'not-an-image' } };
      this.onmessage?.({ data: result } as MessageEvent<PhotoJobResult>);
    }, 2);
  }
  terminate() {
    this.isTerminated = true;
  }
}

const asWorker = (w: FakeWorker) => w as unknown as Worker;

afterEach(() => {
  FakeWorker.created = [];
  FakeWorker.busyAtOnce = 0;
  FakeWorker.maxBusyAtOnce = 0;
  vi.useRealTimers();
});

describe('PhotoWorkerPool', () => {
  it('runs every job, on at most `size` workers, one job per worker at a time', async () => {
    const pool = new PhotoWorkerPool({ size: 2, createWorker: () => asWorker(new FakeWorker()) });
    const results = await Promise.all(Array.from({ length: 7 }, () => pool.process(new Blob(['x']))));
    expect(results.map((r) => r.ok)).toEqual(Array(7).fill(false));
    expect(new Set(results.map((r) => r.jobId)).size).toBe(7);
    expect(FakeWorker.created).toHaveLength(2);
    expect(FakeWorker.maxBusyAtOnce).toBe(2);
    expect(FakeWorker.created.flatMap((w) => w.jobs).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    pool.terminate();
  });

  it('rejects the jobs when the worker script cannot start, and can start again later', async () => {
    let behaviour: 'fail-to-start' | 'answer' = 'fail-to-start';
    const pool = new PhotoWorkerPool({ size: 1, createWorker: () => asWorker(new FakeWorker(behaviour)) });
    const jobs = [pool.process(new Blob(['a'])), pool.process(new Blob(['b']))];
    await expect(jobs[0]).rejects.toThrow(/script failed to load/);
    await expect(jobs[1]).rejects.toThrow(/script failed to load/);
    // one attempt, not one per queued photo
    expect(FakeWorker.created.map((w) => w.isTerminated)).toEqual([true]);
    behaviour = 'answer';
    await expect(pool.process(new Blob(['c']))).resolves.toMatchObject({ ok: false });
    pool.terminate();
  });

  it('gives up a photo that takes too long, replaces its worker and goes on', async () => {
    let count = 0;
    const pool = new PhotoWorkerPool({ size: 1, jobTimeoutMs: 20, createWorker: () => asWorker(new FakeWorker(count++ === 0 ? 'hang' : 'answer')) });
    const stuck = pool.process(new Blob(['huge']));
    const next = pool.process(new Blob(['small']));
    await expect(stuck).rejects.toThrow(/timed out/);
    await expect(next).resolves.toMatchObject({ ok: false, failure: { kind: 'not-an-image' } });
    expect(FakeWorker.created.map((w) => w.isTerminated)).toEqual([true, false]);
    pool.terminate();
  });

  it('stops idle workers after a while and starts new ones when needed', async () => {
    const pool = new PhotoWorkerPool({ size: 2, idleMs: 10, createWorker: () => asWorker(new FakeWorker()) });
    await pool.process(new Blob(['a']));
    await new Promise((r) => setTimeout(r, 30));
    expect(FakeWorker.created.every((w) => w.isTerminated)).toBe(true);
    await pool.process(new Blob(['b']));
    expect(FakeWorker.created).toHaveLength(2);
    expect(FakeWorker.created[1]?.isTerminated).toBe(false);
    pool.terminate();
    expect(FakeWorker.created[1]?.isTerminated).toBe(true);
  });

  it('rejects what is queued or running when terminated', async () => {
    const pool = new PhotoWorkerPool({ size: 1, createWorker: () => asWorker(new FakeWorker('hang')) });
    const running = pool.process(new Blob(['a']));
    const queued = pool.process(new Blob(['b']));
    pool.terminate();
    await expect(running).rejects.toThrow(/stopped/);
    await expect(queued).rejects.toThrow(/stopped/);
  });
});
