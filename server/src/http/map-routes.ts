/**
 * Maps (issue 13; shared/maps/pack-protocol.ts is the contract):
 *
 *   GET  /api/maps/sources                    the configured basemap sources (signed in): never a URL or key
 *   GET  /api/maps/tiles/:sourceId/:z/:x/:y   one tile through the server (signed in): cached on disk,
 *                                             only configured online sources and real tiles of their zoom range
 *   GET  /api/tours/:id/tile-pack             the tour's pack and its build (participants and staff)
 *   POST /api/tours/:id/tile-pack/build       builds the pack in the background (secretariat, admin) → 202
 *   GET  /api/tours/:id/tile-pack/file        the .pmtiles file (participants and staff): single byte ranges,
 *                                             ETag "<sha256>", immutable; 404 until a pack exists
 *
 * What must stay true:
 * - The proxy is not an open proxy: it fetches only z/x/y of a configured source, never a URL
 *   from the request, and each user's uncached fetches are rate limited.
 * - Upstream trouble answers in the API's JSON error shape, never with the upstream's body, URL or key.
 * - A tour the user may not see answers like one that does not exist (404).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { idSchema } from '@shared/domain/schemas';
import { tilePackBuildRequestSchema, type TilePackStatus } from '@shared/maps/pack-protocol';
import { requireUser, staffRoles, type AuthUser } from '../auth/require-user.js';
import { createRateBuckets } from '../auth/shared-buckets.js';
import type { DbKind, RateLimit } from '../config.js';
import type { Database } from '../db/schema.js';
import { readBuildState } from '../maps/build-state.js';
import { publicSources, type ConfiguredSource, type MapSourceRegistry } from '../maps/map-sources.js';
import { PackBuildError } from '../maps/pack-builder.js';
import type { PackJobs } from '../maps/pack-jobs.js';
import { getPack, type PackFiles } from '../maps/pack-store.js';
import type { TileCache } from '../maps/tile-cache.js';
import { fetchUpstreamTile, UpstreamError, type TileImage } from '../maps/tile-upstream.js';
import { loadTour } from '../tours/rankings.js';
import { userCanSeeTour } from '../sync/access.js';
import { matchesEtag, parseRange, sendFileRange } from './byte-ranges.js';
import { HttpError } from './errors.js';

export interface MapRoutesDeps {
  db: Kysely<Database>;
  kind: DbKind;
  registry: MapSourceRegistry;
  cache: TileCache;
  files: PackFiles;
  jobs: PackJobs;
  /** tiles a user may have fetched from upstream (cache misses); default 600/min, burst 300 */
  upstreamLimit?: RateLimit;
  fetch?: typeof fetch;
}

/** A map view loads 20–60 tiles, panning a few hundred a minute: 10/s sustained with a burst is plenty. */
export const defaultUpstreamLimit: RateLimit = { perMinute: 600, burst: 300 };

const tileParamsSchema = z.object({
  sourceId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/),
  z: z.string().regex(/^\d{1,2}$/).transform(Number),
  x: z.string().regex(/^\d{1,8}$/).transform(Number),
  y: z.string().regex(/^\d{1,8}$/).transform(Number),
});

const tourParamsSchema = z.object({ id: idSchema });

const packMime = 'application/vnd.pmtiles';

export function registerMapRoutes(app: FastifyInstance, deps: MapRoutesDeps): void {
  // shared by every server process (the upstream provider sees their sum)
  const buckets = createRateBuckets(deps.db, deps.kind, 'tile_upstream', deps.upstreamLimit ?? defaultUpstreamLimit);
  // one upstream fetch per tile however many ask at once
  const inFlight = new Map<string, Promise<{ kind: 'tile'; tile: TileImage } | { kind: 'none' }>>();

  app.get('/api/maps/sources', async (request, reply) => {
    await requireUser(request);
    return reply.header('cache-control', 'no-store').send(publicSources(deps.registry));
  });

  app.get('/api/maps/tiles/:sourceId/:z/:x/:y', async (request, reply) => {
    const user = await requireUser(request);
    const params = tileParamsSchema.safeParse(request.params);
    if (!params.success) throw new HttpError(400, 'invalid_tile', 'Expected /api/maps/tiles/<source>/<z>/<x>/<y> with whole numbers');
    const { sourceId, z: zoom, x, y } = params.data;
    const source = deps.registry.get(sourceId);
    if (!source || !source.online) throw new HttpError(404, 'unknown_source', `There is no online map source ${sourceId}`);
    if (zoom < source.minZoom || zoom > source.maxZoom || x >= 2 ** zoom || y >= 2 ** zoom) {
      throw new HttpError(400, 'invalid_tile', `No tile ${zoom}/${x}/${y} in ${source.id} (zooms ${source.minZoom}–${source.maxZoom})`);
    }
    const cached = await deps.cache.get(source, zoom, x, y);
    const answer = cached ?? (await fetchThroughCache(source, zoom, x, y, user));
    if (answer.kind === 'none') throw new HttpError(404, 'no_tile', `The map source ${source.id} has no tile ${zoom}/${x}/${y}`);
    return reply
      .header('cache-control', 'private, max-age=86400')
      .type(answer.tile.mime)
      .send(Buffer.from(answer.tile.bytes.buffer, answer.tile.bytes.byteOffset, answer.tile.bytes.byteLength));
  });

  async function fetchThroughCache(source: ConfiguredSource, zoom: number, x: number, y: number, user: AuthUser) {
    const waitMs = await buckets.take(user.id, Date.now());
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new HttpError(429, 'rate_limited', `Too many map tiles fetched; try again in ${seconds} s`, { 'retry-after': String(seconds) });
    }
    const key = `${source.id}/${zoom}/${x}/${y}`;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = (async () => {
        const answer = await fetchUpstreamTile(source, zoom, x, y, { userAgent: deps.registry.userAgent, fetch: deps.fetch, timeoutMs: 15_000 });
        await deps.cache.put(source, zoom, x, y, answer).catch(() => {
          // a full disk: still answer this request
        });
        return answer;
      })().finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    try {
      return await pending;
    } catch (error) {
      if (error instanceof UpstreamError) {
        const status = error.failure === 'rate_limited' ? 503 : 502;
        throw new HttpError(status, `upstream_${error.failure}`, error.message, error.failure === 'rate_limited' ? { 'retry-after': '5' } : {});
      }
      throw error;
    }
  }

  /** The tour, when the user may see it (participants and staff); 404 otherwise. */
  async function visibleTour(request: FastifyRequest, user: AuthUser): Promise<string> {
    const { id } = tourParamsSchema.parse(request.params);
    const tour = await loadTour(deps.db, id);
    if (!tour || !(await userCanSeeTour(deps.db, deps.kind, user, id))) throw new HttpError(404, 'not_found', `There is no tour ${id}`);
    return id;
  }

  app.get('/api/tours/:id/tile-pack', async (request, reply) => {
    const user = await requireUser(request);
    const tourId = await visibleTour(request, user);
    const pack = await getPack(deps.db, tourId);
    const body: TilePackStatus = { pack: pack?.manifest ?? null, build: await readBuildState(deps.db, tourId) };
    return reply.header('cache-control', 'no-store').send(body);
  });

  app.post('/api/tours/:id/tile-pack/build', async (request, reply) => {
    const user = await requireUser(request, staffRoles);
    const tourId = await visibleTour(request, user);
    const options = tilePackBuildRequestSchema.parse(request.body ?? {});
    try {
      await deps.jobs.start(tourId, { sourceId: options.sourceId, maxZoom: options.maxZoom, radiusMeters: options.radiusMeters }, user.username);
    } catch (error) {
      if (error instanceof PackBuildError) return sendBuildError(reply, error);
      throw error;
    }
    const pack = await getPack(deps.db, tourId);
    const body: TilePackStatus = { pack: pack?.manifest ?? null, build: await readBuildState(deps.db, tourId) };
    return reply.code(202).header('cache-control', 'no-store').send(body);
  });

  app.get('/api/tours/:id/tile-pack/file', async (request, reply) => {
    const user = await requireUser(request);
    const tourId = await visibleTour(request, user);
    const pack = await getPack(deps.db, tourId);
    if (!pack) throw new HttpError(404, 'no_pack', 'This tour has no offline map pack yet');
    const etag = `"${pack.sha256}"`;
    reply
      .header('etag', etag)
      .header('cache-control', 'private, max-age=31536000, immutable')
      .header('accept-ranges', 'bytes')
      .header('content-disposition', `attachment; filename="${pack.fileName}"`)
      .type(packMime);
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
    const range = parseRange(request.headers.range, pack.size, request.headers['if-range'], etag);
    if (range === 'unsatisfiable') {
      return reply
        .code(416)
        .header('content-range', `bytes */${pack.size}`)
        .type('application/json; charset=utf-8')
        .send({ error: 'range_not_satisfiable', message: `The pack has ${pack.size} bytes` });
    }
    const release = deps.files.openReader(pack.fileName);
    const path = deps.files.pathOf(pack.fileName);
    if (range) return sendFileRange(reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${pack.size}`), path, range, release);
    return sendFileRange(reply.code(200), path, { start: 0, end: pack.size - 1 }, release);
  });
}

/** A build problem: the API's error shape, with the Chinese message beside the English one. */
function sendBuildError(reply: FastifyReply, error: PackBuildError): FastifyReply {
  return reply
    .code(error.status)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send({ error: error.code, message: error.message, messageZh: error.messageZh });
}
