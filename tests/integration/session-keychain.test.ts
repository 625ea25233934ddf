/**
 * The desktop app's sync session in the OS keychain, end to end but without Electron: the
 * renderer's session-store talks through the real preload API (createGuanmoApi) to the real
 * IPC handlers (sender check, zod) and the real main-side keychain module, whose safeStorage is
 * an AES-256-GCM stand-in (electron/test-support/crypto-safe-storage.ts), writing a real file;
 * sign-in, sync and a revoked session against the real server (SQLite in a temp folder).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GUANMO_API_VERSION, type GuanmoApi } from '@shared/ipc/api';
import { ipcContract } from '@shared/ipc/contract';
import type { IpcChannel } from '@shared/ipc/channels';
import { createIpcHandler, type IpcSenderEvent } from '../../electron/ipc/ipc-handler';
import { createIpcImplementations, type IpcCapabilities } from '../../electron/ipc/ipc-implementations';
import { createGuanmoApi, type IpcInvoke } from '../../electron/preload-api';
import { createSessionKeychain, sessionFile } from '../../electron/session/session-keychain';
import { createCryptoSafeStorage, type CryptoSafeStorage } from '../../electron/test-support/crypto-safe-storage';
import type { RunningServer } from '../../server/src/app';
import { createTestUser } from '../../server/src/test-support/auth-fixtures';
import { makeTempDir } from '../../server/src/test-support/backends';
import { startCapturedServer } from '../../server/src/test-support/server-fixtures';
import type { GuanmoDb } from '../../renderer/src/db/guanmo-db';
import { getSession, markSessionExpired, sessionProtection, signIn, signOut, usableToken } from '../../renderer/src/sync/session-store';
import { createSyncEngine } from '../../renderer/src/sync/sync-engine';
import { getSyncState } from '../../renderer/src/sync/sync-tables';
import { createTestDb } from '../../renderer/src/test-support/test-db';

let dataDir: string;
let server: RunningServer;
let baseUrl: string;
let password: string;

beforeAll(async () => {
  dataDir = await makeTempDir('guanmo-keychain-');
  server = await startCapturedServer({ GUANMO_DATA_DIR: dataDir, GUANMO_LOG_LEVEL: 'error', GUANMO_PORT: '0' });
  baseUrl = server.url.replace(/\/$/, '');
  password = (await createTestUser(server.db, { username: 'kc1', role: 'scorer', displayName: '评委甲' })).password;
}, 60_000);
afterAll(async () => {
  await server?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

let userData: string;
let storage: CryptoSafeStorage;
let db: GuanmoDb;
const appFrame: IpcSenderEvent = { senderFrame: { url: 'app://guanmo/index.html', parent: null } };
const globals = globalThis as { guanmo?: GuanmoApi };

/** window.guanmo as the preload builds it, wired to main's handlers for the session channels. */
function installBridge(): GuanmoApi {
  const keychain = createSessionKeychain({ safeStorage: storage, file: sessionFile(userData), platform: 'linux', log: () => undefined });
  const impl = createIpcImplementations({ sessionKeychain: keychain } as unknown as IpcCapabilities<IpcSenderEvent>);
  const invoke = (async (channel: IpcChannel, args: unknown) => {
    if (!channel.startsWith('session:') || !(channel in ipcContract)) throw new Error(`not wired in this test: ${channel}`);
    const handler = createIpcHandler(channel, impl[channel] as never, () => undefined);
    // what crosses the process boundary is structured-cloned
    return structuredClone(await handler(appFrame, structuredClone(args)));
  }) as IpcInvoke;
  const api = createGuanmoApi(invoke);
  expect(api.apiVersion).toBe(GUANMO_API_VERSION);
  globals.guanmo = api;
  return api;
}

async function keychainFile(): Promise<Buffer | null> {
  return fs.readFile(sessionFile(userData)).catch(() => null);
}

beforeEach(async () => {
  userData = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-userdata-'));
  storage = createCryptoSafeStorage();
  db = createTestDb();
});
afterEach(async () => {
  delete globals.guanmo;
  db.close();
  await fs.rm(userData, { recursive: true, force: true });
});

describe('sync session in the OS keychain (desktop)', () => {
  it('keeps the token in the keychain, not in IndexedDB, and syncs with it', async () => {
    installBridge();
    expect(await sessionProtection()).toBe('keychain');
    const session = await signIn(db, baseUrl, 'kc1', password);
    const stored = await getSyncState(db, 'session');
    expect(stored).toMatchObject({ serverUrl: baseUrl, token: '', tokenInKeychain: true, user: { username: 'kc1' } });
    const file = (await keychainFile())!;
    expect(file.includes(Buffer.from(session.token))).toBe(false);
    expect(JSON.parse((await storage.decryptStringAsync(file)).result)).toEqual({ serverUrl: baseUrl, token: session.token });

    // a fresh start of the app (new renderer, nothing cached) reads it back from the keychain
    installBridge();
    expect(await usableToken(db)).toBe(session.token);
    expect((await getSession(db))?.token).toBe(session.token);
    const engine = createSyncEngine({ db, serverUrl: baseUrl, getToken: () => usableToken(db), lockName: null, uploadPhotos: false });
    expect((await engine.syncNow()).error).toBeNull();
  });

  it('moves a token an older release left in IndexedDB into the keychain, once', async () => {
    // signed in by an older release (or in a browser profile): the token sits in IndexedDB
    const session = await signIn(db, baseUrl, 'kc1', password);
    expect((await getSyncState(db, 'session'))?.token).toBe(session.token);
    expect(await keychainFile()).toBeNull();

    installBridge();
    expect(await usableToken(db)).toBe(session.token);
    expect(await getSyncState(db, 'session')).toMatchObject({ token: '', tokenInKeychain: true });
    expect(JSON.parse((await storage.decryptStringAsync((await keychainFile())!)).result).token).toBe(session.token);
    const encryptions = storage.encryptions;
    expect(await usableToken(db)).toBe(session.token);
    expect(storage.encryptions).toBe(encryptions);
  });

  it('without a keyring (basic_text) says so and keeps the session in IndexedDB, as the browser does', async () => {
    storage.backend = 'basic_text';
    installBridge();
    expect(await sessionProtection()).toBe('noKeychain');
    const session = await signIn(db, baseUrl, 'kc1', password);
    expect(await getSyncState(db, 'session')).toMatchObject({ token: session.token });
    expect((await getSyncState(db, 'session'))?.tokenInKeychain).toBeUndefined();
    expect(await keychainFile()).toBeNull();
    expect(storage.encryptions).toBe(0);
    expect(await usableToken(db)).toBe(session.token);
    // and the browser build has no bridge at all
    delete globals.guanmo;
    expect(await sessionProtection()).toBe('browser');
  });

  it('an expired session waits for sign-in to sync, the token never lands in IndexedDB, and sign-in brings sync back', async () => {
    installBridge();
    const first = await signIn(db, baseUrl, 'kc1', password);
    const engine = createSyncEngine({ db, serverUrl: baseUrl, getToken: () => usableToken(db), lockName: null, uploadPhotos: false, onUnauthorized: () => markSessionExpired(db) });
    expect((await engine.syncNow()).error).toBeNull();
    // the server forgets the session (expired, or revoked elsewhere)
    expect((await fetch(`${baseUrl}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${first.token}` } })).status).toBe(204);

    const refused = await engine.syncNow();
    expect(refused.error).toMatchObject({ kind: 'signedOut', status: 401 });
    expect(await getSyncState(db, 'session')).toMatchObject({ isExpired: true, token: '', tokenInKeychain: true });
    expect(await usableToken(db)).toBeNull();
    expect((await engine.syncNow()).error).toMatchObject({ kind: 'signedOut' });

    const second = await signIn(db, baseUrl, 'kc1', password);
    expect(second.token).not.toBe(first.token);
    expect(await getSyncState(db, 'session')).toMatchObject({ token: '', tokenInKeychain: true });
    expect((await getSyncState(db, 'session'))?.isExpired).toBeUndefined();
    expect(await usableToken(db)).toBe(second.token);
    expect((await engine.syncNow()).error).toBeNull();
  });

  it('a keychain that lost the token (reset keyring) asks for sign-in instead of failing', async () => {
    installBridge();
    await signIn(db, baseUrl, 'kc1', password);
    storage.rotateKey();
    installBridge(); // the next start of the app
    expect(await usableToken(db)).toBeNull();
    expect((await getSession(db))?.isExpired).toBe(true);
  });

  it('signing out removes the token from the keychain', async () => {
    installBridge();
    await signIn(db, baseUrl, 'kc1', password);
    expect(await keychainFile()).not.toBeNull();
    await signOut(db);
    expect(await keychainFile()).toBeNull();
    expect(await getSession(db)).toBeNull();
  });
});
