/**
 * The pool's clients prepare each statement once per connection (PreparingClient): what is
 * prepared, what is not, and that the number of statements kept per connection is bounded. The
 * pool is opened in full for a serving process and keeps its connections (warmPool).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import type pg from 'pg';
import { postgresBackend, type TestDatabase } from '../test-support/backends.js';
import { openDatabase } from './database.js';
import { createPostgresDialect, maxPreparedParameters, maxPreparedPerConnection, pgPoolSize, warmPool } from './postgres.js';

describe.skipIf(!postgresBackend.isAvailable)('PostgreSQL connections', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let client: pg.PoolClient;

  beforeEach(async () => {
    database = await postgresBackend.create();
    pool = createPostgresDialect(database.env.DATABASE_URL!, () => {}).pool;
    client = await pool.connect();
  });
  afterEach(async () => {
    client.release();
    await pool.end();
    await database.cleanup();
  });

  /** the statements prepared on this connection (a query without values is never prepared itself) */
  async function prepared(): Promise<string[]> {
    const { rows } = await client.query<{ statement: string }>('select statement from pg_prepared_statements order by prepare_time');
    return rows.map((r) => r.statement);
  }

  it('prepares a statement sent with values once, and runs it again by name with other values', async () => {
    expect((await client.query('select $1::int + 1 as n', [1])).rows).toEqual([{ n: 2 }]);
    expect((await client.query('select $1::int + 1 as n', [41])).rows).toEqual([{ n: 42 }]);
    expect(await prepared()).toEqual(['select $1::int + 1 as n']);
  });

  it('leaves statements with a * unprepared (a prepared select * breaks once a migration adds a column)', async () => {
    await client.query('select * from (values ($1::int)) as v (n)', [1]);
    await client.query('select count(*) from (values ($1::int)) as v (n)', [1]);
    expect(await prepared()).toEqual([]);
  });

  it(`leaves statements with more than ${maxPreparedParameters} values unprepared (lists whose every length would be another statement)`, async () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `$${i + 1}::int`).join(', ');
    const values = (n: number) => Array.from({ length: n }, (_, i) => i);
    await client.query(`select greatest(${list(maxPreparedParameters)}) as n`, values(maxPreparedParameters));
    expect((await client.query(`select greatest(${list(maxPreparedParameters + 1)}) as n`, values(maxPreparedParameters + 1))).rows).toEqual([{ n: maxPreparedParameters }]);
    expect(await prepared()).toEqual([`select greatest(${list(maxPreparedParameters)}) as n`]);
  });

  it(`keeps at most ${maxPreparedPerConnection} statements per connection; the rest run unprepared and still answer`, async () => {
    for (let i = 0; i < maxPreparedPerConnection + 5; i++) {
      expect((await client.query(`select $1::int + ${i} as n`, [1])).rows).toEqual([{ n: i + 1 }]);
    }
    const statements = await prepared();
    expect(statements).toHaveLength(maxPreparedPerConnection);
    // one already prepared is still used by name
    expect((await client.query('select $1::int + 0 as n', [7])).rows).toEqual([{ n: 7 }]);
    expect(await prepared()).toHaveLength(maxPreparedPerConnection);
  });

  it('a statement that fails to prepare reports its error and the connection goes on', async () => {
    await expect(client.query('select $1::int from no_such_table', [1])).rejects.toThrow(/no_such_table/);
    expect((await client.query('select $1::int as n', [3])).rows).toEqual([{ n: 3 }]);
  });
});

describe.skipIf(!postgresBackend.isAvailable)('PostgreSQL pool', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await postgresBackend.create();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await database.cleanup();
  });

  it('a serving database opens its pool in full', async () => {
    const opened = await openDatabase({ databaseUrl: database.env.DATABASE_URL!, dataDir: database.env.GUANMO_DATA_DIR! }, { warn: () => {} });
    try {
      expect(await opened.warm()).toBe(pgPoolSize);
      expect(await opened.warm()).toBe(pgPoolSize); // nothing more to open
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'guanmo-server'`.execute(opened.db);
      expect(rows[0]!.n).toBe(pgPoolSize);
    } finally {
      await opened.close();
    }
  });

  it('never closes a connection for being idle', async () => {
    const { pool } = createPostgresDialect(database.env.DATABASE_URL!, () => {});
    try {
      expect(await warmPool(pool, 4)).toBe(4);
      // idle for an hour: pg's default closed a connection after 10 s idle, and the next busy
      // moment reopened a dozen at once (postgres.ts says what that cost)
      vi.useFakeTimers();
      const clients = await Promise.all(Array.from({ length: 4 }, () => pool.connect()));
      for (const client of clients) client.release();
      vi.advanceTimersByTime(60 * 60_000);
      vi.useRealTimers();
      expect(pool.totalCount).toBe(4);
      expect(pool.idleCount).toBe(4);
    } finally {
      await pool.end();
    }
  });

  it('warming stops without failing when the database refuses connections', async () => {
    const url = new URL(database.env.DATABASE_URL!);
    url.password = 'not-the-password';
    const { pool } = createPostgresDialect(url.toString(), () => {});
    try {
      expect(await warmPool(pool, 4)).toBe(0);
    } finally {
      await pool.end();
    }
  });
});
