/**
 * The tus upload lock (one request at a time may write an upload) across server processes.
 *
 * Several server processes on one PostgreSQL share the data folder, and a laptop that resumes an
 * upload after a cut may reach a different process than the one still holding its half-open PATCH.
 * Without a shared lock the two processes could append to the same file at once and corrupt it.
 *
 * PostgreSQL: session-level advisory locks, all taken on ONE dedicated connection per process
 * (not from the query pool: a lock is held for the whole PATCH, seconds on a slow link, and must
 * never starve sync requests of connections; and one connection can hold any number of locks).
 * Because advisory locks are re-entrant within a session, exclusion between requests of this
 * same process comes first, from tus's in-memory locker; only its winner asks PostgreSQL, with
 * pg_try_advisory_lock polled (never the blocking form: it would stall the shared connection).
 * A process that needs a lock another process holds sends NOTIFY on `guanmo_upload_lock`; the
 * holder hears it and asks its request to finish (tus's "request release": the PATCH stops
 * after lockDrainTimeout and unlocks), exactly as tus does between requests of one process.
 * If the lock connection drops, PostgreSQL has released every lock it held: the holders here are
 * told to stop at once, and the next lock opens a new connection.
 *
 * SQLite: the server is one process by design (one writer on a local file), so tus's in-memory
 * locker is the right one there; createUploadLocker returns it.
 */
import { createHash } from 'node:crypto';
import { ERRORS, MemoryLocker, type Lock, type Locker, type RequestRelease } from '@tus/server';
import pg from 'pg';

/** pg_advisory_lock(int4, int4) namespace for upload locks: "tus" + 1; no other lock of this app uses the two-int form */
const lockNamespace = 0x74757301;
const releaseChannel = 'guanmo_upload_lock';

export interface UploadLockerOptions {
  /** how long lock() waits before giving up with ERR_LOCK_TIMEOUT (default 30 s, as tus) */
  acquireLockTimeoutMs?: number;
  /** log for a lost lock connection */
  log?: { warn(obj: object, msg: string): void };
}

/** Stable 32-bit key of an upload id. A rare collision only makes two uploads take turns. */
export function uploadLockKey(id: string): number {
  return createHash('sha256').update(id).digest().readInt32BE(0);
}

export class PgAdvisoryLocker implements Locker {
  private readonly local: MemoryLocker;
  private readonly timeoutMs: number;
  private connection: Promise<pg.Client> | null = null;
  /** locks this process holds in PostgreSQL: id → how to ask their request to finish */
  private readonly held = new Map<string, RequestRelease>();
  private isClosed = false;

  constructor(
    private readonly connectionString: string,
    private readonly options: UploadLockerOptions = {},
  ) {
    this.timeoutMs = options.acquireLockTimeoutMs ?? 30_000;
    this.local = new MemoryLocker({ acquireLockTimeout: this.timeoutMs });
  }

  newLock(id: string): Lock {
    return new PgAdvisoryLock(id, this, this.local.newLock(id));
  }

  /** Ids this process holds in PostgreSQL (tests, diagnostics). */
  heldIds(): string[] {
    return [...this.held.keys()];
  }

  async close(): Promise<void> {
    this.isClosed = true;
    const connection = this.connection;
    this.connection = null;
    this.loseAll();
    if (connection) await connection.then((c) => c.end()).catch(() => undefined);
  }

  /** @internal */
  async tryAcquire(id: string, requestRelease: RequestRelease): Promise<boolean> {
    const client = await this.client();
    const result = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', [lockNamespace, uploadLockKey(id)]);
    if (result.rows[0]?.ok !== true) return false;
    this.held.set(id, requestRelease);
    return true;
  }

  /** @internal asks whichever process holds `id` to let go */
  async requestRelease(id: string): Promise<void> {
    const client = await this.client();
    await client.query('select pg_notify($1, $2)', [releaseChannel, id]);
  }

  /** @internal */
  async release(id: string): Promise<void> {
    if (!this.held.delete(id)) return; // lost with its connection: PostgreSQL has released it
    const connection = this.connection;
    if (!connection) return;
    const client = await connection;
    await client.query('select pg_advisory_unlock($1, $2)', [lockNamespace, uploadLockKey(id)]);
  }

  private client(): Promise<pg.Client> {
    if (this.isClosed) return Promise.reject(new Error('the upload locker is closed'));
    if (!this.connection) {
      const connecting = this.connect();
      this.connection = connecting;
      connecting.catch(() => {
        if (this.connection === connecting) this.connection = null;
      });
    }
    return this.connection;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'guanmo-server upload locks', connectionTimeoutMillis: 10_000 });
    const lost = (error?: Error) => {
      if (this.connection === null) return;
      this.connection = null;
      if (!this.isClosed) this.options.log?.warn({ err: error }, 'upload lock connection lost; uploads in progress will resume');
      this.loseAll();
      client.end().catch(() => undefined);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (message) => {
      if (message.channel !== releaseChannel || !message.payload) return;
      const requestRelease = this.held.get(message.payload);
      if (requestRelease) void Promise.resolve(requestRelease()).catch(() => undefined);
    });
    await client.connect();
    await client.query(`listen ${releaseChannel}`);
    return client;
  }

  /** The connection is gone, and with it every advisory lock: stop their requests now. */
  private loseAll(): void {
    const holders = [...this.held.values()];
    this.held.clear();
    for (const requestRelease of holders) void Promise.resolve(requestRelease()).catch(() => undefined);
  }

  /** @internal */
  get acquireTimeoutMs(): number {
    return this.timeoutMs;
  }
}

class PgAdvisoryLock implements Lock {
  constructor(
    private readonly id: string,
    private readonly locker: PgAdvisoryLocker,
    private readonly local: Lock,
  ) {}

  async lock(signal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    const deadline = Date.now() + this.locker.acquireTimeoutMs;
    await this.local.lock(signal, requestRelease);
    try {
      let waitMs = 20;
      let askedAt = -Infinity;
      while (!(await this.locker.tryAcquire(this.id, requestRelease))) {
        // ask the holder to finish; again now and then, in case it was between requests
        if (Date.now() - askedAt >= 2000) {
          await this.locker.requestRelease(this.id);
          askedAt = Date.now();
        }
        if (signal.aborted || Date.now() + waitMs > deadline) throw ERRORS.ERR_LOCK_TIMEOUT;
        await sleep(waitMs, signal);
        waitMs = Math.min(waitMs * 2, 250);
      }
    } catch (error) {
      await this.local.unlock();
      throw error;
    }
  }

  async unlock(): Promise<void> {
    try {
      await this.locker.release(this.id);
    } finally {
      await this.local.unlock();
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/**
 * The locker for this deployment: advisory locks on PostgreSQL; tus's in-memory locker on SQLite,
 * which runs as a single process by design (the in-memory lock is then complete).
 */
export function createUploadLocker(databaseUrl: string | null, options: UploadLockerOptions = {}): { locker: Locker; close(): Promise<void> } {
  if (!databaseUrl) return { locker: new MemoryLocker({ acquireLockTimeout: options.acquireLockTimeoutMs ?? 30_000 }), close: async () => undefined };
  const locker = new PgAdvisoryLocker(databaseUrl, options);
  return { locker, close: () => locker.close() };
}
