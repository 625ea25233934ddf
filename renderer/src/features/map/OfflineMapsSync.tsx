import { useEffect } from 'react';
import { useDb } from '../../db/db-context';
import { runPackSync } from '../../offline-maps/pack-sync-runner';
import { useSyncEngineStatus } from '../../sync/SyncProvider';

/**
 * Fetches the offline maps of this device's tours after every successful sync round (the tours,
 * and so the packs wanted, arrive by sync) and when the network comes back. Renders nothing.
 */
export function OfflineMapsSync() {
  const db = useDb();
  const { lastSuccessAt } = useSyncEngineStatus();
  useEffect(() => {
    if (!lastSuccessAt) return;
    runPackSync(db).catch((error: unknown) => console.warn('offline maps: sync failed', error));
  }, [db, lastSuccessAt]);
  return null;
}
