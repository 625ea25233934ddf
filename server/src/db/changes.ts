/**
 * Reading the change log in pages for pull. A cursor names the last change a client has stored;
 * the next page starts right after it.
 *
 * The one property that matters: a page never skips a change that commits later. A plain
 * "seq > cursor" is not enough wherever writers run concurrently, because a seq is drawn when the
 * row is inserted, not when its transaction commits:
 *
 *   T1 draws seq 10 … T2 draws seq 11, commits … a pull returns 11, cursor = 11 … T1 commits 10
 *   → every later pull asks for seq > 11 and change 10 is lost for that client.
 *
 * SQLite: all writers, in every process, are serialised (BEGIN IMMEDIATE holds the write lock
 * from the first statement to COMMIT), so seq order is commit order and the cursor is the seq.
 *
 * PostgreSQL (several server processes on one database): each change row also stores its
 * transaction id (`tx_id`, xid8: 64-bit, never wraps; assigned by the column default). A pull
 * returns only rows whose transaction is older than its snapshot's oldest in-progress write
 * transaction of this database (pgPullHorizon below; the snapshot's xmin, minus transactions of
 * other databases): every such transaction below that line has ended (committed and visible,
 * or rolled back), and every new transaction gets a larger id, so no row can ever appear below
 * that line later. Pages are ordered by
 * (tx_id, seq) and the cursor is the (tx_id, seq) of the last row returned. The price: a write
 * transaction holds back every change after it until it ends, so write transactions must stay
 * short (one push batch, no network calls inside).
 *
 * The cursor is an opaque string to clients: "<tx>.<seq>" (tx is always 0 on SQLite).
 */
import { sql, type Kysely } from 'kysely';
import type { DbKind } from '../config.js';
import { toStoredRecord, type StoredRecord } from './records.js';
import type { Database, RecordRow } from './schema.js';

export interface ChangeCursor {
  /** transaction id as decimal text (0 on SQLite) */
  tx: string;
  seq: number;
}

export const startCursor: ChangeCursor = { tx: '0', seq: 0 };

export function encodeCursor(cursor: ChangeCursor): string {
  return `${cursor.tx}.${cursor.seq}`;
}

/** null when `text` is not a cursor this server issued */
export function decodeCursor(text: string): ChangeCursor | null {
  const match = /^(0|[1-9]\d{0,19})\.(0|[1-9]\d{0,15})$/.exec(text);
  if (!match) return null;
  const seq = Number(match[2]);
  if (!Number.isSafeInteger(seq)) return null;
  return { tx: match[1]!, seq };
}

export interface ChangePage {
  /** the current state of each changed record, once per record, in change order */
  records: StoredRecord[];
  /** where the next page starts; equals the input cursor when nothing new was found */
  cursor: ChangeCursor;
  hasMore: boolean;
}

type ChangeRowWithRecord = RecordRow & { change_seq: number; change_tx: string };

/**
 * PostgreSQL: the transaction id below which every transaction that could write this database's
 * change log has ended. Transaction ids are cluster-wide, so the snapshot's xmin alone would let a
 * write transaction of ANOTHER database on the same server (another app, a test run) hold back
 * every pull here for as long as it stays open. So: the oldest in-progress transaction of the
 * statement's snapshot that is not known to belong to another database (pg_stat_activity lists
 * its database; a transaction not listed there any more, or whose xid this role may not see,
 * counts as ours: too early a horizon only delays a change, never skips one), else the
 * snapshot's xmax (no transaction in progress: everything below it has ended).
 * pg_stat_activity is read after the statement's snapshot was taken, so a transaction in the
 * snapshot that is still running is listed with its database.
 */
export const pgPullHorizon = sql`(
  select coalesce(
    (select min(x) from pg_snapshot_xip(pg_current_snapshot()) as x
      where not exists (
        select 1 from pg_stat_activity a
        where a.backend_xid is not null
          and a.datid is not null
          and a.datid <> (select oid from pg_database where datname = current_database())
          and a.backend_xid::text::numeric = x::text::numeric % 4294967296)),
    pg_snapshot_xmax(pg_current_snapshot())))`;

/**
 * The next page of changes after `after`, at most `limit` change entries. A record changed several
 * times within the page appears once, with its current state (the client merges per field by
 * HLC, so receiving a newer state early is harmless).
 */
export async function readChanges(db: Kysely<Database>, kind: DbKind, after: ChangeCursor, limit: number): Promise<ChangePage> {
  const page = await readChangeRows(db, kind, after, limit);
  return { records: page.rows.map(toStoredRecord), cursor: page.cursor, hasMore: page.hasMore };
}

export interface ChangeRowPage {
  /** as readChanges, but the record rows as stored (data and versions still JSON text) */
  rows: RecordRow[];
  cursor: ChangeCursor;
  hasMore: boolean;
}

/** readChanges without parsing the records' JSON (pull passes most of it through as it is). */
export async function readChangeRows(db: Kysely<Database>, kind: DbKind, after: ChangeCursor, limit: number): Promise<ChangeRowPage> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  const base = db
    .selectFrom('changes as c')
    .innerJoin('records as r', (join) => join.onRef('r.collection', '=', 'c.collection').onRef('r.id', '=', 'c.record_id'))
    .selectAll('r')
    .select('c.seq as change_seq');
  const rows: ChangeRowWithRecord[] =
    kind === 'postgres'
      ? await base
          .select(sql<string>`c.tx_id::text`.as('change_tx'))
          .where(sql<boolean>`(c.tx_id, c.seq) > (${after.tx}::xid8, ${after.seq})`)
          .where(sql<boolean>`c.tx_id < ${pgPullHorizon}`)
          .orderBy('c.tx_id')
          .orderBy('c.seq')
          .limit(limit + 1)
          .execute()
      : (
          await base
            .where('c.seq', '>', after.seq)
            .orderBy('c.seq')
            .limit(limit + 1)
            .execute()
        ).map((row) => ({ ...row, change_tx: '0' }));

  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  const cursor = last ? { tx: last.change_tx, seq: Number(last.change_seq) } : after;

  // keep each record's last occurrence, in change order
  const lastIndex = new Map<string, number>();
  page.forEach((row, i) => lastIndex.set(`${row.collection}\u0000${row.id}`, i));
  const records = page.filter((row, i) => lastIndex.get(`${row.collection}\u0000${row.id}`) === i);
  return { rows: records.map(({ change_seq: _seq, change_tx: _tx, ...row }) => row), cursor, hasMore };
}
