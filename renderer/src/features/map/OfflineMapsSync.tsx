import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef } from 'react';
import { useDb } from '../../db/db-context';
import { runPackSync } from '../../offline-maps/pack-sync-runner';
import { useSyncEngineStatus } from '../../sync/SyncProvider';

/**
 * A sync round runs after every saved score; asking the server about every tour's pack that
 * often is waste. Packs are checked after a round when the tours on this device changed, or when
 * this long has passed since the last check.
 */
export const PACK_CHECK_EVERY_MS = 2 * 60_000;

/**
 * Fetches the offline maps of this device's tours after successful sync rounds (the tours, and
 * so the packs wanted, arrive by sync; a round also follows the network coming back). Renders
 * nothing.
 */
export function OfflineMapsSync() {
  const db = useDb();
  const { lastSuccessAt } = useSyncEngineStatus();
  const tourKey = useLiveQuery(async () => (await db.tours.toCollection().primaryKeys()).sort().join('\u0000'), [db]);
  const lastCheck = useRef<{ at: number; tourKey: string } | null>(null);
  useEffect(() => {
    if (!lastSuccessAt || tourKey === undefined) return;
    const now = Date.now();
    const previous = lastCheck.current;
    if (previous && previous.tourKey === tourKey && now - previous.at < PACK_CHECK_EVERY_MS) return;
    const check = { at: now, tourKey };
    lastCheck.current = check;
    // a check cut short (no network, server away) is not a check: the next round tries again,
    // so an interrupted download resumes as soon as the network is back
    const forget = () => {
      if (lastCheck.current === check) lastCheck.current = null;
    };
    runPackSync(db).then(
      (report) => {
        if (!report || report.error) forget();
      },
      (error: unknown) => {
        forget();
        console.warn('offline maps: sync failed', error);
      },
    );
  }, [db, lastSuccessAt, tourKey]);
  return null;
}
