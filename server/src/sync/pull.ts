/**
 * Pull: the next changes after a cursor that this user may see (access.ts).
 *
 * One statement per page does the heavy part: it walks the change log after the cursor and keeps
 * only what this user may see (the access rules as SQL, a superset of canSeeRecord: the other
 * scorers' sheets of a tour still blind are left in the database instead of being read and thrown
 * away). It returns only numbers, each change's position, not the records: each record's JSON
 * (its stored data and versions text spliced in by the database, never parsed and serialised
 * again) is kept as UTF-8 bytes per change in this process (RecordJsonCache) with the columns
 * the access check needs, because the hundred laptops of a tour all pull the same notes; only
 * changes not seen yet are read, in one query, each as its record's state at that moment.
 *
 * What must stay true:
 * - The SQL filter and the end of the log the cursor may jump to are read in ONE statement, so
 *   one snapshot: visibility only grows through writes that also re-announce the records
 *   concerned (reannounce.ts) in the same transaction, so a change the filter drops under that
 *   snapshot's access is re-announced later, after the cursor, once it becomes visible.
 * - The exact per-record check (canSeeRecord) still runs on every row the SQL returns, with the
 *   access at least as new as the page: read by the page statement itself (its snapshot; one
 *   round trip less per page than a query of its own after it). The SQL filter may only ever drop rows
 *   canSeeRecord would drop as well.
 * - The cursor advances over invisible changes too (they are not this user's business), and
 *   never past a change that has not committed yet (db/changes.ts): when the page is not full it
 *   moves to the last change of the statement's snapshot (on PostgreSQL, the last one below the
 *   pull horizon), every change up to there having been looked at by the same statement.
 * - A page holds at most `limit` changes and never more than maxPageChanges, however much the
 *   client asks for: a short page keeps every request short, so that pushes and other laptops'
 *   pulls do not queue behind one big answer when a hundred laptops come back at once.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DbKind } from '../config.js';
import { pgPullHorizon, startCursor, type ChangeCursor } from '../db/changes.js';
import { sealCursor, unsealCursor } from './cursor-seal.js';
import type { PageBuffers } from './page-buffers.js';
import type { Database } from '../db/schema.js';
import { HttpError } from '../http/errors.js';
import { canSeeRecord, isStaffRole, viewerAccessFromJson, viewerAccessJsonSql, type Viewer, type ViewerAccess } from './access.js';
import { isRecordCollection } from '@shared/sync/collections';

/**
 * The most changes one pull answers with (a client asking for more gets hasMore). 500, the app's
 * own page size: a page's fixed cost (HTTP, session, rate limit, the page statement's setup) is
 * about half of what a 250-change page cost the server, so a hundred laptops catching up on a
 * day's notes cost the server process and PostgreSQL less CPU with 500 (bench:server reconnect,
 * December 2026), while one page still takes a few milliseconds of work.
 */
export const maxPageChanges = 500;

/** The position a pull cursor names (sealed, cursor-seal.ts; or plain from an older server). */
export function parseCursor(text: string | undefined, key: Buffer): ChangeCursor {
  if (text === undefined || text === '') return startCursor;
  const cursor = unsealCursor(text, key);
  if (!cursor) throw new HttpError(400, 'invalid_cursor', 'The cursor is not one this server issued; pull again from the start (no cursor)');
  return cursor;
}

/** One state of a pulled record: what the access check needs. */
export interface PulledRow {
  collection: string;
  id: string;
  tourId: string | null;
  deleted: boolean;
  /** data.scorerId of sheets and ballots (null for other collections) */
  scorerId: string | null;
  /** records.seq: the record's newest change, so it names this one state of the record */
  seq: number;
}

export interface PullPage {
  /** latest state of each record, in change order, with its PulledRecord JSON (UTF-8) */
  rows: Array<{ row: PulledRow; json: Buffer }>;
  cursor: ChangeCursor;
  hasMore: boolean;
}

/**
 * What a page statement read, in one snapshot: the changes after the cursor that the SQL filter
 * keeps, in log order (at most pageSize + 1: the extra one says hasMore), the end of the log, and
 * the viewer's participation rows (access.ts viewerAccessJsonSql; null for staff).
 */
interface PageRead {
  changes: ChangeCursor[];
  end: ChangeCursor | null;
  accessJson: string | null;
}

export interface RecordJsonRow {
  /** the change the page named (the row is its record's state when read: that change's or newer) */
  asked_seq: number;
  collection: string;
  id: string;
  tour_id: string | null;
  deleted: number;
  scorer_id: string | null;
  seq: number;
  json: string;
}

export async function pullChanges(db: Kysely<Database>, kind: DbKind, viewer: Viewer, after: ChangeCursor, limit: number): Promise<PullPage> {
  const cache = recordJsonCacheOf(db);
  // PostgreSQL: the page's statements on one pooled connection, taken once. Taken per statement,
  // a pull went back to the end of the pool's queue between them when a hundred laptops pull at
  // once, and waited there two or three times. (SQLite has one connection, and no queue.)
  if (kind === 'postgres') return db.connection().execute((connection) => readPage(connection, kind, cache, viewer, after, limit));
  return readPage(db, kind, cache, viewer, after, limit);
}

async function readPage(db: Kysely<Database>, kind: DbKind, cache: RecordJsonCache, viewer: Viewer, after: ChangeCursor, limit: number): Promise<PullPage> {
  const pageSize = Math.max(1, Math.min(limit, maxPageChanges));
  const { changes, end, accessJson } =
    kind === 'postgres' ? pgPageRead((await pgPageQuery(viewer, after, pageSize).execute(db)).rows[0]) : sqlitePageRead((await sqlitePageQuery(viewer, after, pageSize).execute(db)).rows);
  const hasMore = changes.length > pageSize;
  const page = hasMore ? changes.slice(0, pageSize) : changes;

  let cursor = after;
  const last = page.at(-1);
  if (hasMore) cursor = last!;
  else {
    if (end && compareCursors(end, cursor) > 0) cursor = end;
    if (last && compareCursors(last, cursor) > 0) cursor = last;
  }

  if (page.length === 0) return { rows: [], cursor, hasMore };

  // access in the page's own snapshot (read by the same statement): see the comment at the top
  const access = accessOf(viewer, accessJson);
  // each change's record as the cache has it, or as read now where it has none
  const picked: Array<CachedRecord | undefined> = page.map((change) => cache.get(change.seq));
  const missing = page.filter((_, i) => picked[i] === undefined).map((change) => change.seq);
  if (missing.length > 0) {
    const loaded = await cache.load(missing, (seqs) => readRecordJson(db, kind, seqs));
    page.forEach((change, i) => {
      picked[i] ??= loaded.get(change.seq); // records are never deleted; defensive
    });
  }
  // Each record once, at its last change in the page: that entry is its newest state here (an
  // entry holds the record as it was when read, at its change or later).
  const lastIndex = new Map<string, number>();
  picked.forEach((entry, i) => {
    if (entry) lastIndex.set(recordKey(entry.row), i);
  });
  const out: CachedRecord[] = [];
  picked.forEach((entry, i) => {
    if (entry && lastIndex.get(recordKey(entry.row)) === i && isVisible(access, entry.row)) out.push(entry);
  });
  return { rows: out, cursor, hasMore };
}

function recordKey(row: PulledRow): string {
  return `${row.collection}\u0000${row.id}`;
}

function accessOf(viewer: Viewer, json: string | null): ViewerAccess {
  if (isStaffRole(viewer.role)) return { viewer, isStaff: true, tours: new Map() };
  if (json === null) throw new Error('the pull page statement returned no access row');
  return viewerAccessFromJson(viewer, json);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** One state of a record with its PulledRecord JSON; never changes once built. */
interface CachedRecord {
  row: PulledRow;
  json: Buffer;
}

/**
 * The PulledRecord JSON of records as the server wrote them, shared by every pull of this process
 * (a hundred laptops of a tour pull the same notes), with what the access check needs of that
 * state. Keyed by the seq of a change: the entry is the record's state as read after that change
 * had committed, so that change's state or a newer one. Every write of a record gives it a new
 * change (db/records.ts; records.seq is the seq of its newest one), and that change is after any
 * page that served an older state, so a viewer always reaches the newest state in the end: what
 * an entry may serve is what a pull at the moment it was read would have served. An entry read
 * for an older change is kept under that change too (alias), so that pages naming it do not read
 * it again. Bounded by bytes, oldest entries dropped first.
 */
export class RecordJsonCache {
  private readonly entries = new Map<number, CachedRecord>();
  /** reads under way: change → the read that will answer it */
  private readonly loading = new Map<number, Promise<Map<number, CachedRecord>>>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(seq: number): CachedRecord | undefined {
    return this.entries.get(seq);
  }

  /**
   * The entries answering `seqs` (changes a page named), read with `fetch` where missing.
   * Pulls that miss the same changes at the same time (a hundred laptops pulling the new notes
   * while the first page that names them is still being read) wait for one read of each
   * instead of each reading them: on PostgreSQL a read is a query built for every record.
   */
  async load(seqs: readonly number[], fetch: (seqs: readonly number[]) => Promise<RecordJsonRow[]>): Promise<Map<number, CachedRecord>> {
    const own = seqs.filter((seq) => !this.loading.has(seq));
    if (own.length > 0) {
      const batch = (async () => {
        const found = new Map<number, CachedRecord>();
        for (const part of chunks(own, 200)) {
          for (const row of await fetch(part)) {
            const state: PulledRow = { collection: row.collection, id: row.id, tourId: row.tour_id, deleted: row.deleted === 1, scorerId: row.scorer_id, seq: Number(row.seq) };
            const entry = this.set(state, Buffer.from(row.json));
            // also under the change asked for, when the record has changed since: the next
            // page naming that change finds it without a read (see the class comment)
            if (Number(row.asked_seq) !== state.seq) this.alias(Number(row.asked_seq), entry);
            found.set(Number(row.asked_seq), entry);
          }
        }
        return found;
      })();
      for (const seq of own) this.loading.set(seq, batch);
      // once settled, later misses read again (a failed read is not remembered)
      batch.then(
        () => own.forEach((seq) => this.loading.delete(seq)),
        () => own.forEach((seq) => this.loading.delete(seq)),
      );
    }
    const waits = seqs.map((seq) => [seq, this.loading.get(seq)] as const);
    const out = new Map<number, CachedRecord>();
    for (const [seq, batch] of waits) {
      const entry = batch ? (await batch).get(seq) : this.entries.get(seq);
      if (entry) out.set(seq, entry);
    }
    return out;
  }

  /** Keeps `json` as the JSON of state `row`; returns the entry kept (an earlier one of that state if any). */
  set(row: PulledRow, json: Buffer): CachedRecord {
    const known = this.entries.get(row.seq);
    if (known) return known;
    const entry = { row, json };
    this.add(row.seq, entry);
    return entry;
  }

  /** Answers change `seq` (an older change of the record) with `entry`, a newer state of it. */
  alias(seq: number, entry: CachedRecord): void {
    if (!this.entries.has(seq)) this.add(seq, entry);
  }

  private add(seq: number, entry: CachedRecord): void {
    this.entries.set(seq, entry);
    this.bytes += entry.json.length;
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= old.json.length;
    }
  }
}

const recordJsonCacheBytes = 64 * 1024 * 1024;
const recordJsonCaches = new WeakMap<Kysely<Database>, RecordJsonCache>();

function recordJsonCacheOf(db: Kysely<Database>): RecordJsonCache {
  let cache = recordJsonCaches.get(db);
  if (!cache) recordJsonCaches.set(db, (cache = new RecordJsonCache(recordJsonCacheBytes)));
  return cache;
}

/**
 * The current state, with its PulledRecord JSON built by the database from the stored text, of
 * the records of the changes `seqs` (asked_seq: which change each answers; the state returned is
 * that change's or, when the record has changed since, newer). The change log's primary key
 * finds the change, and the change its record.
 */
async function readRecordJson(db: Kysely<Database>, kind: DbKind, seqs: readonly number[]): Promise<RecordJsonRow[]> {
  const keys = sql.join(seqs.map((seq) => sql`(${seq})`));
  const query =
    kind === 'postgres'
      ? sql<RecordJsonRow>`select k.asked_seq, r.collection, r.id, r.tour_id, r.deleted, r.seq,
          r.scorer_id,
          '{"collection":' || to_json(r.collection)::text || ',"id":' || to_json(r.id)::text || ',"tourId":' || coalesce(to_json(r.tour_id)::text, 'null')
            || ',"data":' || r.data || ',"versions":' || r.versions || ',"deleted":' || (case when r.deleted = 1 then 'true' else 'false' end) || '}' as json
        from (values ${keys}) as k (asked_seq)
        join changes c on c.seq = k.asked_seq::bigint
        join records r on r.collection = c.collection and r.id = c.record_id`
      : sql<RecordJsonRow>`select k.column1 as asked_seq, r.collection, r.id, r.tour_id, r.deleted, r.seq,
          r.scorer_id,
          '{"collection":' || json_quote(r.collection) || ',"id":' || json_quote(r.id) || ',"tourId":' || json_quote(r.tour_id)
            || ',"data":' || r.data || ',"versions":' || r.versions || ',"deleted":' || (case when r.deleted = 1 then 'true' else 'false' end) || '}' as json
        from (values ${keys}) as k
        cross join changes c on c.seq = k.column1
        cross join records r on r.collection = c.collection and r.id = c.record_id`;
  return (await query.execute(db)).rows;
}

function compareCursors(a: ChangeCursor, b: ChangeCursor): number {
  const ta = BigInt(a.tx);
  const tb = BigInt(b.tx);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.seq - b.seq;
}

function isVisible(access: ViewerAccess, row: PulledRow): boolean {
  if (access.isStaff) return true;
  if (!isRecordCollection(row.collection)) return false;
  const data = row.scorerId === null ? {} : { scorerId: row.scorerId };
  return canSeeRecord(access, { collection: row.collection, id: row.id, tourId: row.tourId, data, deleted: row.deleted });
}

/*
 * The SQL filter for a viewer who is not staff, a superset of canSeeRecord: records of tours the
 * viewer has (or had) a scorer record in, except sheets and ballots that are not theirs while the
 * tour's results are not published. (Drafts and tours the viewer left pass the filter and are
 * decided by canSeeRecord.)
 * It runs for every change the page walks past, most of them other scorers' sheets when a hundred
 * laptops come back at once, so it reads only the change row's own columns (no record lookup, no
 * JSON) and compares them with subqueries that do not depend on the row, which the database
 * evaluates once per statement. That is a superset as required because the newest change of a
 * record carries the record's current tour_id and scorer_id (written in the same transaction,
 * db/records.ts, push.ts, reannounce.ts), and only a record's newest change matters: older ones
 * are superseded by it in the same or a later page.
 */
function sqliteVisibleFilter(viewer: Viewer): RawBuilder<boolean> {
  if (isStaffRole(viewer.role)) return sql<boolean>`1 = 1`;
  return sql<boolean>`c.tour_id in (select s.tour_id from records s where s.collection = 'scorers' and json_extract(s.data, '$.userId') = ${viewer.id})
    and (c.collection not in ('sheets', 'ballots')
      or c.scorer_id in (select s.id from records s where s.collection = 'scorers' and s.deleted = 0 and json_extract(s.data, '$.userId') = ${viewer.id})
      or c.tour_id in (select t.id from records t where t.collection = 'tours' and json_extract(t.data, '$.status') = 'results_published'))`;
}

function pgVisibleFilter(viewer: Viewer): RawBuilder<boolean> {
  if (isStaffRole(viewer.role)) return sql<boolean>`true`;
  return sql<boolean>`c.tour_id in (select s.tour_id from records s where s.collection = 'scorers' and (s.data::json ->> 'userId') = ${viewer.id})
    and (c.collection not in ('sheets', 'ballots')
      or c.scorer_id in (select s.id from records s where s.collection = 'scorers' and s.deleted = 0 and (s.data::json ->> 'userId') = ${viewer.id})
      or c.tour_id in (select t.id from records t where t.collection = 'tours' and (t.data::json ->> 'status') = 'results_published'))`;
}

/*
 * SQLite: one row per change of the page (at most pageSize + 1, the extra one says hasMore) and
 * one row with the end of the log, in one statement (one snapshot); PostgreSQL: the same in one
 * row (pgPageQuery).
 * Only the changes' positions: the page is decided here, and what the access check and the
 * response need of each change's record comes from the record JSON cache, keyed by the change.
 * No record is looked up here. The page did look up each change's record for its current seq
 * (the cache's key then) until December 2026: on PostgreSQL that was most of the page's work,
 * and with the lookup inside the limited query the planner, unable to estimate the rows after a
 * cursor, looked up the record of every change after the cursor before sorting and cutting
 * them: 2,210 lookups for a page of 251 when a hundred laptops came back at once.
 */
/** a row of the SQLite page statement: a change, or (change_seq null) the end and the access */
interface SqlitePageRow {
  change_seq: number | null;
  end_seq: number | null;
  access: string | null;
}

function sqlitePageQuery(viewer: Viewer, after: ChangeCursor, pageSize: number) {
  return sql<SqlitePageRow>`select change_seq, null as end_seq, null as access
    from (
      select c.seq as change_seq
      from changes c
      where c.seq > ${after.seq} and ${sqliteVisibleFilter(viewer)}
      order by c.seq
      limit ${pageSize + 1}
    )
    union all
    select null, max(seq), ${isStaffRole(viewer.role) ? sql`null` : viewerAccessJsonSql('sqlite', viewer.id)} from changes`;
}

/** SQLite's page: the end and the access come beside the changes (UNION ALL), in no promised order. */
function sqlitePageRead(rows: readonly SqlitePageRow[]): PageRead {
  const read: PageRead = { changes: [], end: null, accessJson: null };
  for (const row of rows) {
    if (row.change_seq !== null) read.changes.push({ tx: '0', seq: row.change_seq });
    else {
      if (row.end_seq !== null) read.end = { tx: '0', seq: row.end_seq };
      read.accessJson = row.access;
    }
  }
  read.changes.sort((a, b) => a.seq - b.seq);
  return read;
}

/**
 * PostgreSQL answers the page in ONE row: the end of the log, the viewer's access, and the page's
 * changes as one text, "tx seq" per change, comma separated, in page order. Parsing 500 rows into
 * objects in the pg client cost more of the server process's time than anything the page does
 * with them; one text is split in a few microseconds.
 */
interface PgPageRow {
  end_tx: string | null;
  end_seq: string | null;
  page: string | null;
  access: string | null;
}

function pgPageQuery(viewer: Viewer, after: ChangeCursor, pageSize: number) {
  return sql<PgPageRow>`with h as materialized (select ${pgPullHorizon} as x),
    e as (select c.tx_id::text as end_tx, c.seq as end_seq from changes c where c.tx_id < (select x from h) order by c.tx_id desc, c.seq desc limit 1),
    p as (${isStaffRole(viewer.role) ? pgStaffWalk(after, pageSize) : pgParticipantWalk(viewer, after, pageSize)})
    select (select end_tx from e) as end_tx, (select end_seq::text from e) as end_seq,
      (select string_agg(p.tx_id::text || ' ' || p.seq::text, ',' order by p.tx_id, p.seq) from p) as page,
      ${isStaffRole(viewer.role) ? sql`null::text` : viewerAccessJsonSql('postgres', viewer.id)} as access`;
}

/** Staff see every change: the page walks the whole log in order (changes_tx_seq). */
function pgStaffWalk(after: ChangeCursor, pageSize: number) {
  return sql`select c.tx_id, c.seq
      from changes c
      where (c.tx_id, c.seq) > (${after.tx}::xid8, ${after.seq}) and c.tx_id < (select x from h)
      order by c.tx_id, c.seq
      limit ${pageSize + 1}`;
}

/*
 * A participant sees changes of their own tours only, so the page walks each of those tours'
 * changes in order (changes_tour_tx_seq, migration 0014), at most a page of each, and keeps the
 * first page of them all. A walk of the whole log read every other tour's changes after the
 * cursor as well: ten tours syncing at once (bench:server province) made that nine tenths of
 * every page's work, and it grew with the time since the laptop's last pull.
 * pgVisibleFilter's tour condition holds by construction here; the rest of it still applies.
 */
function pgParticipantWalk(viewer: Viewer, after: ChangeCursor, pageSize: number) {
  return sql`select w.tx_id, w.seq
      from (select distinct s.tour_id from records s where s.collection = 'scorers' and (s.data::json ->> 'userId') = ${viewer.id} and s.tour_id is not null) as t
      cross join lateral (
        select c.tx_id, c.seq
        from changes c
        where c.tour_id = t.tour_id and (c.tx_id, c.seq) > (${after.tx}::xid8, ${after.seq}) and c.tx_id < (select x from h)
          and ${pgVisibleFilter(viewer)}
        order by c.tx_id, c.seq
        limit ${pageSize + 1}
      ) as w
      order by w.tx_id, w.seq
      limit ${pageSize + 1}`;
}

/** PostgreSQL's one-row answer (pgPageQuery), read. */
function pgPageRead(row: PgPageRow | undefined): PageRead {
  if (!row) throw new Error('the pull page statement returned no row');
  const read: PageRead = { changes: [], end: row.end_seq === null ? null : { tx: row.end_tx ?? '0', seq: Number(row.end_seq) }, accessJson: row.access };
  const text = row.page ?? '';
  // entries "tx seq" separated by commas: read in place, no array per entry
  for (let at = 0; at < text.length; ) {
    const space = text.indexOf(' ', at);
    let end = text.indexOf(',', space + 1);
    if (end === -1) end = text.length;
    if (space === -1 || space > end) throw new Error(`the pull page statement returned a malformed page near ${at}`);
    read.changes.push({ tx: text.slice(at, space), seq: Number(text.slice(space + 1, end)) });
    at = end + 1;
  }
  return read;
}

/**
 * The PullResponse (shared/sync/protocol.ts), each record's JSON as the database built it, the
 * cursor sealed, written into a buffer from `buffers` (page-buffers.ts): `body` is the answer,
 * `buffer` what to give back once it has been sent.
 */
export function serializePullPage(page: PullPage, key: Buffer, buffers?: PageBuffers): { body: Buffer; buffer: Buffer } {
  const head = '{"changes":[';
  const tail = `],"cursor":${JSON.stringify(sealCursor(page.cursor, key))},"hasMore":${page.hasMore ? 'true' : 'false'}}`;
  let size = head.length + Buffer.byteLength(tail) + Math.max(0, page.rows.length - 1);
  for (const { json } of page.rows) size += json.length;
  const buffer = buffers ? buffers.take(size) : Buffer.allocUnsafe(size);
  let at = buffer.write(head, 0, 'latin1');
  page.rows.forEach(({ json }, i) => {
    if (i > 0) buffer[at++] = 0x2c; // ,
    buffer.set(json, at);
    at += json.length;
  });
  at += buffer.write(tail, at, 'utf8');
  return { body: buffer.subarray(0, at), buffer };
}
