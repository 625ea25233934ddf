import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef, useState } from 'react';
import { useDb } from '../../db/db-context';
import { isPackCheckDue, PACK_RETRY_AFTER_MS, tourKeyOf, type PackCheck } from '../../offline-maps/pack-check-schedule';
import { runPackSync } from '../../offline-maps/pack-sync-runner';
import { useSyncEngineStatus } from '../../sync/SyncProvider';
import { warmMaps } from './warm-maps';

/**
 * Fetches the offline maps of this device's tours after successful sync rounds (the tours, and
 * so the packs wanted, arrive by sync; a round also follows the network coming back), as often as
 * pack-check-schedule.ts allows. Renders nothing.
 */
export function OfflineMapsSync() {
  const db = useDb();
  const { lastSuccessAt } = useSyncEngineStatus();
  const tourKey = useLiveQuery(async () => tourKeyOf(await db.tours.toCollection().primaryKeys()), [db]);
  const lastCheck = useRef<PackCheck | null>(null);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [retries, setRetries] = useState(0);

  // at start: the map code and the packs already here, ready before a map is opened
  useEffect(() => {
    warmMaps(db);
    return () => clearTimeout(retryTimer.current);
  }, [db]);

  useEffect(() => {
    if (!lastSuccessAt || tourKey === undefined) return;
    // offline (a retry timer firing after the network went): every request would fail; the round
    // that follows the network's return brings the check back
    if (!navigator.onLine) return;
    const now = Date.now();
    if (!isPackCheckDue(lastCheck.current, now, tourKey)) return;
    const check: PackCheck = { at: now, tourKey };
    lastCheck.current = check;
    clearTimeout(retryTimer.current);
    // a check cut short is not a check: tried again soon (and at the next round)
    const cutShort = () => {
      if (lastCheck.current !== check) return;
      lastCheck.current = null;
      retryTimer.current = setTimeout(() => setRetries((n) => n + 1), PACK_RETRY_AFTER_MS);
    };
    runPackSync(db).then(
      (report) => {
        if (!report || report.error) cutShort();
        // a tour not on the server yet was left out: the round that pushes it checks again
        else if (report.unpushed > 0 && lastCheck.current === check) lastCheck.current = null;
        // a pack that just arrived: ready for its map too
        if (report && report.downloaded.length > 0) warmMaps(db);
      },
      (error: unknown) => {
        cutShort();
        console.warn('offline maps: sync failed', error);
      },
    );
  }, [db, lastSuccessAt, tourKey, retries]);
  return null;
}
