/**
 * Embedded SQLite (better-sqlite3) for the default single-process deployment.
 *
 * What must stay true:
 * - WAL, so readers (pulls, health) never wait for the writer and the writer never waits for them.
 * - Every write transaction starts with BEGIN IMMEDIATE: it takes the write lock up front, so
 *   two processes on one file (the server and the admin CLI) queue on busy_timeout instead of
 *   failing with SQLITE_BUSY when a read transaction tries to upgrade to a write.
 * - Writers are serialised, so the change log's seq order is also commit order (see changes.ts).
 * - Migrations run in a transaction (SQLite's DDL is transactional; Kysely's stock adapter does
 *   not claim it): a migration that fails leaves nothing behind, and two processes starting at
 *   once migrate one after the other instead of both creating the same table.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';

class ImmediateTransactionSqliteDriver extends SqliteDriver {
  constructor(
    config: SqliteDialectConfig,
    private readonly beforeDestroy: () => Promise<void>,
  ) {
    super(config);
  }
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
  override async destroy(): Promise<void> {
    await this.beforeDestroy();
    await super.destroy();
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class ImmediateTransactionSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  readonly #beforeDestroy: () => Promise<void>;
  constructor(config: SqliteDialectConfig, beforeDestroy: () => Promise<void> = () => Promise.resolve()) {
    super(config);
    this.#config = config;
    this.#beforeDestroy = beforeDestroy;
  }
  override createDriver(): Driver {
    return new ImmediateTransactionSqliteDriver(this.#config, this.#beforeDestroy);
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/** How long a writer waits for another process's write lock before failing. */
const busyTimeoutMs = 5000;

/**
 * journal_mode = WAL. Two processes opening a new database file at the same instant (two server
 * processes, or the server and the admin CLI) both try to switch it, and the one that finds the
 * other switching gets SQLITE_BUSY at once: SQLite does not wait on busy_timeout for this. So it
 * waits here, in short steps, for up to busyTimeoutMs; only when opening, never while serving.
 */
function switchToWal(sqlite: Database.Database): unknown {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      return sqlite.pragma('journal_mode = WAL', { simple: true });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'string' || !code.startsWith('SQLITE_BUSY') || Date.now() >= deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 + Math.random() * 20);
    }
  }
}

export function openSqliteFile(file: string): Database.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const sqlite = new Database(file, { timeout: busyTimeoutMs });
  try {
    const mode = switchToWal(sqlite);
    if (String(mode).toLowerCase() !== 'wal') throw new Error(`could not switch ${file} to WAL (journal_mode is ${String(mode)})`);
    sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
    sqlite.pragma('foreign_keys = ON');
    // NORMAL is durable across application crashes in WAL mode; only a power cut can lose the
    // last commits, which the clients still hold in their outboxes and re-push.
    sqlite.pragma('synchronous = NORMAL');
    // Page cache of 64 MiB instead of SQLite's 2 MiB: every pull walks the change log and looks
    // records up; with the default cache a tour of a few MB already goes to the OS for pages, which
    // doubled the cost of a pull page (server/bench). The memory is only taken as pages are read.
    sqlite.pragma(`cache_size = -${64 * 1024}`);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return sqlite;
}

/** Prepared statements kept per connection (Kysely prepares every query anew otherwise). */
const statementCacheSize = 256;

/**
 * Makes `sqlite.prepare` reuse statements by SQL text (least recently used dropped first).
 * Kysely's driver prepares each query before running it, and preparing costs more than running
 * the short queries of a push or a pull. Safe because the driver runs one query at a time on the
 * connection (its mutex) and runs each to completion (`all`/`run`) before the next.
 */
export function cacheStatements(sqlite: Database.Database): Database.Database {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  const cachedPrepare = (source: string): Database.Statement => {
    const hit = cache.get(source);
    if (hit && !hit.busy) {
      cache.delete(source);
      cache.set(source, hit);
      return hit;
    }
    const statement = prepare(source);
    if (hit) return statement; // the cached one is mid-iteration: use a fresh one this time
    cache.set(source, statement);
    if (cache.size > statementCacheSize) cache.delete(cache.keys().next().value!);
    return statement;
  };
  sqlite.prepare = cachedPrepare as typeof sqlite.prepare;
  return sqlite;
}

/** how often the background thread copies the WAL into the database file */
const checkpointIntervalMs = 1000;

/*
 * The checkpointer thread: its own connection to the file, a PASSIVE checkpoint (never waits for
 * readers or the writer) every interval. Plain JS (run with eval) so it needs no build step.
 */
const checkpointerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.file, { timeout: 0 });
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error)); }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} db.close(); process.exit(0); });
`;

/**
 * Moves WAL checkpoints off the request thread. SQLite's automatic checkpoint runs inside the
 * COMMIT that crosses 1000 WAL pages and writes and fsyncs the database file there: a 20–80 ms
 * stall of the event loop, during which every queued request waits. A worker thread with its own
 * connection does that work instead, in parallel; the main connection's automatic checkpoint is
 * switched off only once the worker runs, and back on should the worker ever stop.
 */
interface BackgroundCheckpointer {
  /** stops the thread and waits until its connection is closed */
  stop(): Promise<void>;
}

function checkpointInBackground(sqlite: Database.Database, file: string): BackgroundCheckpointer | null {
  let worker: Worker;
  try {
    worker = new Worker(checkpointerSource, {
      eval: true,
      workerData: { file, modulePath: createRequire(import.meta.url).resolve('better-sqlite3'), intervalMs: checkpointIntervalMs },
    });
  } catch {
    return null; // SQLite's own checkpoints stay on
  }
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let isRunning = true;
  const stopped = () => {
    if (!isRunning) return;
    isRunning = false;
    if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
  };
  worker.on('error', stopped);
  worker.on('exit', stopped);
  sqlite.pragma('wal_autocheckpoint = 0');
  return {
    async stop() {
      if (isRunning) {
        worker.ref(); // unref'd while it runs; now the process must wait for it
        worker.postMessage('stop'); // it checkpoints once more and closes its connection
        const timer = setTimeout(() => void worker.terminate(), 5000);
        await exited;
        clearTimeout(timer);
      }
      await exited;
    },
  };
}

export function createSqliteDialect(file: string): SqliteDialect {
  let checkpointer: BackgroundCheckpointer | null = null;
  return new ImmediateTransactionSqliteDialect(
    {
      database: async () => {
        const sqlite = cacheStatements(openSqliteFile(file));
        checkpointer = checkpointInBackground(sqlite, file);
        return sqlite;
      },
    },
    // the checkpointer's connection closes first, so the main one closes last and removes the WAL
    () => checkpointer?.stop() ?? Promise.resolve(),
  );
}

