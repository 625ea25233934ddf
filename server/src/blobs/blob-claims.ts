/**
 * Claims on photo bytes (schema.ts BlobClaimsTable) and unfinished uploads (PendingUploadsTable):
 * who proved they hold which bytes, what each user's uploads stored and for which tour, and what
 * unfinished uploads reserve. See photos/photo-access.ts (claims grant access) and
 * photos/upload-limits.ts (quotas).
 */
import type { Kysely } from 'kysely';
import type { BlobClaimsTable, Database } from '../db/schema.js';

export type ClaimHow = BlobClaimsTable['how'];

/** Strength of a claim: a later, stronger one replaces a weaker one (stored beats uploaded beats proven). */
const strength: Record<ClaimHow, number> = { legacy: 0, proven: 1, uploaded: 2, stored: 3 };

export interface NewClaim {
  sha256: string;
  userId: string;
  tourId: string | null;
  size: number;
  how: ClaimHow;
}

/** Records that the user holds the bytes (keeping the stronger of an existing and the new claim). */
export async function recordClaim(db: Kysely<Database>, claim: NewClaim, now: Date = new Date()): Promise<void> {
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('blob_claims').select(['how']).where('sha256', '=', claim.sha256).where('user_id', '=', claim.userId).executeTakeFirst();
    if (existing && strength[existing.how] >= strength[claim.how]) return;
    const row = { sha256: claim.sha256, user_id: claim.userId, tour_id: claim.tourId, size: claim.size, how: claim.how, created_at: at };
    if (existing) await trx.updateTable('blob_claims').set(row).where('sha256', '=', claim.sha256).where('user_id', '=', claim.userId).execute();
    else await trx.insertInto('blob_claims').values(row).onConflict((oc) => oc.columns(['sha256', 'user_id']).doNothing()).execute();
  });
}

/** The users holding a claim on these bytes. */
export async function claimantsOf(db: Kysely<Database>, sha256: string): Promise<Set<string>> {
  const rows = await db.selectFrom('blob_claims').select('user_id').where('sha256', '=', sha256).execute();
  return new Set(rows.map((r) => r.user_id));
}

/** Which of these hashes the user holds a claim on. */
export async function claimedBy(db: Kysely<Database>, userId: string, sha256s: readonly string[]): Promise<Set<string>> {
  if (sha256s.length === 0) return new Set();
  const rows = await db.selectFrom('blob_claims').select('sha256').where('user_id', '=', userId).where('sha256', 'in', [...new Set(sha256s)]).execute();
  return new Set(rows.map((r) => r.sha256));
}

/** Forgets every claim on bytes that are gone (blob garbage collection). */
export async function forgetClaims(db: Kysely<Database>, sha256: string): Promise<void> {
  await db.deleteFrom('blob_claims').where('sha256', '=', sha256).execute();
}

export interface StorageUse {
  /** bytes the user's (or tour's) uploads stored */
  storedBytes: number;
  /** bytes reserved by unfinished uploads */
  pendingBytes: number;
  pendingUploads: number;
}

export async function userStorageUse(db: Kysely<Database>, userId: string): Promise<StorageUse> {
  const stored = await db
    .selectFrom('blob_claims')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('bytes'))
    .where('user_id', '=', userId)
    .where('how', '=', 'stored')
    .executeTakeFirstOrThrow();
  const pending = await db
    .selectFrom('pending_uploads')
    .select((eb) => [eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('bytes'), eb.fn.countAll<number>().as('n')])
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return { storedBytes: Number(stored.bytes), pendingBytes: Number(pending.bytes), pendingUploads: Number(pending.n) };
}

export async function tourStorageUse(db: Kysely<Database>, tourId: string): Promise<StorageUse> {
  const stored = await db
    .selectFrom('blob_claims')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('bytes'))
    .where('tour_id', '=', tourId)
    .where('how', '=', 'stored')
    .executeTakeFirstOrThrow();
  const pending = await db
    .selectFrom('pending_uploads')
    .select((eb) => [eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('bytes'), eb.fn.countAll<number>().as('n')])
    .where('tour_id', '=', tourId)
    .executeTakeFirstOrThrow();
  return { storedBytes: Number(stored.bytes), pendingBytes: Number(pending.bytes), pendingUploads: Number(pending.n) };
}

export async function addPendingUpload(db: Kysely<Database>, row: { id: string; userId: string; tourId: string | null; size: number }, now: Date = new Date()): Promise<void> {
  await db
    .insertInto('pending_uploads')
    .values({ id: row.id, user_id: row.userId, tour_id: row.tourId, size: row.size, created_at: now.toISOString() })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function removePendingUpload(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('pending_uploads').where('id', '=', id).execute();
}

/** The pending upload's user and tour, or null when it is not (or no longer) pending. */
export async function pendingUpload(db: Kysely<Database>, id: string): Promise<{ userId: string; tourId: string | null } | null> {
  const row = await db.selectFrom('pending_uploads').select(['user_id', 'tour_id']).where('id', '=', id).executeTakeFirst();
  return row ? { userId: row.user_id, tourId: row.tour_id } : null;
}

/** Ids of pending uploads created before `before` (for the clean-up of abandoned uploads). */
export async function pendingUploadIds(db: Kysely<Database>): Promise<Array<{ id: string; createdAt: string }>> {
  const rows = await db.selectFrom('pending_uploads').select(['id', 'created_at']).execute();
  return rows.map((r) => ({ id: r.id, createdAt: r.created_at }));
}
