/**
 * Migration 0015 keeps ANALYZE of the sync tables small on PostgreSQL (migrations.ts says why):
 * every column and expression index of records, changes and applied_mutations carries a small
 * statistics target, the records' JSON none. A column added later without one would bring the
 * 30,000-row sample back, so this fails until it has one.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type ServerDatabase } from './database.js';
import { postgresBackend, type TestDatabase } from '../test-support/backends.js';

describe.skipIf(!postgresBackend.isAvailable)('migration 0015 (small ANALYZE samples of the sync tables)', () => {
  let database: TestDatabase;
  let opened: ServerDatabase;

  beforeEach(async () => {
    database = await postgresBackend.create();
    opened = await openDatabase({ databaseUrl: database.env.DATABASE_URL!, dataDir: database.env.GUANMO_DATA_DIR! }, { warn: () => {} });
  });
  afterEach(async () => {
    await opened.close();
    await database.cleanup();
  });

  it('gives every column and expression index of the sync tables a target of at most 10, the JSON none', async () => {
    const { rows } = await sql<{ name: string; target: number | null }>`
      select c.relname || '.' || a.attname as name, a.attstattarget as target
      from pg_attribute a join pg_class c on c.oid = a.attrelid
      where a.attnum > 0 and not a.attisdropped
        and (c.oid in ('records'::regclass, 'changes'::regclass, 'applied_mutations'::regclass)
          or c.oid in (select indexrelid from pg_index where indrelid = 'records'::regclass and indexprs is not null))
      order by 1`.execute(opened.db);
    expect(rows.length).toBeGreaterThan(20);
    // -1 (or null on newer servers) is "the default", i.e. 100
    const unset = rows.filter((r) => r.target === null || r.target < 0 || r.target > 10).map((r) => r.name);
    expect(unset).toEqual([]);
    expect(rows.filter((r) => r.target === 0).map((r) => r.name)).toEqual(['records.data', 'records.versions']);
  });
});
