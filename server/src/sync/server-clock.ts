/**
 * The server's hybrid logical clock.
 *
 * What must stay true:
 * - Never backwards across restarts: a value at or above the highest timestamp the clock has
 *   issued or admitted is persisted (server_state 'hlc', only ever raised) BEFORE any write
 *   stamped with it commits;
 *   a new process starts from the persisted value, so a server whose wall clock was set back,
 *   or a second server process, never stamps below what the database already holds.
 * - A client clock running ahead is clamped (HlcClock.clamp): its writes are re-stamped with the
 *   server's time instead of winning every conflict until the real time catches up.
 * - Server-made writes (a reopen, an import) are stamped after every version the record
 *   already carries, so they win over the writes they answer even when those came from a
 *   laptop running slightly ahead, or through another server process.
 *
 * Each process has its own node id, so two processes never issue equal timestamps.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { formatHlc, HLC_MAX_MILLIS, HlcClock, HlcError, parseHlc, tryParseHlc, type Hlc } from '@shared/sync/hlc';
import type { Database } from '../db/schema.js';

/** a client timestamp further ahead of the server's time than this is re-stamped */
export const clientClockAllowanceMs = 60_000;
/**
 * The server clock itself never refuses to tick: a persisted value from a server whose wall
 * clock ran ahead is honoured (timestamps keep increasing) for up to this long.
 */
const serverMaxDriftMs = 24 * 60 * 60 * 1000;

const stateKey = 'hlc';

/**
 * The clock persists a little ahead of itself (a lease), so most pushes find their stamps
 * already covered and skip the write: one hot-row update per process every few seconds instead
 * of one per push. After a restart the clock may therefore start up to this much ahead of real
 * time, which is harmless (well within every drift limit).
 */
const persistLeaseMs = 10_000;

export interface Stamp {
  hlc: string;
  /** true when the client's timestamp was replaced by the server's */
  restamped: boolean;
}

export class ServerClock {
  private readonly clock: HlcClock;
  private persisted: string;

  private constructor(node: string, initial: string | null) {
    this.clock = new HlcClock(node, { maxDriftMs: serverMaxDriftMs, ...(initial ? { initial } : {}) });
    this.persisted = initial ?? '';
  }

  /** A clock for this process, starting from the persisted high-water mark. */
  static async open(db: Kysely<Database>, node = `srv-${randomBytes(4).toString('hex')}`): Promise<ServerClock> {
    const row = await db.selectFrom('server_state').select('value').where('key', '=', stateKey).executeTakeFirst();
    const initial = row && tryParseHlc(row.value) ? row.value : null;
    return new ServerClock(node, initial);
  }

  get node(): string {
    return this.clock.node;
  }

  get current(): string {
    return formatHlc(this.clock.current);
  }

  /** Admits a client's timestamp (string form); throws HlcError('invalid') for a malformed one. */
  admit(clientHlc: string, now: number = Date.now()): Stamp {
    const remote = parseHlc(clientHlc);
    const { timestamp, clamped } = this.clock.clamp(remote, now, clientClockAllowanceMs);
    return { hlc: clamped ? formatHlc(timestamp) : clientHlc, restamped: clamped };
  }

  /** A fresh timestamp greater than everything this clock has seen and than every given version. */
  stampAfter(versions: Iterable<string>, now: number = Date.now()): string {
    let newest: Hlc | null = null;
    for (const version of versions) {
      const parsed = tryParseHlc(version);
      if (parsed && (newest === null || formatHlc(parsed) > formatHlc(newest))) newest = parsed;
    }
    if (newest) {
      try {
        this.clock.receive(newest, now);
      } catch (error) {
        if (!(error instanceof HlcError)) throw error;
        // A version further ahead than even the server tolerates: step just past it.
        const bumped = { millis: newest.millis, counter: newest.counter, node: this.clock.node };
        this.clock.receive(bumped, newest.millis);
      }
    }
    return formatHlc(this.clock.send(Math.max(now, this.clock.current.millis)));
  }

  /**
   * Persists the clock's current value (only ever raising the stored one). Call it before
   * committing writes stamped by this clock; `db` may be a transaction.
   */
  async persist(db: Kysely<Database>, now: Date = new Date()): Promise<void> {
    if (this.current <= this.persisted) return;
    const current = this.clock.current;
    const value = formatHlc({ millis: Math.min(current.millis + persistLeaseMs, HLC_MAX_MILLIS), counter: 0, node: current.node });
    const at = now.toISOString();
    await db
      .insertInto('server_state')
      .values({ key: stateKey, value, updated_at: at })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          value: sql<string>`case when server_state.value < ${value} then ${value} else server_state.value end`,
          updated_at: at,
        }),
      )
      .execute();
    if (value > this.persisted) this.persisted = value;
  }
}
