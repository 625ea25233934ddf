/**
 * Pull: the next changes after a cursor that this user may see (access.ts).
 *
 * One statement per page does the heavy part: it walks the change log after the cursor and keeps
 * only what this user may see (the access rules as SQL, a superset of canSeeRecord: the other
 * scorers' sheets of a tour still blind are left in the database instead of being read and thrown
 * away). It returns only numbers, each change's seq and its record's current seq, not the
 * records' content: each record's JSON (its stored data and versions text spliced in by the
 * database, never parsed and serialised again) is kept as UTF-8 bytes per record state in this
 * process (RecordJsonCache) with the columns the access check needs, because the hundred laptops
 * of a tour all pull the same notes; only states not seen yet are read, in one query.
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
 * A row of the page statement: a change and its record's current seq, or (change_seq null) the
 * end of the log, or (access not null) the viewer's participation rows (access.ts
 * viewerAccessJsonSql).
 */
interface PageRow {
  end_tx: string | null;
  end_seq: number | null;
  change_tx: string | null;
  change_seq: number | null;
  record_seq: number | null;
  access: string | null;
}

export interface RecordJsonRow {
  /** the record state the page named (the row may be a newer state) */
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
  const rows = kind === 'postgres' ? pgPageRows((await pgPageQuery(viewer, after, pageSize).execute(db)).rows[0]) : (await sqlitePageQuery(viewer, after, pageSize).execute(db)).rows;
  const changes: PageRow[] = [];
  let end: PageRow | undefined;
  let accessJson: string | null = null;
  for (const row of rows) {
    if (row.end_seq !== null) end = row; // PostgreSQL repeats the end on every row
    if (row.change_seq !== null) changes.push(row);
    if (row.access !== null) accessJson = row.access;
  }
  // SQLite: the end and the access come beside the page (UNION ALL), with no order promised
  // between them; PostgreSQL's page text is in order already (string_agg's order by)
  if (kind === 'sqlite') changes.sort((a, b) => a.change_seq! - b.change_seq!);
  const hasMore = changes.length > pageSize;
  const page = hasMore ? changes.slice(0, pageSize) : changes;

  let cursor = after;
  const last = page.at(-1);
  if (hasMore) cursor = { tx: last!.change_tx ?? '0', seq: Number(last!.change_seq) };
  else {
    if (end && end.end_seq !== null) {
      const endCursor = { tx: end.end_tx ?? '0', seq: Number(end.end_seq) };
      if (compareCursors(endCursor, cursor) > 0) cursor = endCursor;
    }
    if (last) {
      const lastCursor = { tx: last.change_tx ?? '0', seq: Number(last.change_seq) };
      if (compareCursors(lastCursor, cursor) > 0) cursor = lastCursor;
    }
  }

  // Each record once, at its last change in the page. Two changes of one record carry the same
  // record_seq (its current state), and no two records share one, so the seq is the key.
  const lastIndex = new Map<number, number>();
  // (a change whose record the page statement did not find names nothing: records are never
  // deleted, so this is defensive; the change still counts for the page and the cursor)
  page.forEach((row, i) => {
    if (row.record_seq !== null) lastIndex.set(Number(row.record_seq), i);
  });
  if (lastIndex.size === 0) return { rows: [], cursor, hasMore };

  // access in the page's own snapshot (read by the same statement): see the comment at the top
  const access = accessOf(viewer, accessJson);
  // a record state read below where the cache has none yet, or null once it turned out not visible
  const picked: Array<CachedRecord | number | null> = [];
  const missing: number[] = [];
  page.forEach((pageRow, i) => {
    if (pageRow.record_seq === null) return;
    const seq = Number(pageRow.record_seq);
    if (lastIndex.get(seq) !== i) return;
    const cached = cache.get(seq);
    if (!cached) {
      picked.push(seq);
      missing.push(seq);
    } else if (isVisible(access, cached.row)) picked.push(cached);
  });
  if (missing.length > 0) {
    // Record states this process has not serialised yet. A record may have changed again since
    // the page was read: its newer state goes out instead (harmless, as the current state always
    // is) once it passes the access check in that state.
    const loaded = await cache.load(missing, (seqs) => readRecordJson(db, kind, seqs));
    for (let i = 0; i < picked.length; i++) {
      const item = picked[i]!;
      if (typeof item !== 'number') continue;
      const found = loaded.get(item); // records are never deleted; defensive
      picked[i] = found && isVisible(access, found.row) ? found : null;
    }
  }
  return { rows: picked.filter((p): p is CachedRecord => p !== null && typeof p !== 'number'), cursor, hasMore };
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
 * state. Keyed by records.seq, which names one state of one record: every write of a record gives
 * it a new seq (the seq of its newest change, unique across records, db/records.ts), so an entry
 * can never be served for another state; the entry of a state that has been replaced is merely
 * never asked for again. Bounded by bytes, oldest entries dropped first.
 */
export class RecordJsonCache {
  private readonly entries = new Map<number, CachedRecord>();
  /** reads under way: record state → the read that will answer it */
  private readonly loading = new Map<number, Promise<Map<number, CachedRecord>>>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(seq: number): CachedRecord | undefined {
    return this.entries.get(seq);
  }

  /**
   * The entries answering `seqs` (record states a page named), read with `fetch` where missing.
   * Pulls that miss the same states at the same time (a hundred laptops pulling the new notes
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
            found.set(Number(row.asked_seq), this.set(state, Buffer.from(row.json)));
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
    this.entries.set(row.seq, entry);
    this.bytes += json.length;
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= old.json.length;
    }
    return entry;
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
 * the records whose state was `seqs` when the page was read (asked_seq: which one each answers;
 * the state returned may be newer). A record's seq is the seq of one of its changes, so the
 * change log's primary key finds the record.
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

/**
 * Order of two cursors: by transaction, then seq. tx is a decimal xid8 (up to 2^64, beyond a
 * double's exact range) written without leading zeros, so the shorter text is the smaller number
 * and texts of one length compare as strings: no BigInt per comparison when a page is sorted.
 */
export function compareCursors(a: ChangeCursor, b: ChangeCursor): number {
  if (a.tx !== b.tx) {
    if (a.tx.length !== b.tx.length) return a.tx.length - b.tx.length;
    return a.tx < b.tx ? -1 : 1;
  }
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
 * SQLite: one row per change of the page (at most pageSize + 1, the extra one says hasMore) with
 * its record's current seq, and one row with the end of the log, in one statement (one snapshot);
 * PostgreSQL: the same in one row (pgPageQuery).
 * Only numbers: the page is decided here, and what the access check and the response need of
 * each record state comes from the record JSON cache, keyed by that seq.
 * SQLite: CROSS JOIN fixes the join order (walk the change log by seq, look each record up);
 * left to itself the planner starts from the tour's records and sorts all of them every pull.
 * The record is looked up in records_state (migration 0007), which holds the seq beside the
 * key, so the lookup never touches the table rows with their JSON.
 * PostgreSQL: the page of changes is chosen (filtered, ordered, limited) before any record is
 * looked up, so a page does pageSize + 1 lookups. With the join inside the limited query the
 * planner, unable to estimate rows after a cursor given as a parameter, looked up the record of
 * every change after the cursor and sorted them all: 2,210 lookups for a page of 251 when a
 * hundred laptops came back at once, 17 ms of the backend's CPU per page instead of about 2.
 * The join is a left join so that a change without its record could never shorten the page and
 * end it early (hasMore is decided by the count of changes).
 */
function sqlitePageQuery(viewer: Viewer, after: ChangeCursor, pageSize: number) {
  return sql<PageRow>`select null as end_tx, null as end_seq, null as change_tx, change_seq, record_seq, null as access
    from (
      select c.seq as change_seq, r.seq as record_seq
      from changes c
      cross join records r indexed by records_state on r.collection = c.collection and r.id = c.record_id
      where c.seq > ${after.seq} and ${sqliteVisibleFilter(viewer)}
      order by c.seq
      limit ${pageSize + 1}
    )
    union all
    select null, max(seq), null, null, null, ${isStaffRole(viewer.role) ? sql`null` : viewerAccessJsonSql('sqlite', viewer.id)} from changes`;
}

/**
 * PostgreSQL answers the page in ONE row: the end of the log, the viewer's access, and the page's
 * changes as one text, "tx seq record_seq" per change (record_seq empty when not found), comma
 * separated, in page order. Parsing 500 rows into objects in the pg client cost more of the
 * server process's time than anything the page does with them; one text is split in a few
 * microseconds.
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
    p as (
      select c.tx_id, c.seq, c.collection, c.record_id
      from changes c
      where (c.tx_id, c.seq) > (${after.tx}::xid8, ${after.seq}) and c.tx_id < (select x from h) and ${pgVisibleFilter(viewer)}
      order by c.tx_id, c.seq
      limit ${pageSize + 1}
    )
    select (select end_tx from e) as end_tx, (select end_seq::text from e) as end_seq,
      (select string_agg(p.tx_id::text || ' ' || p.seq::text || ' ' || coalesce(r.seq::text, ''), ',' order by p.tx_id, p.seq)
        from p left join records r on r.collection = p.collection and r.id = p.record_id) as page,
      ${isStaffRole(viewer.role) ? sql`null::text` : viewerAccessJsonSql('postgres', viewer.id)} as access`;
}

/** The rows readPage works with, from PostgreSQL's one-row answer (pgPageQuery). */
function pgPageRows(row: PgPageRow | undefined): PageRow[] {
  if (!row) throw new Error('the pull page statement returned no row');
  const rows: PageRow[] = [];
  if (row.end_seq !== null) rows.push({ end_tx: row.end_tx, end_seq: Number(row.end_seq), change_tx: null, change_seq: null, record_seq: null, access: null });
  if (row.access !== null) rows.push({ end_tx: null, end_seq: null, change_tx: null, change_seq: null, record_seq: null, access: row.access });
  const text = row.page ?? '';
  // entries "tx seq record_seq" separated by commas: read in place, no array per entry
  for (let at = 0; at < text.length; ) {
    const space1 = text.indexOf(' ', at);
    const space2 = text.indexOf(' ', space1 + 1);
    let end = text.indexOf(',', space2 + 1);
    if (end === -1) end = text.length;
    if (space1 === -1 || space2 === -1 || space2 > end) throw new Error(`the pull page statement returned a malformed page near ${at}`);
    const recordSeq = text.slice(space2 + 1, end);
    rows.push({ end_tx: null, end_seq: null, change_tx: text.slice(at, space1), change_seq: Number(text.slice(space1 + 1, space2)), record_seq: recordSeq === '' ? null : Number(recordSeq), access: null });
    at = end + 1;
  }
  return rows;
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
