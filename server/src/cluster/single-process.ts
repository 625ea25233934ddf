/**
 * SQLite serves one server process per data folder; a second one refuses to start.
 *
 * Why one: SQLite has one writer at a time, so a second process adds no write capacity (every
 * push waits for the same file lock); and what several processes must share would need the
 * database or the file system on every request: the rate limits (kept in memory on SQLite,
 * auth/shared-buckets.ts), the photo upload locks (tus's in-memory locker,
 * photos/upload-locker.ts) and the live channel's fan-out (in-process, live/change-feed.ts).
 * SQLite itself would stay consistent (WAL, BEGIN IMMEDIATE, pull cursors in commit order), but
 * the limits would double and an upload resumed through the other process could be written by
 * two at once. Run several processes on PostgreSQL (DATABASE_URL) instead.
 *
 * How: the lease `serve:sqlite` (cluster/leases.ts) names the serving process by host and pid
 * and is renewed every few seconds. A start finding a live lease of another process refuses; a
 * lease whose process is gone (same host, pid no longer running, or this very pid after a
 * restart in a container) or that expired is taken over, so a crash never blocks the restart.
 * The admin CLI (user, blobs, tiles) does not take the lease: it runs beside the server.
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { leaseHolder, releaseLease, renewLease, takeLease } from './leases.js';

export const sqliteServeLease = 'serve:sqlite';
const ttlMs = 30_000;
const renewMs = 10_000;

export class SecondSqliteServerError extends Error {
  override name = 'SecondSqliteServerError';
}

interface Holder {
  host: string;
  pid: number;
}

function parseHolder(text: string): Holder | null {
  const match = /^(.*)#(\d+)#[0-9a-f]+$/.exec(text);
  return match ? { host: match[1]!, pid: Number(match[2]) } : null;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // running, but someone else's
  }
}

/** leases this process holds now (an app of this process, e.g. in tests, is live) */
const heldHere = new Set<string>();

/** Whether the holder recorded in the lease is certainly gone (so its lease may be taken now). */
function isGone(text: string, holder: Holder): boolean {
  if (holder.host !== os.hostname()) return false; // another machine: wait for the lease to expire
  if (holder.pid === process.pid) return !heldHere.has(text); // an earlier run with this pid (a container's restart)
  return !isRunning(holder.pid);
}

/**
 * Claims the data folder's SQLite database for this server process; returns what releases it.
 * Throws SecondSqliteServerError when another live process serves it.
 */
export async function claimSqliteServer(db: Kysely<Database>, log: { warn(obj: object, msg: string): void }): Promise<() => Promise<void>> {
  const me = `${os.hostname()}#${process.pid}#${randomBytes(4).toString('hex')}`;
  if (!(await takeLease(db, sqliteServeLease, me, ttlMs))) {
    const current = await leaseHolder(db, sqliteServeLease);
    const holder = current ? parseHolder(current) : null;
    if (current !== null && (holder === null || !isGone(current, holder))) {
      const who = holder ? `process ${holder.pid} on ${holder.host}` : current;
      throw new SecondSqliteServerError(
        `another server (${who}) is serving this data folder's SQLite database; SQLite serves one server process — stop the other one, or use PostgreSQL (DATABASE_URL) to run several`,
      );
    }
    // its process is gone (or the lease expired in between): take it over
    await releaseLease(db, sqliteServeLease, current ?? '');
    if (!(await takeLease(db, sqliteServeLease, me, ttlMs))) {
      throw new SecondSqliteServerError('another server process started on this data folder at the same moment; SQLite serves one server process');
    }
  }
  heldHere.add(me);
  const renewal = setInterval(() => {
    renewLease(db, sqliteServeLease, me, ttlMs).then(
      (held) => {
        if (!held) log.warn({ lease: sqliteServeLease }, 'the SQLite serve lease was taken by another process; two servers on one SQLite file');
      },
      () => undefined,
    );
  }, renewMs);
  renewal.unref();
  return async () => {
    clearInterval(renewal);
    heldHere.delete(me);
    await releaseLease(db, sqliteServeLease, me).catch(() => undefined);
  };
}
