/**
 * When the database (or the disk under it) cannot take a request right now: which errors mean
 * that, and what the server remembers about it for /api/health.
 *
 * Every route answers such an error 503 with Retry-After (http/errors.ts), never 500: nothing was
 * changed (the transaction rolled back), and the client may always send the request again. The
 * log line names the real cause (SQLITE_BUSY, SQLITE_FULL, ENOSPC, PostgreSQL's 53100 …).
 *
 * - busy: another process holds SQLite's write lock longer than a request may wait for it
 *   (sqlite-driver.ts waits asynchronously, the event loop keeps answering), every PostgreSQL
 *   connection of the pool stayed busy, or a request waited too long for its turn.
 * - full: the disk (or PostgreSQL's) has no space left. Everything retries cleanly once there is
 *   space again: a failed write transaction left nothing behind.
 * - unavailable: PostgreSQL refuses connections (restarting, shutting down, too many clients).
 */
export type DbTroubleKind = 'busy' | 'full' | 'unavailable';

export interface DbTrouble {
  kind: DbTroubleKind;
  /** the underlying code, for the log: SQLITE_BUSY, SQLITE_FULL, ENOSPC, 53100 … */
  cause: string;
  retryAfterSeconds: number;
}

/** A write that could not get SQLite's write lock in time (another process holds it). */
export class DatabaseBusyError extends Error {
  override name = 'DatabaseBusyError';
  readonly code = 'SQLITE_BUSY';
}

const retryAfter: Record<DbTroubleKind, number> = { busy: 2, full: 30, unavailable: 5 };

const poolTimeoutMessage = 'timeout exceeded when trying to connect';
/**
 * pg-pool's error when a NEW connection it opened for a waiting query did not finish its
 * handshake within the pool's wait (PostgreSQL slow to accept under load): as busy as a pool
 * wait, and as safe to retry (the query never ran). Seen in bench:server's sign-in storm, where it
 * was answered 500.
 */
const connectTimeoutMessage = 'Connection terminated due to connection timeout';

function codeOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

/** The trouble `error` (or what caused it) stands for, or null for any other error. */
export function classifyDbError(error: unknown): DbTrouble | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const trouble = classifyOne(e);
    if (trouble) return trouble;
  }
  return null;
}

function classifyOne(error: unknown): DbTrouble | null {
  const make = (kind: DbTroubleKind, cause: string): DbTrouble => ({ kind, cause, retryAfterSeconds: retryAfter[kind] });
  if (error instanceof DatabaseBusyError) return make('busy', 'SQLITE_BUSY');
  if (error instanceof Error && error.name === 'WorkQueueTimeout') return make('busy', 'work queue wait');
  if (error instanceof Error && error.message === poolTimeoutMessage) return make('busy', 'PostgreSQL pool wait');
  if (error instanceof Error && error.message === connectTimeoutMessage) return make('busy', 'PostgreSQL connect wait');
  const code = codeOf(error);
  if (code === null) return null;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return make('busy', code);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return make('full', code);
  // PostgreSQL SQLSTATEs: disk_full, insufficient_resources, out_of_memory
  if (code === '53100' || code === '53000' || code === '53200') return make('full', `PostgreSQL ${code}`);
  // too_many_connections, admin_shutdown, crash_shutdown, cannot_connect_now, and no connection at all
  if (code === '53300' || code === '57P01' || code === '57P02' || code === '57P03' || code === 'ECONNREFUSED' || code === 'ECONNRESET') {
    return make('unavailable', code.startsWith('E') ? code : `PostgreSQL ${code}`);
  }
  return null;
}

export type DatabaseStatus = 'ok' | 'degraded';

export interface DatabaseHealthReport {
  status: DatabaseStatus;
  /** what made it degraded, e.g. 'busy (SQLITE_BUSY)'; null when ok */
  reason: string | null;
  /** ISO time the trouble was last seen; null when ok */
  since: string | null;
}

/** how long a noted busy spell keeps health degraded without further evidence */
const busyMemoryMs = 15_000;

/**
 * What this process has seen of the database lately, for /api/health: a busy spell stays on the
 * report for a few seconds; a full disk until a write succeeds again.
 */
export class DatabaseHealth {
  private busyAt: number | null = null;
  private busyCause = '';
  private fullAt: number | null = null;
  private fullCause = '';
  /**
   * Asks, without waiting, whether a write could start now (SQLite: takes and drops the write
   * lock once); null when the database has no such probe (PostgreSQL). Set by the driver.
   */
  probeWrite: (() => Promise<DbTrouble | null>) | null = null;

  note(trouble: DbTrouble, now = Date.now()): void {
    if (trouble.kind === 'full') {
      this.fullAt = now;
      this.fullCause = trouble.cause;
    } else {
      this.busyAt = now;
      this.busyCause = trouble.cause;
    }
  }

  noteWriteOk(): void {
    this.fullAt = null;
  }

  async report(now = Date.now()): Promise<DatabaseHealthReport> {
    if (this.probeWrite) {
      const probed = await this.probeWrite().catch((error: unknown) => classifyDbError(error));
      // the probe is direct evidence: the lock is free now, or it is not
      if (probed) this.note(probed, now);
      else this.busyAt = null;
    }
    if (this.fullAt !== null) return { status: 'degraded', reason: `disk full (${this.fullCause})`, since: new Date(this.fullAt).toISOString() };
    if (this.busyAt !== null && now - this.busyAt < busyMemoryMs) {
      return { status: 'degraded', reason: `busy (${this.busyCause})`, since: new Date(this.busyAt).toISOString() };
    }
    return { status: 'ok', reason: null, since: null };
  }
}
