/**
 * Command-line entry of the sync server (bundled to dist/main.js, run by bin/guanmo-server.mjs).
 *
 *   guanmo-server [serve]   start the server (configuration from the environment, see config.ts)
 *   guanmo-server user …    account administration (cli/user-command.ts)
 *   guanmo-server blobs gc  photo byte garbage collection (cli/blobs-command.ts)
 *   guanmo-server tiles …   offline map packs of tours (cli/tiles-command.ts)
 *   guanmo-server updates … desktop app updates served at /updates/ (cli/updates-command.ts)
 */
import { startServer } from './app.js';
import { blobsUsage, runBlobsCommand } from './cli/blobs-command.js';
import { readPasswordFromStdin } from './cli/stdin-password.js';
import { runTilesCommand, tilesUsage } from './cli/tiles-command.js';
import { runUserCommand, userUsage } from './cli/user-command.js';
import { runUpdatesCommand, updatesUsage } from './cli/updates-command.js';
import { ConfigError, describeDatabase, loadConfig } from './config.js';
import { installShutdownHandlers } from './shutdown.js';
import { serverVersion } from './version.js';

const usage = `Guanmo 观摩 sync server ${serverVersion}

Usage:
  guanmo-server [serve]     start the server
  guanmo-server user add NAME --role ROLE [--display-name TEXT]   (password from stdin)
  guanmo-server user password NAME | list [--json] | disable NAME | enable NAME
  guanmo-server blobs gc [--dry-run] [--grace-hours N] [--json]   remove unreferenced photo bytes
  guanmo-server tiles build --tour ID [--source ID] [--max-zoom 17] [--radius 1000]   build a tour's offline map pack
  guanmo-server tiles import --tour ID FILE.pmtiles|FILE.mbtiles | list   (guanmo-server tiles help)
  guanmo-server updates publish FILE… [--staging-percentage N] | list   desktop app updates (guanmo-server updates help)

Environment:
  GUANMO_DATA_DIR        data folder (SQLite file, photos); default ./data
  GUANMO_PORT            default 8787
  GUANMO_HOST            default 127.0.0.1 (0.0.0.0 to serve the LAN)
  DATABASE_URL           PostgreSQL instead of SQLite, e.g. postgres://user:pw@host:5432/guanmo
  GUANMO_ADMIN_PASSWORD  password of the first admin (default: generated and printed once)
  GUANMO_STATIC_DIR      built web app served at / (default: <repo>/dist/renderer)
  GUANMO_DEMO            1 = load the demo tours and demo accounts into an empty database
  GUANMO_LOG_LEVEL       fatal|error|warn|info|debug|trace|silent; default info
  GUANMO_MAX_PHOTO_BYTES largest photo upload in bytes; default 52428800 (50 MB)
  GUANMO_RATE_LIMIT_PUSH / _PULL / _UNAUTHENTICATED
                         sync rate limits, "N/min [burst M]" or "off"; defaults 120/min, 300/min
                         per user, 60/min per address for requests without a valid sign-in
  GUANMO_QUOTA_USER / GUANMO_QUOTA_TOUR
                         photo storage per user and per tour, e.g. 20GiB, or "off"; default 20GiB, 200GiB
  GUANMO_MAX_PENDING_UPLOADS
                         unfinished photo uploads per user; default 20
  GUANMO_RATE_LIMIT_UPLOADS / GUANMO_RATE_LIMIT_UPLOAD_BYTES
                         pace of starting uploads and of upload bytes per user;
                         default "120/min burst 300", "1GiB/min burst 2GiB"
  GUANMO_TRUST_PROXY     reverse proxies whose X-Forwarded-For names the client: "1" behind nginx
                         (deploy/nginx/guanmo.conf), or their addresses; default off
  GUANMO_BODY_TIMEOUT    seconds a request body may stall before its connection is closed; default 30
  GUANMO_HEALTH_TOKEN    shows /api/health's details to monitoring (header X-Monitoring-Token)
  GUANMO_MAP_SOURCES     basemap sources file (default <data folder>/map-sources.json; see README)
  GUANMO_UPDATES_DIR     desktop app installers and update feeds served at /updates/ (default <data folder>/updates)
  GUANMO_MIN_SYNC_PROTOCOL  oldest app sync protocol still served (default 1); older apps are asked to update
  GUANMO_MIN_APP_VERSION the app version they are told to update to (default: this server's version)
`;

async function serve(): Promise<void> {
  const config = loadConfig(process.env);
  const server = await startServer(config);
  installShutdownHandlers(server.close, server.app.log);
  // PostgreSQL: every connection of the pool opened now, one at a time, not in a burst under load
  void server.warmDatabase().then(
    (open) => server.app.log.debug({ open }, 'database connections opened'),
    (error: unknown) => server.app.log.warn({ err: error }, 'opening the database connections failed'),
  );
  process.stdout.write(`Database: ${describeDatabase(config)}\nGuanmo server listening on ${server.url}\n`);
}

async function main(argv: readonly string[]): Promise<number | null> {
  const [command = 'serve', ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(usage);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${serverVersion}\n`);
    return 0;
  }
  if (command === 'user') {
    if (rest[0] === '--help' || rest[0] === '-h' || rest[0] === 'help') {
      process.stdout.write(userUsage);
      return 0;
    }
    return runUserCommand(rest, {
      readPassword: (prompt) => readPasswordFromStdin(prompt),
      out: (text) => void process.stdout.write(text),
      err: (text) => void process.stderr.write(text),
      env: process.env,
      cwd: process.cwd(),
    });
  }
  if (command === 'blobs') {
    if (rest[0] === '--help' || rest[0] === '-h' || rest[0] === 'help') {
      process.stdout.write(blobsUsage);
      return 0;
    }
    return runBlobsCommand(rest, { out: (text) => void process.stdout.write(text), err: (text) => void process.stderr.write(text), env: process.env, cwd: process.cwd() });
  }
  if (command === 'tiles') {
    if (rest[0] === '--help' || rest[0] === '-h' || rest[0] === 'help') {
      process.stdout.write(tilesUsage);
      return 0;
    }
    return runTilesCommand(rest, { out: (text) => void process.stdout.write(text), err: (text) => void process.stderr.write(text), env: process.env, cwd: process.cwd() });
  }
  if (command === 'updates') {
    if (rest[0] === '--help' || rest[0] === '-h' || rest[0] === 'help') {
      process.stdout.write(updatesUsage);
      return 0;
    }
    return runUpdatesCommand(rest, { out: (text) => void process.stdout.write(text), err: (text) => void process.stderr.write(text), env: process.env, cwd: process.cwd() });
  }
  if (command !== 'serve' || rest.length > 0) {
    process.stderr.write(`guanmo-server: unknown command: ${argv.join(' ')}\n\n${usage}`);
    return 2;
  }
  await serve();
  return null; // keep running until a signal
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== null) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`guanmo-server: ${error.message}\n`);
    } else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(`guanmo-server: could not start: the port is already in use; stop the other server or set GUANMO_PORT\n`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`guanmo-server: could not start: ${message}\n`);
      if (process.env.GUANMO_LOG_LEVEL === 'debug' || process.env.GUANMO_LOG_LEVEL === 'trace') console.error(error);
    }
    process.exitCode = 1;
  },
);
