import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createFreshPgDatabase, pgTestUrl, testBackends, type TestDatabase } from '../test-support/backends.js';
import { testConfig } from '../test-support/server-fixtures.js';
import type { ControlledTransaction } from 'kysely';
import { decodeCursor, encodeCursor, readChanges, startCursor, type ChangeCursor } from './changes.js';
import { openDatabase, type ServerDatabase } from './database.js';
import { getRecord, serverOrigin, writeRecord, type RecordWrite } from './records.js';
import type { Database } from './schema.js';

describe('change cursors', () => {
  it('round-trip', () => {
    for (const cursor of [startCursor, { tx: '0', seq: 42 }, { tx: '18446744073709551615', seq: 9_007_199_254_740_991 }]) {
      expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    }
  });

  it.each(['', '1', '1.', '.1', '-1.2', '01.2', '1.02', '1.2.3', 'abc', '1.99999999999999999', '1 .2'])('rejects %j', (text) => {
    expect(decodeCursor(text)).toBeNull();
  });
});

function note(id: string, text: string): RecordWrite {
  return {
    collection: 'notes',
    id,
    tourId: 'tour-1',
    data: { id, tourId: 'tour-1', text },
    versions: { text: `2021-12-08T09:30:00.000Z-0000-c1` },
    deleted: false,
  };
}

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`change log on ${backend.kind}`, () => {
    let database: TestDatabase;
    let server: ServerDatabase;

    beforeEach(async () => {
      database = await backend.create();
      server = await openDatabase(testConfig(database.env), { warn: () => {} });
    });
    afterEach(async () => {
      await server.close();
      await database.cleanup();
    });

    // transactions a failing test left open would block closing the pool
    const openTransactions: ControlledTransaction<Database>[] = [];
    const begin = async () => {
      const trx = await server.db.startTransaction().execute();
      openTransactions.push(trx);
      return trx;
    };
    afterEach(async () => {
      for (const trx of openTransactions.splice(0)) {
        if (!trx.isCommitted && !trx.isRolledBack) await trx.rollback().execute();
      }
    });

    const write = (w: RecordWrite, mutationId: string | null = null) =>
      server.db.transaction().execute((trx) => writeRecord(trx, w, { ...serverOrigin, mutationId }));

    async function pullAll(from: ChangeCursor, limit: number) {
      const pages = [];
      let cursor = from;
      for (;;) {
        const page = await readChanges(server.db, server.kind, cursor, limit);
        pages.push(page);
        cursor = page.cursor;
        if (!page.hasMore) return { pages, cursor };
      }
    }

    it('stores records with increasing seqs and keeps tombstones', async () => {
      const s1 = await write(note('n1', '亮点一'));
      const s2 = await write({ ...note('n1', '亮点一'), deleted: true });
      expect(s2).toBeGreaterThan(s1);
      const stored = await getRecord(server.db, 'notes', 'n1');
      expect(stored).toMatchObject({ deleted: true, seq: s2, tourId: 'tour-1', data: { text: '亮点一' } });
      expect(stored?.versions).toEqual({ text: '2021-12-08T09:30:00.000Z-0000-c1' });
    });

    it('pages through every change exactly up to the end, each record in its current state', async () => {
      for (let i = 1; i <= 5; i++) await write(note(`n${i}`, `v1 ${i}`));
      await write(note('n2', 'v2 2'), 'mutation-7');

      const { pages, cursor } = await pullAll(startCursor, 2);
      expect(pages.map((p) => p.records.length)).toEqual([2, 2, 2]);
      const seen = pages.flatMap((p) => p.records);
      // n2 was changed again after n5: it comes again, and both times in its current state
      expect(seen.map((r) => r.id)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5', 'n2']);
      expect(seen.filter((r) => r.id === 'n2').map((r) => r.data.text)).toEqual(['v2 2', 'v2 2']);
      const seqs = pages.map((p) => p.cursor.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);

      // nothing new: same cursor back, no more
      const again = await readChanges(server.db, server.kind, cursor, 10);
      expect(again).toEqual({ records: [], cursor, hasMore: false });

      // a later write is the only thing the next pull returns
      await write(note('n6', 'new'));
      const next = await readChanges(server.db, server.kind, cursor, 10);
      expect(next.records.map((r) => r.id)).toEqual(['n6']);
    });

    it('returns a record changed twice within one page once', async () => {
      await write(note('n1', 'a'));
      await write(note('n1', 'b'));
      const page = await readChanges(server.db, server.kind, startCursor, 10);
      expect(page.records.map((r) => [r.id, r.data.text])).toEqual([['n1', 'b']]);
    });

    // Concurrent writers exist only on PostgreSQL (SQLite serialises them). These are not
    // registered at all on SQLite: CI counts a skipped test as a failure to run everything.
    if (backend.kind === 'postgres') it('never skips a change whose transaction commits after a later one', async () => {
      await write(note('n0', 'before'));
      const first = await readChanges(server.db, server.kind, startCursor, 100);
      expect(first.records.map((r) => r.id)).toEqual(['n0']);

      // T1 starts writing first (and so holds the older transaction id) but commits last;
      // T2 draws its seq and commits in between.
      const t1 = await begin();
      await writeRecord(t1, note('slow', 'T1'), serverOrigin);
      const t2 = await begin();
      const fastSeq = await writeRecord(t2, note('fast', 'T2'), serverOrigin);
      await t2.commit().execute();
      // and T1 writes again after T2 committed: a seq higher than T2's
      const slowSeq = await writeRecord(t1, note('slow2', 'T1 again'), serverOrigin);
      expect(slowSeq).toBeGreaterThan(fastSeq);

      // While T1 is open nothing after it may be handed out: "fast" is held back, because a cursor
      // past it would step over T1's rows once they commit.
      const during = await readChanges(server.db, server.kind, first.cursor, 100);
      expect(during.records).toEqual([]);
      expect(during.cursor).toEqual(first.cursor);

      await t1.commit().execute();
      const after = await readChanges(server.db, server.kind, during.cursor, 100);
      expect(after.records.map((r) => r.id).sort()).toEqual(['fast', 'slow', 'slow2']);
      expect(after.hasMore).toBe(false);
    });

    if (backend.kind === 'postgres') it('is not held back by a write transaction of another database on the same server', async () => {
      const other = await createFreshPgDatabase(pgTestUrl!);
      const client = new pg.Client({ connectionString: other.url });
      await client.connect();
      try {
        await client.query('begin');
        await client.query('select pg_current_xact_id()'); // now it holds a transaction id, older than ours
        await write(note('here', 'not held back'));
        const page = await readChanges(server.db, server.kind, startCursor, 100);
        expect(page.records.map((r) => r.id)).toEqual(['here']);
        await client.query('commit');
      } finally {
        await client.end();
        await other.drop();
      }
    });

    if (backend.kind === 'postgres') it('a rolled-back transaction stops holding back later changes', async () => {
      const t1 = await begin();
      await writeRecord(t1, note('lost', 'rolled back'), serverOrigin);
      await write(note('kept', 'committed'));
      expect((await readChanges(server.db, server.kind, startCursor, 100)).records).toEqual([]);
      await t1.rollback().execute();
      const page = await readChanges(server.db, server.kind, startCursor, 100);
      expect(page.records.map((r) => r.id)).toEqual(['kept']);
    });
  });
}
