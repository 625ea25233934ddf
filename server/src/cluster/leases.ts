/**
 * One runner at a time across server processes (and the admin CLI) on one database.
 *
 * PostgreSQL: a session-level advisory lock (pg_try_advisory_lock) on one pooled connection held
 * for the job. A process killed mid-job loses its connection, and PostgreSQL releases the lock
 * with it: nothing stays held by a dead process.
 *
 * SQLite: a row of `leases` with an expiry, renewed while the job runs. A process killed mid-job
 * leaves its row until it expires (`ttlMs`, minutes), after which another process takes over.
 *
 * What must stay true:
 * - tryExclusive never waits for the holder: a job another process is running is skipped (it
 *   runs again at its next turn), so no process ever queues behind another's long job.
 * - The job is told (signal) when the lease was lost (renewal failed: the database was away
 *   longer than the lease); it should stop at its next step.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DbKind } from '../config.js';
import type { Database } from '../db/schema.js';

/** pg_advisory_lock(int4, int4) namespace of exclusive jobs ("job" + 1); other locks use other forms */
const jobLockNamespace = 0x6a6f6201;

export interface ExclusiveOptions {
  /** SQLite: how long the lease holds without renewal (default 5 min; renewed every third of it) */
  ttlMs?: number;
}

export type ExclusiveOutcome<T> = { ran: true; value: T } | { ran: false };

/** A holder id unique to this process and call. */
function newHolder(): string {
  return `${process.pid}-${randomBytes(6).toString('hex')}`;
}

/**
 * Runs `job` unless another process (or this one) is running the job of that name now; then
 * returns `{ran: false}` at once.
 */
export async function tryExclusive<T>(
  db: Kysely<Database>,
  kind: DbKind,
  name: string,
  job: (signal: AbortSignal) => Promise<T>,
  options: ExclusiveOptions = {},
): Promise<ExclusiveOutcome<T>> {
  if (kind === 'postgres') return tryWithAdvisoryLock(db, name, job);
  return tryWithLease(db, name, job, options.ttlMs ?? 5 * 60_000);
}

async function tryWithAdvisoryLock<T>(db: Kysely<Database>, name: string, job: (signal: AbortSignal) => Promise<T>): Promise<ExclusiveOutcome<T>> {
  return db.connection().execute(async (connection) => {
    const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${jobLockNamespace}::int4, hashtext(${name})) as ok`.execute(connection);
    if (rows[0]?.ok !== true) return { ran: false } as const;
    const controller = new AbortController();
    try {
      return { ran: true, value: await job(controller.signal) } as const;
    } finally {
      await sql`select pg_advisory_unlock(${jobLockNamespace}::int4, hashtext(${name}))`.execute(connection).catch(() => undefined);
    }
  });
}

/** Takes the lease `name` for `holder` when free, expired or already its own; true when held. */
export async function takeLease(db: Kysely<Database>, name: string, holder: string, ttlMs: number, now = Date.now()): Promise<boolean> {
  const row = await db
    .insertInto('leases')
    .values({ name, holder, expires_at: now + ttlMs })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, expires_at: now + ttlMs })
        .where((eb) => eb.or([eb('leases.expires_at', '<', now), eb('leases.holder', '=', holder)])),
    )
    .returning('holder')
    .executeTakeFirst();
  return row?.holder === holder;
}

/** Extends a lease `holder` still holds; false when it was lost. */
export async function renewLease(db: Kysely<Database>, name: string, holder: string, ttlMs: number, now = Date.now()): Promise<boolean> {
  const result = await db.updateTable('leases').set({ expires_at: now + ttlMs }).where('name', '=', name).where('holder', '=', holder).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function releaseLease(db: Kysely<Database>, name: string, holder: string): Promise<void> {
  await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
}

/** Who holds lease `name` now (null: nobody, or it expired). */
export async function leaseHolder(db: Kysely<Database>, name: string, now = Date.now()): Promise<string | null> {
  const row = await db.selectFrom('leases').select(['holder', 'expires_at']).where('name', '=', name).executeTakeFirst();
  return row && Number(row.expires_at) >= now ? row.holder : null;
}

async function tryWithLease<T>(db: Kysely<Database>, name: string, job: (signal: AbortSignal) => Promise<T>, ttlMs: number): Promise<ExclusiveOutcome<T>> {
  const leaseName = `job:${name}`;
  const holder = newHolder();
  if (!(await takeLease(db, leaseName, holder, ttlMs))) return { ran: false };
  const controller = new AbortController();
  const renewal = setInterval(() => {
    renewLease(db, leaseName, holder, ttlMs).then(
      (held) => {
        if (!held) controller.abort(new Error(`lease ${leaseName} lost`));
      },
      () => undefined, // the database is away for a moment: the lease has time left, try next turn
    );
  }, Math.max(1000, Math.floor(ttlMs / 3)));
  renewal.unref();
  try {
    return { ran: true, value: await job(controller.signal) };
  } finally {
    clearInterval(renewal);
    await releaseLease(db, leaseName, holder).catch(() => undefined);
  }
}
