/**
 * The audit log: changes made outside the ordinary sync flow, with who, when and why. Written in
 * the same transaction as the change it describes, so neither exists without the other.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

export interface AuditActor {
  id: string;
  username: string;
}

export interface AuditEntryInput {
  tourId: string | null;
  action: 'sheet_reopened' | 'ballot_reopened' | 'tour_imported' | 'template_imported' | 'users_created';
  collection: string | null;
  recordId: string | null;
  reason: string;
  before: unknown;
  after: unknown;
}

export interface AuditEntry {
  id: number;
  tourId: string | null;
  user: { id: string | null; username: string };
  action: string;
  collection: string | null;
  recordId: string | null;
  reason: string;
  before: unknown;
  after: unknown;
  createdAt: string;
}

export async function writeAudit(trx: Transaction<Database>, actor: AuditActor, entry: AuditEntryInput, now: Date = new Date()): Promise<AuditEntry> {
  const row = await trx
    .insertInto('audit_log')
    .values({
      tour_id: entry.tourId,
      user_id: actor.id,
      username: actor.username,
      action: entry.action,
      collection: entry.collection,
      record_id: entry.recordId,
      reason: entry.reason,
      before: entry.before === undefined || entry.before === null ? null : JSON.stringify(entry.before),
      after: entry.after === undefined || entry.after === null ? null : JSON.stringify(entry.after),
      created_at: now.toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toEntry(row);
}

/** Newest first. */
export async function listAudit(db: Kysely<Database>, query: { tourId?: string; limit: number; beforeId?: number }): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (query.tourId !== undefined) q = q.where('tour_id', '=', query.tourId);
  if (query.beforeId !== undefined) q = q.where('id', '<', query.beforeId);
  const rows = await q.orderBy('id', 'desc').limit(query.limit).execute();
  return rows.map(toEntry);
}

function toEntry(row: {
  id: number;
  tour_id: string | null;
  user_id: string | null;
  username: string;
  action: string;
  collection: string | null;
  record_id: string | null;
  reason: string;
  before: string | null;
  after: string | null;
  created_at: string;
}): AuditEntry {
  return {
    id: Number(row.id),
    tourId: row.tour_id,
    user: { id: row.user_id, username: row.username },
    action: row.action,
    collection: row.collection,
    recordId: row.record_id,
    reason: row.reason,
    before: row.before === null ? null : JSON.parse(row.before),
    after: row.after === null ? null : JSON.parse(row.after),
    createdAt: row.created_at,
  };
}
