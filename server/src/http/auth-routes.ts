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
 * - Throttled per user name and per address (auth/login-throttle.ts) before the password is
 *   checked; 429 with Retry-After while locked. Changing a password is throttled the same way:
 *   it checks the current password too.
 * - A one-time password (an account created from a scorer list) opens no session: the right
 *   password answers 403 `password_change_required`, and only POST /api/auth/password, with
 *   the one-time password and a new one, signs the person in. Only after the password was
 *   verified does the answer differ from a wrong password's, so it tells a guesser nothing.
 * - A changed password signs the account out everywhere else.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import {
  changePasswordRequestSchema,
  loginRequestSchema,
  PASSWORD_CHANGE_REQUIRED,
  type LoginResponse,
  type MeResponse,
} from '@shared/sync/auth-protocol';
import { clearUserFailures, loginRetryAfterMs, recordLoginFailure } from '../auth/login-throttle.js';
import { generatePassword, hashPassword, verifyPassword } from '../auth/passwords.js';
import { requireUser } from '../auth/require-user.js';
import { hashSessionToken, newSessionToken } from '../auth/tokens.js';
import { normalizeUsername } from '../auth/usernames.js';
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

export function registerAuthRoutes(app: FastifyInstance, db: Kysely<Database>, hooks: AuthRouteHooks = {}): void {
  // warm it up so the first unknown-user login is not faster than a real one
  void dummyPasswordHash();

  /**
   * The account of a user name and password, after the throttle and the password check; throws
   * the 429/401/403 answers. Returns the account whose password was right.
   */
  async function checkCredentials(request: FastifyRequest, rawUsername: string, password: string): Promise<User & { passwordHash: string }> {
    const username = normalizeUsername(rawUsername).slice(0, 100);
    const keys = { username, ip: request.ip };
    const waitMs = await loginRetryAfterMs(db, keys);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new TooManyAttempts(seconds);
    }
    const user = await findUserByUsername(db, username);
    const isPasswordRight = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !isPasswordRight) {
      const lockMs = await recordLoginFailure(db, keys);
      request.log.info({ username, ip: request.ip, known: user !== null, lockMs }, 'sign-in failed');
      throw new HttpError(401, 'invalid_credentials', 'Wrong user name or password');
    }
    if (user.disabled) {
      throw new HttpError(403, 'account_disabled', 'This account has been disabled; ask the administrator');
    }
    await clearUserFailures(db, username);
    return user;
  }

  app.post('/api/auth/login', async (request, reply) => {
    const body = loginRequestSchema.parse(request.body);
    let user: User;
    try {
      user = await checkCredentials(request, body.username, body.password);
    } catch (error) {
      if (error instanceof TooManyAttempts) return error.send(reply);
      throw error;
    }
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
    let user: User;
    try {
      user = await checkCredentials(request, body.username, body.password);
    } catch (error) {
      if (error instanceof TooManyAttempts) return error.send(reply);
      throw error;
    }
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

/** Locked by the sign-in throttle: 429 with Retry-After. */
class TooManyAttempts extends Error {
  constructor(readonly seconds: number) {
    super('too many attempts');
  }
  send(reply: FastifyReply): FastifyReply {
    reply.header('retry-after', String(this.seconds));
    return sendError(reply, 429, 'too_many_attempts', `Too many failed sign-ins; try again in ${formatWait(this.seconds)}`);
  }
}

function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  return `${Math.ceil(seconds / 60)} min`;
}
