import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { applyServerMode } from '../db/apply-server-mode';
import { useDb } from '../db/db-context';
import type { LoadDemoTours } from '../db/seed-demo';
import { demoModeFor, getServerMode } from '../db/server-mode-repo';
import { currentServerUrl, fetchServerInfo } from '../sync/server-info';
import { getSyncState } from '../sync/sync-tables';
import { ServerModeContext, type ServerModeValue } from './server-mode-context';

export type FetchServerInfo = typeof fetchServerInfo;

/**
 * Asks the server this device talks to whether it runs the demo — at start, when the server
 * changes (sign-in elsewhere, a new address), and when the network returns after a failed try —
 * then seeds the demo tours (demo) or clears demo leftovers (real), see apply-server-mode.ts.
 * Until a server has answered, the last answer (meta) counts; with none, nothing demo shows.
 */
export function ServerModeProvider({ children, loadDemoTours, fetchInfo = fetchServerInfo }: { children: ReactNode; loadDemoTours: LoadDemoTours; fetchInfo?: FetchServerInfo }) {
  const db = useDb();
  // null: never answered (undefined is useLiveQuery's "still loading")
  const remembered = useLiveQuery(async () => (await getServerMode(db)) ?? null, [db]);
  // what the server address depends on: a sign-in (session) or an address typed on the sign-in screen
  const addressKey = useLiveQuery(async () => {
    const [session, typed] = await Promise.all([getSyncState(db, 'session'), getSyncState(db, 'serverUrl')]);
    return `${session?.serverUrl ?? ''}\u0000${typed ?? ''}`;
  }, [db]);
  const [serverUrl, setServerUrl] = useState<string | null>(null);
  const [isChecking, setIsChecking] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const [hasFailed, setHasFailed] = useState(false);

  useEffect(() => {
    if (addressKey === undefined) return;
    const controller = new AbortController();
    let isCurrent = true;
    setIsChecking(true);
    void (async () => {
      try {
        const url = await currentServerUrl(db);
        if (!isCurrent) return;
        setServerUrl(url);
        // no network at all: nothing to ask; the 'online' event asks again
        if (globalThis.navigator?.onLine === false) throw new Error('offline');
        const info = await fetchInfo(url, { signal: controller.signal });
        if (!isCurrent) return;
        await applyServerMode(db, url, info.demo, loadDemoTours);
        if (isCurrent) setHasFailed(false);
      } catch (error) {
        if (!isCurrent) return;
        setHasFailed(true);
        if (!(error instanceof Error && error.message === 'offline')) console.info('Guanmo could not ask the server whether it runs the demo', error);
      } finally {
        if (isCurrent) setIsChecking(false);
      }
    })();
    return () => {
      isCurrent = false;
      controller.abort();
    };
  }, [db, addressKey, attempt, fetchInfo, loadDemoTours]);

  useEffect(() => {
    if (!hasFailed) return;
    const onOnline = () => setAttempt((n) => n + 1);
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, [hasFailed]);

  const value = useMemo<ServerModeValue>(
    () => ({ mode: remembered === undefined ? 'unknown' : demoModeFor(remembered, serverUrl), isChecking: isChecking || remembered === undefined }),
    [remembered, serverUrl, isChecking],
  );
  return <ServerModeContext.Provider value={value}>{children}</ServerModeContext.Provider>;
}
