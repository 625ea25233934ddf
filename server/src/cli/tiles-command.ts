/**
 * `guanmo-server tiles …`: tour packs (offline basemaps), on the same data as the running server
 * (same environment: GUANMO_DATA_DIR, DATABASE_URL, GUANMO_MAP_SOURCES).
 *
 *   guanmo-server tiles build --tour ID [--source ID] [--max-zoom 17] [--radius 1000]
 *                             [--overview-zoom 11] [--route-buffer 300] [--rate N]
 *   guanmo-server tiles import --tour ID FILE.pmtiles|FILE.mbtiles [--source ID]
 *                             [--coord-system wgs84|gcj02] [--attribution TEXT]
 *   guanmo-server tiles list [--json]
 *
 * A build prints its progress; Ctrl-C stops it and a later run continues from the tiles fetched
 * so far. It refuses while the same tour's pack is being built elsewhere (the server's desk
 * button or another run).
 *
 * Exit codes: 0 done; 1 it could not be carried out; 2 wrong command line; 130 stopped by Ctrl-C.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { idSchema } from '@shared/domain/schemas';
import { describeDatabase, loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { claimBuild } from '../maps/build-state.js';
import { PackBuildError, resolvePackSource, type PackBuildOptions, type PackBuildProgress } from '../maps/pack-builder.js';
import { importPackFile } from '../maps/pack-import.js';
import { newOwnerId, runClaimedBuild } from '../maps/pack-jobs.js';
import { listPacks, PackFiles } from '../maps/pack-store.js';
import { TileCache } from '../maps/tile-cache.js';
import { loadTour } from '../tours/rankings.js';
import type { CliIo } from './user-command.js';

export const tilesUsage = `Usage:
  guanmo-server tiles build --tour ID [--source ID] [--max-zoom 17] [--radius 1000]
                            [--overview-zoom 11] [--route-buffer 300] [--rate N]
      Builds the tour's offline basemap pack from a configured map source: zooms 0…overview
      over the whole tour area, and up to --max-zoom (10–18) within --radius metres of each
      stop and --route-buffer metres of each day's route (straight lines between the day's
      stops). --rate: upstream requests per second (default: the source's, 4 unless set).
      Ctrl-C stops; running it again continues from the tiles fetched so far.
  guanmo-server tiles import --tour ID FILE.pmtiles|FILE.mbtiles [--source ID]
                            [--coord-system wgs84|gcj02] [--attribution TEXT]
      Makes a raster PMTiles or MBTiles file the tour's pack (MBTiles is converted).
      --source takes the coordinate system and attribution of a configured source.
  guanmo-server tiles list [--json]
      The tours' packs and the configured map sources.
`;

export interface TilesIo extends Pick<CliIo, 'out' | 'err' | 'env' | 'cwd'> {
  /** Ctrl-C: the build stops when it fires (default: SIGINT) */
  interrupt?: AbortSignal;
  fetch?: typeof fetch;
}

function usageError(io: TilesIo, message: string): number {
  io.err(`guanmo-server tiles: ${message}\n\n${tilesUsage}`);
  return 2;
}

function intOption(value: string | undefined, name: string, min: number, max: number): number | undefined | string {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) return `--${name} must be a whole number from ${min} to ${max}`;
  const n = Number(value);
  return n >= min && n <= max ? n : `--${name} must be a whole number from ${min} to ${max}`;
}

export async function runTilesCommand(argv: readonly string[], io: TilesIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'build' && command !== 'import' && command !== 'list') {
    return usageError(io, command === undefined ? 'missing subcommand' : `unknown subcommand ${JSON.stringify(command)}`);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: {
        tour: { type: 'string' },
        source: { type: 'string' },
        'max-zoom': { type: 'string' },
        radius: { type: 'string' },
        'overview-zoom': { type: 'string' },
        'route-buffer': { type: 'string' },
        rate: { type: 'string' },
        'coord-system': { type: 'string' },
        attribution: { type: 'string' },
        json: { type: 'boolean' },
      },
      allowPositionals: command === 'import',
      strict: true,
    });
  } catch (error) {
    return usageError(io, error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (command !== 'list') {
    if (!values.tour) return usageError(io, '--tour ID is required');
    if (!idSchema.safeParse(values.tour).success) return usageError(io, '--tour must be a tour id');
  }

  const config = loadConfig(io.env, io.cwd);
  let database;
  try {
    database = await openDatabase(config, { warn: () => {} });
  } catch (error) {
    io.err(`guanmo-server tiles: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const files = new PackFiles(config.dataDir, database.db);
  try {
    if (command === 'list') return await list(io, config.mapSources, database.db, values.json === true);
    const tour = await loadTour(database.db, values.tour!);
    if (!tour) {
      io.err(`guanmo-server tiles: 没有这个观摩活动 / there is no tour ${values.tour} (${describeDatabase(config)})\n`);
      return 1;
    }
    if (command === 'import') {
      if (positionals.length !== 1) return usageError(io, 'name one .pmtiles or .mbtiles file');
      const coord = values['coord-system'];
      if (coord !== undefined && coord !== 'wgs84' && coord !== 'gcj02') return usageError(io, '--coord-system must be wgs84 or gcj02');
      let sourceId = 'imported';
      let coordSystem: 'wgs84' | 'gcj02' = coord ?? 'wgs84';
      let attribution = values.attribution;
      if (values.source) {
        const source = config.mapSources.get(values.source);
        if (!source) return usageError(io, `there is no map source ${values.source}`);
        sourceId = source.id;
        coordSystem = coord ?? (source.coordSystem as 'wgs84' | 'gcj02');
        attribution ??= source.attribution;
      }
      const file = path.resolve(io.cwd, positionals[0]!);
      const result = await importPackFile(files, file, { tourId: tour.id, sourceId, coordSystem, attribution, builtBy: null });
      const m = result.pack.manifest;
      io.out(`imported ${result.format} as the pack of ${tour.name} (${tour.id}): ${m.tileCount} tiles, zooms ${m.minZoom}–${m.maxZoom}, ${formatMb(m.size)}, ${m.coordSystem}\n${files.pathOf(result.pack.fileName)}\n`);
      return 0;
    }
    return await build(io, config, database.db, files, tour.id, tour.name, values);
  } catch (error) {
    if (error instanceof PackBuildError) {
      io.err(`guanmo-server tiles: ${error.messageZh}\n${error.message}\n`);
      return 1;
    }
    io.err(`guanmo-server tiles: failed on ${describeDatabase(config)}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await database.close();
  }
}

type Values = Record<string, string | boolean | undefined>;

async function build(io: TilesIo, config: ReturnType<typeof loadConfig>, db: Awaited<ReturnType<typeof openDatabase>>['db'], files: PackFiles, tourId: string, tourName: string, values: Values): Promise<number> {
  const options: PackBuildOptions = { sourceId: values.source as string | undefined };
  const checks: Array<[keyof PackBuildOptions, string, number, number]> = [
    ['maxZoom', 'max-zoom', 10, 18],
    ['radiusMeters', 'radius', 100, 10_000],
    ['overviewMaxZoom', 'overview-zoom', 0, 14],
    ['routeBufferMeters', 'route-buffer', 0, 5_000],
  ];
  for (const [key, name, min, max] of checks) {
    const value = intOption(values[name] as string | undefined, name, min, max);
    if (typeof value === 'string') return usageError(io, value);
    if (value !== undefined) (options as Record<string, unknown>)[key] = value;
  }
  if (values.rate !== undefined) {
    const rate = Number(values.rate);
    if (!/^\d+(\.\d+)?$/.test(String(values.rate)) || rate < 0.1 || rate > 1000) return usageError(io, '--rate must be requests per second, from 0.1 to 1000');
    options.rate = rate;
  }
  const source = resolvePackSource(config.mapSources, options.sourceId);
  const owner = newOwnerId();
  if (!(await claimBuild(db, { tourId, owner, sourceId: source.id }))) {
    io.err('guanmo-server tiles: 这个观摩活动的底图包正在生成（服务器或另一个命令），请等待完成。\nA pack for this tour is being built already (by the server or another run); wait for it to finish.\n');
    return 1;
  }
  io.out(`Building the offline map pack of ${tourName} (${tourId}) from ${source.name} (${source.id}), ${options.rate ?? source.rate} requests/s\n`);
  const interrupt = io.interrupt ?? sigintSignal();
  let lastPrint = 0;
  let lastPhase = '';
  const onProgress = (p: PackBuildProgress) => {
    const now = Date.now();
    if (p.phase === lastPhase && now - lastPrint < 2000 && p.done !== p.total) return;
    if (p.phase === 'writing' && lastPhase === 'writing') return;
    lastPrint = now;
    lastPhase = p.phase;
    const percent = p.total === 0 ? 100 : Math.floor((p.done / p.total) * 100);
    io.out(p.phase === 'fetching' ? `  tiles ${p.done}/${p.total} (${percent}%), ${p.fetched} fetched now, ${p.done - p.fetched} from earlier runs\n` : '  writing the pack…\n');
  };
  try {
    const result = await runClaimedBuild({ db, registry: config.mapSources, cache: TileCache.inDataDir(config.dataDir), files, fetch: io.fetch }, { tourId, owner }, options, {
      signal: interrupt,
      builtBy: null,
      onProgress,
      abortReason: () => ({ zh: '底图包生成被中止。重新运行会接着已下载的瓦片继续。', en: 'The pack build was stopped. Running it again continues from the tiles fetched so far.' }),
    });
    const m = result.pack.manifest;
    const perZoom = Object.entries(result.plan.perZoom)
      .map(([z, n]) => `z${z}:${n}`)
      .join(' ');
    io.out(
      `done in ${(result.ms / 1000).toFixed(1)} s: ${m.tileCount} tiles (${perZoom}), ${result.fetched} fetched now, ${result.missing} absent upstream; ${formatMb(m.size)}\n` +
        `sha256 ${m.sha256}\n${files.pathOf(result.pack.fileName)}\n`,
    );
    return 0;
  } catch (error) {
    if (interrupt.aborted) {
      io.err('guanmo-server tiles: 已中止；重新运行会接着已下载的瓦片继续。\nStopped; run the same command again to continue from the tiles fetched so far.\n');
      return 130;
    }
    throw error;
  }
}

function sigintSignal(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort(new Error('interrupted')));
  return controller.signal;
}

async function list(io: TilesIo, registry: ReturnType<typeof loadConfig>['mapSources'], db: Awaited<ReturnType<typeof openDatabase>>['db'], json: boolean): Promise<number> {
  const packs = await listPacks(db);
  if (json) {
    io.out(`${JSON.stringify({ packs: packs.map((p) => p.manifest), sources: registry.sources.map((s) => ({ id: s.id, name: s.name, type: s.type, coordSystem: s.coordSystem, online: s.online, packs: s.packs })) }, null, 2)}\n`);
    return 0;
  }
  io.out(`Map sources${registry.file ? ` (${registry.file})` : ' (none configured: see map-sources.json in the README)'}:\n`);
  for (const s of registry.sources) {
    io.out(`  ${s.id}${s.id === registry.defaultSourceId ? ' (default)' : ''}  ${s.name}  ${s.type}  ${s.coordSystem}  zooms ${s.minZoom}–${s.maxZoom}  ${s.online ? 'online' : 'no online'}  ${s.packs ? `packs at ${s.rate}/s` : 'no packs'}\n`);
  }
  io.out(packs.length === 0 ? 'No tour packs yet.\n' : 'Tour packs:\n');
  for (const p of packs) {
    const tour = await loadTour(db, p.tourId);
    io.out(`  ${p.tourId}  ${tour?.name ?? '(tour deleted)'}  ${p.manifest.sourceId}  ${p.manifest.tileCount} tiles  z${p.manifest.minZoom}–${p.manifest.maxZoom}  ${formatMb(p.size)}  ${p.builtAt}\n`);
  }
  return 0;
}

function formatMb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
