import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../test-support/test-db';
import type { GuanmoDb } from './guanmo-db';
import { getMeta } from './meta-repo';
import { describeStorageError, ensurePersistentStorage, estimateStorage, isQuotaError, requestPersistentStorage } from './storage-safety';

let db: GuanmoDb;
beforeEach(() => {
  db = createTestDb();
});
afterEach(() => db.close());

describe('describeStorageError', () => {
  it('recognises a full disk however IndexedDB and Dexie report it', () => {
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    expect(describeStorageError(quota)).toMatchObject({ kind: 'quota', messageKey: 'storage.error.quota' });
    expect(describeStorageError(new Dexie.QuotaExceededError('write failed'))).toMatchObject({ kind: 'quota' });
    const aborted = new Dexie.AbortError('Transaction aborted', quota);
    expect(describeStorageError(aborted)).toMatchObject({ kind: 'quota' });
    expect(describeStorageError(aborted).detail).toContain('QuotaExceededError');
    expect(describeStorageError(new Error('outer', { cause: quota })).kind).toBe('quota');
    expect(isQuotaError(quota)).toBe(true);
  });

  it('tells a closed or unusable database apart from anything else', () => {
    expect(describeStorageError(new Dexie.DatabaseClosedError('closed'))).toMatchObject({ kind: 'unavailable', messageKey: 'storage.error.unavailable' });
    expect(describeStorageError(new TypeError('x is undefined'))).toMatchObject({ kind: 'other', messageKey: 'storage.error.other', detail: 'TypeError: x is undefined' });
    expect(describeStorageError('weird').kind).toBe('other');
    expect(isQuotaError(new Error('nope'))).toBe(false);
  });
});

describe('persistent storage', () => {
  it('asks once at first start and remembers the answer', async () => {
    let asked = 0;
    const storage = { persisted: async () => false, persist: async () => (asked++, true) };
    expect(await ensurePersistentStorage(db, storage)).toMatchObject({ isPersisted: true });
    expect(await ensurePersistentStorage(db, storage)).toMatchObject({ isPersisted: true });
    expect(asked).toBe(1);
    expect(await getMeta(db, 'storagePersistence')).toMatchObject({ isPersisted: true });
  });

  it('remembers a refusal too, and can ask again on request', async () => {
    const refusing = { persisted: async () => false, persist: async () => false };
    expect(await ensurePersistentStorage(db, refusing)).toMatchObject({ isPersisted: false });
    expect(await requestPersistentStorage(db, { persisted: async () => false, persist: async () => true })).toMatchObject({ isPersisted: true });
    expect((await getMeta(db, 'storagePersistence'))?.isPersisted).toBe(true);
  });

  it('does nothing without the API', async () => {
    expect(await ensurePersistentStorage(db, undefined)).toBeNull();
    expect(await getMeta(db, 'storagePersistence')).toBeUndefined();
    expect(await estimateStorage(undefined)).toBeNull();
  });

  it('reports used and available space', async () => {
    expect(await estimateStorage({ estimate: async () => ({ usage: 300, quota: 1000 }) })).toEqual({ usage: 300, quota: 1000, available: 700 });
    expect(await estimateStorage({ estimate: async () => ({}) })).toBeNull();
  });
});
