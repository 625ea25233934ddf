/**
 * The hostile suite's server: the real Guanmo server (server/src/app.ts) on one of the test
 * databases (SQLite always, PostgreSQL when GUANMO_TEST_DATABASE_URL is set), with every response
 * counted (a tally per suite file and database: requests, 5xx, records checked and lost) and
 * the structured log kept, so that a test can say what the server logged.
 *
 * Each file's tally is written to tests/.tmp/hostile/<file>.<db>.json when it ends;
 * `node tests/hostile/report.mjs` adds them up (requests tried, 5xx seen, records lost).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { RunningServer } from '../../../server/src/app';
import type { Database } from '../../../server/src/db/schema';
import { createTestUser, signIn } from '../../../server/src/test-support/auth-fixtures';
import type { TestBackend, TestDatabase } from '../../../server/src/test-support/backends';
import { startCapturedServer } from '../../../server/src/test-support/server-fixtures';
import { SyncClient } from '../../../server/src/test-support/sync-client';
import type { Role } from '@shared/domain/schemas';

const reportDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.tmp/hostile');

export interface Tally {
  /** responses the server sent */
  requests: number;
  /** requests made on raw sockets that the server may end without a response (stalled bodies) */
  rawAttempts: number;
  fiveXx: Array<{ method: string; url: string; status: number }>;
  byStatus: Record<string, number>;
  /** records the tests wrote and then checked are stored as written */
  recordsChecked: number;
  recordsLost: Array<{ collection: string; id: string }>;
}

export function newTally(): Tally {
  return { requests: 0, rawAttempts: 0, fiveXx: [], byStatus: {}, recordsChecked: 0, recordsLost: [] };
}

/** Adds one file's tally to the report (tests/.tmp/hostile/). */
export function writeTally(name: string, kind: string, tally: Tally): void {
  fs.mkdirSync(reportDir, { recursive: true });
  fs.writeFileSync(path.join(reportDir, `${name}.${kind}.json`), JSON.stringify({ name, kind, ...tally }, null, 2));
  // one line in the test output too
  console.log(
    `[hostile] ${name} on ${kind}: ${tally.requests + tally.rawAttempts} requests (${tally.rawAttempts} on raw sockets), ${tally.fiveXx.length} × 5xx${tally.fiveXx.length > 0 ? ` (${tally.fiveXx.map((f) => `${f.method} ${f.url} → ${f.status}`).slice(0, 5).join('; ')})` : ''}, ${tally.recordsChecked} records checked, ${tally.recordsLost.length} lost`,
  );
}

export interface HostileServer {
  server: RunningServer;
  db: Kysely<Database>;
  kind: TestBackend['kind'];
  /** http://127.0.0.1:port/ */
  url: string;
  /** every log line the server wrote (JSON text) */
  logs: string[];
  close(): Promise<void>;
}

/**
 * Starts the server on `database` (quiet log level by default, but kept: `logs`). Expected 503s
 * (a busy or full database) are 5xx too; tests that provoke them on purpose name them in
 * `expected5xx` and they are counted apart from the tally's 5xx.
 */
export async function startHostileServer(
  database: TestDatabase,
  kind: TestBackend['kind'],
  tally: Tally,
  env: Record<string, string> = {},
  options: { expected5xx?: (status: number, url: string) => boolean; configure?: (app: HostileServer['server']['app']) => void } = {},
): Promise<HostileServer> {
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') logs.push(line);
      done();
    },
  });
  const server = await startCapturedServer(
    { ...database.env, GUANMO_LOG_LEVEL: 'info', GUANMO_STATIC_DIR: path.join(database.dataDir, 'no-renderer'), ...env },
    {
      logStream,
      configure: (app) => {
        options.configure?.(app);
        app.addHook('onResponse', async (request, reply) => {
          tally.requests++;
          const status = reply.statusCode;
          tally.byStatus[String(status)] = (tally.byStatus[String(status)] ?? 0) + 1;
          if (status >= 500 && !options.expected5xx?.(status, request.url)) tally.fiveXx.push({ method: request.method, url: request.url.slice(0, 120), status });
        });
      },
    },
  );
  return { server, db: server.db, kind, url: server.url, logs, close: () => server.close() };
}

/** A signed-in user and a laptop's sync client for them (inject, no sockets). */
export async function laptopOf(server: HostileServer, username: string, role: Role): Promise<{ id: string; token: string; client: SyncClient; password: string }> {
  const user = await createTestUser(server.db, { username, role });
  const token = await signIn(server.server.app, username, user.password);
  return { id: user.id, token, client: new SyncClient(server.server.app, token), password: user.password };
}

/**
 * Checks that every record the test wrote (applied) is stored with the values it wrote; adds to
 * the tally. Returns the ones lost (missing, or a field differs).
 */
export async function checkStored(
  server: HostileServer,
  tally: Tally,
  written: ReadonlyArray<{ collection: string; id: string; fields: Record<string, unknown> }>,
): Promise<Array<{ collection: string; id: string }>> {
  const lost: Array<{ collection: string; id: string }> = [];
  for (const record of written) {
    tally.recordsChecked++;
    const row = await server.db.selectFrom('records').select(['data', 'deleted']).where('collection', '=', record.collection).where('id', '=', record.id).executeTakeFirst();
    const data = row ? (JSON.parse(row.data) as Record<string, unknown>) : null;
    const isSame = data !== null && Object.entries(record.fields).every(([key, value]) => JSON.stringify(data[key]) === JSON.stringify(value));
    if (!isSame) lost.push({ collection: record.collection, id: record.id });
  }
  tally.recordsLost.push(...lost);
  return lost;
}
