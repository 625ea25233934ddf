/**
 * tus-js-client's url storage over IndexedDB (table syncUploads): where each unfinished upload
 * lives on the server, so an upload resumes from its offset after a drop, an app restart or a
 * server restart (the server keeps partial uploads on disk). localStorage would also work in a
 * browser, but not in Electron's sandboxed renderer's tests nor atomically with our other state.
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
      await table().delete(urlStorageKey);
    },
    async addUpload(fingerprint, upload) {
      const key = `tus::${fingerprint}::${newId()}`;
      const { urlStorageKey: _ignored, ...rest } = upload as PreviousUpload & { urlStorageKey?: string };
      await table().put({ key, fingerprint, upload: rest as unknown as Record<string, unknown> });
      return key;
    },
  };
}
