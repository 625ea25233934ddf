/**
 * The tour's offline map pack as the desk sees it on the server: the sources, the pack, the
 * build. Asked when the panel opens, every second while a build runs (the server writes its
 * progress to the database about once a second), and again after each build request.
 * Online-only by nature: offline or signed out, the panel says so and offers nothing. While the
 * tour record has changes not yet pushed (a new tour before its first sync) the server is not
 * asked: it would answer 404 for a tour it does not know, and builds from what it holds.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MapSourcesResponse, TilePackStatus } from '@shared/maps/pack-protocol';
import { useOnlineStatus } from '../../../app/use-online-status';
import { useDb } from '../../../db/db-context';
import { fetchMapSources } from '../../../offline-maps/map-sources';
import { runPackSync } from '../../../offline-maps/pack-sync-runner';
import { getSession } from '../../../sync/session-store';
import { SyncError, type HttpContext } from '../../../sync/sync-http';
import { fetchPackStatus, PackRequestError, startPackBuild } from './tile-pack-client';
import { isBuilding } from './pack-panel-state';

const POLL_MS = 1000;
const NOT_ON_SERVER_POLL_MS = 3000;
const TIMEOUT_MS = 10_000;

export type TilePackState =
  | { status: 'loading' }
  | { status: 'signedOut' }
  | { status: 'offline' }
  /** the tour has not reached the server yet (a new tour before its first sync): asked again soon */
  | { status: 'notOnServer' }
  | { status: 'error'; message: string; messageZh: string | null }
  | { status: 'ready'; sources: MapSourcesResponse; pack: TilePackStatus };

export interface BuildRefusal {
  message: string;
  messageZh: string | null;
}

export function useTilePack(tourId: string): { state: TilePackState; build: (sourceId: string) => Promise<BuildRefusal | null>; isStarting: boolean } {
  const db = useDb();
  const isOnline = useOnlineStatus();
  const [state, setState] = useState<TilePackState>({ status: 'loading' });
  const [isStarting, setIsStarting] = useState(false);
  const [tick, setTick] = useState(0);
  const ctxRef = useRef<HttpContext | null>(null);
  const wasBuilding = useRef(false);
  const pendingCount = useLiveQuery(() => db.outbox.where('[collection+recordId]').equals(['tours', tourId]).count(), [db, tourId]);
  const isTourPending = pendingCount === undefined ? null : pendingCount > 0;

  const context = useCallback(async (): Promise<HttpContext | null> => {
    const session = await getSession(db);
    if (!session || session.isExpired || !session.token) return null;
    ctxRef.current = { fetch: globalThis.fetch.bind(globalThis), baseUrl: session.serverUrl, token: session.token, timeoutMs: TIMEOUT_MS };
    return ctxRef.current;
  }, [db]);

  useEffect(() => {
    if (!isOnline) {
      setState({ status: 'offline' });
      return;
    }
    if (isTourPending === null) return;
    if (isTourPending) {
      setState({ status: 'notOnServer' });
      return;
    }
    let isCurrent = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    void (async () => {
      const ctx = await context();
      if (!ctx) return isCurrent && setState({ status: 'signedOut' });
      try {
        const [sources, pack] = await Promise.all([fetchMapSources(ctx.baseUrl, ctx.token!), fetchPackStatus(ctx, tourId)]);
        if (!isCurrent) return;
        setState({ status: 'ready', sources, pack });
        // a build seen finishing: this computer fetches the new pack now (the bulletin's route map
        // and the desk's maps draw from it), not at the next sync round
        if (wasBuilding.current && pack.build?.state === 'done') runPackSync(db).catch((error: unknown) => console.warn('offline maps: sync failed', error));
        wasBuilding.current = isBuilding(pack);
        if (isBuilding(pack)) timer = setTimeout(() => setTick((n) => n + 1), POLL_MS);
      } catch (error) {
        if (!isCurrent) return;
        const failed = failureState(error);
        setState(failed);
        if (failed.status === 'notOnServer') timer = setTimeout(() => setTick((n) => n + 1), NOT_ON_SERVER_POLL_MS);
      }
    })();
    return () => {
      isCurrent = false;
      if (timer) clearTimeout(timer);
    };
  }, [db, context, tourId, isOnline, isTourPending, tick]);

  const build = useCallback(
    async (sourceId: string): Promise<BuildRefusal | null> => {
      setIsStarting(true);
      try {
        const ctx = ctxRef.current ?? (await context());
        if (!ctx) return { message: 'Sign in again to build the pack.', messageZh: '请重新登录后再生成。' };
        const pack = await startPackBuild(ctx, tourId, { sourceId });
        setState((s) => (s.status === 'ready' ? { ...s, pack } : s));
        return null;
      } catch (error) {
        const failed = failureState(error);
        return failed.status === 'error' ? { message: failed.message, messageZh: failed.messageZh } : { message: 'The server cannot be reached; try again when online.', messageZh: '连接不上服务器，联网后再试。' };
      } finally {
        setIsStarting(false);
        // the running build (or the refusal's cause) as the server has it now
        setTick((n) => n + 1);
      }
    },
    [context, tourId],
  );

  return { state, build, isStarting };
}

function failureState(error: unknown): TilePackState {
  if (error instanceof PackRequestError && error.status === 404 && error.code === 'not_found') return { status: 'notOnServer' };
  if (error instanceof PackRequestError) return { status: 'error', message: error.message, messageZh: error.messageZh };
  if (error instanceof SyncError) {
    if (error.kind === 'offline' || error.kind === 'timeout' || error.kind === 'busy') return { status: 'offline' };
    if (error.kind === 'signedOut') return { status: 'signedOut' };
    return { status: 'error', message: error.message, messageZh: null };
  }
  return { status: 'error', message: error instanceof Error ? error.message : String(error), messageZh: null };
}
