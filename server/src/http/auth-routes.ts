/**
 * Sign in and out.
 *
 *   POST /api/auth/login  {username, password} → {token, tokenType, expiresAt, user}
 *   GET  /api/auth/me     → {user, session}
 *   POST /api/auth/logout → 204 (revokes the session of the token used)
 *   POST /api/auth/password {username, password, newPassword} → {token, tokenType, expiresAt, user}
 *
 * What must stay true:
 * - One answer for every failed sign-in ("wrong user name or password"), and the same work for
 *   an unknown user as for a known one (argon2 verify against a dummy hash): neither the message
 *   nor the time tells whether an account exists.
 * - Throttled per account and address, per address, and (more slowly, not for addresses the
 *   account signed in from before) per account, before the password is checked
 *   (auth/login-throttle.ts): someone guessing elsewhere cannot lock the owner out. 429 with
 *   Retry-After while locked.
 * - Changing a password is throttled the same way: it checks the current password too.
 * - A one-time password (an account created from a scorer list) opens no session: the right
 *   password answers 403 `password_change_required`, and only POST /api/auth/password, with
 *   the one-time password and a new one, signs the person in. Only after the password was
 *   verified does the answer differ from a wrong password's, so it tells a guesser nothing.
 * - A changed password signs the account out everywhere else.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import {
  changePasswordRequestSchema,
  loginRequestSchema,
  PASSWORD_CHANGE_REQUIRED,
  type LoginResponse,
  type MeResponse,
} from '@shared/sync/auth-protocol';
import { recordAddressFailure, recordLoginSuccess, reserveLoginAttempt, type ThrottleScope } from '../auth/login-throttle.js';
import { generatePassword, hashPassword, verifyPassword } from '../auth/passwords.js';
import { requireUser } from '../auth/require-user.js';
import { hashSessionToken, newSessionToken } from '../auth/tokens.js';
import { normalizeUsername } from '../auth/usernames.js';
import type { DbKind } from '../config.js';
import type { Database } from '../db/schema.js';
import { createSession, revokeSession } from '../db/sessions.js';
import { findUserByUsername, setUserPassword, type User } from '../db/users.js';
import { HttpError, sendError } from './errors.js';

let dummyHash: Promise<string> | null = null;
/** A real argon2id hash of a random password, so unknown users cost the same verify. */
function dummyPasswordHash(): Promise<string> {
  return (dummyHash ??= hashPassword(generatePassword()));
}

export interface AuthRouteHooks {
  /** after a sign-out: the session's open connections end (the live channel's streams) */
  onSignedOut?: (sessionId: string) => void;
}

export function registerAuthRoutes(app: FastifyInstance, db: Kysely<Database>, kind: DbKind, hooks: AuthRouteHooks = {}): void {
  // warm it up so the first unknown-user login is not faster than a real one
  void dummyPasswordHash();

  /**
   * The account of a user name and password, after the throttle and the password check; throws
   * the 429/401/403 answers. Returns the account whose password was right.
   */
  async function checkCredentials(request: FastifyRequest, rawUsername: string, password: string): Promise<User & { passwordHash: string }> {
    const username = normalizeUsername(rawUsername).slice(0, 100);
    const keys = { username, ip: request.ip };
    // counted before the password is checked: racing attempts (any process) get no extra guesses
    const outcome = await reserveLoginAttempt(db, kind, keys);
    if (!outcome.allowed) {
      const { verdict } = outcome;
      const seconds = Math.ceil(verdict.waitMs / 1000);
      throw new HttpError(429, 'too_many_attempts', `${throttleMessages[verdict.scope ?? 'accountAddress']}; try again in ${formatWait(seconds)}`, {
        'retry-after': String(seconds),
      });
    }
    const user = await findUserByUsername(db, username);
    const isPasswordRight = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !isPasswordRight) {
      // the account's count was reserved already; the address's counts now (login-throttle.ts)
      const lockMs = Math.max(outcome.reservation.lockMs, await recordAddressFailure(db, keys));
      request.log.info({ username, ip: request.ip, known: user !== null, lockMs }, 'sign-in failed');
      throw new HttpError(401, 'invalid_credentials', 'Wrong user name or password');
    }
    if (user.disabled) {
      throw new HttpError(403, 'account_disabled', 'This account has been disabled; ask the administrator');
    }
    await recordLoginSuccess(db, keys, new Date(), outcome.reservation);
    return user;
  }

  app.post('/api/auth/login', async (request, reply) => {
    const body = loginRequestSchema.parse(request.body);
    const user: User = await checkCredentials(request, body.username, body.password);
    if (user.mustChangePassword) {
      request.log.info({ username: user.username }, 'sign-in with a one-time password: a new password is needed first');
      throw new HttpError(403, PASSWORD_CHANGE_REQUIRED, 'This is a one-time password: choose a new password to sign in');
    }
    return reply.header('cache-control', 'no-store').send(await openSession(request, user));
  });

  app.post('/api/auth/password', async (request, reply) => {
    const body = changePasswordRequestSchema.parse(request.body);
    if (body.newPassword === body.password) {
      throw new HttpError(422, 'password_unchanged', 'The new password must differ from the current one');
    }
    const user: User = await checkCredentials(request, body.username, body.password);
    const { sessionsRevoked } = await setUserPassword(db, user.id, { passwordHash: await hashPassword(body.newPassword), mustChangePassword: false });
    request.log.info({ username: user.username, sessionsRevoked, wasOneTime: user.mustChangePassword }, 'password changed');
    return reply.header('cache-control', 'no-store').send(await openSession(request, { ...user, mustChangePassword: false }));
  });

  async function openSession(request: FastifyRequest, user: User): Promise<LoginResponse> {
    const token = newSessionToken();
    const session = await createSession(db, {
      tokenHash: hashSessionToken(token),
      userId: user.id,
      ip: request.ip,
      userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : null,
    });
    request.log.info({ username: user.username, sessionId: session.id }, 'signed in');
    return {
      token,
      tokenType: 'Bearer',
      expiresAt: session.expiresAt,
      user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role },
    };
  }

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
    hooks.onSignedOut?.(user.sessionId);
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
