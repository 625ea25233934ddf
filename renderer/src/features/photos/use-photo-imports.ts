import { useSyncExternalStore } from 'react';
import { useDb } from '../../db/db-context';
import type { GuanmoDb } from '../../db/guanmo-db';
import { PhotoImportStore, type StopImportState } from './import-store';
import { getPhotoWorkerPool } from './photo-worker-pool';

const stores = new WeakMap<GuanmoDb, PhotoImportStore>();

/** The import store of the current database (one per database, for the app's lifetime). */
export function usePhotoImportStore(): PhotoImportStore {
  const db = useDb();
  let store = stores.get(db);
  if (!store) {
    store = new PhotoImportStore(() => db, getPhotoWorkerPool);
    stores.set(db, store);
  }
  return store;
}

/** Progress and report of the photo imports of one stop. */
export function useStopImport(stopId: string): { store: PhotoImportStore; state: StopImportState } {
  const store = usePhotoImportStore();
  const state = useSyncExternalStore(store.subscribe, () => store.get(stopId));
  return { store, state };
}
