import { useEffect, useSyncExternalStore } from 'react';
import { useSyncEngine } from '../../../sync/SyncProvider';
import type { SyncEngine } from '../../../sync/sync-types';

/** how often a desk page asks for a round while the live channel is not live */
export const DESK_FALLBACK_PERIOD_MS = 5_000;

const noSubscription = () => () => undefined;

/** Whether the engine's live channel is live; re-renders only when that changes (not on every status change). */
export function useIsLive(engine: SyncEngine | null): boolean {
  return useSyncExternalStore(
    engine ? (onChange) => engine.subscribe(onChange) : noSubscription,
    () => engine?.getStatus().live === 'live',
    () => false,
  );
}

/**
 * Keeps a desk page (the scoring board, the rankings) current while it is on screen: a round
 * when it opens and whenever the window becomes visible again; then the live channel brings
 * changes as scorers sync (the engine pulls on each event). While the channel is not live (an
 * older server, a proxy that cuts streams, the server unreachable) it asks for a round every
 * `fallbackPeriodMs` instead, as the board always did. syncNow() never runs two rounds at once,
 * so none of this piles up requests.
 */
export function useDeskSync(fallbackPeriodMs = DESK_FALLBACK_PERIOD_MS): void {
  const engine = useSyncEngine();
  const isLive = useIsLive(engine);
  useEffect(() => {
    if (!engine) return;
    const onShow = () => {
      if (document.visibilityState === 'visible') void engine.syncNow();
    };
    onShow();
    document.addEventListener('visibilitychange', onShow);
    return () => document.removeEventListener('visibilitychange', onShow);
  }, [engine]);
  useEffect(() => {
    if (!engine || isLive) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void engine.syncNow();
    }, fallbackPeriodMs);
    return () => clearInterval(timer);
  }, [engine, isLive, fallbackPeriodMs]);
}
