/**
 * A TCP proxy on 127.0.0.1 that counts the bytes crossing it in each direction, and can cut
 * every open connection once a given number of client→server bytes has passed (a network drop
 * in the middle of a sync). The sync bench puts one in front of each server it measures.
 *
 * "Bytes on the wire" here are TCP payload bytes: HTTP request and response heads and bodies,
 * chunk framing included; TCP/IP headers are not counted (they cost both peers alike).
 *
 * What must stay true:
 * - Counting is exact: every byte forwarded is counted once, in the direction it went, per
 *   connection and in total; nothing is buffered without bound (back-pressure is passed on).
 * - A cut forwards exactly up to the threshold, then resets both sides of every open
 *   connection at once. New connections are accepted again right after the cut unless
 *   `downForMs` says the network stays down (connections are then reset on arrival).
 */
import net from 'node:net';

export interface ConnectionBytes {
  id: number;
  up: number;
  down: number;
  isOpen: boolean;
}

export interface CutEvent {
  /** total client→server bytes when the cut happened (= the threshold) */
  upstreamBytes: number;
  connectionsCut: number;
}

export interface ProxyOptions {
  /** where to forward (always on loopback) */
  targetPort: number;
  targetHost?: string;
  /** port to listen on (default: any free one) */
  port?: number;
  /** sees every client→server chunk that is forwarded, in order (after a cut's truncation) */
  onUpstreamData?: (connectionId: number, chunk: Buffer) => void;
  /** a connection ended (closed or cut) */
  onConnectionEnd?: (connectionId: number) => void;
}

interface Pair {
  id: number;
  client: net.Socket;
  server: net.Socket;
  bytes: ConnectionBytes;
}

interface ArmedCut {
  atUpstreamBytes: number;
  downForMs: number;
  resolve: (event: CutEvent) => void;
}

export class ByteCountingProxy {
  private readonly pairs = new Map<number, Pair>();
  private readonly history: ConnectionBytes[] = [];
  private nextId = 1;
  private up = 0;
  private down = 0;
  private armed: ArmedCut | null = null;
  private downUntil = 0;
  private cuts = 0;

  private constructor(
    private readonly listener: net.Server,
    private readonly options: ProxyOptions,
  ) {}

  static async start(options: ProxyOptions): Promise<ByteCountingProxy> {
    // half-open allowed on both sides: a client that half-closes still gets its answer
    const listener = net.createServer({ allowHalfOpen: true });
    const proxy = new ByteCountingProxy(listener, options);
    listener.on('connection', (client) => proxy.accept(client));
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(options.port ?? 0, '127.0.0.1', () => {
        listener.off('error', reject);
        resolve();
      });
    });
    return proxy;
  }

  get port(): number {
    const address = this.listener.address();
    if (!address || typeof address === 'string') throw new Error('the proxy is not listening');
    return address.port;
  }

  /** http://127.0.0.1:<port> */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** client→server bytes since the start (or the last resetCounters) */
  get bytesUp(): number {
    return this.up;
  }

  /** server→client bytes since the start (or the last resetCounters) */
  get bytesDown(): number {
    return this.down;
  }

  get openConnectionCount(): number {
    return this.pairs.size;
  }

  get cutCount(): number {
    return this.cuts;
  }

  /** connections opened since the start (or the last resetCounters), with their bytes */
  get connections(): readonly ConnectionBytes[] {
    return this.history;
  }

  /** Zeroes the totals and forgets closed connections (open ones count from zero again). */
  resetCounters(): void {
    this.up = 0;
    this.down = 0;
    this.history.length = 0;
    for (const pair of this.pairs.values()) {
      pair.bytes.up = 0;
      pair.bytes.down = 0;
      this.history.push(pair.bytes);
    }
  }

  /**
   * Arms a cut: when the client→server total reaches `atUpstreamBytes` (counted like bytesUp),
   * every open connection is reset. Resolves when it happened. One cut armed at a time.
   */
  cutAt(atUpstreamBytes: number, { downForMs = 0 }: { downForMs?: number } = {}): Promise<CutEvent> {
    if (this.armed) throw new Error('a cut is already armed');
    if (!(atUpstreamBytes >= 0)) throw new Error('the cut needs a byte count ≥ 0');
    return new Promise<CutEvent>((resolve) => {
      this.armed = { atUpstreamBytes, downForMs, resolve };
      if (this.up >= atUpstreamBytes) this.fireCut();
    });
  }

  /** Resets every open connection now. */
  cutNow({ downForMs = 0 }: { downForMs?: number } = {}): CutEvent {
    const connectionsCut = this.pairs.size;
    for (const pair of [...this.pairs.values()]) this.closePair(pair, true);
    this.downUntil = Date.now() + downForMs;
    this.cuts++;
    return { upstreamBytes: this.up, connectionsCut };
  }

  /** Stops listening and closes every open connection. */
  async close(): Promise<void> {
    for (const pair of [...this.pairs.values()]) this.closePair(pair, false);
    await new Promise<void>((resolve) => this.listener.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    if (Date.now() < this.downUntil) {
      client.resetAndDestroy();
      return;
    }
    const id = this.nextId++;
    const server = net.connect({ host: this.options.targetHost ?? '127.0.0.1', port: this.options.targetPort, allowHalfOpen: true });
    const bytes: ConnectionBytes = { id, up: 0, down: 0, isOpen: true };
    const pair: Pair = { id, client, server, bytes };
    this.pairs.set(id, pair);
    this.history.push(bytes);
    client.setNoDelay(true);
    server.setNoDelay(true);

    client.on('data', (chunk: Buffer) => this.forwardUp(pair, chunk));
    server.on('data', (chunk: Buffer) => {
      this.down += chunk.length;
      bytes.down += chunk.length;
      if (!client.write(chunk)) {
        server.pause();
        client.once('drain', () => server.resume());
      }
    });
    // A close on one side ends the other gracefully (what was written still gets delivered,
    // e.g. a response sent with `Connection: close`); the pair is gone once both are closed.
    // An error on either side destroys both.
    client.on('end', () => server.end());
    server.on('end', () => client.end());
    const onClose = () => {
      if (client.destroyed && server.destroyed) this.closePair(pair, false);
      else if (client.destroyed) server.end();
      else if (server.destroyed) client.end();
    };
    client.on('close', onClose);
    server.on('close', onClose);
    const onError = () => this.closePair(pair, false);
    client.on('error', onError);
    server.on('error', onError);
  }

  private forwardUp(pair: Pair, chunk: Buffer): void {
    const armed = this.armed;
    let forward = chunk;
    let isCutting = false;
    if (armed && this.up + chunk.length >= armed.atUpstreamBytes) {
      forward = chunk.subarray(0, Math.max(0, armed.atUpstreamBytes - this.up));
      isCutting = true;
    }
    if (forward.length > 0) {
      this.up += forward.length;
      pair.bytes.up += forward.length;
      this.options.onUpstreamData?.(pair.id, forward);
      if (!pair.server.write(forward)) {
        pair.client.pause();
        pair.server.once('drain', () => pair.client.resume());
      }
    }
    if (isCutting) this.fireCut();
  }

  private fireCut(): void {
    const armed = this.armed;
    if (!armed) return;
    this.armed = null;
    armed.resolve(this.cutNow({ downForMs: armed.downForMs }));
  }

  private closePair(pair: Pair, isReset: boolean): void {
    if (!this.pairs.delete(pair.id)) return;
    pair.bytes.isOpen = false;
    if (isReset) {
      pair.client.resetAndDestroy();
      pair.server.resetAndDestroy();
    } else {
      pair.client.destroy();
      pair.server.destroy();
    }
    this.options.onConnectionEnd?.(pair.id);
  }
}
