/**
 * Basemap sources, configured by the server's administrator in a JSON file (default
 * `<data folder>/map-sources.json`, or the file GUANMO_MAP_SOURCES names); never compiled in.
 *
 *   {
 *     "organisation": "Shanting District Office", "contact": "gis@example.gov.cn",
 *     "defaultSource": "tianditu-vec",
 *     "sources": [
 *       { "id": "tianditu-vec", "type": "tianditu", "layer": "vec", "key": "${TIANDITU_KEY}", "packs": true },
 *       { "id": "amap", "type": "amap" },
 *       { "id": "osm", "type": "osm" },
 *       { "id": "city", "type": "xyz", "url": "https://gis.example.gov.cn/tiles/{z}/{x}/{y}.png" },
 *       { "id": "city-wmts", "type": "wmts", "url": "https://gis.example.gov.cn/wmts", "layer": "basemap", "tileMatrixSet": "GoogleMapsCompatible" }
 *     ]
 *   }
 *
 * `${NAME}` in a key, URL or header value is read from the server's environment, so the key need
 * not sit in the file either.
 *
 * What must stay true:
 * - Keys and URL templates stay on the server: `publicSource` is all the app ever sees.
 * - The public OpenStreetMap tile servers never serve a pack build (their tile usage policy
 *   forbids bulk downloading): a source on them has `packs: false`, whatever the file says.
 * - A source says the system its tiles are drawn in (高德: GCJ-02; 天地图 `_w`, OSM: WGS-84).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { MapSource, MapSourcesResponse, TileCoordSystem } from '@shared/maps/pack-protocol';
import { ConfigError } from '../config.js';

export const MAP_SOURCES_ENV = 'GUANMO_MAP_SOURCES';
export const mapSourcesFileName = 'map-sources.json';

/** Pack build requests per second when a source does not say (a few a second: polite to any server). */
export const defaultPackRate = 4;

export type TileFormat = 'png' | 'jpeg' | 'webp';

/** A configured source, with what only the server may know (URLs, keys, headers). */
export interface ConfiguredSource extends MapSource {
  type: 'tianditu' | 'amap' | 'osm' | 'xyz' | 'wmts';
  /** the format its tiles come in (the pack's tile type) */
  format: TileFormat;
  /** pack build requests per second */
  rate: number;
  /** the upstream URL of a tile */
  tileUrl(z: number, x: number, y: number): string;
  /** headers sent upstream besides the User-Agent (a company server's token) */
  headers: Readonly<Record<string, string>>;
  /** changes when the upstream changes: names the tile cache, so a new layer never serves old tiles */
  fingerprint: string;
  /** why packs are refused for it (OSM), in Chinese and English; null when they are not */
  packRefusal: { zh: string; en: string } | null;
}

export interface MapSourceRegistry {
  sources: readonly ConfiguredSource[];
  defaultSourceId: string | null;
  /** names Guanmo and the organisation to upstream servers */
  userAgent: string;
  /** where the configuration came from (for messages), or null when there is none */
  file: string | null;
  get(id: string): ConfiguredSource | undefined;
}

const idSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1–64 lower-case letters, digits, - or _');
const zoomSchema = z.number().int().min(0).max(22);
const rateSchema = z.number().min(0.1).max(1000);

const common = {
  id: idSchema,
  name: z.string().trim().min(1).max(100).optional(),
  attribution: z.string().trim().max(300).optional(),
  minZoom: zoomSchema.optional(),
  maxZoom: zoomSchema.optional(),
  online: z.boolean().optional(),
  packs: z.boolean().optional(),
  rate: rateSchema.optional(),
};

const headersSchema = z.record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/), z.string().max(2000)).optional();

const entrySchema = z.discriminatedUnion('type', [
  z.object({
    ...common,
    type: z.literal('tianditu'),
    /** vec 矢量, img 影像, ter 地形 (the `_w` Web Mercator layers) */
    layer: z.enum(['vec', 'img', 'ter']).default('vec'),
    key: z.string().min(1, 'the 天地图 key (tk) is required'),
  }),
  z.object({ ...common, type: z.literal('amap'), style: z.enum(['road', 'satellite']).default('road') }),
  z.object({ ...common, type: z.literal('osm') }),
  z.object({
    ...common,
    type: z.literal('xyz'),
    /** {z} {x} {y} ({-y} for TMS rows), {s} for one of `subdomains` */
    url: z.string().min(1),
    subdomains: z.array(z.string().regex(/^[A-Za-z0-9-]{1,20}$/)).min(1).max(16).optional(),
    coordSystem: z.enum(['wgs84', 'gcj02']).default('wgs84'),
    format: z.enum(['png', 'jpeg', 'webp']).optional(),
    headers: headersSchema,
  }),
  z.object({
    ...common,
    type: z.literal('wmts'),
    /** the service's KVP endpoint, e.g. https://gis.example.gov.cn/geoserver/gwc/service/wmts */
    url: z.string().min(1),
    layer: z.string().min(1).max(200),
    style: z.string().max(200).default('default'),
    /** a Web Mercator tile matrix set (GoogleMapsCompatible, EPSG:3857, w …) */
    tileMatrixSet: z.string().min(1).max(200),
    /** prefix of each TileMatrix identifier, e.g. "EPSG:3857:" for GeoServer's EPSG:3857:12 */
    tileMatrixPrefix: z.string().max(100).default(''),
    format: z.enum(['png', 'jpeg', 'webp']).default('png'),
    coordSystem: z.enum(['wgs84', 'gcj02']).default('wgs84'),
    headers: headersSchema,
  }),
]);

const fileSchema = z.object({
  /** named in the User-Agent of every upstream request (ASCII is best; other characters are %-encoded) */
  organisation: z.string().trim().min(1).max(100).optional(),
  /** an e-mail address or web page for the tile server's operators */
  contact: z.string().trim().min(1).max(200).optional(),
  defaultSource: idSchema.optional(),
  sources: z.array(entrySchema).max(50),
});

type Entry = z.infer<typeof entrySchema>;

/** Hosts of the OpenStreetMap Foundation's public tile servers (and their old names). */
export function isPublicOsmHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return (
    h === 'tile.openstreetmap.org' ||
    h.endsWith('.tile.openstreetmap.org') ||
    h === 'tile.osm.org' ||
    h.endsWith('.tile.osm.org') ||
    h === 'tile.openstreetmap.de' ||
    h.endsWith('.tile.openstreetmap.de') ||
    h === 'tile.openstreetmap.fr' ||
    h.endsWith('.tile.openstreetmap.fr') ||
    h.endsWith('.openstreetmap.org') // tile-cdn mirrors, {s}.tile… and the rest of the Foundation's hosts
  );
}

export const osmPackRefusal = {
  zh: 'OpenStreetMap 公共瓦片服务器的使用条款禁止批量下载，不能用来生成离线底图包。请改用本单位自己的瓦片服务器，或经许可可批量下载的图源（如持本单位密钥并获许可的天地图），也可以导入本单位已有的 MBTiles / PMTiles 文件（guanmo-server tiles import）。',
  en: "The public OpenStreetMap tile servers' usage policy forbids bulk downloading, so offline packs cannot be built from them. Use your organisation's own tile server or a source that allows it (天地图 with your organisation's key and permission), or import an MBTiles / PMTiles file you already have (guanmo-server tiles import).",
};

function expandEnv(value: string, env: Record<string, string | undefined>, where: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const v = env[name];
    if (v === undefined || v.trim() === '') throw new ConfigError(`${where}: the environment variable ${name} it refers to is not set`);
    return v.trim();
  });
}

function hostOf(url: string, where: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.replace(/\{[^}]*\}/g, '0'));
  } catch {
    throw new ConfigError(`${where}: not a URL: the url must start with https:// or http://`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new ConfigError(`${where}: the url must start with https:// or http://`);
  return parsed.hostname;
}

function formatFromUrl(url: string): TileFormat {
  const pathPart = url.split('?')[0]!.toLowerCase();
  if (pathPart.endsWith('.jpg') || pathPart.endsWith('.jpeg')) return 'jpeg';
  if (pathPart.endsWith('.webp')) return 'webp';
  return 'png';
}

function fill(template: string, z: number, x: number, y: number, s: string): string {
  return template
    .replaceAll('{z}', String(z))
    .replaceAll('{x}', String(x))
    .replaceAll('{-y}', String(2 ** z - 1 - y))
    .replaceAll('{y}', String(y))
    .replaceAll('{s}', s);
}

function resolveEntry(entry: Entry, env: Record<string, string | undefined>, where: string): ConfiguredSource {
  const base = { id: entry.id, online: entry.online ?? true, rate: entry.rate ?? defaultPackRate };
  let source: Omit<ConfiguredSource, 'fingerprint' | 'packRefusal'> & { identity: string };
  switch (entry.type) {
    case 'tianditu': {
      const key = expandEnv(entry.key, env, `${where}.key`);
      const layer = entry.layer;
      const names = { vec: '天地图矢量', img: '天地图影像', ter: '天地图地形' } as const;
      // t0–t7 share the load; a tile always goes to the same one (its cached copy stays warm)
      const url = (z: number, x: number, y: number) =>
        `https://t${(x + y) % 8}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX=${z}&TILEROW=${y}&TILECOL=${x}&tk=${encodeURIComponent(key)}`;
      source = {
        ...base,
        type: 'tianditu',
        name: entry.name ?? names[layer],
        attribution: entry.attribution ?? '© 天地图 国家地理信息公共服务平台',
        coordSystem: 'wgs84',
        minZoom: entry.minZoom ?? 1,
        maxZoom: entry.maxZoom ?? 18,
        packs: entry.packs ?? false,
        format: layer === 'img' ? 'jpeg' : 'png',
        tileUrl: url,
        headers: {},
        identity: `tianditu:${layer}`,
      };
      break;
    }
    case 'amap': {
      const isSatellite = entry.style === 'satellite';
      source = {
        ...base,
        type: 'amap',
        name: entry.name ?? (isSatellite ? '高德卫星图' : '高德地图'),
        attribution: entry.attribution ?? '© 高德地图 AutoNavi',
        coordSystem: 'gcj02',
        minZoom: entry.minZoom ?? 3,
        maxZoom: entry.maxZoom ?? 18,
        packs: entry.packs ?? false,
        format: isSatellite ? 'jpeg' : 'png',
        tileUrl: (z, x, y) =>
          `https://${isSatellite ? 'webst' : 'webrd'}0${((x + y) % 4) + 1}.is.autonavi.com/appmaptile?style=${isSatellite ? 6 : 8}&lang=zh_cn&size=1&scale=1&x=${x}&y=${y}&z=${z}`,
        headers: {},
        identity: `amap:${entry.style}`,
      };
      break;
    }
    case 'osm':
      source = {
        ...base,
        type: 'osm',
        name: entry.name ?? 'OpenStreetMap',
        attribution: entry.attribution ?? '© OpenStreetMap contributors',
        coordSystem: 'wgs84',
        minZoom: entry.minZoom ?? 0,
        maxZoom: entry.maxZoom ?? 19,
        packs: false,
        format: 'png',
        tileUrl: (z, x, y) => `https://tile.openstreetmap.org/${z}/${x}/${y}.png`,
        headers: {},
        identity: 'osm',
      };
      break;
    case 'xyz': {
      const url = expandEnv(entry.url, env, `${where}.url`);
      hostOf(url, `${where}.url`);
      if (url.includes('{s}') && !entry.subdomains) throw new ConfigError(`${where}: the url has {s}: list the subdomains, e.g. "subdomains": ["a", "b", "c"]`);
      for (const needed of ['{z}', '{x}']) if (!url.includes(needed)) throw new ConfigError(`${where}.url: ${needed} is missing`);
      if (!url.includes('{y}') && !url.includes('{-y}')) throw new ConfigError(`${where}.url: {y} (or {-y} for TMS) is missing`);
      const subdomains = entry.subdomains ?? [''];
      source = {
        ...base,
        type: 'xyz',
        name: entry.name ?? '本单位地图服务',
        attribution: entry.attribution ?? '',
        coordSystem: entry.coordSystem,
        minZoom: entry.minZoom ?? 0,
        maxZoom: entry.maxZoom ?? 18,
        packs: entry.packs ?? true,
        format: entry.format ?? formatFromUrl(url),
        tileUrl: (z, x, y) => fill(url, z, x, y, subdomains[(x + y) % subdomains.length]!),
        headers: expandHeaders(entry.headers, env, where),
        identity: `xyz:${url}`,
      };
      break;
    }
    case 'wmts': {
      const url = expandEnv(entry.url, env, `${where}.url`);
      hostOf(url, `${where}.url`);
      const separator = url.includes('?') ? '&' : '?';
      const mime = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' }[entry.format];
      const q = (v: string) => encodeURIComponent(v);
      source = {
        ...base,
        type: 'wmts',
        name: entry.name ?? '本单位地图服务',
        attribution: entry.attribution ?? '',
        coordSystem: entry.coordSystem,
        minZoom: entry.minZoom ?? 0,
        maxZoom: entry.maxZoom ?? 18,
        packs: entry.packs ?? true,
        format: entry.format,
        tileUrl: (z, x, y) =>
          `${url}${separator}SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${q(entry.layer)}&STYLE=${q(entry.style)}&TILEMATRIXSET=${q(entry.tileMatrixSet)}&TILEMATRIX=${q(entry.tileMatrixPrefix + z)}&TILEROW=${y}&TILECOL=${x}&FORMAT=${q(mime)}`,
        headers: expandHeaders(entry.headers, env, where),
        identity: `wmts:${url}|${entry.layer}|${entry.style}|${entry.tileMatrixSet}|${entry.tileMatrixPrefix}|${entry.format}`,
      };
      break;
    }
  }
  if (source.minZoom > source.maxZoom) throw new ConfigError(`${where}: minZoom is above maxZoom`);
  const { identity, ...rest } = source;
  // the public OSM servers (by type or by host): online viewing through the cache only, never packs
  const isOsm = entry.type === 'osm' || isPublicOsmHost(hostOf(rest.tileUrl(0, 0, 0), where));
  if (isOsm && entry.packs === true) {
    throw new ConfigError(`${where}: "packs": true is not allowed for the public OpenStreetMap tile servers (their usage policy forbids bulk downloading)`);
  }
  return {
    ...rest,
    packs: isOsm ? false : rest.packs,
    packRefusal: isOsm ? osmPackRefusal : null,
    // the key is part of the upstream but not of what the tiles look like: left out
    fingerprint: createHash('sha256').update(identity).digest('hex').slice(0, 12),
  };
}

function expandHeaders(headers: Record<string, string> | undefined, env: Record<string, string | undefined>, where: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'user-agent' || lower === 'host') throw new ConfigError(`${where}.headers: ${name} cannot be set`);
    out[lower] = expandEnv(value, env, `${where}.headers.${name}`);
  }
  return out;
}

/** The User-Agent of upstream requests: Guanmo, its version and the organisation (RFC 9110 tokens). */
export function upstreamUserAgent(version: string, organisation: string | undefined, contact: string | undefined): string {
  const clean = (s: string) => s.replace(/[^\x20-\x7e]/g, (c) => encodeURIComponent(c)).replace(/[()\\]/g, ' ');
  const about = ['重点项目现场观摩 offline-first inspection tours', organisation, contact].filter((s): s is string => !!s).map(clean);
  return `Guanmo/${version} (${about.join('; ')})`;
}

export function createRegistry(sources: ConfiguredSource[], defaultSourceId: string | null, userAgent: string, file: string | null): MapSourceRegistry {
  const byId = new Map(sources.map((s) => [s.id, s]));
  return { sources, defaultSourceId, userAgent, file, get: (id) => byId.get(id) };
}

/** Parses a configuration (the JSON file's content). Throws ConfigError naming what is wrong. */
export function parseMapSources(json: unknown, env: Record<string, string | undefined>, version: string, file: string | null): MapSourceRegistry {
  const where = file ?? 'map sources';
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 10).map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new ConfigError(`Invalid map sources in ${where}:\n${lines.join('\n')}`);
  }
  const data = parsed.data;
  const sources = data.sources.map((entry, i) => resolveEntry(entry, env, `${where}: sources[${i}] (${entry.id})`));
  const ids = new Set<string>();
  for (const s of sources) {
    if (ids.has(s.id)) throw new ConfigError(`${where}: two sources have the id ${s.id}`);
    ids.add(s.id);
  }
  if (data.defaultSource !== undefined && !ids.has(data.defaultSource)) throw new ConfigError(`${where}: defaultSource ${data.defaultSource} is not one of the sources`);
  const defaultSourceId = data.defaultSource ?? sources[0]?.id ?? null;
  return createRegistry(sources, defaultSourceId, upstreamUserAgent(version, data.organisation, data.contact), file);
}

/**
 * Reads the map sources of a server: the file GUANMO_MAP_SOURCES names (it must exist), else
 * `<dataDir>/map-sources.json` when present; no sources at all otherwise.
 */
export function loadMapSources(dataDir: string, env: Record<string, string | undefined>, version: string, cwd = process.cwd()): MapSourceRegistry {
  const named = env[MAP_SOURCES_ENV]?.trim();
  const file = named ? path.resolve(cwd, named) : path.join(dataDir, mapSourcesFileName);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !named) return createRegistry([], null, upstreamUserAgent(version, undefined, undefined), null);
    throw new ConfigError(`${MAP_SOURCES_ENV}: cannot read the map sources file ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError(`Invalid map sources in ${file}: not JSON (${(error as Error).message})`);
  }
  return parseMapSources(json, env, version, file);
}

/** What the app may see of a source: never its URL, key or headers. */
export function publicSource(source: ConfiguredSource): MapSource {
  return {
    id: source.id,
    name: source.name,
    attribution: source.attribution,
    coordSystem: source.coordSystem as TileCoordSystem,
    minZoom: source.minZoom,
    maxZoom: source.maxZoom,
    online: source.online,
    packs: source.packs,
  };
}

export function publicSources(registry: MapSourceRegistry): MapSourcesResponse {
  return { sources: registry.sources.map(publicSource), defaultSourceId: registry.defaultSourceId };
}
