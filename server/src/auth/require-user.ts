/**
 * Authentication of API requests: `Authorization: Bearer <token>` → the signed-in user.
 *
 *   app.get('/api/x', async (request) => {
 *     const user = await requireUser(request);                     // any signed-in user
 *     const staff = await requireUser(request, ['secretariat', 'admin']);  // 403 for other roles
 *   });
 *
 * requireUser throws HttpError 401 (`unauthorized`: no, malformed, unknown, expired or revoked
 * token, or a disabled user) or 403 (`forbidden`: signed in with a role not in `roles`); the
 * app's error handler turns those into JSON. The result is cached on the request, so calling it
 * again in the same request costs nothing.
 *
 * Handlers outside Fastify's routing (e.g. a tus server on the raw Node request) use
 * `authenticateAuthorizationHeader(db, header)`.
 *
 * What must stay true:
 * - No cookies: the desktop app and the browser send the header explicitly, so cross-site
 *   requests can never ride on ambient credentials (no CSRF surface).
 * - Every request looks the session up (no cache across requests): a revoked session or a
 *   disabled user is refused by every server process at once.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Role } from '@shared/domain/schemas';
import { findLiveSession } from '../db/sessions.js';
import type { Database } from '../db/schema.js';
import { HttpError } from '../http/errors.js';
import { hashSessionToken, isWellFormedToken } from './tokens.js';

export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** the session the request's token belongs to (logout revokes it) */
  sessionId: string;
  /** when the session expires unless used again */
  sessionExpiresAt: string;
}

interface AuthContext {
  db: Kysely<Database>;
}

declare module 'fastify' {
  interface FastifyInstance {
    guanmoAuth: AuthContext;
  }
  interface FastifyRequest {
    guanmoUser: AuthUser | null;
  }
}

/** Makes requireUser work for every route of `app` (called once by createApp, before any route). */
export function registerAuth(app: FastifyInstance, db: Kysely<Database>): void {
  app.decorate('guanmoAuth', { db });
  app.decorateRequest('guanmoUser', null);
  // RFC 6750: a 401 names the scheme it expects
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode === 401 && !reply.hasHeader('www-authenticate')) reply.header('www-authenticate', 'Bearer realm="guanmo"');
    return payload;
  });
}

/** The bearer token of an Authorization header value, or null when there is none. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(value);
  return match ? match[1]! : null;
}

/**
 * The user behind an Authorization header value; throws HttpError 401 when there is none.
 * For handlers that do not get a FastifyRequest.
 */
export async function authenticateAuthorizationHeader(
  db: Kysely<Database>,
  header: string | string[] | undefined,
  now: Date = new Date(),
): Promise<AuthUser> {
  const token = bearerToken(header);
  if (token === null) throw new HttpError(401, 'unauthorized', 'Sign in first: this request needs an Authorization: Bearer token');
  if (!isWellFormedToken(token)) throw new HttpError(401, 'unauthorized', 'The access token is malformed; sign in again');
  const session = await findLiveSession(db, hashSessionToken(token), now);
  if (!session) throw new HttpError(401, 'unauthorized', 'The session has expired or was signed out; sign in again');
  return {
    id: session.userId,
    username: session.username,
    displayName: session.displayName,
    role: session.role,
    sessionId: session.sessionId,
    sessionExpiresAt: session.expiresAt,
  };
}

/**
 * The signed-in user of `request`; throws HttpError 401 when not signed in, 403 when `roles` is
 * given and the user's role is not in it.
 */
export async function requireUser(request: FastifyRequest, roles?: readonly Role[]): Promise<AuthUser> {
  let user = request.guanmoUser;
  if (!user) {
    const auth = request.server.guanmoAuth as AuthContext | undefined;
    if (!auth) throw new Error('requireUser: registerAuth was not called for this app');
    user = await authenticateAuthorizationHeader(auth.db, request.headers.authorization);
    request.guanmoUser = user;
  }
  if (roles && !roles.includes(user.role)) {
    throw new HttpError(403, 'forbidden', `This needs the role ${roles.join(' or ')}; you are signed in as ${user.role}`);
  }
  return user;
}

/** The roles that prepare tours and see every record. */
export const staffRoles: readonly Role[] = ['secretariat', 'admin'];

export function isStaff(user: Pick<AuthUser, 'role'>): boolean {
  return staffRoles.includes(user.role);
}
