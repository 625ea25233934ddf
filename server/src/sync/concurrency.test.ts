/**
 * Two server instances (separate connection pools, as two processes would have) on one
 * database, many laptops pushing through both at once while others pull in small pages through
 * both: when the writing stops, every puller that pulls to the end holds exactly the final state
 * of every record it may see. Nothing is skipped even though transactions commit out of order
 * (forced below with a transaction held open across other pushes).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GuanmoApp } from '../app.js';
import { writeRecord } from '../db/records.js';
import { createSignedInUser, signIn } from '../test-support/auth-fixtures.js';
import { testBackends, type TestDatabase } from '../test-support/backends.js';
import { createCapturedApp } from '../test-support/server-fixtures.js';
import { buildSheet, buildTestTour, SyncClient, tourMutations } from '../test-support/sync-client.js';

const scorerCount = 6;
const pushesPerScorer = 8;

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`concurrent servers on ${backend.kind}`, () => {
    let database: TestDatabase;
    let a: GuanmoApp;
    let b: GuanmoApp;

    beforeEach(async () => {
      database = await backend.create();
      a = await createCapturedApp({ ...database.env, GUANMO_LOG_LEVEL: 'error' });
      // SQLite: one server process per database file (writers queue on the file lock, which
      // better-sqlite3 waits for synchronously; two instances in one process would block each
      // other's event loop). Its writers are serialised, so seq order is commit order anyway.
      b = backend.kind === 'postgres' ? await createCapturedApp({ ...database.env, GUANMO_LOG_LEVEL: 'error' }) : a;
    });
    afterEach(async () => {
      await a.close();
      if (b !== a) await b.close();
      await database.cleanup();
    });

    it('a pull never skips a change when transactions commit out of order', async () => {
      const sec = await createSignedInUser(a.app, a.db, { username: 'sec', role: 'secretariat' });
      const scorers = [];
      for (let i = 1; i <= scorerCount; i++) scorers.push(await createSignedInUser(a.app, a.db, { username: `scorer${i}`, role: 'scorer' }));
      const tourId = 'busy-tour';
      const tour = buildTestTour(
        tourId,
        scorers.map((s, i) => ({ userId: s.id, name: `评委${i + 1}` })),
      );
      const secClient = new SyncClient(a.app, sec.token);
      await secClient.pushOk(tourMutations(secClient, tour));

      // writers alternate between the two servers; a scorer's token works on both
      const writers = scorers.map((s, i) => ({ viaA: new SyncClient(a.app, s.token, `w${i}`), viaB: new SyncClient(b.app, s.token, `w${i}`), scorerId: tour.scorers[i]!.id, userId: s.id }));
      // pullers: the secretariat (sees all) through A and B alternately, and one scorer
      const staffPullers = [new SyncClient(a.app, sec.token), new SyncClient(b.app, await signIn(b.app, 'sec'))];
      const scorerPuller = new SyncClient(b.app, scorers[0]!.token);
      let isWriting = true;
      let staffCursor: string | undefined;
      const staffSeen = new Map<string, unknown>();
      const pullStaffPage = async (i: number) => {
        const client = staffPullers[i % 2]!;
        client.cursor = staffCursor;
        const page = await client.pullPage(7);
        for (const c of page.changes) staffSeen.set(`${c.collection}/${c.id}`, { data: c.data, versions: c.versions, deleted: c.deleted });
        staffCursor = page.cursor;
        return page.hasMore;
      };
      const pullers = (async () => {
        for (let i = 0; isWriting; i++) {
          await pullStaffPage(i);
          await scorerPuller.pullAll(5);
          // inject + synchronous SQLite can run a whole request in microtasks: let the writers'
          // request bodies (stream events) through, as a real network would
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();

      // PostgreSQL: a server-side write whose transaction stays open while the laptops push: it
      // draws its seq early and commits late
      const slowNote = { id: 'slow-note', tourId, stopId: tour.stops[0]!.id, authorId: sec.id, kind: 'highlight', text: '慢事务', createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
      const slowWrite = { collection: 'notes' as const, id: slowNote.id, tourId, data: slowNote, versions: {}, deleted: false };
      const slow = backend.kind === 'postgres' ? await b.db.startTransaction().execute() : null;
      const slowSeq = slow ? await writeRecord(slow, slowWrite, { mutationId: null, userId: null }) : 0;
      if (!slow) await b.db.transaction().execute((trx) => writeRecord(trx, slowWrite, { mutationId: null, userId: null }));
      let committedPastSlow = 0;
      let slowCommitted = slow === null;

      await Promise.all(
        writers.map(async (w, i) => {
          for (let p = 0; p < pushesPerScorer; p++) {
            const client = p % 2 === 0 ? w.viaA : w.viaB;
            const stop = tour.stops[p % tour.stops.length]!;
            const sheet = buildSheet(tourId, stop.id, w.scorerId, { progress: (p % 80) / 2, quality: null, benefit: null });
            const at = new Date().toISOString();
            await client.pushOk([
              client.mutation('sheets', tourId, sheet),
              client.mutation('notes', tourId, { id: `note-${i}-${p}`, tourId, stopId: stop.id, authorId: w.userId, kind: 'problem', text: `第${p}条`, createdAt: at, updatedAt: at }),
            ]);
            if (i === 0 && p === pushesPerScorer / 2 && slow) {
              // changes drawn after the slow one have committed before it: out-of-order commit
              const { n } = await a.db.selectFrom('changes').select((eb) => eb.fn.countAll<number>().as('n')).where('seq', '>', slowSeq).executeTakeFirstOrThrow();
              committedPastSlow = Number(n);
              await slow.commit().execute();
              slowCommitted = true;
            }
          }
        }),
      );
      if (!slowCommitted) await slow?.commit().execute();
      isWriting = false;
      await pullers;

      // pull to the end, then compare with the database
      for (let i = 0; await pullStaffPage(i); i++);
      await scorerPuller.pullAll(5);
      const rows = await a.db.selectFrom('records').selectAll().execute();
      const expected = new Map(rows.map((r) => [`${r.collection}/${r.id}`, { data: JSON.parse(r.data), versions: JSON.parse(r.versions), deleted: r.deleted === 1 }]));
      expect(staffSeen.size).toBe(expected.size);
      expect(Object.fromEntries(staffSeen)).toEqual(Object.fromEntries(expected));
      expect(staffSeen.has('notes/slow-note')).toBe(true);

      const ownSheets = rows.filter((r) => r.collection === 'sheets' && JSON.parse(r.data).scorerId === writers[0]!.scorerId).map((r) => r.id).sort();
      expect(scorerPuller.seenIds('sheets')).toEqual(ownSheets);
      expect(scorerPuller.seenIds('notes')).toHaveLength(scorerCount * pushesPerScorer + 1);

      if (backend.kind === 'postgres') expect(committedPastSlow).toBeGreaterThan(0);
    });
  });
}
