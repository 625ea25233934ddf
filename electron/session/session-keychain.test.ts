import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIpcHandler, type IpcSenderEvent } from '../ipc/ipc-handler';
import { createIpcImplementations, type IpcCapabilities } from '../ipc/ipc-implementations';
import { createCryptoSafeStorage, type CryptoSafeStorage } from '../test-support/crypto-safe-storage';
import { createSessionKeychain, sessionFile, type SessionKeychain } from './session-keychain';

const SESSION = { serverUrl: 'http://192.168.1.10:8787', token: 'gm_3q2-7Wc_xYvLp0aBcDeFgHiJkLmNoPqRsTuVwXyZ012' };

let dir: string;
let storage: CryptoSafeStorage;
let logs: string[];
const keychain = (platform: NodeJS.Platform = 'linux'): SessionKeychain =>
  createSessionKeychain({ safeStorage: storage, file: sessionFile(dir), platform, log: (m) => logs.push(m) });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guanmo-keychain-'));
  storage = createCryptoSafeStorage();
  logs = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sync session in the OS keychain', () => {
  it('stores only ciphertext, readable by the user alone, and reads it back', async () => {
    const kc = keychain();
    expect(await kc.load()).toEqual({ status: 'none' });
    expect(await kc.save(SESSION)).toEqual({ stored: true });
    const bytes = await readFile(sessionFile(dir));
    expect(bytes.includes(Buffer.from(SESSION.token))).toBe(false);
    expect(bytes.includes(Buffer.from('192.168.1.10'))).toBe(false);
    if (process.platform !== 'win32') expect((await stat(sessionFile(dir))).mode & 0o777).toBe(0o600);
    expect(await keychain().load()).toEqual({ status: 'stored', ...SESSION });
  });

  it('forgets the session on clear, and a sign-out right after a sign-in wins', async () => {
    const kc = keychain();
    const saving = kc.save(SESSION);
    const clearing = kc.clear();
    await Promise.all([saving, clearing]);
    expect(await kc.load()).toEqual({ status: 'none' });
    await kc.clear(); // nothing there: fine
  });

  it('writes nothing without a real keychain: none at all, or the basic_text fallback on Linux', async () => {
    storage.isAvailable = false;
    expect(await keychain('darwin').status()).toEqual({ isAvailable: false, backend: 'keychain' });
    expect(await keychain('darwin').save(SESSION)).toEqual({ stored: false, reason: 'unavailable' });
    storage.isAvailable = true;
    storage.backend = 'basic_text';
    const kc = keychain('linux');
    expect(await kc.status()).toEqual({ isAvailable: false, backend: 'basic_text' });
    expect(await kc.save(SESSION)).toEqual({ stored: false, reason: 'unavailable' });
    await expect(stat(sessionFile(dir))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(storage.encryptions).toBe(0);
    expect(logs.some((m) => m.includes('no OS keychain') && m.includes('basic_text'))).toBe(true);
    // the real backends on other systems and on Linux with a keyring
    storage.backend = 'kwallet5';
    expect(await keychain('linux').status()).toEqual({ isAvailable: true, backend: 'kwallet5' });
    expect(await keychain('win32').status()).toEqual({ isAvailable: true, backend: 'dpapi' });
  });

  it('reads a file it cannot decrypt (reset keyring) or parse (tampered) as unreadable, never as a crash', async () => {
    const kc = keychain();
    await kc.save(SESSION);
    storage.rotateKey();
    expect(await kc.load()).toEqual({ status: 'unreadable' });
    await kc.save(SESSION);
    const bytes = await readFile(sessionFile(dir));
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    await writeFile(sessionFile(dir), bytes);
    expect(await kc.load()).toEqual({ status: 'unreadable' });
    // well encrypted, but not a session
    await writeFile(sessionFile(dir), await storage.encryptStringAsync(JSON.stringify({ serverUrl: 'file:///etc', token: 'x' })));
    expect(await kc.load()).toEqual({ status: 'unreadable' });
    // a new sign-in replaces it
    await kc.save(SESSION);
    expect(await kc.load()).toEqual({ status: 'stored', ...SESSION });
  });

  it('re-encrypts when the OS asks (key rotated), keeping the session', async () => {
    const kc = keychain();
    await kc.save(SESSION);
    const before = await readFile(sessionFile(dir));
    storage.askReEncryptOnce();
    expect(await kc.load()).toEqual({ status: 'stored', ...SESSION });
    expect((await readFile(sessionFile(dir))).equals(before)).toBe(false);
    expect(await kc.load()).toEqual({ status: 'stored', ...SESSION });
  });
});

describe('session:* IPC channels', () => {
  type Event = IpcSenderEvent;
  const app: Event = { senderFrame: { url: 'app://guanmo/index.html', parent: null } };
  const foreign: Event = { senderFrame: { url: 'https://evil.example/', parent: null } };

  function handlers() {
    const caps = { sessionKeychain: keychain() } as unknown as IpcCapabilities<Event>;
    const impl = createIpcImplementations(caps);
    const log = (m: string) => logs.push(m);
    return {
      save: createIpcHandler('session:save', impl['session:save'], log),
      load: createIpcHandler('session:load', impl['session:load'], log),
      clear: createIpcHandler('session:clear', impl['session:clear'], log),
      check: createIpcHandler('session:check-keychain', impl['session:check-keychain'], log),
    };
  }

  it('stores, loads and clears through the checked handlers', async () => {
    const h = handlers();
    expect(await h.check(app, {})).toEqual({ ok: true, value: { isAvailable: true, backend: 'gnome_libsecret' } });
    expect(await h.save(app, SESSION)).toEqual({ ok: true, value: { stored: true } });
    expect(await h.load(app, {})).toEqual({ ok: true, value: { status: 'stored', ...SESSION } });
    expect(await h.clear(app, {})).toEqual({ ok: true, value: { cleared: true } });
    expect(await h.load(app, {})).toEqual({ ok: true, value: { status: 'none' } });
  });

  it('refuses other senders and bad arguments before touching the keychain', async () => {
    const h = handlers();
    expect(await h.load(foreign, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await h.save(foreign, SESSION)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    for (const bad of [
      { ...SESSION, token: '' },
      { ...SESSION, token: 'two words' },
      { ...SESSION, token: '令牌' },
      { ...SESSION, token: 'x'.repeat(1025) },
      { ...SESSION, serverUrl: 'file:///etc/passwd' },
      { ...SESSION, extra: true },
      { token: SESSION.token },
    ]) {
      expect(await h.save(app, bad), JSON.stringify(bad).slice(0, 60)).toMatchObject({ ok: false, error: { code: 'invalid-args' } });
    }
    expect(await h.load(app, { surprise: 1 })).toMatchObject({ ok: false, error: { code: 'invalid-args' } });
    expect(storage.encryptions).toBe(0);
    expect(await h.load(app, {})).toEqual({ ok: true, value: { status: 'none' } });
  });
});
