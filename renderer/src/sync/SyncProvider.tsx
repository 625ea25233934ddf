import { createContext, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { useDb } from '../db/db-context';
import { getSession, markSessionExpired, usableToken } from './session-store';
import { createSyncEngine } from './sync-engine';
import type { SyncEngine, SyncStatus } from './sync-types';

/**
 * Diagnostics and tests: localStorage 'guanmo.syncPeriodMs' sets the periodic round, with the live
 * channel (default 5 min) and without it (default 60 s). Ignored below 1 s.
 */
function periodOverride(): number | undefined {
  try {
    const value = Number(globalThis.localStorage?.getItem('guanmo.syncPeriodMs'));
    return Number.isFinite(value) && value >= 1000 ? value : undefined;
  } catch {
    return undefined;
  }
}

/** the running engine; SyncProvider provides it (component tests may provide one of their own) */
export const SyncEngineContext = createContext<SyncEngine | null>(null);

/**
 * The app's sync engine, running while the app is open: started on mount (app start), reading
 * the server address and token of the signed-in session each round, and holding the live channel
 * (changes pulled as soon as the server announces them) while online and signed in.
 */
/** `appVersion`: named in the laptop's report to the desk (device-status-report.ts) */
export function SyncProvider({ children, appVersion }: { children: ReactNode; appVersion?: string }) {
  const db = useDb();
  const engine = useMemo(
    () =>
      createSyncEngine({
        db,
        serverUrl: async () => (await getSession(db))?.serverUrl ?? null,
        getToken: () => usableToken(db),
        onUnauthorized: () => markSessionExpired(db),
        live: true,
        appVersion,
        periodMs: periodOverride(),
        livePeriodMs: periodOverride(),
      }),
    [db, appVersion],
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

const idleStatus: SyncStatus = { isSyncing: false, phase: 'idle', lastError: null, lastSuccessAt: null, nextRunAt: null, failures: 0, upload: null, live: 'off' };

export function useSyncEngineStatus(): SyncStatus {
  const engine = useSyncEngine();
  return useSyncExternalStore(
    (onChange) => engine?.subscribe(onChange) ?? (() => undefined),
    () => engine?.getStatus() ?? idleStatus,
    () => idleStatus,
  );
}
