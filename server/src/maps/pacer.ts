/**
 * Spaces requests to an upstream tile server: at most `perSecond` start in any second (one every
 * 1/perSecond s, no bursts), however many workers ask. A pack build takes a slot before each
 * upstream request; cached tiles take none.
 *
 * `slowDown` pushes the next slot out (the upstream answered 429 or 503 with Retry-After).
 */
export interface PacerClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: PacerClock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export class Pacer {
  private nextSlot = -Infinity;
  readonly intervalMs: number;

  constructor(
    readonly perSecond: number,
    private readonly clock: PacerClock = realClock,
  ) {
    if (!(perSecond > 0)) throw new RangeError('perSecond must be above 0');
    this.intervalMs = 1000 / perSecond;
  }

  /** Resolves when the caller may start its request. */
  async take(signal?: AbortSignal): Promise<void> {
    const now = this.clock.now();
    const slot = Math.max(now, this.nextSlot);
    // reserve before waiting, so concurrent callers queue one interval apart
    this.nextSlot = slot + this.intervalMs;
    if (slot > now) await this.clock.sleep(slot - now, signal);
  }

  slowDown(ms: number): void {
    this.nextSlot = Math.max(this.nextSlot, this.clock.now() + ms);
  }
}
