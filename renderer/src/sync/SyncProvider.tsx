import { createContext, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { useDb } from '../db/db-context';
import { getSession, markSessionExpired, usableToken } from './session-store';
import { createSyncEngine } from './sync-engine';
import type { SyncEngine, SyncStatus } from './sync-types';

/**
 * Diagnostics and tests: localStorage 'guanmo.syncPeriodMs' shortens the periodic round (the
 * secretariat's screen polls for changes every 60 s by default). Ignored below 1 s.
 */
function periodOverride(): number | undefined {
  try {
    const value = Number(globalThis.localStorage?.getItem('guanmo.syncPeriodMs'));
    return Number.isFinite(value) && value >= 1000 ? value : undefined;
  } catch {
    return undefined;
  }
}

const SyncEngineContext = createContext<SyncEngine | null>(null);

/**
 * The app's sync engine, running while the app is open: started on mount (app start), reading
 * the server address and token of the signed-in session each round.
 */
export function SyncProvider({ children }: { children: ReactNode }) {
  const db = useDb();
  const engine = useMemo(
    () =>
      createSyncEngine({
        db,
        serverUrl: async () => (await getSession(db))?.serverUrl ?? null,
        getToken: () => usableToken(db),
        onUnauthorized: () => markSessionExpired(db),
        periodMs: periodOverride(),
      }),
    [db],
  );
  useEffect(() => {
    engine.start();
    return () => engine.stop();
  }, [engine]);
  return <SyncEngineContext.Provider value={engine}>{children}</SyncEngineContext.Provider>;
}

/** The running engine (null outside a SyncProvider, e.g. in isolated component tests). */
export function useSyncEngine(): SyncEngine | null {
  return useContext(SyncEngineContext);
}

const idleStatus: SyncStatus = { isSyncing: false, phase: 'idle', lastError: null, lastSuccessAt: null, nextRunAt: null, failures: 0, upload: null };

export function useSyncEngineStatus(): SyncStatus {
  const engine = useSyncEngine();
  return useSyncExternalStore(
    (onChange) => engine?.subscribe(onChange) ?? (() => undefined),
    () => engine?.getStatus() ?? idleStatus,
    () => idleStatus,
  );
}
