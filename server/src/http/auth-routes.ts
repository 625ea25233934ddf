/**
 * Sign in and out.
 *
 *   POST /api/auth/login  {username, password} → {token, tokenType, expiresAt, user}
 *   GET  /api/auth/me     → {user, session}
 *   POST /api/auth/logout → 204 (revokes the session of the token used)
 *
 * What must stay true:
 * - One answer for every failed sign-in ("wrong user name or password"), and the same work for
 *   an unknown user as for a known one (argon2 verify against a dummy hash): neither the message
 *   nor the time tells whether an account exists.
 * - Throttled per account and address, per address, and (more slowly, not for addresses the
 *   account signed in from before) per account, before the password is checked
 *   (auth/login-throttle.ts): someone guessing elsewhere cannot lock the owner out. 429 with
 *   Retry-After while locked.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { loginRequestSchema, type LoginResponse, type MeResponse } from '@shared/sync/auth-protocol';
import { loginThrottleVerdict, recordLoginFailure, recordLoginSuccess, type ThrottleScope } from '../auth/login-throttle.js';
import { generatePassword, hashPassword, verifyPassword } from '../auth/passwords.js';
import { requireUser } from '../auth/require-user.js';
import { hashSessionToken, newSessionToken } from '../auth/tokens.js';
import { normalizeUsername } from '../auth/usernames.js';
import type { Database } from '../db/schema.js';
import { createSession, revokeSession } from '../db/sessions.js';
import { findUserByUsername } from '../db/users.js';
import { HttpError, sendError } from './errors.js';

let dummyHash: Promise<string> | null = null;
/** A real argon2id hash of a random password, so unknown users cost the same verify. */
function dummyPasswordHash(): Promise<string> {
  return (dummyHash ??= hashPassword(generatePassword()));
}

export function registerAuthRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  // warm it up so the first unknown-user login is not faster than a real one
  void dummyPasswordHash();

  app.post('/api/auth/login', async (request, reply) => {
    const body = loginRequestSchema.parse(request.body);
    const username = normalizeUsername(body.username).slice(0, 100);
    const keys = { username, ip: request.ip };

    const verdict = await loginThrottleVerdict(db, keys);
    if (verdict.waitMs > 0) {
      const seconds = Math.ceil(verdict.waitMs / 1000);
      reply.header('retry-after', String(seconds));
      return sendError(reply, 429, 'too_many_attempts', `${throttleMessages[verdict.scope ?? 'accountAddress']}; try again in ${formatWait(seconds)}`);
    }

    const user = await findUserByUsername(db, username);
    const isPasswordRight = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), body.password);
    if (!user || !isPasswordRight) {
      const lockMs = await recordLoginFailure(db, keys);
      request.log.info({ username, ip: request.ip, known: user !== null, lockMs }, 'sign-in failed');
      throw new HttpError(401, 'invalid_credentials', 'Wrong user name or password');
    }
    if (user.disabled) {
      throw new HttpError(403, 'account_disabled', 'This account has been disabled; ask the administrator');
    }
    await recordLoginSuccess(db, keys);

    const token = newSessionToken();
    const session = await createSession(db, {
      tokenHash: hashSessionToken(token),
      userId: user.id,
      ip: request.ip,
      userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : null,
    });
    request.log.info({ username, sessionId: session.id }, 'signed in');
    const response: LoginResponse = {
      token,
      tokenType: 'Bearer',
      expiresAt: session.expiresAt,
      user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role },
    };
    return reply.header('cache-control', 'no-store').send(response);
  });

  app.get('/api/auth/me', async (request, reply) => {
    const user = await requireUser(request);
    const response: MeResponse = {
      user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role },
      session: { id: user.sessionId, expiresAt: user.sessionExpiresAt },
    };
    return reply.header('cache-control', 'no-store').send(response);
  });

  app.post('/api/auth/logout', async (request, reply) => {
    const user = await requireUser(request);
    await revokeSession(db, user.sessionId);
    request.log.info({ username: user.username, sessionId: user.sessionId }, 'signed out');
    return reply.code(204).send();
  });
}

const throttleMessages: Record<ThrottleScope, string> = {
  accountAddress: 'Too many failed sign-ins for this account from this address',
  address: 'Too many failed sign-ins from this address',
  account: 'Too many failed sign-ins for this account from many places; signing in from a network used before still works',
};

function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  return `${Math.ceil(seconds / 60)} min`;
}
