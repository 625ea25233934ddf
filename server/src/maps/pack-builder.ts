/**
 * Builds a tour's offline basemap pack from a configured source (issue 13):
 *
 * 1. the tile set (shared/maps/pack-tiles.ts: the whole area at low zooms, stops and day routes at
 *    high zooms), within the source's zoom range;
 * 2. the tiles, from the tile cache or the upstream: paced (the source's rate, a few a second by
 *    default), named in the User-Agent, retried when the upstream is busy, each kept in the cache
 *    as it arrives, so an interrupted build continues where it stopped;
 * 3. one PMTiles file (shared/maps/pmtiles-writer.ts), hashed, installed as the tour's pack.
 *
 * What must stay true:
 * - It never builds from a source whose terms forbid bulk download: sources without `packs`, and
 *   the public OpenStreetMap servers whatever the configuration says.
 * - The pack is complete or not made: a tile that cannot be fetched fails the build (the tiles
 *   fetched so far stay cached for the next run).
 */
import fs from 'node:fs/promises';
import type { Kysely } from 'kysely';
import { stopSchema, type Stop } from '@shared/domain/schemas';
import { tilePackSchema, type TilePack } from '@shared/maps/pack-protocol';
import { NoLocatedStopsError, PackTooLargeError, planPackTiles, type PackTileOptions, type PackTilePlan } from '@shared/maps/pack-tiles';
import { zxyToTileId, type TileXyz } from '@shared/maps/tile-math';
import type { Database } from '../db/schema.js';
import { loadTour } from '../tours/rankings.js';
import { isPublicOsmHost, osmPackRefusal, type ConfiguredSource, type MapSourceRegistry } from './map-sources.js';
import { Pacer, realClock, type PacerClock } from './pacer.js';
import { writePackFile, type OrderedTile } from './pack-file-writer.js';
import type { PackFiles, StoredPack } from './pack-store.js';
import type { TileCache } from './tile-cache.js';
import { fetchUpstreamTile, UpstreamError } from './tile-upstream.js';

/** Why a build cannot run or failed, in Chinese and English, with the HTTP status it answers. */
export class PackBuildError extends Error {
  override name = 'PackBuildError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageZh: string,
    messageEn: string,
  ) {
    super(messageEn);
  }
}

export interface PackBuildOptions {
  sourceId?: string;
  maxZoom?: number;
  radiusMeters?: number;
  overviewMaxZoom?: number;
  routeBufferMeters?: number;
  /** upstream requests per second; default the source's rate */
  rate?: number;
}

export interface PackBuildDeps {
  db: Kysely<Database>;
  registry: MapSourceRegistry;
  cache: TileCache;
  files: PackFiles;
  /** how many tiles are fetched at once (the pacer still spaces their starts) */
  concurrency?: number;
  fetch?: typeof fetch;
  clock?: PacerClock;
  /** attempts per tile when the upstream is busy or erring */
  attempts?: number;
}

export interface PackBuildProgress {
  phase: 'fetching' | 'writing';
  done: number;
  total: number;
  /** tiles that came from the upstream in this run (the rest were cached) */
  fetched: number;
}

export interface PackBuildResult {
  pack: StoredPack;
  plan: PackTilePlan;
  /** tiles fetched from upstream in this run; the others came from the cache */
  fetched: number;
  /** tiles the upstream has none of (404), left out of the pack */
  missing: number;
  ms: number;
}

/** The source a build uses: the one asked for, else the default when it allows packs, else the first that does. */
export function resolvePackSource(registry: MapSourceRegistry, sourceId: string | undefined): ConfiguredSource {
  if (sourceId !== undefined) {
    const source = registry.get(sourceId);
    if (!source) {
      throw new PackBuildError(404, 'unknown_source', `没有名为「${sourceId}」的底图来源。请在服务器的底图配置（map-sources.json）中添加。`, `There is no map source ${sourceId}; add it to the server's map sources (map-sources.json).`);
    }
    checkPacksAllowed(source);
    return source;
  }
  const fallback = registry.get(registry.defaultSourceId ?? '');
  const source = fallback?.packs ? fallback : registry.sources.find((s) => s.packs);
  if (!source) {
    throw new PackBuildError(
      409,
      'no_pack_source',
      '服务器没有配置可生成离线底图包的图源。请在底图配置（map-sources.json）中添加本单位的瓦片服务器或获许可的天地图，并设置 "packs": true；也可以导入已有的 MBTiles / PMTiles 文件。',
      'No map source on this server allows packs. Add your organisation\'s tile server or 天地图 with permission to map-sources.json with "packs": true, or import an MBTiles / PMTiles file.',
    );
  }
  return source;
}

/** Refuses sources whose terms forbid bulk download. */
export function checkPacksAllowed(source: ConfiguredSource): void {
  let host = '';
  try {
    host = new URL(source.tileUrl(0, 0, 0)).hostname;
  } catch {
    // checked when the configuration was read
  }
  if (source.packRefusal || isPublicOsmHost(host)) {
    const refusal = source.packRefusal ?? osmPackRefusal;
    throw new PackBuildError(422, 'pack_source_forbidden', refusal.zh, refusal.en);
  }
  if (!source.packs) {
    throw new PackBuildError(
      422,
      'pack_source_forbidden',
      `图源「${source.name}」未获准批量下载，不能用来生成离线底图包。请改用本单位自己的瓦片服务器，或经许可可批量下载的图源（如持本单位密钥并获许可的天地图，在配置中设置 "packs": true），也可以导入已有的 MBTiles / PMTiles 文件。`,
      `The map source ${source.name} (${source.id}) is not marked as allowing bulk download, so no pack can be built from it. Use your organisation's own tile server, or a source that allows it (天地图 with your organisation's key and permission, "packs": true), or import an MBTiles / PMTiles file.`,
    );
  }
}

async function loadStops(db: Kysely<Database>, tourId: string): Promise<Stop[]> {
  const rows = await db.selectFrom('records').select('data').where('collection', '=', 'stops').where('tour_id', '=', tourId).where('deleted', '=', 0).execute();
  return rows.flatMap((row) => {
    const parsed = stopSchema.safeParse(JSON.parse(row.data));
    return parsed.success ? [parsed.data] : [];
  });
}

/** The tour's tile plan for a source (what a build would fetch). */
export async function planTourPack(db: Kysely<Database>, tourId: string, source: ConfiguredSource, options: PackBuildOptions): Promise<PackTilePlan> {
  const tour = await loadTour(db, tourId);
  if (!tour) throw new PackBuildError(404, 'not_found', `没有这个观摩活动（${tourId}）。`, `There is no tour ${tourId}.`);
  const stops = await loadStops(db, tourId);
  const maxZoom = Math.min(options.maxZoom ?? 17, source.maxZoom);
  const planOptions: Partial<PackTileOptions> = { maxZoom };
  if (options.radiusMeters !== undefined) planOptions.radiusMeters = options.radiusMeters;
  if (options.routeBufferMeters !== undefined) planOptions.routeBufferMeters = options.routeBufferMeters;
  if (options.overviewMaxZoom !== undefined) planOptions.overviewMaxZoom = Math.min(options.overviewMaxZoom, maxZoom);
  else planOptions.overviewMaxZoom = Math.min(11, maxZoom);
  let plan: PackTilePlan;
  try {
    plan = planPackTiles(stops, planOptions);
  } catch (error) {
    if (error instanceof NoLocatedStopsError) {
      throw new PackBuildError(422, 'no_coordinates', '这个观摩活动的项目都没有经纬度，无法确定底图范围。请先在行程中填写各项目的坐标。', 'No project of this tour has coordinates, so the map area is unknown. Set the projects\' coordinates first.');
    }
    if (error instanceof PackTooLargeError) {
      throw new PackBuildError(
        422,
        'pack_too_large',
        `底图包将有 ${error.tileCount} 个以上瓦片（上限 ${error.limit}）。请检查各项目的坐标是否有误（经纬度颠倒、项目远离其他项目），或减小最高级别、半径。`,
        `The pack would hold over ${error.tileCount} tiles (limit ${error.limit}). Check the stops' coordinates (swapped latitude and longitude, a stop far from the others), or lower the zoom or radius.`,
      );
    }
    throw error;
  }
  // the source's own zoom range (天地图 starts at 1, 高德 at 3)
  const tiles = plan.tiles.filter((t) => t.z >= source.minZoom && t.z <= source.maxZoom);
  const perZoom: Record<number, number> = {};
  for (const t of tiles) perZoom[t.z] = (perZoom[t.z] ?? 0) + 1;
  return { ...plan, tiles, perZoom, minZoom: Math.max(plan.minZoom, source.minZoom) };
}

/**
 * Builds and installs the pack. `onProgress` is called as tiles arrive; `signal` stops the build
 * (what was fetched stays cached).
 */
export async function buildTourPack(
  deps: PackBuildDeps,
  tourId: string,
  options: PackBuildOptions,
  hooks: { onProgress?: (progress: PackBuildProgress) => void; signal?: AbortSignal; builtBy?: string | null } = {},
): Promise<PackBuildResult> {
  const started = performance.now();
  const source = resolvePackSource(deps.registry, options.sourceId);
  const plan = await planTourPack(deps.db, tourId, source, options);
  const total = plan.tiles.length;
  const pacer = new Pacer(options.rate ?? source.rate, deps.clock ?? realClock);
  const signal = hooks.signal;
  let done = 0;
  let fetched = 0;
  let missing = 0;
  hooks.onProgress?.({ phase: 'fetching', done, total, fetched });

  // 1. every tile into the cache (cached ones count at once)
  const queue = plan.tiles.slice();
  const attempts = deps.attempts ?? 4;
  let failure: unknown = null;
  const worker = async () => {
    while (queue.length > 0 && failure === null) {
      signal?.throwIfAborted();
      const tile = queue.shift()!;
      const cached = await deps.cache.get(source, tile.z, tile.x, tile.y);
      if (cached) {
        if (cached.kind === 'none') missing++;
      } else {
        const answer = await fetchWithRetries(source, tile, pacer, deps, attempts, signal);
        await deps.cache.put(source, tile.z, tile.x, tile.y, answer.kind === 'tile' ? answer : { kind: 'none' });
        if (answer.kind === 'none') missing++;
        fetched++;
      }
      done++;
      hooks.onProgress?.({ phase: 'fetching', done, total, fetched });
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(deps.concurrency ?? 4, total)) }, () =>
    worker().catch((error: unknown) => {
      failure ??= error;
    }),
  );
  await Promise.all(workers);
  if (failure !== null) throw toBuildError(failure, source);
  signal?.throwIfAborted();

  // 2. the archive, from the cache in tile id order
  hooks.onProgress?.({ phase: 'writing', done, total, fetched });
  async function* cachedTiles(): AsyncGenerator<OrderedTile> {
    for (const tile of plan.tiles) {
      // age 0: a tile fetched at the start of a long build is as good as one fetched now
      const cached = await deps.cache.get(source, tile.z, tile.x, tile.y, 0);
      if (!cached) throw new PackBuildError(500, 'cache_lost', '瓦片缓存在生成过程中被删除，请重新生成。', 'The tile cache was removed during the build; build again.');
      if (cached.kind === 'tile') yield { tileId: zxyToTileId(tile.z, tile.x, tile.y), z: tile.z, bytes: cached.tile.bytes };
    }
  }
  const written = await writePackFile(
    deps.files,
    tourId,
    cachedTiles(),
    {
      tileType: source.format,
      metadata: {
        name: `${tourId} · ${source.name}`,
        attribution: source.attribution,
        description: 'Guanmo tour pack: low zooms over the tour area, high zooms around stops and along day routes',
        sourceId: source.id,
        coordSystem: source.coordSystem,
        tourId,
        generator: 'guanmo',
      },
      bounds: plan.bounds,
      center: plan.center,
    },
    signal,
  );
  try {
    if (written.summary.addressedTiles === 0) {
      throw new PackBuildError(502, 'no_tiles', `图源「${source.name}」在这个观摩活动的范围内没有任何瓦片。`, `The map source ${source.name} has no tiles in this tour's area.`);
    }
    const manifest: TilePack = tilePackSchema.parse({
      tourId,
      sourceId: source.id,
      coordSystem: source.coordSystem,
      attribution: source.attribution,
      sha256: written.sha256,
      size: written.summary.totalLength,
      tileType: source.format,
      minZoom: written.summary.minZoom,
      maxZoom: written.summary.maxZoom,
      bounds: plan.bounds,
      tileCount: written.summary.addressedTiles,
      builtAt: new Date().toISOString(),
    });
    const pack = await deps.files.install(written.path, manifest, hooks.builtBy ?? null);
    return { pack, plan, fetched, missing, ms: performance.now() - started };
  } finally {
    await fs.rm(written.path, { force: true });
  }
}

async function fetchWithRetries(source: ConfiguredSource, tile: TileXyz, pacer: Pacer, deps: PackBuildDeps, attempts: number, signal: AbortSignal | undefined) {
  for (let attempt = 1; ; attempt++) {
    await pacer.take(signal);
    try {
      const answer = await fetchUpstreamTile(source, tile.z, tile.x, tile.y, { userAgent: deps.registry.userAgent, signal, fetch: deps.fetch });
      return answer.kind === 'tile' ? { kind: 'tile' as const, tile: answer.tile } : { kind: 'none' as const };
    } catch (error) {
      if (!(error instanceof UpstreamError) || !error.isRetryable || attempt >= attempts) throw error;
      // back off: what the upstream asks for, else 1 s, 2 s, 4 s …
      pacer.slowDown(error.retryAfterMs ?? 1000 * 2 ** (attempt - 1));
    }
  }
}

function toBuildError(error: unknown, source: ConfiguredSource): unknown {
  if (error instanceof UpstreamError) {
    const hint = '已下载的瓦片已保存，重新生成会接着继续。';
    const hintEn = 'The tiles fetched so far are kept; building again continues from them.';
    return new PackBuildError(502, `upstream_${error.failure}`, `${error.messageZh}。${hint}`, `${error.message}. ${hintEn}`);
  }
  void source;
  return error;
}
