import { useLiveQuery } from 'dexie-react-hooks';
import { useDb } from '../db/db-context';
import { pendingPhotoBytes } from './photo-upload';
import { getSession } from './session-store';
import { getSyncState, syncRejectionsTable, type SyncRejection, type SyncSession } from './sync-tables';

export interface SyncOverview {
  pendingChanges: number;
  pendingPhotos: number;
  pendingPhotoBytes: number;
  rejections: SyncRejection[];
  session: SyncSession | null;
  /** persisted: also known right after a restart and from other tabs' rounds */
  lastSuccessAt: string | null;
}

/** What is waiting to sync, read live from the local database (sees other tabs' work too). */
export function useSyncOverview(): SyncOverview | undefined {
  const db = useDb();
  return useLiveQuery(async () => {
    const [pendingChanges, photos, rejections, session, lastSuccessAt] = await Promise.all([
      db.outbox.count(),
      pendingPhotoBytes(db),
      syncRejectionsTable(db).orderBy('rejectedAt').toArray(),
      getSession(db),
      getSyncState(db, 'lastSuccessAt'),
    ]);
    return { pendingChanges, pendingPhotos: photos.count, pendingPhotoBytes: photos.bytes, rejections, session, lastSuccessAt: lastSuccessAt ?? null };
  }, [db]);
}
