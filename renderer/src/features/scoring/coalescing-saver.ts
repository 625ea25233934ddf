/**
 * Saves the latest value of something the user keeps changing (a score sheet being typed),
 * write-through with coalescing: the first change is written at once; changes made while a
 * write is running are merged (only the newest value matters) into ONE next write, started as
 * soon as the running one ends. So a save lands within one write time of the keystroke, and
 * fast typing never queues up more than one write.
 *
 * An optional debounce (`delayMs` > 0) waits for a pause in typing first; the sheet uses 0
 * (see the benchmark tests/bench/field-scoring.bench.ts: keystroke to IndexedDB < 100 ms).
 *
 * A failed write (disk full) keeps its value: the next change, flush() or retry() writes the
 * newest value again. Nothing typed is dropped while the saver lives.
 */
export type SaveState =
  | { readonly status: 'idle' }
  | { readonly status: 'saving' }
  | { readonly status: 'saved'; readonly at: string }
  | { readonly status: 'error'; readonly error: unknown };

export class CoalescingSaver<T> {
  private pending: { value: T } | null = null;
  private running: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private state: SaveState = { status: 'idle' };
  private isClosed = false;

  constructor(
    private readonly write: (value: T) => Promise<string>,
    private readonly onState: (state: SaveState) => void = () => {},
    private readonly delayMs = 0,
  ) {}

  get currentState(): SaveState {
    return this.state;
  }

  /** true while a value is waiting or being written */
  get isBusy(): boolean {
    return this.pending !== null || this.running !== null;
  }

  /** The newest value to save; replaces any value not written yet. */
  schedule(value: T): void {
    if (this.isClosed) return;
    this.pending = { value };
    if (this.delayMs > 0 && !this.running) {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = null;
        this.kick();
      }, this.delayMs);
      return;
    }
    this.kick();
  }

  /** Writes what is pending now (window hidden or closing, page left) and resolves when done or failed. */
  async flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.kick();
    while (this.running) await this.running;
  }

  /** After an error: write the newest value again. */
  retry(): Promise<void> {
    return this.flush();
  }

  /** Flushes, then refuses further values (e.g. the sheet was submitted). */
  async close(): Promise<void> {
    await this.flush();
    this.isClosed = true;
  }

  private kick(): void {
    if (this.running || !this.pending) return;
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  private async loop(): Promise<void> {
    while (this.pending) {
      const { value } = this.pending;
      this.pending = null;
      this.setState({ status: 'saving' });
      try {
        const at = await this.write(value);
        if (!this.pending) this.setState({ status: 'saved', at });
      } catch (error) {
        // keep the value unless a newer one arrived meanwhile; stop until the next change or retry
        this.pending ??= { value };
        this.setState({ status: 'error', error });
        return;
      }
    }
  }

  private setState(state: SaveState): void {
    this.state = state;
    this.onState(state);
  }
}
