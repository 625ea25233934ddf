/**
 * Migration 0006 gives records and changes a scorer_id column, which pull filters on instead of
 * the sheet's JSON. A database written before it must come out with the column filled, or the
 * scorers of a running tour would stop receiving their own sheets.
 */
import { Kysely, sql } from 'kysely';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCursor } from './changes.js';
import { migrateToLatest, migrateUpTo } from './migrations.js';
import { createPostgresDialect } from './postgres.js';
import type { Database } from './schema.js';
import { createSqliteDialect } from './sqlite.js';
import { sqliteFileName } from '../config.js';
import { pullChanges } from '../sync/pull.js';
import { testBackends, type TestDatabase } from '../test-support/backends.js';

const at = '2026-11-20T08:00:00.000Z';
const tourId = 'tour-m6';

/** rows as a server before 0006 wrote them (no scorer_id anywhere) */
const oldRecords: Array<{ collection: string; id: string; data: Record<string, unknown> }> = [
  { collection: 'tours', id: tourId, data: { id: tourId, name: '观摩', status: 'scoring' } },
  { collection: 'scorers', id: 'scorer-a', data: { id: 'scorer-a', tourId, userId: 'user-a', name: '甲', role: 'scorer' } },
  { collection: 'scorers', id: 'scorer-b', data: { id: 'scorer-b', tourId, userId: 'user-b', name: '乙', role: 'scorer' } },
  { collection: 'sheets', id: 'sheet-a', data: { id: 'sheet-a', tourId, stopId: 'stop-1', scorerId: 'scorer-a', scores: {}, status: 'draft' } },
  { collection: 'sheets', id: 'sheet-b', data: { id: 'sheet-b', tourId, stopId: 'stop-1', scorerId: 'scorer-b', scores: {}, status: 'draft' } },
  { collection: 'notes', id: 'note-1', data: { id: 'note-1', tourId, stopId: 'stop-1', text: '进度快' } },
];

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`migration 0006 (scorer_id) on ${backend.kind}`, () => {
    let database: TestDatabase;
    let db: Kysely<Database>;

    beforeEach(async () => {
      database = await backend.create();
      const dialect = database.env.DATABASE_URL
        ? createPostgresDialect(database.env.DATABASE_URL, () => {}).dialect
        : createSqliteDialect(path.join(database.dataDir, sqliteFileName));
      db = new Kysely<Database>({ dialect });
    });
    afterEach(async () => {
      await db.destroy();
      await database.cleanup();
    });

    it('fills scorer_id of existing sheets and their changes, and pull keeps blind scoring on them', async () => {
      await migrateUpTo(db, backend.kind, '0005_scorers_by_user');
      for (const [i, record] of oldRecords.entries()) {
        // written twice, as a record edited once: both changes of a sheet must get the column
        for (const round of [0, 1]) {
          const seq = i * 2 + round + 1;
          await sql`insert into changes (collection, record_id, tour_id, mutation_id, user_id, created_at)
            values (${record.collection}, ${record.id}, ${tourId}, null, null, ${at})`.execute(db);
          if (round === 0) {
            await sql`insert into records (collection, id, tour_id, data, versions, deleted, seq, updated_at)
              values (${record.collection}, ${record.id}, ${tourId}, ${JSON.stringify(record.data)}, '{}', 0, ${seq}, ${at})`.execute(db);
          } else {
            await sql`update records set seq = ${seq} where collection = ${record.collection} and id = ${record.id}`.execute(db);
          }
        }
      }

      expect(await migrateToLatest(db, backend.kind)).toContain('0006_records_scorer_id');

      const records = await db.selectFrom('records').select(['collection', 'id', 'scorer_id']).orderBy('id').execute();
      expect(records.filter((r) => r.scorer_id !== null)).toEqual([
        { collection: 'sheets', id: 'sheet-a', scorer_id: 'scorer-a' },
        { collection: 'sheets', id: 'sheet-b', scorer_id: 'scorer-b' },
      ]);
      const changes = await db.selectFrom('changes').select(['record_id', 'scorer_id']).where('collection', '=', 'sheets').orderBy('seq').execute();
      expect(changes).toEqual([
        { record_id: 'sheet-a', scorer_id: 'scorer-a' },
        { record_id: 'sheet-a', scorer_id: 'scorer-a' },
        { record_id: 'sheet-b', scorer_id: 'scorer-b' },
        { record_id: 'sheet-b', scorer_id: 'scorer-b' },
      ]);
      expect(await db.selectFrom('changes').select('seq').where('collection', '<>', 'sheets').where('scorer_id', 'is not', null).execute()).toEqual([]);

      const page = await pullChanges(db, backend.kind, { id: 'user-a', role: 'scorer' }, startCursor, 100);
      expect(page.rows.map(({ row }) => `${row.collection}/${row.id}`).sort()).toEqual(['notes/note-1', 'scorers/scorer-a', 'scorers/scorer-b', 'sheets/sheet-a', 'tours/tour-m6']);
      expect(page.hasMore).toBe(false);
    });
  });
}
