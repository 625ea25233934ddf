/**
 * Opens the server database: embedded SQLite in the data folder, or PostgreSQL when DATABASE_URL
 * is set. Everything above this module talks to `Kysely<Database>` and does not care which.
 */
import path from 'node:path';
import { Kysely, sql } from 'kysely';
import { dbKindOf, describeDatabase, sqliteFileName, type DbKind, type ServerConfig } from '../config.js';
import { migrateToLatest } from './migrations.js';
import { createPostgresDialect, warmPool } from './postgres.js';
import { DatabaseHealth } from './db-trouble.js';
import type { Database } from './schema.js';
import { createSqliteDialect, openLockWaitMs, serveLockWaitMs } from './sqlite.js';

export interface ServerDatabase {
  db: Kysely<Database>;
  kind: DbKind;
  /** migrations applied while opening (empty when the schema was current) */
  migrationsApplied: string[];
  /** locks and a full disk seen lately, for /api/health (db-trouble.ts) */
  health: DatabaseHealth;
  /**
   * PostgreSQL: opens the connection pool in full, one connection at a time (postgres.ts
   * warmPool); the number open when done. SQLite: nothing to open (0). For a serving process,
   * in the background; tests and commands leave it.
   */
  warm(): Promise<number>;
  close(): Promise<void>;
}

export interface DatabaseLog {
  warn(obj: object, msg: string): void;
}

/** Opens the database and migrates it to the latest schema. */
export async function openDatabase(
  config: Pick<ServerConfig, 'databaseUrl' | 'dataDir'>,
  log: DatabaseLog,
): Promise<ServerDatabase> {
  const kind = dbKindOf(config);
  const health = new DatabaseHealth();
  // opening may wait long for another process migrating the same SQLite file; serving does not
  let lockWaitMs = openLockWaitMs;
  const postgres = config.databaseUrl ? createPostgresDialect(config.databaseUrl, (error) => log.warn({ err: error }, 'idle PostgreSQL connection failed')) : null;
  const dialect = postgres ? postgres.dialect : createSqliteDialect(path.join(config.dataDir, sqliteFileName), { health, lockWaitMs: () => lockWaitMs });
  const db = new Kysely<Database>({ dialect });
  let isClosed = false;
  const close = async () => {
    if (isClosed) return;
    isClosed = true;
    await db.destroy();
  };
  try {
    const migrationsApplied = await migrateToLatest(db, kind);
    lockWaitMs = serveLockWaitMs;
    const warm = async () => (postgres && !isClosed ? warmPool(postgres.pool) : 0);
    return { db, kind, migrationsApplied, health, warm, close };
  } catch (error) {
    await close().catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseOpenError(`cannot open the database (${describeDatabase(config)}): ${reason}`, { cause: error });
  }
}

export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
}

/** Cheap liveness probe for /api/health. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
