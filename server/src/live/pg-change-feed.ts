/**
 * The change feed across server processes on one PostgreSQL: LISTEN/NOTIFY.
 *
 * publish() sends the announcement as NOTIFY on `guanmo_changes` (after the writer's commit, as
 * every publish); every process, the sender included, LISTENs on one dedicated connection and
 * hands what it hears to its own listeners (the live hub). So an app connected to process B hears
 * of a push that process A handled, as soon as A's commit can be pulled.
 *
 * "Can be pulled" (db/changes.ts, the pull horizon): a pull returns a change only once every
 * write transaction that might precede it has ended, in whichever process. So a notification is
 * delivered only when every transaction in progress at the moment it arrived has ended: the first
 * horizon query after it arrives records the snapshot's xmax (the notifying commit is below it),
 * and the notification waits until the horizon has reached that xmax. One query answers every
 * notification waiting at once; when nothing is being written it is delivered on the first.
 *
 * What must stay true:
 * - A NOTIFY payload holds at most 8000 bytes: an announcement is split into parts well below it
 *   (records are independent; a listener judging one part judges a subset of the write).
 * - publish() never throws and never waits (change-feed.ts); a failed NOTIFY is logged, and the
 *   apps learn of the change at their next periodic pull.
 * - The listening connection reconnects after any loss (database restart); what was announced
 *   while it was away is heard by nobody, and the apps' periodic pull covers it, as above.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { RecordCollection } from '@shared/sync/collections';
import { pgPullHorizon } from '../db/changes.js';
import type { Database } from '../db/schema.js';
import type { ChangedRecord, ChangeFeed, ChangeListener, CommittedChanges, ReannouncedRecords } from './change-feed.js';

export const changesChannel = 'guanmo_changes';
/** bytes of one NOTIFY payload at most (PostgreSQL's limit is 8000) */
const maxPayloadBytes = 7000;
/** how often a notification waiting for open write transactions asks again */
const settlePollMs = 5;
/** deliver anyway after this long (a transaction open this long holds back pulls, not us) */
const maxSettleMs = 10_000;

/** A record on the wire: [collection, id, tourId, deleted, scorerId, userIds] */
type WireRecord = [RecordCollection, string, string | null, 0 | 1, string | null, string[]];
interface WireChanges {
  /** the publishing process (its own announcements are counted for idle()) */
  p?: string;
  c: string | null;
  r: WireRecord[];
  a: ReannouncedRecords[];
}

export interface PgFeedLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The payloads announcing `changes`, each below the NOTIFY limit. */
export function encodeChangePayloads(changes: CommittedChanges, publisher?: string): string[] {
  const payloads: string[] = [];
  const p = publisher === undefined ? {} : { p: publisher };
  let part: WireChanges = { ...p, c: changes.clientId, r: [], a: [...changes.reannounced] };
  let size = Buffer.byteLength(JSON.stringify(part));
  for (const record of changes.records) {
    const wire: WireRecord = [record.collection, record.id, record.tourId, record.deleted ? 1 : 0, record.scorerId, [...record.userIds]];
    const bytes = Buffer.byteLength(JSON.stringify(wire)) + 1;
    if (part.r.length > 0 && size + bytes > maxPayloadBytes) {
      payloads.push(JSON.stringify(part));
      part = { ...p, c: changes.clientId, r: [], a: [] };
      size = Buffer.byteLength(JSON.stringify(part));
    }
    part.r.push(wire);
    size += bytes;
  }
  payloads.push(JSON.stringify(part));
  return payloads;
}

export function decodeChangePayload(payload: string): (CommittedChanges & { publisher: string | null }) | null {
  try {
    const wire = JSON.parse(payload) as WireChanges;
    const records: ChangedRecord[] = wire.r.map(([collection, id, tourId, deleted, scorerId, userIds]) => ({ collection, id, tourId, deleted: deleted === 1, scorerId, userIds }));
    return { clientId: wire.c, records, reannounced: wire.a, publisher: wire.p ?? null };
  } catch {
    return null;
  }
}

interface Waiting {
  changes: CommittedChanges;
  isOwn: boolean;
  /** the snapshot's xmax read after it arrived (decimal text); null until read */
  xmax: bigint | null;
  arrivedAt: number;
}

export class PgChangeFeed implements ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();
  private client: pg.Client | null = null;
  private waiting: Waiting[] = [];
  private isSettling = false;
  private isClosed = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private reconnectMs = 500;
  /** figures for tests and logs */
  readonly stats = { published: 0, heard: 0, delivered: 0 };
  /** this process in the payloads */
  private readonly publisher = randomBytes(6).toString('hex');
  /** own payloads sent and not yet delivered here (idle()) */
  private ownInFlight = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly connectionString: string,
    private readonly log: PgFeedLog,
  ) {}

  /** Connects the listening connection; resolves once LISTEN is in place. */
  async start(): Promise<void> {
    await this.connect();
  }

  publish(changes: CommittedChanges): void {
    if (changes.records.length === 0 && changes.reannounced.length === 0) return;
    this.stats.published++;
    for (const payload of encodeChangePayloads(changes, this.publisher)) {
      this.ownInFlight++;
      sql`select pg_notify(${changesChannel}, ${payload})`.execute(this.db).catch((error: unknown) => {
        this.log.error({ err: error }, 'live: could not announce a change to the other server processes');
        this.ownDone();
      });
    }
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Resolves once every announcement this process published has been delivered here (or lost). */
  idle(): Promise<void> {
    if (this.ownInFlight === 0 || this.isClosed || !this.client) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private ownDone(): void {
    this.ownInFlight = Math.max(0, this.ownInFlight - 1);
    if (this.ownInFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  async close(): Promise<void> {
    this.isClosed = true;
    this.ownInFlight = 0;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    this.waiting = [];
    if (client) await client.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'guanmo-server live' });
    client.on('notification', (message) => {
      if (message.channel !== changesChannel || message.payload === undefined) return;
      const decoded = decodeChangePayload(message.payload);
      if (!decoded) return;
      const { publisher, ...changes } = decoded;
      this.stats.heard++;
      this.waiting.push({ changes, isOwn: publisher === this.publisher, xmax: null, arrivedAt: Date.now() });
      void this.settle();
    });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.client = null;
      client.end().catch(() => undefined);
      // what this process announced and had not heard back is lost with the connection
      this.ownInFlight = 0;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
      if (this.isClosed) return;
      this.log.warn({ err: error }, 'live: the change notification connection was lost; reconnecting');
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    await client.query(`listen ${changesChannel}`);
    if (this.isClosed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.reconnectMs = 500;
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.isClosed) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect().then(
        () => this.log.info({}, 'live: change notifications connected again'),
        (error: unknown) => {
          this.log.warn({ err: error }, 'live: could not reconnect the change notification connection; retrying');
          this.reconnectMs = Math.min(this.reconnectMs * 2, 30_000);
          this.scheduleReconnect();
        },
      );
    }, this.reconnectMs);
    this.reconnectTimer.unref();
  }

  /** Delivers waiting notifications once their changes can be pulled (module comment). */
  private async settle(): Promise<void> {
    if (this.isSettling) return;
    this.isSettling = true;
    try {
      while (this.waiting.length > 0 && !this.isClosed) {
        let horizon: bigint;
        let xmax: bigint;
        try {
          const { rows } = await sql<{ horizon: string; xmax: string }>`select (${pgPullHorizon})::text as horizon, pg_snapshot_xmax(pg_current_snapshot())::text as xmax`.execute(this.db);
          horizon = BigInt(rows[0]!.horizon);
          xmax = BigInt(rows[0]!.xmax);
        } catch (error) {
          this.log.warn({ err: error }, 'live: could not read the pull horizon; delivering the change announcements now');
          horizon = BigInt(Number.MAX_SAFE_INTEGER) ** 2n;
          xmax = 0n;
        }
        const now = Date.now();
        const due: Waiting[] = [];
        const still: Waiting[] = [];
        for (const entry of this.waiting) {
          entry.xmax ??= xmax;
          if (entry.xmax <= horizon || now - entry.arrivedAt > maxSettleMs) due.push(entry);
          else still.push(entry);
        }
        this.waiting = still;
        for (const entry of due) {
          this.deliver(entry.changes);
          if (entry.isOwn) this.ownDone();
        }
        if (this.waiting.length > 0) await new Promise((resolve) => setTimeout(resolve, settlePollMs));
      }
    } finally {
      this.isSettling = false;
    }
  }

  private deliver(changes: CommittedChanges): void {
    this.stats.delivered++;
    for (const listener of this.listeners) {
      try {
        listener(changes);
      } catch (error) {
        this.log.error({ err: error }, 'live: a change listener failed');
      }
    }
  }
}
