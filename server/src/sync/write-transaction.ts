/**
 * Write transactions of the sync layer.
 *
 * SQLite: BEGIN IMMEDIATE serialises every writer (sqlite.ts), nothing more is needed.
 *
 * PostgreSQL (several server processes): a push reads a record, merges, and writes it back; two
 * transactions doing that to one record at once would lose one of the merges. So the
 * transaction first takes a transaction-scoped advisory lock per record it will write (it works
 * for records that do not exist yet, unlike row locks), all at once and in sorted order so that
 * two batches cannot deadlock on each other. Should PostgreSQL still report a deadlock or a
 * serialisation failure (e.g. against a re-announcement touching many rows), the whole
 * transaction is retried: its work is a pure function of the database state.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DbKind } from '../config.js';
import type { Database } from '../db/schema.js';

/** deadlock_detected, serialization_failure, unique_violation (a concurrent insert won a race) */
const retryableCodes = new Set(['40P01', '40001', '23505']);
const maxAttempts = 4;

export function recordLockKey(collection: string, id: string): string {
  return `${collection}:${id}`; // unambiguous: collection names have no colon
}

export async function runWriteTransaction<T>(
  db: Kysely<Database>,
  kind: DbKind,
  lockKeys: readonly string[],
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  const writes = writesInFlight(db);
  const ticket = writes.begin();
  try {
    return await runWithRetries(db, kind, lockKeys, work);
  } finally {
    writes.end(ticket);
  }
}

async function runWithRetries<T>(
  db: Kysely<Database>,
  kind: DbKind,
  lockKeys: readonly string[],
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  const keys = [...new Set(lockKeys)].sort();
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        if (kind === 'postgres' && keys.length > 0) {
          await sql`select count(pg_advisory_xact_lock(h)) from (select hashtextextended(k, 1299) as h from unnest(cast(${keys} as text[])) as k order by h) as ordered`.execute(trx);
        }
        return work(trx);
      });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (kind !== 'postgres' || attempt >= maxAttempts || typeof code !== 'string' || !retryableCodes.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}

/**
 * The write transactions of this process in flight (runWriteTransaction), so that the live
 * channel can wait until a committed change is pullable: on PostgreSQL a pull holds back every
 * change after the oldest write transaction still open (db/changes.ts), so an app told at once
 * about a change whose neighbour transaction is still open would pull, find nothing, and hear no
 * more. Tickets are numbered in the order writes begin.
 */
export class WritesInFlight {
  private nextTicket = 1;
  private readonly open = new Set<number>();
  private waiters: Array<{ upTo: number; callback: () => void }> = [];

  begin(): number {
    const ticket = this.nextTicket++;
    this.open.add(ticket);
    return ticket;
  }

  end(ticket: number): void {
    this.open.delete(ticket);
    if (this.waiters.length === 0) return;
    let oldest = Infinity;
    for (const t of this.open) if (t < oldest) oldest = t;
    const due = this.waiters.filter((w) => w.upTo < oldest);
    if (due.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.upTo >= oldest);
    for (const w of due) w.callback();
  }

  /** Calls `callback` once every write open now has ended (at once when none is). */
  whenOpenWritesEnd(callback: () => void): void {
    let newest = 0;
    for (const t of this.open) if (t > newest) newest = t;
    if (newest === 0) callback();
    else this.waiters.push({ upTo: newest, callback });
  }

  get size(): number {
    return this.open.size;
  }
}

const writesByDb = new WeakMap<Kysely<Database>, WritesInFlight>();

/** The write transactions in flight on this database handle (one per server app). */
export function writesInFlight(db: Kysely<Database>): WritesInFlight {
  let writes = writesByDb.get(db);
  if (!writes) writesByDb.set(db, (writes = new WritesInFlight()));
  return writes;
}
