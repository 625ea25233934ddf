/**
 * Accounts. Passwords arrive here already hashed; this module never sees a clear password.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Role } from '@shared/domain/schemas';
import type { Database, UserRow } from './schema.js';
import { revokeUserSessions } from './sessions.js';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  /** the password is a one-time password: sign-in asks for a new one first */
  mustChangePassword: boolean;
  createdAt: string;
}

export interface NewUser {
  /** fixed id (demo accounts); default a random UUID */
  id?: string;
  /** already normalised (see auth/usernames.ts) */
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  /** a one-time password the person must replace at first sign-in */
  mustChangePassword?: boolean;
}

/**
 * Creates the account unless the user name (or the fixed id) is taken; returns null when it was,
 * so two server processes bootstrapping at once cannot both create `admin`.
 */
export async function createUserIfAbsent(db: Kysely<Database>, user: NewUser, now: Date = new Date()): Promise<User | null> {
  const at = now.toISOString();
  const row = await db
    .insertInto('users')
    .values({
      id: user.id ?? randomUUID(),
      username: user.username,
      display_name: user.displayName,
      role: user.role,
      password_hash: user.passwordHash,
      disabled: 0,
      must_change_password: user.mustChangePassword ? 1 : 0,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.doNothing()) // taken name (or fixed id): keep what exists
    .returningAll()
    .executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function findUserByUsername(db: Kysely<Database>, username: string): Promise<(User & { passwordHash: string }) | null> {
  const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
}

/** The accounts of these (normalised) user names, with their hashes; absent names are left out. */
export async function findUsersByUsernames(db: Kysely<Database>, usernames: readonly string[]): Promise<(User & { passwordHash: string })[]> {
  if (usernames.length === 0) return [];
  const rows = await db.selectFrom('users').selectAll().where('username', 'in', [...usernames]).execute();
  return rows.map((row) => ({ ...toUser(row), passwordHash: row.password_hash }));
}

/**
 * Sets a new password (already hashed) and whether it is a one-time password, and signs the
 * account out everywhere, in one transaction: a password change must end the sessions of
 * whoever knew the old one.
 */
export async function setUserPassword(
  db: Kysely<Database>,
  userId: string,
  change: { passwordHash: string; mustChangePassword: boolean },
  now: Date = new Date(),
): Promise<{ sessionsRevoked: number }> {
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: change.passwordHash, must_change_password: change.mustChangePassword ? 1 : 0, updated_at: now.toISOString() })
      .where('id', '=', userId)
      .execute();
    return { sessionsRevoked: await revokeUserSessions(trx, userId, now) };
  });
}

export async function findUserById(db: Kysely<Database>, id: string): Promise<User | null> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toUser(row) : null;
}

/**
 * Disables (or re-enables) an account. Disabling also revokes every session of the account in the
 * same transaction, so it is signed out everywhere at once. Returns null for an unknown user name.
 */
export async function setUserDisabled(
  db: Kysely<Database>,
  username: string,
  disabled: boolean,
  now: Date = new Date(),
): Promise<(User & { sessionsRevoked: number; changed: boolean }) | null> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    if (!row) return null;
    const changed = (row.disabled === 1) !== disabled;
    if (changed) {
      await trx
        .updateTable('users')
        .set({ disabled: disabled ? 1 : 0, updated_at: now.toISOString() })
        .where('id', '=', row.id)
        .execute();
    }
    const sessionsRevoked = disabled ? await revokeUserSessions(trx, row.id, now) : 0;
    return { ...toUser({ ...row, disabled: disabled ? 1 : 0 }), sessionsRevoked, changed };
  });
}

export async function listUsers(db: Kysely<Database>): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('created_at').orderBy('username').execute();
  return rows.map(toUser);
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const { n } = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    disabled: row.disabled === 1,
    mustChangePassword: row.must_change_password === 1,
    createdAt: row.created_at,
  };
}
