import { useEffect } from 'react';
import { useSyncEngine } from '../../../sync/SyncProvider';

/**
 * While the board is on screen (and the window visible), asks the sync engine for a round every
 * `periodMs` on top of its own schedule, so submitted sheets show up within seconds. syncNow()
 * never runs two rounds at once (a round already running is simply joined/skipped), so this
 * cannot pile up requests.
 */
export function useFrequentSync(periodMs = 5_000): void {
  const engine = useSyncEngine();
  useEffect(() => {
    if (!engine) return;
    const tick = () => {
      if (document.visibilityState === 'visible') void engine.syncNow();
    };
    tick();
    const timer = setInterval(tick, periodMs);
    document.addEventListener('visibilitychange', tick);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', tick);
    };
  }, [engine, periodMs]);
}
