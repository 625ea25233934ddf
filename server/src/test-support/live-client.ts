/**
 * A client of the live channel for tests and benches: opens GET /api/sync/live on a listening
 * server, parses the stream with the shared SSE parser (as the app does) and keeps what arrived,
 * in order. `next(name)` waits for the next event or heartbeat after those already taken.
 *
 * Over node:http rather than fetch: Node's fetch (undici) opens a fresh, empty connection to the
 * server when a streaming request is aborted, and the server's close() then waits for that idle
 * socket's header timeout. Browsers do not do that.
 */
import http from 'node:http';
import { LIVE_PATH } from '@shared/sync/live-protocol';
import { SseParser } from '@shared/sync/sse-parser';

export interface LiveItem {
  /** an event's name, or 'heartbeat' for a heartbeat comment */
  kind: string;
  data: string;
}

export interface LiveResponse {
  status: number;
  headers: { get(name: string): string | null };
  /** the body of a response that is not a stream */
  text: string;
}

export class LiveTestClient {
  readonly items: LiveItem[] = [];
  /** the response, once its headers arrived */
  response: LiveResponse | null = null;
  isEnded = false;
  /** ms since epoch of each item's arrival, in the order of `items` */
  readonly arrivedAt: number[] = [];
  /** called on every item as it arrives (benches time events with it) */
  onItem: ((item: LiveItem) => void) | null = null;
  private taken = 0;
  private request: http.ClientRequest | null = null;
  private readonly waiters = new Set<() => void>();
  readonly done: Promise<void>;
  private headersArrived!: () => void;
  private readonly headersPromise = new Promise<void>((resolve) => (this.headersArrived = resolve));

  private constructor(url: URL, headers: Record<string, string>, agent?: http.Agent) {
    this.done = this.run(url, headers, agent);
  }

  static async open(baseUrl: string, token: string | null, options: { clientId?: string; origin?: string; agent?: http.Agent } = {}): Promise<LiveTestClient> {
    const url = new URL(LIVE_PATH.replace(/^\//, ''), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    if (options.clientId) url.searchParams.set('clientId', options.clientId);
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (options.origin) headers.origin = options.origin;
    const client = new LiveTestClient(url, headers, options.agent);
    await Promise.race([client.headersPromise, client.done]);
    return client;
  }

  private run(url: URL, headers: Record<string, string>, agent: http.Agent | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const finish = () => {
        this.isEnded = true;
        this.headersArrived();
        this.wake();
        resolve();
      };
      const request = http.get(url, { headers, agent: agent ?? false }, (response) => {
        const raw = response.headers;
        this.response = {
          status: response.statusCode ?? 0,
          headers: { get: (name) => {
            const value = raw[name.toLowerCase()];
            return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
          } },
          text: '',
        };
        const isStream = (response.headers['content-type'] ?? '').startsWith('text/event-stream');
        const parser = new SseParser(
          (event) => this.add({ kind: event.event, data: event.data }),
          (comment) => this.add({ kind: comment, data: '' }),
        );
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (isStream) parser.push(chunk);
          else this.response!.text += chunk;
        });
        response.on('end', finish);
        response.on('close', finish);
        response.on('error', finish);
        this.headersArrived();
      });
      this.request = request;
      request.on('error', (error) => {
        if (this.isClosed) finish();
        else {
          this.isEnded = true;
          this.headersArrived();
          this.wake();
          reject(error);
        }
      });
    });
  }

  private isClosed = false;

  private add(item: LiveItem): void {
    this.items.push(item);
    this.arrivedAt.push(Date.now());
    this.onItem?.(item);
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** names of the events (not heartbeats) received so far */
  get events(): string[] {
    return this.items.filter((i) => i.kind !== 'heartbeat').map((i) => i.kind);
  }

  /** Waits for the next item of `kind` after those taken before; items before it count as taken. */
  async next(kind: string, timeoutMs = 10_000): Promise<LiveItem> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.items.findIndex((item, i) => i >= this.taken && item.kind === kind);
      if (at >= 0) {
        this.taken = at + 1;
        return this.items[at]!;
      }
      if (this.isEnded) throw new Error(`the stream ended before a "${kind}" arrived; got ${JSON.stringify(this.items.slice(this.taken))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no "${kind}" within ${timeoutMs} ms; got ${JSON.stringify(this.items.slice(this.taken))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiters.delete(wake);
          resolve();
        }, left);
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
      });
    }
  }

  /** the items after those taken, taking them */
  takeRest(): LiveItem[] {
    const rest = this.items.slice(this.taken);
    this.taken = this.items.length;
    return rest;
  }

  close(): void {
    this.isClosed = true;
    this.request?.destroy();
  }
}
