/**
 * The basemap sources the server's administrator configured (GET /api/maps/sources): names,
 * attribution, coordinate systems, whether the server proxies live tiles of them. Never URLs or
 * keys (those stay on the server). Asked once per server and app session, only with a network;
 * a server without the maps API (404) has none.
 */
import { mapSourcesResponseSchema, type MapSourcesResponse } from '@shared/maps/pack-protocol';
import { apiUrl } from '../sync/sync-http';
import { mapApiPaths } from './map-api-paths';

const NONE: MapSourcesResponse = { sources: [], defaultSourceId: null };
const cache = new Map<string, Promise<MapSourcesResponse>>();

export function fetchMapSources(baseUrl: string, token: string, fetchFn: typeof fetch = globalThis.fetch.bind(globalThis)): Promise<MapSourcesResponse> {
  const key = `${baseUrl}\u0000${token}`;
  let answer = cache.get(key);
  if (!answer) {
    answer = (async () => {
      const response = await fetchFn(apiUrl(baseUrl, mapApiPaths.sources()), { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000), cache: 'no-store' });
      if (response.status === 404) return NONE;
      if (!response.ok) throw new Error(`GET /api/maps/sources: ${response.status}`);
      const parsed = mapSourcesResponseSchema.safeParse(await response.json());
      if (!parsed.success) throw new Error('GET /api/maps/sources: unexpected answer');
      return parsed.data;
    })();
    cache.set(key, answer);
    // a failure is not remembered: asked again next time
    answer.catch(() => cache.delete(key));
  }
  return answer;
}
