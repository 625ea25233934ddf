/**
 * The sign-in session, kept on this device (syncState 'session') so the app keeps working and
 * syncing for days without asking again.
 *
 * Where the token lives:
 * - desktop app with an OS keychain: in the keychain (window.guanmo saveSession/loadSession,
 *   encrypted by Electron safeStorage in main); IndexedDB keeps the rest of the session (server,
 *   user, expiry) with an empty token and `tokenInKeychain`, so live queries still see sign-in
 *   and sign-out. A token an older release left in IndexedDB moves to the keychain once, at the
 *   first sync (migrateTokenToKeychain), and is removed from IndexedDB.
 * - desktop app without a keychain (Linux with no keyring) and the browser: in IndexedDB, as
 *   before; the sign-in screen says so on the desktop (sessionProtection()).
 *
 * Signing in also sets the current user of the field app (db/current-user-repo.ts, source
 * 'signIn'): the server account id is the userId of scorer records, notes and photos.
 * A 401 from the server marks the session expired: nothing local changes, the app keeps
 * working, and only sync waits until the user signs in again.
 */
import type { GuanmoApi } from '@shared/ipc/api';
import { loginResponseSchema, PASSWORD_CHANGE_REQUIRED, type LoginResponse } from '@shared/sync/auth-protocol';
import { setCurrentUser } from '../db/current-user-repo';
import type { GuanmoDb } from '../db/guanmo-db';
import { rememberSignedInAccount } from '../db/signed-in-accounts-repo';
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

type KeychainBridge = Pick<GuanmoApi, 'checkKeychain' | 'loadSession' | 'saveSession' | 'clearSession'>;

/** The desktop bridge's keychain methods; null in the browser (or with a preload without them). */
function keychainBridge(): KeychainBridge | null {
  // read off globalThis: tools and tests compile this without the window.guanmo declaration
  const bridge = (globalThis as { guanmo?: Partial<GuanmoApi> }).guanmo;
  if (!bridge) return null;
  const { checkKeychain, loadSession, saveSession, clearSession } = bridge;
  return typeof checkKeychain === 'function' && typeof loadSession === 'function' && typeof saveSession === 'function' && typeof clearSession === 'function'
    ? (bridge as KeychainBridge)
    : null;
}

/** Where this device keeps the sign-in: the OS keychain, local data for want of one, or (browser) local data. */
export type SessionProtection = 'keychain' | 'noKeychain' | 'browser';

export async function sessionProtection(): Promise<SessionProtection> {
  const bridge = keychainBridge();
  if (!bridge) return 'browser';
  const outcome = await bridge.checkKeychain().catch(() => null);
  return outcome?.ok && outcome.value.isAvailable ? 'keychain' : 'noKeychain';
}

interface KeptSession {
  serverUrl: string;
  token: string;
}

/**
 * Tokens read from the keychain, per bridge and per session (a sign-in in another window
 * gives a new expiry, so a new key): one IPC round trip per session, not one per live query.
 * Only answers from the keychain are kept, never a failed call.
 */
const keychainReads = new WeakMap<KeychainBridge, Map<string, Promise<KeptSession | null>>>();
const sessionKey = (s: Pick<SyncSession, 'serverUrl' | 'expiresAt' | 'user'>) => `${s.serverUrl}\u0000${s.user.id}\u0000${s.expiresAt}`;

function readKeychain(bridge: KeychainBridge, session: SyncSession): Promise<KeptSession | null> {
  let reads = keychainReads.get(bridge);
  if (!reads) keychainReads.set(bridge, (reads = new Map()));
  const key = sessionKey(session);
  let read = reads.get(key);
  if (!read) {
    read = bridge.loadSession().then(
      (outcome) => {
        if (!outcome.ok) throw new Error(outcome.error.message);
        return outcome.value.status === 'stored' ? { serverUrl: outcome.value.serverUrl, token: outcome.value.token } : null;
      },
    );
    reads.set(key, read);
    read.catch(() => reads!.delete(key));
  }
  return read.catch(() => null);
}

function rememberKeychain(bridge: KeychainBridge, session: SyncSession): void {
  keychainReads.set(bridge, new Map([[sessionKey(session), Promise.resolve({ serverUrl: session.serverUrl, token: session.token })]]));
}

/** The session with its token (from the keychain when it is kept there); null when signed out. */
export async function getSession(db: GuanmoDb): Promise<SyncSession | null> {
  const stored = await getSyncState(db, 'session');
  if (!stored) return null;
  if (!stored.tokenInKeychain) return stored;
  const bridge = keychainBridge();
  // Promise.resolve: this also runs inside Dexie live queries, which must only await Dexie-aware promises
  const kept = bridge ? await Promise.resolve(readKeychain(bridge, stored)) : null;
  if (kept && kept.serverUrl === stored.serverUrl) return { ...stored, token: kept.token };
  // the keychain lost it (reset keyring, another OS account, the browser build on a desktop
  // profile): local work goes on, and the app asks for sign-in to sync, as after a 401
  return { ...stored, token: '', isExpired: true };
}

export async function saveSession(db: GuanmoDb, serverUrl: string, login: LoginResponse): Promise<SyncSession> {
  const session: SyncSession = {
    serverUrl,
    token: login.token,
    expiresAt: login.expiresAt,
    user: { id: login.user.id, username: login.user.username, displayName: login.user.displayName, role: login.user.role },
  };
  // the keychain first: IndexedDB never says "in the keychain" for a token that is not there
  const bridge = keychainBridge();
  let isInKeychain = false;
  if (bridge) {
    const outcome = await bridge.saveSession({ serverUrl, token: login.token }).catch((error: unknown) => {
      console.warn('keeping the sign-in in the OS keychain failed; it stays in local data', error);
      return null;
    });
    if (outcome && !outcome.ok) console.warn(`keeping the sign-in in the OS keychain failed (${outcome.error.message}); it stays in local data`);
    isInKeychain = outcome?.ok === true && outcome.value.stored;
    if (isInKeychain) rememberKeychain(bridge, session);
  }
  await db.transaction('rw', syncStateTable(db), async () => {
    await setSyncState(db, 'session', isInKeychain ? { ...session, token: '', tokenInKeychain: true } : session);
    await setSyncState(db, 'serverUrl', serverUrl);
  });
  await setCurrentUser(db, { userId: login.user.id, name: login.user.displayName }, 'signIn');
  // the sign-in screen's "accounts that signed in on this computer" (names only)
  await rememberSignedInAccount(db, login.user, serverUrl);
  return session;
}

const migrations = new WeakMap<GuanmoDb, Promise<void>>();

/**
 * Desktop app with a keychain: moves a token an older release kept in IndexedDB into the
 * keychain and removes it from IndexedDB. Runs once per app start (usableToken calls it); with
 * no keychain, or in the browser, the token stays where it is.
 */
export function migrateTokenToKeychain(db: GuanmoDb): Promise<void> {
  let migration = migrations.get(db);
  if (!migration) {
    migration = (async () => {
      const bridge = keychainBridge();
      if (!bridge) return;
      const stored = await getSyncState(db, 'session');
      if (!stored || stored.tokenInKeychain || !stored.token) return;
      const outcome = await bridge.saveSession({ serverUrl: stored.serverUrl, token: stored.token }).catch(() => null);
      if (!(outcome?.ok && outcome.value.stored)) return;
      rememberKeychain(bridge, stored);
      await db.transaction('rw', syncStateTable(db), async () => {
        const current = await getSyncState(db, 'session');
        // a sign-in meanwhile wrote its own session: leave it
        if (current && !current.tokenInKeychain && current.token === stored.token) await setSyncState(db, 'session', { ...current, token: '', tokenInKeychain: true });
      });
    })().catch((error: unknown) => console.warn('moving the sign-in to the OS keychain failed; it stays in local data', error));
    migrations.set(db, migration);
  }
  return migration;
}

/** The token to sync with: null when signed out or the session expired. */
export async function usableToken(db: GuanmoDb): Promise<string | null> {
  await migrateTokenToKeychain(db);
  const session = await getSession(db);
  return session && !session.isExpired && session.token ? session.token : null;
}

export async function markSessionExpired(db: GuanmoDb): Promise<void> {
  await db.transaction('rw', syncStateTable(db), async () => {
    // the stored form, never getSession(): that one carries the keychain's token
    const session = await getSyncState(db, 'session');
    if (session && !session.isExpired) await setSyncState(db, 'session', { ...session, isExpired: true });
  });
}

/**
 * Why a sign-in failed. `mustChangePassword`: the password was right but a one-time password
 * (a new account from the secretariat's list): choose a new one with changePasswordAndSignIn.
 */
export type SignInFailure = 'wrongPassword' | 'disabled' | 'throttled' | 'unreachable' | 'server' | 'mustChangePassword' | 'passwordUnchanged';

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
  return saveSession(db, serverUrl, await postCredentials(serverUrl, '/api/auth/login', { username, password }, options));
}

/**
 * POST /api/auth/password: sets a new password for someone who knows the current one (the
 * one-time password of a new account, after signIn failed with `mustChangePassword`), and keeps
 * the session it answers with, as signIn does. Throws SignInError.
 */
export async function changePasswordAndSignIn(
  db: GuanmoDb,
  serverUrl: string,
  username: string,
  password: string,
  newPassword: string,
  options: SignInOptions = {},
): Promise<SyncSession> {
  return saveSession(db, serverUrl, await postCredentials(serverUrl, '/api/auth/password', { username, password, newPassword }, options));
}

async function postCredentials(serverUrl: string, path: string, body: Record<string, string>, options: SignInOptions): Promise<LoginResponse> {
  const http: HttpContext = { fetch: options.fetch ?? globalThis.fetch.bind(globalThis), baseUrl: serverUrl, token: null, timeoutMs: options.timeoutMs ?? 15_000 };
  let response: Response;
  try {
    // 403 and 422 carry a code that tells the failures apart: read it here
    response = await request(http, 'POST', path, { body, okStatuses: [403, 422] });
  } catch (error) {
    if (!(error instanceof SyncError)) throw error;
    if (error.status === 401) throw new SignInError('wrongPassword', error.message);
    if (error.status === 429) throw new SignInError('throttled', error.message);
    if (error.kind === 'offline' || error.kind === 'timeout') throw new SignInError('unreachable', error.message);
    throw new SignInError('server', error.message);
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new SignInError('server', `${response.status}: the answer is not JSON`);
  }
  if (response.status === 403 || response.status === 422) {
    const { error: code, message } = (json ?? {}) as { error?: unknown; message?: unknown };
    const text = typeof message === 'string' ? message : String(response.status);
    if (code === PASSWORD_CHANGE_REQUIRED) throw new SignInError('mustChangePassword', text);
    if (code === 'password_unchanged') throw new SignInError('passwordUnchanged', text);
    if (response.status === 403) throw new SignInError('disabled', text);
    throw new SignInError('server', text);
  }
  const parsed = loginResponseSchema.safeParse(json);
  if (!parsed.success) throw new SignInError('server', `unexpected answer (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  return parsed.data;
}

/** Revokes the session on the server when reachable (best effort) and forgets it here. Local data stays. */
export async function signOut(db: GuanmoDb, options: SignInOptions = {}): Promise<void> {
  const session = await getSession(db);
  if (session && !session.isExpired) {
    const http: HttpContext = { fetch: options.fetch ?? globalThis.fetch.bind(globalThis), baseUrl: session.serverUrl, token: session.token, timeoutMs: options.timeoutMs ?? 5_000 };
    await request(http, 'POST', '/api/auth/logout').catch(() => undefined);
  }
  await setSyncState(db, 'session', null);
  const bridge = keychainBridge();
  if (bridge) {
    keychainReads.delete(bridge);
    const outcome = await bridge.clearSession().catch(() => null);
    if (!outcome?.ok) console.warn('removing the sign-in from the OS keychain failed', outcome && !outcome.ok ? outcome.error.message : '');
  }
}
