/**
 * tus-js-client's url storage over IndexedDB (table syncUploads): where each unfinished upload
 * lives on the server, so an upload resumes from its offset after a drop, an app restart or a
 * server restart (the server keeps partial uploads on disk). localStorage would also work in a
 * browser, but not in Electron's sandboxed renderer's tests nor atomically with our other state.
 *
 * Writes commit with 'relaxed' durability (the app's database is 'strict': every commit waits
 * for the disk). tus-js-client waits for the entry of a new upload before sending its second
 * chunk, so a strict commit here stalls every photo on a disk flush (tens of ms while the disk
 * is busy). A relaxed commit survives a crash or restart of the app, only not a power cut of the
 * laptop; what that loses is recoverable: the photo's upload starts over (its bytes stay local
 * until the server confirms them), and the server drops the orphaned partial upload when it expires.
 */
import type { PreviousUpload, UrlStorage } from 'tus-js-client';
import type { GuanmoDb } from '../db/guanmo-db';
import { newId } from '../lib/new-id';
import { syncUploadsTable } from './sync-tables';

export function createDexieUrlStorage(db: GuanmoDb): UrlStorage {
  const table = () => syncUploadsTable(db);
  const toPrevious = (row: { key: string; upload: Record<string, unknown> }): PreviousUpload =>
    ({ ...(row.upload as unknown as PreviousUpload), urlStorageKey: row.key });
  return {
    async findAllUploads() {
      return (await table().toArray()).map(toPrevious);
    },
    async findUploadsByFingerprint(fingerprint) {
      return (await table().where('fingerprint').equals(fingerprint).toArray()).map(toPrevious);
    },
    async removeUpload(urlStorageKey) {
      await writeRelaxed(db, (store) => store.delete(urlStorageKey));
    },
    async addUpload(fingerprint, upload) {
      const key = `tus::${fingerprint}::${newId()}`;
      const { urlStorageKey: _ignored, ...rest } = upload as PreviousUpload & { urlStorageKey?: string };
      await writeRelaxed(db, (store) => store.put({ key, fingerprint, upload: rest as unknown as Record<string, unknown> }));
      return key;
    },
  };
}

/**
 * One readwrite transaction on syncUploads with relaxed durability, on Dexie's own connection
 * (Dexie sets durability per database only). Nothing observes this table with liveQuery.
 */
async function writeRelaxed(db: GuanmoDb, write: (store: IDBObjectStore) => void): Promise<void> {
  if (!db.isOpen()) await db.open();
  const idb = db.backendDB();
  const tableName = syncUploadsTable(db).name;
  await new Promise<void>((resolve, reject) => {
    const transaction = idb.transaction(tableName, 'readwrite', { durability: 'relaxed' });
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error(`writing ${tableName} failed`));
    transaction.onabort = () => reject(transaction.error ?? new Error(`writing ${tableName} was aborted`));
    write(transaction.objectStore(tableName));
  });
}
