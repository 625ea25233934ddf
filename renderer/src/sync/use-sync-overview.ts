import { useLiveQuery } from 'dexie-react-hooks';
import { useDb } from '../db/db-context';
import { readPendingSummary, type PendingSummary } from './pending-summary';
import { getSession } from './session-store';
import { getSyncState, syncRejectionsTable, type SyncRejection, type SyncSession } from './sync-tables';

export interface SyncOverview {
  /** what waits to sync, as records per kind (pending-summary.ts) */
  pending: PendingSummary;
  rejections: SyncRejection[];
  session: SyncSession | null;
  /** persisted: also known right after a restart and from other tabs' rounds */
  lastSuccessAt: string | null;
}

/** What is waiting to sync, read live from the local database (sees other tabs' work too). */
export function useSyncOverview(): SyncOverview | undefined {
  const db = useDb();
  return useLiveQuery(async () => {
    const [pending, rejections, session, lastSuccessAt] = await Promise.all([
      readPendingSummary(db),
      syncRejectionsTable(db).orderBy('rejectedAt').toArray(),
      getSession(db),
      getSyncState(db, 'lastSuccessAt'),
    ]);
    return { pending, rejections, session, lastSuccessAt: lastSuccessAt ?? null };
  }, [db]);
}

/** Only what waits to sync (the settings page). */
export function usePendingSummary(): PendingSummary | undefined {
  const db = useDb();
  return useLiveQuery(() => readPendingSummary(db), [db]);
}
