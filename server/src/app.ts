/**
 * Assembles the server: database (migrated), first-start bootstrap, HTTP routes.
 *
 * createApp never listens (tests use `app.inject`); startServer listens and reports the URL.
 * Both return one `close()` that lets in-flight requests finish and then closes the database.
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { runFirstStart, type BootstrapResult } from './bootstrap/first-start.js';
import { formatCredentialsTable } from './bootstrap/credentials-table.js';
import { describeDatabase, type DbKind, type ServerConfig } from './config.js';
import { openDatabase } from './db/database.js';
import type { Database } from './db/schema.js';
import { registerAuth } from './auth/require-user.js';
import { registerSyncRateLimit } from './auth/rate-limit.js';
import { registerAuthRoutes } from './http/auth-routes.js';
import { registerCors } from './http/cors.js';
import { registerProtocolGate } from './http/protocol-gate.js';
import { registerUpdateRoutes } from './updates/update-routes.js';
import { registerBodyGuard } from './http/body-guard.js';
import { registerCleanTextGuard } from './http/clean-text-guard.js';
import { registerErrorHandler, sendError } from './http/errors.js';
import { registerHealthRoute } from './http/health.js';
import { registerServerInfoRoute } from './http/server-info.js';
import { registerLiveRoutes } from './http/live-routes.js';
import { createSyncWorkQueue, registerSyncRoutes } from './http/sync-routes.js';
import { registerTourRoutes } from './http/tour-routes.js';
import { registerMapRoutes } from './http/map-routes.js';
import { registerCarryRoutes } from './http/carry-routes.js';
import { PackJobs } from './maps/pack-jobs.js';
import { PackFiles } from './maps/pack-store.js';
import { TileCache } from './maps/tile-cache.js';
import { registerUsersRoutes } from './http/users-routes.js';
import { startHousekeeping } from './housekeeping.js';
import { claimSqliteServer } from './cluster/single-process.js';
import { InProcessChangeFeed, type ChangeFeed } from './live/change-feed.js';
import { PgChangeFeed } from './live/pg-change-feed.js';
import { LiveHub, type LiveOptions } from './live/live-hub.js';
import { ServerClock } from './sync/server-clock.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { registerStaticSite } from './http/static-site.js';
import { blobDirOf, registerPhotoRoutes } from './photos/register-photo-routes.js';
import { BlobStore } from './blobs/blob-store.js';
import { BlobFactsReader } from './blobs/blob-facts.js';
import { UploadLimits } from './photos/upload-limits.js';
import { serverVersion } from './version.js';

export interface AppOptions {
  /**
   * Where the one-time table of created accounts and passwords goes (default: stdout). Kept out
   * of the structured log on purpose: logs get shipped and kept, passwords must not be.
   */
  output?: (text: string) => void;
  /** Add routes or hooks before the app is sealed (embedding, tests). */
  configure?: (app: FastifyInstance) => void | Promise<void>;
  /** live channel settings (tests: a short heartbeat, no coalescing) */
  live?: Partial<LiveOptions>;
  /** where the structured log goes instead of stdout (tests read what the server logged) */
  logStream?: NodeJS.WritableStream;
  /** how upstream map tiles are fetched (default: global fetch) */
  mapFetch?: typeof fetch;
}

export interface GuanmoApp {
  app: FastifyInstance;
  db: Kysely<Database>;
  dbKind: DbKind;
  bootstrap: BootstrapResult;
  /** the live channel's connections (GET /api/sync/live) */
  live: LiveHub;
  /** Opens the database's connection pool in full (db/database.ts warm); for a serving process. */
  warmDatabase(): Promise<number>;
  /** Finishes in-flight requests, then closes the database. Safe to call more than once. */
  close(): Promise<void>;
}

/** trust the nearest `hops` addresses of the forwarding chain (0 = the connection itself) */
function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

export async function createApp(config: ServerConfig, options: AppOptions = {}): Promise<GuanmoApp> {
  const output = options.output ?? ((text: string) => void process.stdout.write(text));
  const startedAt = new Date();
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // nothing logs these today; the redaction keeps it that way when someone adds header logging
      redact: ['req.headers.authorization', 'req.headers.cookie', 'password', '*.password'],
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    // one line per request (onResponse below) instead of fastify's two
    logController: new LogController({ disableRequestLogging: true }),
    // new requests during shutdown get 503 while in-flight ones finish
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // request.ip: the client's address as the trusted proxies report it (config.ts TrustProxy);
    // a hop count as the function proxy-addr makes of one (Fastify's types lack the number form)
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
  });

  let database;
  try {
    database = await openDatabase(config, app.log);
  } catch (error) {
    await app.close();
    throw error;
  }
  const { db, kind } = database;
  // SQLite: one server process per data folder (cluster/single-process.ts says why)
  let releaseSqlite: (() => Promise<void>) | null = null;
  app.addHook('onClose', async () => {
    await releaseSqlite?.();
    await database.close();
  });

  try {
    if (kind === 'sqlite') releaseSqlite = await claimSqliteServer(db, app.log);
    if (database.migrationsApplied.length > 0) {
      app.log.info({ migrations: database.migrationsApplied }, 'database migrated');
    }
    app.log.info({ db: describeDatabase(config), version: serverVersion }, 'database ready');

    const bootstrap = await runFirstStart(db, kind, config, app.log);
    if (bootstrap.createdAccounts.length > 0) output(formatCredentialsTable(bootstrap.createdAccounts));

    registerRequestLog(app);
    registerCloseConnectionsWhenClosing(app);
    // before every route: slow and oversized bodies, odd text, errors as JSON (503 for a busy or full database)
    registerBodyGuard(app, { bodyIdleMs: config.bodyIdleMs });
    registerSecurityHeaders(app);
    registerErrorHandler(app, database.health);
    registerCors(app);
    registerProtocolGate(app, config.versionGate);
    registerCleanTextGuard(app);
    registerAuth(app, db);
    registerSyncRateLimit(app, { db, kind, limits: config.rateLimits });
    registerHealthRoute(app, { db, kind, startedAt, health: database.health, monitoringToken: config.healthToken });
    await registerServerInfoRoute(app, db, config);
    // live channel: committed writes → the hub → connected apps. On PostgreSQL a change is
    // announced once the write transactions open at its commit have ended (pull horizon).
    // PostgreSQL: every process hears every process's changes (LISTEN/NOTIFY, delivered once
    // pullable by any process's horizon); SQLite: one process, in-process delivery.
    let changes: ChangeFeed;
    if (kind === 'postgres' && config.databaseUrl) {
      const pgFeed = new PgChangeFeed(db, config.databaseUrl, app.log);
      await pgFeed.start();
      app.addHook('preClose', async () => pgFeed.close());
      changes = pgFeed;
    } else {
      changes = new InProcessChangeFeed(app.log);
    }
    const work = createSyncWorkQueue(kind);
    const live = new LiveHub({ db, kind, feed: changes, log: app.log, runQuery: (query) => work.run(query) }, options.live);
    // before the server stops accepting: streams never end by themselves, and would hold close() up
    app.addHook('preClose', async () => live.close());
    registerAuthRoutes(app, db, kind, { onSignedOut: (sessionId) => live.endSession(sessionId, 'signed_out') });
    registerUsersRoutes(app, db);
    const clock = await ServerClock.open(db);
    const blobs = new BlobStore(blobDirOf(config.dataDir));
    const blobFacts = new BlobFactsReader(blobs);
    registerSyncRoutes(app, { db, kind, clock, changes, blobFacts }, work);
    registerLiveRoutes(app, live);
    registerCarryRoutes(app, db, work);
    registerTourRoutes(app, { db, kind, clock, changes, blobFacts });
    // maps: basemap sources, the tile proxy, tour packs (built off the request; stopped at shutdown, resumable)
    const packFiles = new PackFiles(config.dataDir, db);
    const tileCache = TileCache.inDataDir(config.dataDir);
    const packJobs = new PackJobs({ db, registry: config.mapSources, cache: tileCache, files: packFiles, fetch: options.mapFetch }, app.log);
    app.addHook('preClose', async () => packJobs.close());
    registerMapRoutes(app, { db, kind, registry: config.mapSources, cache: tileCache, files: packFiles, jobs: packJobs, fetch: options.mapFetch });
    void packFiles.sweepUnusedPacks().catch((error: unknown) => app.log.warn({ err: error }, 'tile pack sweep failed'));
    const uploads = await registerPhotoRoutes(app, { db, dbKind: kind, config, blobs, limits: new UploadLimits(db, kind, config.uploadLimits) });
    const stopHousekeeping = startHousekeeping(db, kind, app.log, { blobs, removeAbandonedUploads: uploads.removeExpiredUploads });
    app.addHook('preClose', async () => stopHousekeeping());
    registerUpdateRoutes(app, config.updatesDir);
    await options.configure?.(app);
    const site = await registerStaticSite(app, config.staticDir);
    app.setNotFoundHandler((request, reply) => {
      if (request.url === '/api' || request.url.startsWith('/api/') || request.url.startsWith('/api?')) {
        return sendError(reply, 404, 'not_found', `No API route ${request.method} ${request.url.split('?')[0]}`);
      }
      return site.handleNotFound(request, reply);
    });

    await app.ready();

    let closing: Promise<void> | null = null;
    const close = () => (closing ??= app.close());
    return { app, db, dbKind: kind, bootstrap, live, warmDatabase: database.warm, close };
  } catch (error) {
    await app.close();
    throw error;
  }
}

/**
 * A keep-alive connection whose request was still running when close() began would otherwise stay
 * open after its response until the client's idle timeout, holding shutdown up for a minute.
 */
function registerCloseConnectionsWhenClosing(app: FastifyInstance): void {
  let isClosing = false;
  app.addHook('preClose', async () => {
    isClosing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (isClosing) reply.header('connection', 'close');
    return payload;
  });
}

function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const entry = {
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ip: request.ip,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    // load balancers poll health every few seconds: keep that out of the info log
    if (request.url === '/api/health') request.log.debug(entry, 'request');
    else request.log.info(entry, 'request');
  });
}

export interface RunningServer extends GuanmoApp {
  /** e.g. http://127.0.0.1:8787/ */
  url: string;
}

export async function startServer(config: ServerConfig, options: AppOptions = {}): Promise<RunningServer> {
  const guanmo = await createApp(config, options);
  try {
    await guanmo.app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await guanmo.close();
    throw error;
  }
  const address = guanmo.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
  return { ...guanmo, url: `http://${host}:${port}/` };
}
