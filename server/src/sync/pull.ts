/**
 * Pull: the next changes after a cursor that this user may see (access.ts).
 *
 * One statement per page does the heavy part: it walks the change log after the cursor, keeps
 * only what this user may see (the access rules as SQL, a superset of canSeeRecord: the other
 * scorers' sheets of a tour still blind are left in the database instead of being read and thrown
 * away), and builds each record's JSON in the database (its stored data and versions text spliced
 * in, never parsed and serialised again; on SQLite as UTF-8 bytes, which go to the socket as
 * they are). A page of a few hundred records is one query and a Buffer.concat.
 *
 * What must stay true:
 * - The SQL filter and the end of the log the cursor may jump to are read in ONE statement, so
 *   one snapshot: visibility only grows through writes that also re-announce the records
 *   concerned (reannounce.ts) in the same transaction, so a change the filter drops under that
 *   snapshot's access is re-announced later, after the cursor, once it becomes visible.
 * - The exact per-record check (canSeeRecord) still runs on every row the SQL returns, with the
 *   access read AFTER the page (at least as new as it). The SQL filter may only ever drop rows
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
import { decodeCursor, encodeCursor, pgPullHorizon, startCursor, type ChangeCursor } from '../db/changes.js';
import type { Database } from '../db/schema.js';
import { HttpError } from '../http/errors.js';
import { canSeeRecord, isStaffRole, loadViewerAccess, type Viewer, type ViewerAccess } from './access.js';
import { isRecordCollection } from '@shared/sync/collections';

/** the most changes one pull answers with (a client asking for more gets hasMore) */
export const maxPageChanges = 250;

export function parseCursor(text: string | undefined): ChangeCursor {
  if (text === undefined || text === '') return startCursor;
  const cursor = decodeCursor(text);
  if (!cursor) throw new HttpError(400, 'invalid_cursor', 'The cursor is not one this server issued; pull again from the start (no cursor)');
  return cursor;
}

/** One pulled record: what the access check needs, and the record's JSON as the response carries it. */
export interface PulledRow {
  collection: string;
  id: string;
  tourId: string | null;
  deleted: boolean;
  /** data.scorerId of sheets and ballots (null for other collections) */
  scorerId: string | null;
  /** the PulledRecord's JSON: UTF-8 bytes (SQLite) or text (PostgreSQL) */
  json: Buffer | string;
}

export interface PullPage {
  /** latest state of each record, in change order */
  rows: PulledRow[];
  cursor: ChangeCursor;
  hasMore: boolean;
}

interface PageRow {
  end_tx: string | null;
  end_seq: number | null;
  change_tx: string | null;
  change_seq: number | null;
  collection: string | null;
  id: string | null;
  tour_id: string | null;
  deleted: number | null;
  scorer_id: string | null;
  json: Buffer | string | null;
}

export async function pullChanges(db: Kysely<Database>, kind: DbKind, viewer: Viewer, after: ChangeCursor, limit: number): Promise<PullPage> {
  const pageSize = Math.max(1, Math.min(limit, maxPageChanges));
  const { rows } = await (kind === 'postgres' ? pgPageQuery(viewer, after, pageSize) : sqlitePageQuery(viewer, after, pageSize)).execute(db);
  const changes = rows.filter((row) => row.change_seq !== null);
  const hasMore = changes.length > pageSize;
  const page = hasMore ? changes.slice(0, pageSize) : changes;

  let cursor = after;
  const last = page.at(-1);
  if (hasMore) cursor = { tx: last!.change_tx ?? '0', seq: Number(last!.change_seq) };
  else {
    const end = rows[0];
    if (end && end.end_seq !== null) {
      const endCursor = { tx: end.end_tx ?? '0', seq: Number(end.end_seq) };
      if (compareCursors(endCursor, cursor) > 0) cursor = endCursor;
    }
    if (last) {
      const lastCursor = { tx: last.change_tx ?? '0', seq: Number(last.change_seq) };
      if (compareCursors(lastCursor, cursor) > 0) cursor = lastCursor;
    }
  }

  // access after the page: see the comment at the top
  const access = await loadViewerAccess(db, kind, viewer);
  // keep each record's last occurrence, in change order
  const lastIndex = new Map<string, number>();
  page.forEach((row, i) => lastIndex.set(`${row.collection}\u0000${row.id}`, i));
  const picked: PulledRow[] = [];
  page.forEach((row, i) => {
    if (lastIndex.get(`${row.collection}\u0000${row.id}`) !== i) return;
    const pulled: PulledRow = {
      collection: row.collection!,
      id: row.id!,
      tourId: row.tour_id,
      deleted: row.deleted === 1,
      scorerId: row.scorer_id,
      json: row.json!,
    };
    if (isVisible(access, pulled)) picked.push(pulled);
  });
  return { rows: picked, cursor, hasMore };
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
 */
function sqliteVisibleFilter(viewer: Viewer): RawBuilder<boolean> {
  if (isStaffRole(viewer.role)) return sql<boolean>`1 = 1`;
  return sql<boolean>`r.tour_id in (select s.tour_id from records s where s.collection = 'scorers' and json_extract(s.data, '$.userId') = ${viewer.id})
    and (r.collection not in ('sheets', 'ballots')
      or json_extract(r.data, '$.scorerId') in (select s.id from records s where s.collection = 'scorers' and s.deleted = 0 and json_extract(s.data, '$.userId') = ${viewer.id})
      or exists (select 1 from records t where t.collection = 'tours' and t.id = r.tour_id and json_extract(t.data, '$.status') = 'results_published'))`;
}

function pgVisibleFilter(viewer: Viewer): RawBuilder<boolean> {
  if (isStaffRole(viewer.role)) return sql<boolean>`true`;
  return sql<boolean>`r.tour_id in (select s.tour_id from records s where s.collection = 'scorers' and (s.data::json ->> 'userId') = ${viewer.id})
    and (r.collection not in ('sheets', 'ballots')
      or (r.data::json ->> 'scorerId') in (select s.id from records s where s.collection = 'scorers' and s.deleted = 0 and (s.data::json ->> 'userId') = ${viewer.id})
      or exists (select 1 from records t where t.collection = 'tours' and t.id = r.tour_id and (t.data::json ->> 'status') = 'results_published'))`;
}

/*
 * One row per change of the page (at most pageSize + 1, the extra one says hasMore), each with
 * the end of the log; when nothing after the cursor is visible, one row with just the end. The
 * record JSON has the shape of PulledRecord (shared/sync/protocol.ts).
 */
function sqlitePageQuery(viewer: Viewer, after: ChangeCursor, pageSize: number) {
  return sql<PageRow>`select null as end_tx, e.end_seq, null as change_tx, f.change_seq, f.collection, f.id, f.tour_id, f.deleted, f.scorer_id, f.json
    from (select max(seq) as end_seq from changes) as e
    left join (
      select c.seq as change_seq, r.collection, r.id, r.tour_id, r.deleted,
        case when r.collection in ('sheets', 'ballots') then json_extract(r.data, '$.scorerId') end as scorer_id,
        cast('{"collection":' || json_quote(r.collection) || ',"id":' || json_quote(r.id) || ',"tourId":' || json_quote(r.tour_id)
          || ',"data":' || r.data || ',"versions":' || r.versions || ',"deleted":' || (case when r.deleted = 1 then 'true' else 'false' end) || '}' as blob) as json
      from changes c
      join records r on r.collection = c.collection and r.id = c.record_id
      where c.seq > ${after.seq} and ${sqliteVisibleFilter(viewer)}
      order by c.seq
      limit ${pageSize + 1}
    ) as f on 1 = 1
    order by f.change_seq`;
}

function pgPageQuery(viewer: Viewer, after: ChangeCursor, pageSize: number) {
  return sql<PageRow>`with h as materialized (select ${pgPullHorizon} as x),
    e as (select c.tx_id::text as end_tx, c.seq as end_seq from changes c where c.tx_id < (select x from h) order by c.tx_id desc, c.seq desc limit 1),
    f as (
      select c.tx_id as tx, c.seq as change_seq, r.collection, r.id, r.tour_id, r.deleted,
        case when r.collection in ('sheets', 'ballots') then (r.data::json ->> 'scorerId') end as scorer_id,
        '{"collection":' || to_json(r.collection)::text || ',"id":' || to_json(r.id)::text || ',"tourId":' || coalesce(to_json(r.tour_id)::text, 'null')
          || ',"data":' || r.data || ',"versions":' || r.versions || ',"deleted":' || (case when r.deleted = 1 then 'true' else 'false' end) || '}' as json
      from changes c
      join records r on r.collection = c.collection and r.id = c.record_id
      where (c.tx_id, c.seq) > (${after.tx}::xid8, ${after.seq}) and c.tx_id < (select x from h) and ${pgVisibleFilter(viewer)}
      order by c.tx_id, c.seq
      limit ${pageSize + 1}
    )
    select e.end_tx, e.end_seq, f.tx::text as change_tx, f.change_seq, f.collection, f.id, f.tour_id, f.deleted, f.scorer_id, f.json
    from (select 1) as one
    left join e on true
    left join f on true
    order by f.tx, f.change_seq`;
}

const comma = Buffer.from(',');

/** The PullResponse (shared/sync/protocol.ts) with each record's JSON as the database built it. */
export function serializePullPage(page: PullPage): Buffer {
  const head = Buffer.from('{"changes":[');
  const tail = Buffer.from(`],"cursor":${JSON.stringify(encodeCursor(page.cursor))},"hasMore":${page.hasMore ? 'true' : 'false'}}`);
  const parts: Buffer[] = [head];
  page.rows.forEach((row, i) => {
    if (i > 0) parts.push(comma);
    parts.push(typeof row.json === 'string' ? Buffer.from(row.json) : row.json);
  });
  parts.push(tail);
  return Buffer.concat(parts);
}
