/**
 * `npm run bench:map` (first half; tests/bench/map-view.bench.ts is the app's half): builds the
 * offline pack of the demo tour 山亭区2021年赴日照潍坊济宁考察学习 (28 stops in five districts over
 * three days, assets/demo/tour-shanting-2021-study.csv as the demo seed imports it) at up to z17,
 * with the server's defaults (overview to z11, 1000 m around each stop, 300 m along each day's
 * route), from a local tile server drawing z/x/y PNGs of realistic weight (about 8 KB at z17 to
 * 21 KB at city zooms; the sea as one identical tile).
 *
 * Prints the tile count per zoom, the build time (cold: every tile from the tile server; warm:
 * every tile from the resume cache, i.e. writing the PMTiles file alone), the pack's size against
 * the 50 MB goal, and how long the same build takes at the default pace of 4 requests a second.
 *
 * Nothing leaves the machine; the tile server is on 127.0.0.1 and the pace is lifted for it.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PMTiles, type Source } from 'pmtiles';
import { planPackTiles } from '@shared/maps/pack-tiles';
import { createApp } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { defaultPackRate } from '../../server/src/maps/map-sources';
import { buildTourPack } from '../../server/src/maps/pack-builder';
import { PackFiles } from '../../server/src/maps/pack-store';
import { TileCache } from '../../server/src/maps/tile-cache';
import { writeMapSources } from '../../server/src/test-support/map-fixtures';
import { drawTile, startTileServer } from '../../server/src/test-support/tile-server';

const tourId = 'demo-shanting-2021';
const goalBytes = 50 * 1024 * 1024;
/** the coast east of 日照: tiles whose centre lies beyond are open sea */
const isSea = (lng: number, lat: number) => lng > 119.62 || (lng > 119.56 && lat < 35.5);

class FileSource implements Source {
  constructor(private readonly handle: fs.FileHandle) {}
  getKey() {
    return 'pack';
  }
  async getBytes(offset: number, length: number) {
    const buffer = Buffer.alloc(length);
    await this.handle.read(buffer, 0, length, offset);
    return { data: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + length) };
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-bench-map-'));
  const tiles = await startTileServer({ isSea });
  try {
    await writeMapSources(dataDir, {
      organisation: 'Guanmo bench',
      defaultSource: 'local',
      sources: [{ id: 'local', type: 'xyz', url: tiles.template, packs: true, rate: 1000, name: '本地测试底图', attribution: '© bench' }],
    });
    const config = loadConfig({ GUANMO_DATA_DIR: dataDir, GUANMO_DEMO: '1', GUANMO_LOG_LEVEL: 'silent', GUANMO_PORT: '0' });
    // the demo seed: the same tours, stops and coordinates a demo server has
    const app = await createApp(config, { output: () => {} });
    const deps = { db: app.db, registry: config.mapSources, cache: TileCache.inDataDir(dataDir), files: new PackFiles(dataDir, app.db), concurrency: 8 };
    try {
      // the tile server draws every tile once beforehand, so the build time is the build's, not the drawing's
      const stops = await app.db.selectFrom('records').select('data').where('collection', '=', 'stops').where('tour_id', '=', tourId).where('deleted', '=', 0).execute();
      const located = stops.map((r) => JSON.parse(r.data) as { id: string; day: string; order: number; lat: number | null; lng: number | null });
      // (asked for once over HTTP: its cache keeps them, and their sizes are what the build stores)
      const drawStart = performance.now();
      const bytesOf = new Map<string, number>();
      const planned = planPackTiles(located, { maxZoom: 17 }).tiles;
      for (let i = 0; i < planned.length; i += 8) {
        await Promise.all(
          planned.slice(i, i + 8).map(async (t) => {
            const response = await fetch(`${tiles.origin}/${t.z}/${t.x}/${t.y}.png`);
            bytesOf.set(`${t.z}/${t.x}/${t.y}`, (await response.arrayBuffer()).byteLength);
          }),
        );
      }
      const drawMs = performance.now() - drawStart;
      const warmed = tiles.requests.length;

      const cold = await buildTourPack(deps, tourId, { maxZoom: 17 });
      const requests = tiles.requests.length - warmed;
      const warm = await buildTourPack(deps, tourId, { maxZoom: 17 });
      const m = cold.pack.manifest;
      const handle = await fs.open(deps.files.pathOf(cold.pack.fileName), 'r');
      const header = await new PMTiles(new FileSource(handle)).getHeader();
      await handle.close();

      const perZoom = Object.entries(cold.plan.perZoom)
        .map(([z, n]) => `z${z} ${n}`)
        .join(', ');
      const lines = [
        `map pack build — demo tour ${tourId}: ${cold.plan.stops} stops, ${cold.plan.segments} route segments over 3 days, up to z${m.maxZoom}`,
        `  defaults: overview z0–z11 over the tour area, z12–z17 within 1000 m of each stop and 300 m of each day's route`,
        `  tiles: ${m.tileCount} (${perZoom})`,
        `  stored contents: ${header.numTileContents} (identical sea tiles stored once: ${m.tileCount - header.numTileContents} deduplicated), directory entries: ${header.numTileEntries}, leaf directories: ${header.leafDirectoryLength ? 'yes' : 'no'}`,
        `  build time, cold (${requests} tiles from the local tile server, pace lifted): ${(cold.ms / 1000).toFixed(2)} s`,
        `  build time, warm (every tile from the resume cache: planning + writing the PMTiles file): ${(warm.ms / 1000).toFixed(2)} s`,
        `  pack size: ${mb(m.size)} (${m.size} bytes; goal ≤ 50 MB: ${m.size <= goalBytes ? 'met' : 'NOT met'}), sha256 ${m.sha256.slice(0, 16)}…`,
        ...[1500, 750].map((radius) => {
          const plan = planPackTiles(located, { maxZoom: 17, radiusMeters: radius });
          const seen = new Set<number>();
          let bytes = 0;
          for (const t of plan.tiles) {
            const size = bytesOf.get(`${t.z}/${t.x}/${t.y}`) ?? drawTile(t.z, t.x, t.y, { isSea }).length;
            // sea tiles are stored once
            if (!seen.has(size) || size > 2000) bytes += size;
            seen.add(size);
          }
          return `  with --radius ${radius}: ${plan.tiles.length} tiles, about ${mb(bytes)} (the same tiles' sizes)`;
        }),
        `  (the local tile server drew the ${bytesOf.size} PNGs beforehand in ${(drawMs / 1000).toFixed(1)} s; not counted above)`,
        `  at the default pace of ${defaultPackRate} requests/s, fetching these tiles from a real server takes about ${Math.ceil(requests / defaultPackRate / 60)} min`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      await app.close();
    }
  } finally {
    await tiles.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

await main();
