/**
 * Accounts and signed-in tokens for tests: create a user directly in the database, sign in
 * through the real login route, and build the Authorization header.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Role } from '@shared/domain/schemas';
import { hashPassword } from '../auth/passwords.js';
import type { Database } from '../db/schema.js';
import { createUserIfAbsent, type User } from '../db/users.js';

export interface TestUserSpec {
  username: string;
  role: Role;
  password?: string;
  displayName?: string;
  id?: string;
}

let cachedHash: { password: string; hash: Promise<string> } | null = null;

/** Creates an account (argon2 hashing of the default password is done once per test run). */
export async function createTestUser(db: Kysely<Database>, spec: TestUserSpec): Promise<User & { password: string }> {
  const password = spec.password ?? 'correct horse battery';
  let passwordHash: string;
  if (password === 'correct horse battery') {
    cachedHash ??= { password, hash: hashPassword(password) };
    passwordHash = await cachedHash.hash;
  } else {
    passwordHash = await hashPassword(password);
  }
  const user = await createUserIfAbsent(db, {
    id: spec.id,
    username: spec.username,
    displayName: spec.displayName ?? spec.username,
    role: spec.role,
    passwordHash,
  });
  if (!user) throw new Error(`test user ${spec.username} exists already`);
  return { ...user, password };
}

/** Signs in through POST /api/auth/login; returns the bearer token. */
export async function signIn(app: FastifyInstance, username: string, password = 'correct horse battery'): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (response.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${response.statusCode} ${response.body}`);
  return (response.json() as { token: string }).token;
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

/** Creates the account and signs it in. */
export async function createSignedInUser(
  app: FastifyInstance,
  db: Kysely<Database>,
  spec: TestUserSpec,
): Promise<User & { password: string; token: string; headers: { authorization: string } }> {
  const user = await createTestUser(db, spec);
  const token = await signIn(app, spec.username, user.password);
  return { ...user, token, headers: bearer(token) };
}
