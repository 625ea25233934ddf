import { describe, expect, it } from 'vitest';
import { WorkQueue, WorkQueueTimeout } from './work-queue.js';

/** a piece of work that ends when told to, and says when it started */
function job(log: string[], name: string) {
  let finish!: (value: string) => void;
  let fail!: (error: Error) => void;
  const done = new Promise<string>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return {
    work: () => {
      log.push(`start ${name}`);
      return done;
    },
    finish: () => finish(name),
    fail: (error: Error) => fail(error),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('WorkQueue', () => {
  it('works on at most `limit` at once and starts the others in arrival order', async () => {
    const queue = new WorkQueue(2, 10_000);
    const log: string[] = [];
    const jobs = ['a', 'b', 'c', 'd'].map((name) => job(log, name));
    const results = jobs.map((j) => queue.run(j.work));
    await tick();
    expect(log).toEqual(['start a', 'start b']);
    expect(queue.queued).toBe(2);
    jobs[1]!.finish();
    await tick();
    expect(log).toEqual(['start a', 'start b', 'start c']);
    jobs[0]!.finish();
    await tick();
    expect(log).toEqual(['start a', 'start b', 'start c', 'start d']);
    jobs[2]!.finish();
    jobs[3]!.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect(queue.queued).toBe(0);
  });

  it('gives the slot back when the work fails', async () => {
    const queue = new WorkQueue(1, 10_000);
    const log: string[] = [];
    const failing = job(log, 'a');
    const next = job(log, 'b');
    const first = queue.run(failing.work);
    const second = queue.run(next.work);
    failing.fail(new Error('database gone'));
    await expect(first).rejects.toThrow('database gone');
    await tick();
    expect(log).toEqual(['start a', 'start b']);
    next.finish();
    expect(await second).toBe('b');
  });

  it('refuses a request that waited too long, which then never starts nor holds a slot', async () => {
    const queue = new WorkQueue(1, 30);
    const log: string[] = [];
    const slow = job(log, 'slow');
    const late = job(log, 'late');
    const running = queue.run(slow.work);
    await expect(queue.run(late.work)).rejects.toBeInstanceOf(WorkQueueTimeout);
    expect(queue.queued).toBe(0);
    slow.finish();
    await running;
    // the slot is free again: the next one starts at once
    const after = job(log, 'after');
    const result = queue.run(after.work);
    await tick();
    after.finish();
    expect(await result).toBe('after');
    expect(log).toEqual(['start slow', 'start after']);
  });

  it('only takes a positive whole limit', () => {
    expect(() => new WorkQueue(0, 1000)).toThrow(RangeError);
    expect(() => new WorkQueue(1.5, 1000)).toThrow(RangeError);
  });
});
