/**
 * Login sessions behind bearer tokens.
 *
 * What must stay true:
 * - A token is looked up by its sha256 only (see auth/tokens.ts); the clear token never reaches
 *   the database.
 * - A session counts only while it is not revoked, not expired, and its user is not disabled:
 *   all three are checked in the one lookup query, so disabling a user in one server process
 *   locks them out of every process at once (no cache).
 * - Expiry slides with use (a laptop that syncs keeps its session) but never beyond the absolute
 *   lifetime from login.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Role } from '@shared/domain/schemas';
import type { Database } from './schema.js';

const day = 24 * 60 * 60 * 1000;
/** a session unused this long expires (a tour week offline plus margin) */
export const sessionIdleMs = 30 * day;
/** no session lives longer than this after login */
export const sessionMaxMs = 90 * day;
/** last_used_at / expires_at are written at most this often per session, not on every request */
export const sessionTouchIntervalMs = 5 * 60 * 1000;

export interface NewSession {
  tokenHash: string;
  userId: string;
  ip: string | null;
  userAgent: string | null;
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string;
}

export async function createSession(db: Kysely<Database>, session: NewSession, now: Date = new Date()): Promise<SessionInfo> {
  const at = now.toISOString();
  const row = {
    id: randomUUID(),
    token_hash: session.tokenHash,
    user_id: session.userId,
    created_at: at,
    expires_at: new Date(now.getTime() + sessionIdleMs).toISOString(),
    last_used_at: at,
    revoked_at: null,
    ip: session.ip?.slice(0, 100) ?? null,
    user_agent: session.userAgent?.slice(0, 300) ?? null,
  };
  await db.insertInto('sessions').values(row).execute();
  return { id: row.id, createdAt: row.created_at, expiresAt: row.expires_at, lastUsedAt: row.last_used_at };
}

export interface SessionUser {
  sessionId: string;
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  sessionCreatedAt: string;
  expiresAt: string;
  lastUsedAt: string;
}

/** The live session behind a token hash with its (enabled) user, or null. Touches the session. */
export async function findLiveSession(db: Kysely<Database>, tokenHash: string, now: Date = new Date()): Promise<SessionUser | null> {
  const at = now.toISOString();
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id as session_id',
      's.created_at',
      's.expires_at',
      's.last_used_at',
      'u.id as user_id',
      'u.username',
      'u.display_name',
      'u.role',
    ])
    .where('s.token_hash', '=', tokenHash)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', at)
    .where('u.disabled', '=', 0)
    .executeTakeFirst();
  if (!row) return null;

  let { expires_at: expiresAt, last_used_at: lastUsedAt } = row;
  if (now.getTime() - Date.parse(lastUsedAt) >= sessionTouchIntervalMs) {
    const hardEnd = Date.parse(row.created_at) + sessionMaxMs;
    expiresAt = new Date(Math.min(now.getTime() + sessionIdleMs, hardEnd)).toISOString();
    lastUsedAt = at;
    await db.updateTable('sessions').set({ last_used_at: lastUsedAt, expires_at: expiresAt }).where('id', '=', row.session_id).execute();
  }
  return {
    sessionId: row.session_id,
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    sessionCreatedAt: row.created_at,
    expiresAt,
    lastUsedAt,
  };
}

/** Revokes one session; false when it was already revoked or does not exist. */
export async function revokeSession(db: Kysely<Database>, sessionId: string, now: Date = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Revokes every live session of a user (disable, password change); returns how many. */
export async function revokeUserSessions(db: Kysely<Database>, userId: string, now: Date = new Date()): Promise<number> {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: now.toISOString() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Deletes sessions that ended (expired or revoked) more than `keepMs` ago; returns how many. */
export async function pruneSessions(db: Kysely<Database>, now: Date = new Date(), keepMs = 7 * day): Promise<number> {
  const before = new Date(now.getTime() - keepMs).toISOString();
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Which of `sessionIds` are live now (not revoked, not expired, user enabled), without touching
 * them: for connections that stay open (the live channel re-checks its streams' sessions on every
 * heartbeat), which must neither keep a session alive on their own nor outlive it.
 */
export async function findLiveSessionIds(db: Kysely<Database>, sessionIds: readonly string[], now: Date = new Date()): Promise<Set<string>> {
  if (sessionIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select('s.id')
    .where('s.id', 'in', [...new Set(sessionIds)])
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', now.toISOString())
    .where('u.disabled', '=', 0)
    .execute();
  return new Set(rows.map((r) => r.id));
}
