/**
 * The sign-in session, kept on this device (syncState 'session') so the app keeps working and
 * syncing for days without asking again. In Electron this will move to the OS keychain.
 *
 * Signing in also sets the current user of the field app (db/current-user-repo.ts, source
 * 'signIn'): the server account id is the userId of scorer records, notes and photos.
 * A 401 from the server marks the session expired: nothing local changes, the app keeps
 * working, and only sync waits until the user signs in again.
 */
import type { GuanmoApi } from '@shared/ipc/api';
import { loginResponseSchema, type LoginResponse } from '@shared/sync/auth-protocol';
import { setCurrentUser } from '../db/current-user-repo';
import type { GuanmoDb } from '../db/guanmo-db';
import { request, requestJson, SyncError, type HttpContext } from './sync-http';
import { getSyncState, setSyncState, syncStateTable, type SyncSession } from './sync-tables';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';

/** Where the server is when nobody typed an address: the page's own origin when served over http(s). */
export function defaultServerUrl(location: { protocol: string; origin: string } | undefined = globalThis.location): string {
  if (location && (location.protocol === 'http:' || location.protocol === 'https:')) return location.origin;
  return DEFAULT_SERVER_URL;
}

/** The Electron preload's server address when there is one, else defaultServerUrl(). */
export async function suggestedServerUrl(db: GuanmoDb): Promise<string> {
  const typed = await getSyncState(db, 'serverUrl');
  if (typed) return typed;
  // read off globalThis: tools and tests compile this without the window.guanmo declaration
  const bridge = (globalThis as { guanmo?: GuanmoApi }).guanmo;
  if (bridge) {
    try {
      const settings = await bridge.getServerSettings();
      if (settings.ok) return settings.value.serverUrl;
    } catch {
      // fall back below
    }
  }
  return defaultServerUrl();
}

/** Normalises what a user typed: adds http://, drops paths and trailing slashes. Null when it is no URL. */
export function normalizeServerUrl(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  try {
    const url = new URL(/^[a-z]+:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

export function getSession(db: GuanmoDb): Promise<SyncSession | null> {
  return getSyncState(db, 'session').then((s) => s ?? null);
}

export async function saveSession(db: GuanmoDb, serverUrl: string, login: LoginResponse): Promise<SyncSession> {
  const session: SyncSession = {
    serverUrl,
    token: login.token,
    expiresAt: login.expiresAt,
    user: { id: login.user.id, username: login.user.username, displayName: login.user.displayName, role: login.user.role },
  };
  await db.transaction('rw', syncStateTable(db), async () => {
    await setSyncState(db, 'session', session);
    await setSyncState(db, 'serverUrl', serverUrl);
  });
  await setCurrentUser(db, { userId: login.user.id, name: login.user.displayName }, 'signIn');
  return session;
}

/** The token to sync with: null when signed out or the session expired. */
export async function usableToken(db: GuanmoDb): Promise<string | null> {
  const session = await getSession(db);
  return session && !session.isExpired ? session.token : null;
}

export async function markSessionExpired(db: GuanmoDb): Promise<void> {
  await db.transaction('rw', syncStateTable(db), async () => {
    const session = await getSession(db);
    if (session && !session.isExpired) await setSyncState(db, 'session', { ...session, isExpired: true });
  });
}

export type SignInFailure = 'wrongPassword' | 'disabled' | 'throttled' | 'unreachable' | 'server';

export class SignInError extends Error {
  override readonly name = 'SignInError';
  constructor(
    readonly failure: SignInFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface SignInOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** POST /api/auth/login, then keeps the session and sets the current user. Throws SignInError. */
export async function signIn(db: GuanmoDb, serverUrl: string, username: string, password: string, options: SignInOptions = {}): Promise<SyncSession> {
  const http: HttpContext = { fetch: options.fetch ?? globalThis.fetch.bind(globalThis), baseUrl: serverUrl, token: null, timeoutMs: options.timeoutMs ?? 15_000 };
  let login: LoginResponse;
  try {
    login = await requestJson(http, 'POST', '/api/auth/login', loginResponseSchema, { username, password });
  } catch (error) {
    if (!(error instanceof SyncError)) throw error;
    if (error.status === 401) throw new SignInError('wrongPassword', error.message);
    if (error.status === 403) throw new SignInError('disabled', error.message);
    if (error.status === 429) throw new SignInError('throttled', error.message);
    if (error.kind === 'offline' || error.kind === 'timeout') throw new SignInError('unreachable', error.message);
    throw new SignInError('server', error.message);
  }
  return saveSession(db, serverUrl, login);
}

/** Revokes the session on the server when reachable (best effort) and forgets it here. Local data stays. */
export async function signOut(db: GuanmoDb, options: SignInOptions = {}): Promise<void> {
  const session = await getSession(db);
  if (session && !session.isExpired) {
    const http: HttpContext = { fetch: options.fetch ?? globalThis.fetch.bind(globalThis), baseUrl: session.serverUrl, token: session.token, timeoutMs: options.timeoutMs ?? 5_000 };
    await request(http, 'POST', '/api/auth/logout').catch(() => undefined);
  }
  await setSyncState(db, 'session', null);
}
