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
import path from 'node:path';
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
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class ImmediateTransactionSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateTransactionSqliteDriver(this.#config);
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/** How long a writer waits for another process's write lock before failing. */
const busyTimeoutMs = 5000;

export function openSqliteFile(file: string): Database.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const sqlite = new Database(file, { timeout: busyTimeoutMs });
  try {
    const mode = sqlite.pragma('journal_mode = WAL', { simple: true });
    if (String(mode).toLowerCase() !== 'wal') throw new Error(`could not switch ${file} to WAL (journal_mode is ${String(mode)})`);
    sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
    sqlite.pragma('foreign_keys = ON');
    // NORMAL is durable across application crashes in WAL mode; only a power cut can lose the
    // last commits, which the clients still hold in their outboxes and re-push.
    sqlite.pragma('synchronous = NORMAL');
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

export function createSqliteDialect(file: string): SqliteDialect {
  return new ImmediateTransactionSqliteDialect({ database: async () => cacheStatements(openSqliteFile(file)) });
}

