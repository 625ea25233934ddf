/**
 * The sync session (server URL + bearer token) kept in the OS keychain: encrypted with
 * Electron's safeStorage (Keychain on macOS, DPAPI on Windows, libsecret / KWallet on Linux)
 * into one file in userData. Pure: safeStorage is injected, so tests run it in Node with a real
 * cipher standing in (see session-keychain.test.ts).
 *
 * What must stay true:
 * - Nothing is ever written unless the keychain really protects it. On Linux without a keyring
 *   Electron falls back to the `basic_text` backend (a hard-coded key): that is as good as
 *   plaintext, so it counts as unavailable, and the renderer keeps the session in IndexedDB as
 *   the browser build does (and says so on the sign-in screen).
 * - The file holds only ciphertext, is written atomically (temporary file renamed over the
 *   old one) and readable by the user alone (0600).
 * - A file that cannot be decrypted or parsed (keyring reset, another OS account, a truncated
 *   write) reads as 'unreadable', never as a crash: the user signs in again, local data stays.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { storedSessionSchema, type KeychainStatus, type LoadSessionResult, type SaveSessionResult, type StoredSession } from '@shared/ipc/contract';

export const SESSION_FILE_NAME = 'sync-session.bin';

/** The part of Electron's safeStorage this module uses (the non-deprecated async API). */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  /** Linux only */
  getSelectedStorageBackend?(): string;
}

export interface SessionKeychain {
  status(): Promise<KeychainStatus>;
  load(): Promise<LoadSessionResult>;
  save(session: StoredSession): Promise<SaveSessionResult>;
  clear(): Promise<void>;
}

export interface SessionKeychainOptions {
  safeStorage: SafeStorageLike;
  /** the encrypted file, normally sessionFile(app.getPath('userData')) */
  file: string;
  platform: NodeJS.Platform;
  log: (message: string, error?: unknown) => void;
}

export function sessionFile(userDataDir: string): string {
  return join(userDataDir, SESSION_FILE_NAME);
}

/** Linux backends that only obfuscate: no keyring behind them. */
const WEAK_BACKENDS = new Set(['basic_text', 'unknown']);

export function createSessionKeychain({ safeStorage, file, platform, log }: SessionKeychainOptions): SessionKeychain {
  let hasLoggedUnavailable = false;
  // one write at a time, in call order (a sign-out right after a sign-in must win)
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  async function status(): Promise<KeychainStatus> {
    const backend = platform === 'linux' ? (safeStorage.getSelectedStorageBackend?.() ?? 'unknown') : platform === 'darwin' ? 'keychain' : platform === 'win32' ? 'dpapi' : platform;
    let isAvailable = false;
    try {
      isAvailable = (await safeStorage.isAsyncEncryptionAvailable()) && !(platform === 'linux' && WEAK_BACKENDS.has(backend));
    } catch (error) {
      log('safeStorage: checking for encryption failed', error);
    }
    if (!isAvailable && !hasLoggedUnavailable) {
      hasLoggedUnavailable = true;
      log(`no OS keychain to protect the sync session (backend ${backend}): the app keeps it in its local data instead`);
    }
    return { isAvailable, backend };
  }

  async function load(): Promise<LoadSessionResult> {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'none' };
      log('reading the sync session file failed', error);
      return { status: 'unreadable' };
    }
    if (!(await status()).isAvailable) return { status: 'unavailable' };
    try {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(bytes);
      const session = storedSessionSchema.parse(JSON.parse(result));
      if (shouldReEncrypt) await serial(() => write(session)).catch((error: unknown) => log('re-encrypting the sync session failed', error));
      return { status: 'stored', serverUrl: session.serverUrl, token: session.token };
    } catch (error) {
      log('the sync session file cannot be decrypted or read; the user signs in again', error);
      return { status: 'unreadable' };
    }
  }

  async function write(session: StoredSession): Promise<void> {
    const encrypted = await safeStorage.encryptStringAsync(JSON.stringify(session));
    await mkdir(dirname(file), { recursive: true });
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temp, encrypted, { mode: 0o600 });
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  return {
    status,
    load,
    save(session) {
      const parsed = storedSessionSchema.parse(session);
      // the check is queued with the write: a clear() called right after must run after it
      return serial(async (): Promise<SaveSessionResult> => {
        if (!(await status()).isAvailable) return { stored: false, reason: 'unavailable' };
        await write(parsed);
        return { stored: true };
      });
    },
    clear: () => serial(() => rm(file, { force: true })),
  };
}
