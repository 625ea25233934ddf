/**
 * The maps API between the sync server and the app (issue 13): basemap sources the administrator
 * configured, and each tour's offline basemap pack (one PMTiles archive).
 *
 *   GET  /api/maps/sources                       → mapSourcesResponseSchema (signed in)
 *   GET  /api/maps/tiles/:sourceId/:z/:x/:y      → tile image, proxied by the server (keys stay there)
 *   GET  /api/tours/:tourId/tile-pack            → tilePackStatusSchema (participants and staff)
 *   POST /api/tours/:tourId/tile-pack/build      tilePackBuildRequestSchema → 202 tilePackStatusSchema (secretariat, admin)
 *   GET  /api/tours/:tourId/tile-pack/file       → the .pmtiles bytes; single byte ranges, ETag "<sha256>"
 *
 * What must stay true:
 * - Keys (天地图 tk, a company server's token) never leave the server: the app sees a source's id,
 *   name, attribution and coordinate system, never its URL template.
 * - Coordinates are stored as WGS-84 (shared/maps/coords.ts). A source whose tiles are drawn in
 *   GCJ-02 (高德, 腾讯) says so, and the app shifts what it draws onto those tiles, so a pin lands on
 *   the same street on every basemap.
 * - A pack is immutable once built: its sha256 names it; a rebuild is a new pack with a new hash.
 */
import { z } from 'zod';
import { text } from '../domain/clean-text';
import { idSchema, sha256HexSchema } from '../domain/schemas';

/** The systems tiles are drawn in. BD-09 basemaps (百度) use their own projection and are not supported. */
export const tileCoordSystemSchema = z.enum(['wgs84', 'gcj02']);
export type TileCoordSystem = z.infer<typeof tileCoordSystemSchema>;

export const mapSourceSchema = z.object({
  id: text().min(1).max(64),
  /** what the user sees: 天地图矢量, 高德地图, 本单位地图服务 … */
  name: text().min(1).max(100),
  /** shown on every map drawn from this source (and in the bulletin's route map) */
  attribution: text().max(300),
  coordSystem: tileCoordSystemSchema,
  minZoom: z.number().int().min(0).max(22),
  maxZoom: z.number().int().min(0).max(22),
  /** whether the server proxies live tiles of it (GET /api/maps/tiles/…) for use with a network */
  online: z.boolean(),
  /** whether tour packs may be built from it (its terms allow bulk download: never the public OSM servers) */
  packs: z.boolean(),
});
export type MapSource = z.infer<typeof mapSourceSchema>;

export const mapSourcesResponseSchema = z.object({
  sources: z.array(mapSourceSchema),
  /** the source a new map starts on; null when none is configured */
  defaultSourceId: text().max(64).nullable(),
});
export type MapSourcesResponse = z.infer<typeof mapSourcesResponseSchema>;

/** [west, south, east, north] in WGS-84 degrees */
export const boundsSchema = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number().min(-180).max(180), z.number().min(-90).max(90)]);

/** A built pack, as the app downloads and keeps it. */
export const tilePackSchema = z.object({
  tourId: idSchema,
  sourceId: text().min(1).max(64),
  /** the system the pack's tiles are drawn in (the source's) */
  coordSystem: tileCoordSystemSchema,
  attribution: text().max(300),
  sha256: sha256HexSchema,
  /** bytes of the .pmtiles file */
  size: z.number().int().min(1),
  tileType: z.enum(['png', 'jpeg', 'webp']),
  minZoom: z.number().int().min(0).max(22),
  maxZoom: z.number().int().min(0).max(22),
  bounds: boundsSchema,
  tileCount: z.number().int().min(0),
  builtAt: z.string().datetime({ offset: true }),
});
export type TilePack = z.infer<typeof tilePackSchema>;

export const tilePackBuildStateSchema = z.object({
  state: z.enum(['queued', 'running', 'done', 'failed']),
  /** tiles fetched (or found in the resume cache) so far, of `total` */
  done: z.number().int().min(0),
  total: z.number().int().min(0),
  startedAt: z.string().datetime({ offset: true }),
  /** why it failed, in Chinese (English in errorEn) */
  error: text().max(1000).nullable(),
  errorEn: text().max(1000).nullable(),
});
export type TilePackBuildState = z.infer<typeof tilePackBuildStateSchema>;

export const tilePackStatusSchema = z.object({
  /** the current pack; null before the first build or import */
  pack: tilePackSchema.nullable(),
  /** the build running or last run in this server's lifetime; null when none */
  build: tilePackBuildStateSchema.nullable(),
});
export type TilePackStatus = z.infer<typeof tilePackStatusSchema>;

export const tilePackBuildRequestSchema = z.object({
  /** default: the configured default source that allows packs */
  sourceId: text().min(1).max(64).optional(),
  /** highest zoom around stops and along routes (default 17) */
  maxZoom: z.number().int().min(10).max(18).optional(),
  /** radius around each stop for the high zooms, metres (default 1000) */
  radiusMeters: z.number().int().min(100).max(10_000).optional(),
});
export type TilePackBuildRequest = z.infer<typeof tilePackBuildRequestSchema>;
