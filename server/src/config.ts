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
}

export type TrustProxy = false | number | string[];

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
  return {
    dataDir: path.resolve(cwd, e.GUANMO_DATA_DIR ?? 'data'),
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
