/**
 * The laptops still holding unsynced work of one tour (GET /api/tours/:id/carry-devices,
 * secretariat/admin). Online only: the reports live on the server. Re-asked every 30 s while
 * the page is open, and on "刷新".
 */
import { useCallback, useEffect, useState } from 'react';
import { tourCarryDevicesSchema, type TourCarryDevices } from '@shared/sync/carry-protocol';
import { useDb } from '../../../db/db-context';
import { getSession } from '../../../sync/session-store';
import { requestJson, SyncError } from '../../../sync/sync-http';

export type CarryDevicesState =
  | { status: 'loading' }
  | { status: 'ready'; data: TourCarryDevices; checkedAt: string }
  | { status: 'signedOut' }
  | { status: 'offline' }
  | { status: 'error'; message: string };

const REFRESH_MS = 30_000;

export function useTourCarryDevices(tourId: string): { state: CarryDevicesState; reload: () => void } {
  const db = useDb();
  const [state, setState] = useState<CarryDevicesState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    let isCurrent = true;
    void (async () => {
      const next = await load();
      if (isCurrent) setState(next);
    })();
    const timer = setInterval(() => setAttempt((n) => n + 1), REFRESH_MS);
    async function load(): Promise<CarryDevicesState> {
      const session = await getSession(db);
      if (!session || session.isExpired || !session.token) return { status: 'signedOut' };
      try {
        const data = await requestJson(
          { fetch: globalThis.fetch.bind(globalThis), baseUrl: session.serverUrl, token: session.token, timeoutMs: 10_000, signal: controller.signal },
          'GET',
          `/api/tours/${encodeURIComponent(tourId)}/carry-devices`,
          tourCarryDevicesSchema,
        );
        return { status: 'ready', data, checkedAt: new Date().toISOString() };
      } catch (error) {
        if (error instanceof SyncError) {
          if (error.kind === 'offline' || error.kind === 'timeout' || error.kind === 'busy') return { status: 'offline' };
          if (error.kind === 'signedOut' || error.status === 403) return { status: 'signedOut' };
        }
        return { status: 'error', message: error instanceof Error ? error.message : String(error) };
      }
    }
    return () => {
      isCurrent = false;
      clearInterval(timer);
      controller.abort();
    };
  }, [db, tourId, attempt]);

  const reload = useCallback(() => {
    setState((s) => (s.status === 'ready' ? s : { status: 'loading' }));
    setAttempt((n) => n + 1);
  }, []);
  return { state, reload };
}
