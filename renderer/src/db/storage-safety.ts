import type { MessageKey } from '../i18n/catalogs';
import type { StoragePersistence } from './entities';
import type { GuanmoDb } from './guanmo-db';
import { getMeta } from './meta-repo';

/**
 * Keeping the data on this device safe: persistent storage, disk space, and a plain message when
 * a write fails because the disk (or the browser's quota) is full.
 *
 * What must stay true: every write of the app runs in one IndexedDB transaction, so a write
 * refused for lack of space rolls back whole (no half-written sheet or photo) and everything
 * saved before stays intact. The UI says so, in the user's language, and keeps what was typed
 * on screen so it can be saved once space is freed.
 */

export type StorageErrorKind = 'quota' | 'unavailable' | 'other';

export interface StorageErrorDescription {
  kind: StorageErrorKind;
  /** the message to show (i18n key; no placeholders) */
  messageKey: MessageKey;
  /** the technical cause, for a details line or the console */
  detail: string;
}

const unavailableNames = new Set(['DatabaseClosedError', 'InvalidStateError', 'MissingAPIError', 'SecurityError', 'UnknownError']);

/**
 * What went wrong with a write to local storage, as something to tell the user. Recognises
 * quota errors however they arrive: a DOMException 'QuotaExceededError', Dexie's wrapper of it,
 * or a transaction AbortError whose inner cause is the quota.
 */
export function describeStorageError(error: unknown): StorageErrorDescription {
  const chain = errorChain(error);
  const detail = chain.map((e) => [e.name, e.message].filter(Boolean).join(': ')).join(' ← ') || String(error);
  if (chain.some((e) => e.name === 'QuotaExceededError' || /quota/i.test(e.message))) {
    return { kind: 'quota', messageKey: 'storage.error.quota', detail };
  }
  if (chain.some((e) => unavailableNames.has(e.name))) {
    return { kind: 'unavailable', messageKey: 'storage.error.unavailable', detail };
  }
  return { kind: 'other', messageKey: 'storage.error.other', detail };
}

export function isQuotaError(error: unknown): boolean {
  return describeStorageError(error).kind === 'quota';
}

/** The error and the errors it wraps (Dexie wraps IndexedDB's in `inner`, others use `cause`). */
function errorChain(error: unknown): { name: string; message: string }[] {
  const chain: { name: string; message: string }[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const { name, message, inner, cause } = current as { name?: unknown; message?: unknown; inner?: unknown; cause?: unknown };
    chain.push({ name: typeof name === 'string' ? name : '', message: typeof message === 'string' ? message : '' });
    current = inner ?? cause;
  }
  return chain;
}

/** The part of `navigator.storage` the app uses (absent in old browsers and some test environments). */
export interface StorageManagerLike {
  persist?: () => Promise<boolean>;
  persisted?: () => Promise<boolean>;
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
}

function defaultStorageManager(): StorageManagerLike | undefined {
  return typeof navigator === 'undefined' ? undefined : (navigator.storage as StorageManagerLike | undefined);
}

/**
 * First start: asks the browser to keep this app's data even under storage pressure (without
 * it, Chromium may evict IndexedDB of a site when the disk fills up, scores and photos
 * included), and remembers the answer in meta so it is asked only once. Electron grants it.
 * Returns the stored answer; null when the browser has no such API.
 */
export async function ensurePersistentStorage(db: GuanmoDb, storage: StorageManagerLike | undefined = defaultStorageManager()): Promise<StoragePersistence | null> {
  const known = await getMeta(db, 'storagePersistence');
  if (known) return known;
  return requestPersistentStorage(db, storage);
}

/** Asks (again, e.g. from settings) and stores the answer. */
export async function requestPersistentStorage(db: GuanmoDb, storage: StorageManagerLike | undefined = defaultStorageManager()): Promise<StoragePersistence | null> {
  if (!storage?.persist) return null;
  const isPersisted = (await storage.persisted?.()) === true || (await storage.persist()) === true;
  const value: StoragePersistence = { requestedAt: new Date().toISOString(), isPersisted };
  await db.transaction('rw', db.meta, async () => {
    await db.meta.put({ key: 'storagePersistence', value });
  });
  return value;
}

export interface StorageEstimate {
  /** bytes used by this app */
  usage: number;
  /** bytes this app may use in total */
  quota: number;
  /** bytes still available to this app */
  available: number;
}

/** Used and available space; null when the browser cannot tell. */
export async function estimateStorage(storage: StorageManagerLike | undefined = defaultStorageManager()): Promise<StorageEstimate | null> {
  if (!storage?.estimate) return null;
  const { usage, quota } = await storage.estimate();
  if (typeof usage !== 'number' || typeof quota !== 'number' || !Number.isFinite(quota)) return null;
  return { usage, quota, available: Math.max(0, quota - usage) };
}
