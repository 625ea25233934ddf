/**
 * Reusable buffers for pull answers.
 *
 * A pull page is a few hundred kilobytes (500 records with their field versions). Allocated fresh
 * for every answer, each one came from memory the C allocator had just taken from the kernel, and
 * touching it page by page cost more than copying the records into it: half of the time spent
 * building pull answers (bench:server reconnect on PostgreSQL, December 2026: 0.70 ms per answer
 * with fresh buffers, 0.37 ms with memory already in use). So answers are built in buffers kept
 * here and given back once the answer has been handed to the operating system.
 *
 * What must stay true:
 * - A buffer is given back only after the response's 'finish' event (its bytes are in the
 *   kernel's socket buffer by then; nothing reads the buffer again). An answer whose connection
 *   closes first never gives its buffer back: the garbage collector takes it, as without a pool.
 * - A buffer is never handed out twice at once (taken off the free list when handed out).
 * - The pool is bounded: at most `maxFree` buffers wait, none larger than `maxBytes`; answers
 *   beyond those get buffers of their own.
 */
export class PageBuffers {
  private readonly free: Buffer[] = [];

  constructor(
    private readonly maxFree = 16,
    private readonly maxBytes = 4 * 1024 * 1024,
  ) {}

  /** a buffer of at least `size` bytes, its content undefined */
  take(size: number): Buffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const length = this.free[i]!.length;
      if (length >= size && (best === -1 || length < this.free[best]!.length)) best = i;
    }
    if (best !== -1) return this.free.splice(best, 1)[0]!;
    // rounded up, so that the next answers of about this size fit the same buffer
    const capacity = size <= this.maxBytes ? Math.max(64 * 1024, 2 ** Math.ceil(Math.log2(size))) : size;
    return Buffer.allocUnsafeSlow(capacity);
  }

  /** gives `buffer` (from take) back once nothing will read it again */
  give(buffer: Buffer): void {
    if (buffer.length > this.maxBytes) return;
    if (this.free.length < this.maxFree) {
      this.free.push(buffer);
      return;
    }
    // full: keep the larger buffers, which fit more answers
    let smallest = 0;
    for (let i = 1; i < this.free.length; i++) if (this.free[i]!.length < this.free[smallest]!.length) smallest = i;
    if (this.free[smallest]!.length < buffer.length) this.free[smallest] = buffer;
  }

  /** buffers waiting to be reused (tests) */
  get size(): number {
    return this.free.length;
  }
}
