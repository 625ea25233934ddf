/**
 * Embedded SQLite (better-sqlite3) for the default single-process deployment.
 *
 * What must stay true:
 * - WAL, so readers (pulls, health) never wait for the writer and the writer never waits for them.
 * - Every write transaction starts with BEGIN IMMEDIATE: it takes the write lock up front, so
 *   two processes on one file (the server and the admin CLI) queue for it instead of failing
 *   with SQLITE_BUSY when a read transaction tries to upgrade to a write. The queueing happens
 *   between asynchronous attempts (AsyncBusySqliteConnection), never inside a synchronous call.
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
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type QueryResult,
  type SqliteDialectConfig,
} from 'kysely';
import { classifyDbError, DatabaseBusyError, DatabaseHealth, type DbTrouble } from './db-trouble.js';

/**
 * How long a write waits for another process's write lock (the admin CLI, a backup) before the
 * request is answered 503 busy. It waits asynchronously (below): the event loop keeps answering
 * health checks, reads and other requests meanwhile.
 */
export const serveLockWaitMs = 1_000;
/** while the database is opened and migrated: another process may be migrating the same file */
export const openLockWaitMs = 15_000;

function isBusyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One query at a time on SQLite's single connection; waiters in arrival order. */
class ConnectionMutex {
  private held = false;
  private readonly waiting: Array<() => void> = [];

  async lock(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  unlock(): void {
    const next = this.waiting.shift();
    if (next) next(); // handed straight on: stays held
    else this.held = false;
  }
}

/**
 * Kysely's SQLite connection, with SQLite's busy waiting moved off the event loop. better-sqlite3
 * is synchronous: with busy_timeout = 5 s, a write that met another process's lock froze the
 * whole server (health included) for 5 s and then failed with a 500. Here busy_timeout is 0: a
 * statement that finds the lock taken fails at once with SQLITE_BUSY, and is tried again after
 * a short asynchronous pause, with the connection released meanwhile so that other queries run,
 * until `lockWaitMs` has passed; then DatabaseBusyError (503 busy, Retry-After).
 *
 * Only statements that start nothing are retried this way: BEGIN IMMEDIATE (the only place a
 * write transaction waits for the lock) and statements outside a transaction (each is atomic and
 * had no effect when it failed with SQLITE_BUSY). Inside a transaction that holds the write lock
 * nothing waits for it.
 */
class AsyncBusySqliteConnection implements DatabaseConnection {
  constructor(
    readonly sqlite: Database.Database,
    private readonly mutex: ConnectionMutex,
    private readonly health: DatabaseHealth,
    private readonly lockWaitMs: () => number,
  ) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const isBegin = /^\s*begin\b/i.test(compiledQuery.sql);
    const deadline = Date.now() + this.lockWaitMs();
    for (let attempt = 0; ; attempt++) {
      const wasInTransaction = this.sqlite.inTransaction;
      try {
        const result = this.run<R>(compiledQuery);
        if (!wasInTransaction && !isBegin && !compiledQuery.sql.trimStart().toLowerCase().startsWith('select')) this.health.noteWriteOk();
        return result;
      } catch (error) {
        const trouble = classifyDbError(error);
        if (trouble) this.health.note(trouble);
        if (!isBusyError(error) || (wasInTransaction && !isBegin)) throw error;
        if (Date.now() >= deadline) {
          throw new DatabaseBusyError(`the database is locked by another process (waited ${this.lockWaitMs()} ms for its write lock)`, { cause: error });
        }
        // let every other query through while this one waits; then queue for the connection again
        this.mutex.unlock();
        await sleep(Math.min(5 * 2 ** Math.min(attempt, 4), 50) * (0.5 + Math.random()));
        await this.mutex.lock();
      }
    }
  }

  private run<R>(compiledQuery: CompiledQuery): QueryResult<R> {
    const { sql, parameters } = compiledQuery;
    const stmt = this.sqlite.prepare(sql);
    if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return {
      numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
      insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
      rows: [],
    };
  }

  // eslint-disable-next-line require-yield -- Kysely's interface; the server never streams from SQLite
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not used with SQLite');
  }
}

interface AsyncBusyDriverOptions {
  database: () => Promise<Database.Database>;
  health: DatabaseHealth;
  lockWaitMs: () => number;
  beforeDestroy: () => Promise<void>;
}

/**
 * What must stay true (besides the connection's rules above):
 * - Every write transaction starts with BEGIN IMMEDIATE: it takes the write lock up front, so
 *   two processes on one file queue for it instead of failing when a read transaction upgrades.
 * - A rollback runs only while a transaction is open: SQLite rolls a transaction back by itself
 *   on some errors (SQLITE_FULL), and "cannot rollback - no transaction is active" must never
 *   replace the error that says what happened.
 */
class AsyncBusySqliteDriver implements Driver {
  private readonly mutex = new ConnectionMutex();
  private connection: AsyncBusySqliteConnection | null = null;

  constructor(private readonly options: AsyncBusyDriverOptions) {}

  async init(): Promise<void> {
    const sqlite = await this.options.database();
    this.connection = new AsyncBusySqliteConnection(sqlite, this.mutex, this.options.health, this.options.lockWaitMs);
    this.options.health.probeWrite = () => this.probeWrite();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return this.connection!;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
    this.options.health.noteWriteOk();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!(connection as AsyncBusySqliteConnection).sqlite.inTransaction) return;
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    this.mutex.unlock();
  }

  async destroy(): Promise<void> {
    await this.options.beforeDestroy();
    this.connection?.sqlite.close();
  }

  /** Takes and drops the write lock once, without waiting: null when a write could start now. */
  private async probeWrite(): Promise<DbTrouble | null> {
    const connection = this.connection;
    if (!connection) return null;
    await this.mutex.lock();
    try {
      if (!connection.sqlite.open) return null;
      try {
        connection.sqlite.exec('begin immediate');
      } catch (error) {
        return classifyDbError(error);
      }
      connection.sqlite.exec('rollback');
      return null;
    } finally {
      this.mutex.unlock();
    }
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class AsyncBusySqliteDialect extends SqliteDialect {
  readonly #options: AsyncBusyDriverOptions;
  constructor(options: AsyncBusyDriverOptions) {
    super({ database: options.database } as SqliteDialectConfig);
    this.#options = options;
  }
  override createDriver(): Driver {
    return new AsyncBusySqliteDriver(this.#options);
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/** How long opening waits for another process switching a new file to WAL (below). */
const walSwitchWaitMs = 5000;

/**
 * journal_mode = WAL. Two processes opening a new database file at the same instant (two server
 * processes, or the server and the admin CLI) both try to switch it, and the one that finds the
 * other switching gets SQLITE_BUSY at once: SQLite does not wait on busy_timeout for this. So it
 * waits here, in short steps, for up to walSwitchWaitMs; only when opening, never while serving.
 */
function switchToWal(sqlite: Database.Database): unknown {
  const deadline = Date.now() + walSwitchWaitMs;
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
  // busy_timeout 0: SQLite never waits for a lock inside a call (that would freeze the event
  // loop); AsyncBusySqliteConnection waits between attempts instead
  const sqlite = new Database(file, { timeout: 0 });
  try {
    const mode = switchToWal(sqlite);
    if (String(mode).toLowerCase() !== 'wal') throw new Error(`could not switch ${file} to WAL (journal_mode is ${String(mode)})`);
    sqlite.pragma('busy_timeout = 0');
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

export interface SqliteDialectOptions {
  /** what the driver notes about locks and a full disk, and its write probe (db-trouble.ts) */
  health?: DatabaseHealth;
  /** how long a write waits for another process's lock; read at each wait (default serveLockWaitMs) */
  lockWaitMs?: () => number;
}

export function createSqliteDialect(file: string, options: SqliteDialectOptions = {}): SqliteDialect {
  let checkpointer: BackgroundCheckpointer | null = null;
  return new AsyncBusySqliteDialect({
    database: async () => {
      const sqlite = cacheStatements(openSqliteFile(file));
      checkpointer = checkpointInBackground(sqlite, file);
      return sqlite;
    },
    health: options.health ?? new DatabaseHealth(),
    lockWaitMs: options.lockWaitMs ?? (() => serveLockWaitMs),
    // the checkpointer's connection closes first, so the main one closes last and removes the WAL
    beforeDestroy: () => checkpointer?.stop() ?? Promise.resolve(),
  });
}
