/**
 * Server configuration from environment variables (DESIGN.md § Configuration). Every variable has
 * a default that works on a laptop; a bad value stops the server with a message naming the
 * variable, never a zod dump.
 *
 * The admin CLI reads the same variables, so it always works on the same data as the server.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadMapSources, type MapSourceRegistry } from './maps/map-sources.js';
import { appVersionSchema, LEGACY_SYNC_PROTOCOL, SYNC_PROTOCOL_VERSION } from '@shared/sync/protocol-version';
import { serverVersion } from './version.js';

/**
 * The server package folder (holding package.json of @guanmo/server), found by walking up from
 * this module: it is server/src/config.ts as source and inside server/dist/… once bundled.
 */
export const serverPackageDir = findServerPackageDir(path.dirname(fileURLToPath(import.meta.url)));

function findServerPackageDir(start: string): string {
  for (let dir = start, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === '@guanmo/server') return dir;
    } catch {
      // no (readable) package.json here: keep walking up
    }
  }
  return path.resolve(start, '..');
}

const repoDir = path.resolve(serverPackageDir, '..');

export const defaultStaticDir = path.join(repoDir, 'dist', 'renderer');
export const defaultDemoDir = path.join(repoDir, 'assets', 'demo');

export type DbKind = 'sqlite' | 'postgres';
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export interface ServerConfig {
  /** SQLite file, blobs and other server state live here (absolute path). */
  dataDir: string;
  port: number;
  host: string;
  /** PostgreSQL connection string; null = embedded SQLite in dataDir. */
  databaseUrl: string | null;
  /** password of the `admin` account created on first start; null = generate one */
  adminPassword: string | null;
  /** the built renderer served at / (absolute path) */
  staticDir: string;
  /** load the demo tours and demo accounts when the database is empty */
  demo: boolean;
  /** folder holding demo-tours.json and its CSV tables (absolute path) */
  demoDir: string;
  logLevel: LogLevel;
  /** largest photo upload accepted, in bytes (tus maxSize) */
  maxPhotoBytes: number;
  /** token buckets for sync requests (auth/rate-limit.ts); null = no limit */
  rateLimits: RateLimits;
  /**
   * Which reverse proxies may say who the client is (X-Forwarded-For), so that the client address
   * that login throttling, rate limits and session records use is the laptop's and not the
   * proxy's: false = none (the connection's own address counts); a number = that many proxy hops
   * in front of the server; a list = proxies by address or CIDR (or proxy-addr's names
   * loopback, linklocal, uniquelocal). Never "trust everyone": any client could then pick its
   * own address and step around every per-address limit.
   */
  trustProxy: TrustProxy;
  /** ms a request body may go without a byte arriving before the connection is closed (http/body-guard.ts) */
  bodyIdleMs: number;
  /** photo storage limits (photos/upload-limits.ts) */
  uploadLimits: UploadLimitsConfig;
  /**
   * Token that shows /api/health's details to monitoring (sent as `X-Monitoring-Token`); null = only
   * signed-in secretariat and admin see them. Anonymous callers get `{ok, status}` only.
   */
  healthToken: string | null;
  /**
   * Basemap sources (maps/map-sources.ts): from the file GUANMO_MAP_SOURCES names, else
   * `<dataDir>/map-sources.json` when present; none otherwise.
   */
  mapSources: MapSourceRegistry;
  /** the sync protocol version gate (http/protocol-gate.ts, shared/sync/protocol-version.ts) */
  versionGate: VersionGateConfig;
  /**
   * The folder the administrator fills with installers and update feeds (latest.yml …), served
   * at /updates/ (`guanmo-server updates publish`, updates/update-routes.ts): GUANMO_UPDATES_DIR,
   * else `<dataDir>/updates`.
   */
  updatesDir: string;
}

export interface VersionGateConfig {
  /** the oldest app protocol still served; older apps get 426 with minAppVersion */
  minSyncProtocol: number;
  /** the app version an outdated app is told to update to */
  minAppVersion: string;
}

export type TrustProxy = false | number | string[];

export interface UploadLimitsConfig {
  /** bytes of photos one user may have stored (their uploads of new bytes), pending uploads included; null = no limit */
  perUserBytes: number | null;
  /** bytes of photos stored for one tour, pending uploads included; null = no limit */
  perTourBytes: number | null;
  /** unfinished tus uploads one user may have at once; null = no limit */
  maxPendingPerUser: number | null;
  /** uploads (tus creations and thumbnail batches) a user may start, token bucket; null = none */
  creations: RateLimit | null;
  /** upload bytes a user may send, token bucket in bytes a minute; null = no limit */
  bytes: RateLimit | null;
}

/** A token bucket: `burst` requests at once, refilled at `perMinute` a minute. */
export interface RateLimit {
  perMinute: number;
  burst: number;
}

export interface RateLimits {
  /** POST /api/sync/push, per signed-in user */
  push: RateLimit | null;
  /** GET /api/sync/pull, per signed-in user */
  pull: RateLimit | null;
  /** push and pull requests that fail to authenticate, per client address */
  unauthenticated: RateLimit | null;
}

/**
 * Defaults sized from what the app does (renderer/src/sync/sync-engine.ts): a round runs 2 s after
 * a local write and every minute, and is one push (more when the outbox holds more than 500
 * changes) and pull pages until up to date (500 records a page). Someone typing in a score sheet
 * for a minute makes ~30 rounds; a laptop reconnecting after a day offline pushes a few batches
 * and then pulls many pages back to back (a big tour from scratch: 50+ pages). Sustained rates of
 * 2 pushes and 5 pulls a second are 4–10× what a busy laptop needs and a tenth or less of what a
 * client in a tight loop sends; the bursts let a day's outbox and a full catch-up through at once.
 * The limit is per user, so a hotel's shared address never throttles its honest laptops.
 */
export const defaultRateLimits: RateLimits = {
  push: { perMinute: 120, burst: 120 },
  pull: { perMinute: 300, burst: 300 },
  // an expired session costs an honest laptop one 401 a minute; many behind one NAT stay far below
  unauthenticated: { perMinute: 60, burst: 60 },
};

/** 50 MB: a full-resolution photo from a good camera is 5–25 MB */
export const defaultMaxPhotoBytes = 50 * 1024 * 1024;

const GiB = 1024 * 1024 * 1024;

/**
 * Sized from the work: an official takes 100–300 photos a day of 3–10 MB, on tours of 1–3 days
 * (a few GB), and a tour has up to a hundred participants. The creation and byte rates let a
 * laptop's whole day through in minutes while holding a client in a loop to 2 uploads and
 * ~17 MB a second.
 */
export const defaultUploadLimits: UploadLimitsConfig = {
  perUserBytes: 20 * GiB,
  perTourBytes: 200 * GiB,
  maxPendingPerUser: 20,
  creations: { perMinute: 120, burst: 300 },
  bytes: { perMinute: 1 * GiB, burst: 2 * GiB },
};

/** 30 s without a byte of a request body: a weak mobile link stalls for seconds, not half a minute */
export const defaultBodyIdleMs = 30_000;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const truthy = new Set(['1', 'true', 'yes', 'on']);
const falsy = new Set(['', '0', 'false', 'no', 'off']);

/** Empty strings count as unset: `GUANMO_PORT= npm start` should not fail on "". */
const optionalText = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === '' ? undefined : s.trim()));

const rateLimitFormat = 'must be "off", "N/min" or "N/min burst M" (whole numbers from 1), e.g. "120/min burst 240"';
const byteRateFormat = 'must be "off", "SIZE/min" or "SIZE/min burst SIZE" with sizes such as 500MiB or 2GiB, e.g. "1GiB/min burst 2GiB"';
const sizeFormat = 'must be "off" or a size such as 20GiB, 500MB or 1048576 (bytes)';
const countFormat = 'must be "off" or a whole number from 1';
const trustProxyFormat =
  'must be "off", a number of proxy hops from 1 to 10, or proxy addresses separated by commas (IP, CIDR such as 10.0.0.0/8, or loopback / linklocal / uniquelocal)';

const envSchema = z.object({
  GUANMO_DATA_DIR: optionalText,
  GUANMO_PORT: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,5}$/, 'must be a whole number between 0 and 65535')
      .transform(Number)
      .refine((n) => n <= 65535, 'must be a whole number between 0 and 65535')
      .optional(),
  ),
  GUANMO_HOST: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9.:-]+$|^\[[0-9A-Fa-f:.]+\]$/, 'must be a host name or an IP address such as 0.0.0.0')
      .optional(),
  ),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .refine((s) => isPostgresUrl(s), 'must be a PostgreSQL URL such as postgres://user:password@host:5432/guanmo')
      .optional(),
  ),
  GUANMO_ADMIN_PASSWORD: z
    .string()
    .optional()
    .transform((s) => (s === undefined || s === '' ? undefined : s))
    .pipe(z.string().min(8, 'must be at least 8 characters long').max(256, 'must be at most 256 characters').optional()),
  GUANMO_STATIC_DIR: optionalText,
  GUANMO_DEMO: optionalText.pipe(
    z
      .string()
      .refine((s) => truthy.has(s.toLowerCase()) || falsy.has(s.toLowerCase()), 'must be 1/true/yes/on or 0/false/no/off')
      .transform((s) => truthy.has(s.toLowerCase()))
      .optional(),
  ),
  GUANMO_DEMO_DIR: optionalText,
  GUANMO_LOG_LEVEL: optionalText.pipe(z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).optional()),
  GUANMO_MAX_PHOTO_BYTES: optionalText.pipe(
    z
      .string()
      .regex(/^[1-9]\d{0,15}$/, 'must be a positive whole number of bytes')
      .transform(Number)
      .refine((n) => Number.isSafeInteger(n), 'must be a positive whole number of bytes')
      .optional(),
  ),
  GUANMO_RATE_LIMIT_PUSH: parsedVariable(parseRateLimit, rateLimitFormat),
  GUANMO_RATE_LIMIT_PULL: parsedVariable(parseRateLimit, rateLimitFormat),
  GUANMO_RATE_LIMIT_UNAUTHENTICATED: parsedVariable(parseRateLimit, rateLimitFormat),
  GUANMO_TRUST_PROXY: parsedVariable(parseTrustProxy, trustProxyFormat),
  GUANMO_BODY_TIMEOUT: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,4}(\.\d{1,3})?$/, 'must be seconds, from 0.1 to 3600')
      .transform(Number)
      .refine((n) => n >= 0.1 && n <= 3600, 'must be seconds, from 0.1 to 3600')
      .optional(),
  ),
  GUANMO_QUOTA_USER: parsedVariable(parseSizeOrOff, sizeFormat),
  GUANMO_QUOTA_TOUR: parsedVariable(parseSizeOrOff, sizeFormat),
  GUANMO_MAX_PENDING_UPLOADS: parsedVariable(parseCountOrOff, countFormat),
  GUANMO_RATE_LIMIT_UPLOADS: parsedVariable(parseRateLimit, rateLimitFormat),
  GUANMO_RATE_LIMIT_UPLOAD_BYTES: parsedVariable(parseByteRate, byteRateFormat),
  GUANMO_MIN_SYNC_PROTOCOL: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,4}$/, `must be a whole number from ${LEGACY_SYNC_PROTOCOL} to ${SYNC_PROTOCOL_VERSION}`)
      .transform(Number)
      .refine((n) => n >= LEGACY_SYNC_PROTOCOL && n <= SYNC_PROTOCOL_VERSION, `must be a whole number from ${LEGACY_SYNC_PROTOCOL} to ${SYNC_PROTOCOL_VERSION} (the protocol this server speaks)`)
      .optional(),
  ),
  GUANMO_MIN_APP_VERSION: optionalText.pipe(appVersionSchema.optional()),
  GUANMO_UPDATES_DIR: optionalText,
  GUANMO_HEALTH_TOKEN: optionalText.pipe(
    z
      .string()
      .regex(/^[\x21-\x7e]{16,256}$/, 'must be 16 to 256 visible ASCII characters (no spaces)')
      .optional(),
  ),
});

/** An optional variable read by `parse` (undefined: malformed, reported as `format`). */
function parsedVariable<T>(parse: (text: string) => T | undefined, format: string) {
  return optionalText.pipe(
    z
      .string()
      .transform((s, ctx) => {
        const value = parse(s);
        if (value === undefined) {
          ctx.addIssue({ code: 'custom', message: format });
          return z.NEVER;
        }
        return value;
      })
      .optional(),
  );
}

const proxyAddressNames = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** `off` → false; `2` → 2 hops; `127.0.0.1, 10.0.0.0/8` → that list; undefined when malformed. */
export function parseTrustProxy(text: string): TrustProxy | undefined {
  const s = text.trim().toLowerCase();
  if (s === 'off' || s === 'false' || s === 'no' || s === '0') return false;
  if (/^\d+$/.test(s)) {
    const hops = Number(s);
    return hops >= 1 && hops <= 10 ? hops : undefined;
  }
  const entries = s.split(',').map((entry) => entry.trim());
  if (entries.length === 0 || entries.some((entry) => !isProxyAddress(entry))) return undefined;
  return entries;
}

function isProxyAddress(entry: string): boolean {
  if (proxyAddressNames.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length > 0 || address === undefined) return false;
  const version = net.isIP(address);
  if (version === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}


const sizeUnits: Record<string, number> = { '': 1, b: 1, kb: 1000, kib: 1024, mb: 1000 ** 2, mib: 1024 ** 2, gb: 1000 ** 3, gib: 1024 ** 3, tb: 1000 ** 4, tib: 1024 ** 4, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** `20GiB`, `500 MB`, `1048576` → bytes; undefined when malformed or below 1 byte. */
export function parseSize(text: string): number | undefined {
  const match = /^(\d{1,15}(?:\.\d{1,6})?)\s*([a-z]*)$/.exec(text.trim().toLowerCase());
  if (!match) return undefined;
  const unit = sizeUnits[match[2]!];
  if (unit === undefined) return undefined;
  const bytes = Math.floor(Number(match[1]) * unit);
  return Number.isSafeInteger(bytes) && bytes >= 1 ? bytes : undefined;
}

function parseSizeOrOff(text: string): number | null | undefined {
  return text.trim().toLowerCase() === 'off' ? null : parseSize(text);
}

function parseCountOrOff(text: string): number | null | undefined {
  const s = text.trim().toLowerCase();
  if (s === 'off') return null;
  return /^[1-9]\d{0,6}$/.test(s) ? Number(s) : undefined;
}

/** `off` → null; `1GiB/min` → that many bytes a minute; `500MiB/min burst 2GiB` → with that burst. */
export function parseByteRate(text: string): RateLimit | null | undefined {
  const s = text.trim().toLowerCase();
  if (s === 'off') return null;
  const match = /^([\d.]+\s*[a-z]*)\s*\/\s*min(?:\s*,?\s*burst\s*=?\s*([\d.]+\s*[a-z]*))?$/.exec(s);
  if (!match) return undefined;
  const perMinute = parseSize(match[1]!);
  const burst = match[2] === undefined ? perMinute : parseSize(match[2]);
  if (perMinute === undefined || burst === undefined) return undefined;
  return { perMinute, burst };
}

/** `off` → null; `120/min` → 120 a minute, burst 120; `120/min burst 240` → burst 240. */
export function parseRateLimit(text: string): RateLimit | null | undefined {
  const s = text.trim().toLowerCase();
  if (s === 'off') return null;
  const match = /^(\d{1,7})\s*\/\s*min(?:\s*,?\s*burst\s*=?\s*(\d{1,7}))?$/.exec(s);
  if (!match) return undefined;
  const perMinute = Number(match[1]);
  const burst = match[2] === undefined ? perMinute : Number(match[2]);
  if (perMinute < 1 || burst < 1) return undefined;
  return { perMinute, burst };
}

/**
 * Reads the configuration from `env` (normally `process.env`). Relative paths resolve against
 * `cwd`. Throws a ConfigError listing every bad variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${String(issue.path[0] ?? '?')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(cwd, e.GUANMO_DATA_DIR ?? 'data');
  return {
    dataDir,
    port: e.GUANMO_PORT ?? 8787,
    // [::1] as in a URL → ::1 as listen() wants it
    host: (e.GUANMO_HOST ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1'),
    databaseUrl: e.DATABASE_URL ?? null,
    adminPassword: e.GUANMO_ADMIN_PASSWORD ?? null,
    staticDir: e.GUANMO_STATIC_DIR ? path.resolve(cwd, e.GUANMO_STATIC_DIR) : defaultStaticDir,
    demo: e.GUANMO_DEMO ?? false,
    demoDir: e.GUANMO_DEMO_DIR ? path.resolve(cwd, e.GUANMO_DEMO_DIR) : defaultDemoDir,
    logLevel: e.GUANMO_LOG_LEVEL ?? 'info',
    maxPhotoBytes: e.GUANMO_MAX_PHOTO_BYTES ?? defaultMaxPhotoBytes,
    rateLimits: {
      push: e.GUANMO_RATE_LIMIT_PUSH === undefined ? defaultRateLimits.push : e.GUANMO_RATE_LIMIT_PUSH,
      pull: e.GUANMO_RATE_LIMIT_PULL === undefined ? defaultRateLimits.pull : e.GUANMO_RATE_LIMIT_PULL,
      unauthenticated: e.GUANMO_RATE_LIMIT_UNAUTHENTICATED === undefined ? defaultRateLimits.unauthenticated : e.GUANMO_RATE_LIMIT_UNAUTHENTICATED,
    },
    trustProxy: e.GUANMO_TRUST_PROXY ?? false,
    bodyIdleMs: e.GUANMO_BODY_TIMEOUT === undefined ? defaultBodyIdleMs : Math.round(e.GUANMO_BODY_TIMEOUT * 1000),
    uploadLimits: {
      perUserBytes: e.GUANMO_QUOTA_USER === undefined ? defaultUploadLimits.perUserBytes : e.GUANMO_QUOTA_USER,
      perTourBytes: e.GUANMO_QUOTA_TOUR === undefined ? defaultUploadLimits.perTourBytes : e.GUANMO_QUOTA_TOUR,
      maxPendingPerUser: e.GUANMO_MAX_PENDING_UPLOADS === undefined ? defaultUploadLimits.maxPendingPerUser : e.GUANMO_MAX_PENDING_UPLOADS,
      creations: e.GUANMO_RATE_LIMIT_UPLOADS === undefined ? defaultUploadLimits.creations : e.GUANMO_RATE_LIMIT_UPLOADS,
      bytes: e.GUANMO_RATE_LIMIT_UPLOAD_BYTES === undefined ? defaultUploadLimits.bytes : e.GUANMO_RATE_LIMIT_UPLOAD_BYTES,
    },
    healthToken: e.GUANMO_HEALTH_TOKEN ?? null,
    mapSources: loadMapSources(dataDir, env, serverVersion, cwd),
    versionGate: {
      minSyncProtocol: e.GUANMO_MIN_SYNC_PROTOCOL ?? LEGACY_SYNC_PROTOCOL,
      // server and desktop app are released together: by default, "update to this server's release"
      minAppVersion: e.GUANMO_MIN_APP_VERSION ?? serverVersion,
    },
    updatesDir: e.GUANMO_UPDATES_DIR ? path.resolve(cwd, e.GUANMO_UPDATES_DIR) : path.join(dataDir, 'updates'),
  };
}

export function dbKindOf(config: Pick<ServerConfig, 'databaseUrl'>): DbKind {
  return config.databaseUrl ? 'postgres' : 'sqlite';
}

/** The database location for logs and messages, without the password. */
export function describeDatabase(config: Pick<ServerConfig, 'databaseUrl' | 'dataDir'>): string {
  if (!config.databaseUrl) return `SQLite ${path.join(config.dataDir, sqliteFileName)}`;
  const url = new URL(config.databaseUrl);
  if (url.password) url.password = '***';
  return `PostgreSQL ${url.toString()}`;
}

export const sqliteFileName = 'guanmo.sqlite';

function isPostgresUrl(s: string): boolean {
  try {
    const url = new URL(s);
    const isPostgres = url.protocol === 'postgres:' || url.protocol === 'postgresql:';
    // postgres:///guanmo?host=/var/run/postgresql names a Unix socket instead of a host
    return isPostgres && (url.hostname !== '' || url.searchParams.has('host'));
  } catch {
    return false;
  }
}
