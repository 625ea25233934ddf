import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, useState } from 'react';
import type { MapSource, MapSourcesResponse, TileCoordSystem } from '@shared/maps/pack-protocol';
import { useOnlineStatus } from '../../app/use-online-status';
import type { TilePackRecord } from '../../db/entities';
import { useDb } from '../../db/db-context';
import { fetchMapSources } from '../../offline-maps/map-sources';
import { openPackReader, type PackReader } from '../../offline-maps/pack-reader';
import { packsOfTour } from '../../offline-maps/pack-store';
import { getSession } from '../../sync/session-store';
import { useT } from '../../i18n/use-t';
import type { BasemapTiles } from './basemap-tiles';

export interface Basemap {
  tiles: BasemapTiles;
  /** the coordinate system the tiles are drawn in: what is drawn on them is converted to it */
  display: TileCoordSystem;
  /** shown on the map; null when there is no basemap at all */
  attribution: string | null;
  /** changes whenever the tile layer must be made anew */
  key: string;
  /** the tour's ready pack, when there is one */
  pack: TilePackRecord | null;
}

/** The server and token to ask for live tiles; null when signed out. */
function useServer(): { baseUrl: string; token: string } | null | undefined {
  const db = useDb();
  return useLiveQuery(async () => {
    const session = await getSession(db);
    return session && !session.isExpired && session.token ? { baseUrl: session.serverUrl, token: session.token } : null;
  }, [db]);
}

function useMapSources(server: { baseUrl: string; token: string } | null | undefined, isOnline: boolean): MapSourcesResponse | null {
  const [sources, setSources] = useState<MapSourcesResponse | null>(null);
  useEffect(() => {
    if (!server || !isOnline) return;
    let isCurrent = true;
    fetchMapSources(server.baseUrl, server.token).then(
      (answer) => isCurrent && setSources(answer),
      () => undefined,
    );
    return () => {
      isCurrent = false;
    };
  }, [server?.baseUrl, server?.token, isOnline]);
  return sources;
}

function pickOnlineSource(sources: MapSourcesResponse | null, pack: TilePackRecord | null): MapSource | null {
  const online = (sources?.sources ?? []).filter((s) => s.online);
  if (pack) {
    // live tiles must be drawn in the pack's system, or the two would not line up
    const same = online.filter((s) => s.coordSystem === pack.pack.coordSystem);
    return same.find((s) => s.id === pack.pack.sourceId) ?? same.find((s) => s.id === sources?.defaultSourceId) ?? same[0] ?? null;
  }
  return online.find((s) => s.id === sources?.defaultSourceId) ?? online[0] ?? null;
}

/**
 * The basemap of a tour's maps: its offline pack when this device has it, live tiles through the
 * server's proxy when there is a network and a source, "no offline map here" tiles otherwise.
 * `undefined` while the pack is being opened (so no tile is drawn empty first).
 */
export function useBasemap(tourId: string | null): Basemap | undefined {
  const db = useDb();
  const t = useT();
  const isOnline = useOnlineStatus();
  const packs = useLiveQuery(async () => (tourId ? (await packsOfTour(db, tourId)).ready : null), [db, tourId]);
  const server = useServer();
  const sources = useMapSources(server, isOnline);
  const [reader, setReader] = useState<{ sha256: string; reader: PackReader | null } | null>(null);

  useEffect(() => {
    if (!packs) return;
    let isCurrent = true;
    openPackReader(db, packs).then(
      (opened) => isCurrent && setReader({ sha256: packs.sha256, reader: opened }),
      (error: unknown) => {
        console.warn('the offline map pack cannot be read', error);
        if (isCurrent) setReader({ sha256: packs.sha256, reader: null });
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [db, packs]);

  const noMapText = t('map.noOfflineMapHere');
  return useMemo(() => {
    if (packs === undefined || server === undefined) return undefined;
    if (packs && reader?.sha256 !== packs.sha256) return undefined;
    const openReader = packs ? (reader?.reader ?? null) : null;
    const source = pickOnlineSource(sources, packs);
    const online = source && server ? { source, baseUrl: server.baseUrl, token: server.token } : null;
    const display: TileCoordSystem = openReader?.pack.coordSystem ?? source?.coordSystem ?? 'wgs84';
    const attribution = openReader?.pack.attribution || source?.attribution || null;
    return {
      tiles: { reader: openReader, online, noMapText },
      display,
      attribution,
      key: `${openReader?.sha256 ?? 'none'}|${source?.id ?? 'none'}|${noMapText}`,
      pack: packs,
    };
  }, [packs, reader, sources, server, noMapText]);
}
