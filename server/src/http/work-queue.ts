/**
 * A first-come, first-served queue in front of the sync routes' database work: at most `limit`
 * pushes and pulls are being worked on at once, the others wait their turn in arrival order.
 *
 * Why: every request awaits the database several times, and with a hundred laptops syncing at
 * once each await sent it to the back of a hundred others. Every request then took about as
 * long as all of them together, and which ones finished last was chance: the tail of the
 * latency was several times its median. Taken in turn, each request waits for those ahead of
 * it and then runs through; the throughput is the same, the wait is fair.
 *
 * What must stay true:
 * - A slot is always given back (run's finally), whatever the work does.
 * - Waiting is bounded: after `maxWaitMs` the work is refused with WorkQueueTimeout (the routes
 *   answer 503 with Retry-After; nothing was done, and a client may always send it again).
 */
export class WorkQueueTimeout extends Error {
  override name = 'WorkQueueTimeout';
}

interface Waiter {
  start: () => void;
  timer: ReturnType<typeof setTimeout>;
}

export class WorkQueue {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly limit: number,
    private readonly maxWaitMs: number,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`WorkQueue limit must be a positive integer, not ${limit}`);
  }

  /** how many are waiting for a slot (not counting those at work) */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.limit && this.waiting.length === 0) this.running++;
    else await this.turn();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Resolves once this caller holds a slot (handed over by release), or rejects after maxWaitMs. */
  private turn(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        start: () => {
          clearTimeout(waiter.timer);
          resolve();
        },
        timer: setTimeout(() => {
          const at = this.waiting.indexOf(waiter);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(new WorkQueueTimeout(`waited ${this.maxWaitMs} ms for the database`));
        }, this.maxWaitMs),
      };
      this.waiting.push(waiter);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next.start(); // the slot passes straight on: `running` stays the same
    else this.running--;
  }
}
