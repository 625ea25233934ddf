/**
 * The databases the server suites run against: SQLite always, PostgreSQL when
 * GUANMO_TEST_DATABASE_URL is set (e.g. postgres://guanmo:guanmo@127.0.0.1:5432/guanmo_test; the
 * role needs CREATEDB). Every test gets a fresh, empty database: a temp folder for SQLite, a new
 * PostgreSQL database (dropped afterwards) so that parallel runs never collide.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DbKind } from '../config.js';

export const pgTestUrl = process.env.GUANMO_TEST_DATABASE_URL?.trim() || null;

export interface TestDatabase {
  /** environment variables selecting this database (plus a fresh data folder) */
  env: Record<string, string>;
  dataDir: string;
  cleanup(): Promise<void>;
}

export interface TestBackend {
  kind: DbKind;
  isAvailable: boolean;
  create(): Promise<TestDatabase>;
}

export async function makeTempDir(prefix = 'guanmo-server-test-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

export const sqliteBackend: TestBackend = {
  kind: 'sqlite',
  isAvailable: true,
  async create() {
    const dataDir = await makeTempDir();
    return {
      env: { GUANMO_DATA_DIR: dataDir },
      dataDir,
      cleanup: () => fs.rm(dataDir, { recursive: true, force: true }),
    };
  },
};

async function withAdminClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new empty database next to the one GUANMO_TEST_DATABASE_URL names. */
export async function createFreshPgDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `guanmo_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(baseUrl, (c) => c.query(`create database "${name}"`));
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => dropDatabase(baseUrl, name),
  };
}

/**
 * Drops a test database, forcing its connections closed. An autovacuum worker that happens to be
 * inside the fresh database belongs to the superuser, and the test role may not terminate it
 * ("must be a member of the role whose process is being terminated"): wait for it to finish.
 */
async function dropDatabase(baseUrl: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await withAdminClient(baseUrl, (c) => c.query(`drop database if exists "${name}" with (force)`));
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      const isTransient = code === '42501' || code === '55006'; // insufficient_privilege, object_in_use
      if (!isTransient || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

export const postgresBackend: TestBackend = {
  kind: 'postgres',
  isAvailable: pgTestUrl !== null,
  async create() {
    if (!pgTestUrl) throw new Error('GUANMO_TEST_DATABASE_URL is not set');
    const dataDir = await makeTempDir();
    const database = await createFreshPgDatabase(pgTestUrl);
    return {
      env: { GUANMO_DATA_DIR: dataDir, DATABASE_URL: database.url },
      dataDir,
      async cleanup() {
        await database.drop();
        await fs.rm(dataDir, { recursive: true, force: true });
      },
    };
  },
};

export const testBackends: readonly TestBackend[] = [sqliteBackend, postgresBackend];
