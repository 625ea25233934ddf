/**
 * The pool's clients prepare each statement once per connection (PreparingClient): what is
 * prepared, what is not, and that the number of statements kept per connection is bounded.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { postgresBackend, type TestDatabase } from '../test-support/backends.js';
import { createPostgresDialect, maxPreparedParameters, maxPreparedPerConnection } from './postgres.js';

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
