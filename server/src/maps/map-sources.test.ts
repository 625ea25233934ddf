import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config.js';
import { isPublicOsmHost, loadMapSources, parseMapSources, publicSources, upstreamUserAgent } from './map-sources.js';
import { Pacer, type PacerClock } from './pacer.js';

const env = { TIANDITU_KEY: 'tk-0123456789abcdef', CITY_TOKEN: 'Bearer s3cret' };

describe('map sources', () => {
  it('builds the upstream URLs of each kind, and shows the app none of them', () => {
    const registry = parseMapSources(
      {
        organisation: '山亭区观摩办',
        contact: 'gis@example.gov.cn',
        defaultSource: 'city',
        sources: [
          { id: 'tdt', type: 'tianditu', key: '${TIANDITU_KEY}', packs: true },
          { id: 'tdt-img', type: 'tianditu', layer: 'img', key: '${TIANDITU_KEY}' },
          { id: 'amap', type: 'amap' },
          { id: 'osm', type: 'osm' },
          { id: 'city', type: 'xyz', url: 'https://{s}.gis.example.gov.cn/tiles/{z}/{x}/{-y}.jpg', subdomains: ['a', 'b'], headers: { Authorization: '${CITY_TOKEN}' } },
          { id: 'wmts', type: 'wmts', url: 'https://gis.example.gov.cn/gwc/wmts?map=base', layer: 'base', tileMatrixSet: 'EPSG:3857', tileMatrixPrefix: 'EPSG:3857:', coordSystem: 'gcj02' },
        ],
      },
      env,
      '0.1.0',
      '/data/map-sources.json',
    );
    const tdt = registry.get('tdt')!;
    expect(tdt.tileUrl(12, 3400, 1600)).toBe(
      'https://t0.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX=12&TILEROW=1600&TILECOL=3400&tk=tk-0123456789abcdef',
    );
    expect(tdt.tileUrl(12, 3401, 1600)).toMatch(/^https:\/\/t1\.tianditu\.gov\.cn\//);
    expect(tdt).toMatchObject({ coordSystem: 'wgs84', format: 'png', packs: true, minZoom: 1, maxZoom: 18 });
    expect(registry.get('tdt-img')).toMatchObject({ format: 'jpeg', packs: false, name: '天地图影像' });
    expect(registry.get('amap')).toMatchObject({ coordSystem: 'gcj02', packs: false, minZoom: 3 });
    expect(registry.get('amap')!.tileUrl(14, 13000, 6000)).toContain('x=13000&y=6000&z=14');
    expect(registry.get('osm')).toMatchObject({ packs: false, online: true });
    expect(registry.get('osm')!.packRefusal?.zh).toContain('禁止批量下载');
    const city = registry.get('city')!;
    expect(city.tileUrl(3, 1, 2)).toBe('https://b.gis.example.gov.cn/tiles/3/1/5.jpg');
    expect(city).toMatchObject({ format: 'jpeg', packs: true, headers: { authorization: 'Bearer s3cret' } });
    expect(registry.get('wmts')!.tileUrl(12, 5, 6)).toBe(
      'https://gis.example.gov.cn/gwc/wmts?map=base&SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=base&STYLE=default&TILEMATRIXSET=EPSG%3A3857&TILEMATRIX=EPSG%3A3857%3A12&TILEROW=6&TILECOL=5&FORMAT=image%2Fpng',
    );
    expect(registry.defaultSourceId).toBe('city');
    expect(registry.userAgent).toMatch(/^Guanmo\/0\.1\.0 \(/);
    expect(registry.userAgent).toContain('gis@example.gov.cn');
    // header-safe: the Chinese organisation name is %-encoded
    expect(registry.userAgent).toMatch(/^[\x20-\x7e]+$/);
    expect(decodeURIComponent(registry.userAgent)).toContain('山亭区观摩办');

    const shown = JSON.stringify(publicSources(registry));
    for (const secret of ['tk-0123456789abcdef', 's3cret', 'tianditu.gov.cn', 'gis.example.gov.cn', 'autonavi']) expect(shown).not.toContain(secret);
    expect(publicSources(registry).sources.map((s) => s.id)).toEqual(['tdt', 'tdt-img', 'amap', 'osm', 'city', 'wmts']);
  });

  it('never lets packs be built from the public OpenStreetMap servers', () => {
    expect(() => parseMapSources({ sources: [{ id: 'osm', type: 'osm', packs: true }] }, {}, '1', null)).toThrow(/OpenStreetMap/);
    expect(() => parseMapSources({ sources: [{ id: 'o', type: 'xyz', url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', packs: true }] }, {}, '1', null)).toThrow(/OpenStreetMap/);
    const mirror = parseMapSources({ sources: [{ id: 'o', type: 'xyz', url: 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png', subdomains: ['a', 'b', 'c'] }] }, {}, '1', null);
    expect(mirror.get('o')).toMatchObject({ packs: false });
    expect(mirror.get('o')!.packRefusal).not.toBeNull();
    for (const host of ['tile.openstreetmap.org', 'a.tile.openstreetmap.org', 'tile.osm.org', 'b.tile.osm.org', 'tile-cdn.openstreetmap.org']) expect(isPublicOsmHost(host), host).toBe(true);
    for (const host of ['tiles.example.gov.cn', 'openstreetmap.org.example.cn', '127.0.0.1']) expect(isPublicOsmHost(host), host).toBe(false);
  });

  it('names what is wrong in a bad file', () => {
    const bad = (json: unknown, e: Record<string, string> = {}) => () => parseMapSources(json, e, '1', 'map-sources.json');
    expect(bad({ sources: [{ id: 'tdt', type: 'tianditu', key: '${NOPE}' }] })).toThrow(/NOPE.*not set/);
    expect(bad({ sources: [{ id: 'x', type: 'xyz', url: 'ftp://x/{z}/{x}/{y}' }] })).toThrow(/https/);
    expect(bad({ sources: [{ id: 'x', type: 'xyz', url: 'https://x/{z}/{x}.png' }] })).toThrow(/\{y\}/);
    expect(bad({ sources: [{ id: 'x', type: 'xyz', url: 'https://{s}.x/{z}/{x}/{y}.png' }] })).toThrow(/subdomains/);
    expect(bad({ sources: [{ id: 'a', type: 'osm' }, { id: 'a', type: 'amap' }] })).toThrow(/two sources/);
    expect(bad({ defaultSource: 'b', sources: [{ id: 'a', type: 'osm' }] })).toThrow(/defaultSource/);
    expect(bad({ sources: [{ id: 'Bad Id', type: 'osm' }] })).toThrow(ConfigError);
    expect(bad({ sources: [{ id: 'x', type: 'xyz', url: 'https://x/{z}/{x}/{y}.png', headers: { 'User-Agent': 'me' } }] })).toThrow(/cannot be set/);
  });

  it('reads the file from the data folder or GUANMO_MAP_SOURCES, and none is no sources', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-map-sources-'));
    try {
      expect(loadMapSources(dir, {}, '1').sources).toEqual([]);
      await fs.writeFile(path.join(dir, 'map-sources.json'), '\uFEFF{"sources": [{"id": "osm", "type": "osm"}]}');
      expect(loadMapSources(dir, {}, '1').sources.map((s) => s.id)).toEqual(['osm']);
      await fs.writeFile(path.join(dir, 'other.json'), '{"sources": [{"id": "amap", "type": "amap"}]}');
      expect(loadMapSources(dir, { GUANMO_MAP_SOURCES: 'other.json' }, '1', dir).sources.map((s) => s.id)).toEqual(['amap']);
      expect(() => loadMapSources(dir, { GUANMO_MAP_SOURCES: 'missing.json' }, '1', dir)).toThrow(/GUANMO_MAP_SOURCES/);
      await fs.writeFile(path.join(dir, 'map-sources.json'), '{ not json');
      expect(() => loadMapSources(dir, {}, '1')).toThrow(/not JSON/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('puts Guanmo and the organisation in the User-Agent', () => {
    expect(upstreamUserAgent('0.1.0', 'Shanting GIS (office)', 'ops@example.cn')).toBe('Guanmo/0.1.0 (%E9%87%8D%E7%82%B9%E9%A1%B9%E7%9B%AE%E7%8E%B0%E5%9C%BA%E8%A7%82%E6%91%A9 offline-first inspection tours; Shanting GIS  office ; ops@example.cn)');
  });
});

describe('Pacer', () => {
  /** Simulated time: sleepers wake in order of their wake-up time, and the clock jumps to it. */
  function simulatedClock() {
    const timers: Array<{ at: number; wake: () => void }> = [];
    const clock: PacerClock & { t: number; run<T>(work: Promise<T>): Promise<T> } = {
      t: 0,
      now: () => clock.t,
      sleep: (ms) => new Promise<void>((wake) => timers.push({ at: clock.t + ms, wake })),
      async run(work) {
        let isDone = false;
        void work.finally(() => (isDone = true));
        while (!isDone) {
          await new Promise((resolve) => setImmediate(resolve));
          timers.sort((a, b) => a.at - b.at);
          const next = timers.shift();
          if (next) {
            clock.t = Math.max(clock.t, next.at);
            next.wake();
          }
        }
        return work;
      },
    };
    return clock;
  }

  it('starts at most perSecond requests in any second, however many workers ask', async () => {
    const clock = simulatedClock();
    const pacer = new Pacer(5, clock);
    const starts: number[] = [];
    await clock.run(
      Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let i = 0; i < 10; i++) {
            await pacer.take();
            starts.push(clock.now());
          }
        }),
      ),
    );
    expect(starts).toHaveLength(40);
    const sorted = [...starts].sort((a, b) => a - b);
    for (const t of sorted) expect(sorted.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(5);
    // and no slower than that: 40 starts take 39 intervals
    expect(sorted.at(-1)).toBeCloseTo(39 * 200, 5);
  });

  it('waits longer after slowDown', async () => {
    const clock = simulatedClock();
    const pacer = new Pacer(10, clock);
    await clock.run(
      (async () => {
        await pacer.take();
        pacer.slowDown(5000);
        await pacer.take();
      })(),
    );
    expect(clock.now()).toBeGreaterThanOrEqual(5000);
  });
});
