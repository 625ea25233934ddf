/**
 * Statements each push and pull page sends to the database (counted at the pg client), and their
 * wall time, one after the other (no concurrency): the round trips a change saves, independent of
 * the machine's load. A fresh PostgreSQL database next to GUANMO_TEST_DATABASE_URL (or the
 * default test URL) is made and dropped.
 *
 *   npx tsx --tsconfig server/tsconfig.json server/bench/statement-count.ts [postgres|sqlite]
 *
 * (on SQLite the count stays 0: no pg client; the times still compare)
 */
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Mutation } from '@shared/sync/protocol';
import { formatHlc } from '@shared/sync/hlc';
import { sheetId } from '@shared/domain/schemas';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { serverOrigin, writeRecord } from '../src/db/records.js';
import { createUserIfAbsent } from '../src/db/users.js';
import { createFreshPgDatabase } from '../src/test-support/backends.js';
import { ServerClock } from '../src/sync/server-clock.js';
import { pushMutations } from '../src/sync/push.js';
import { pullChanges } from '../src/sync/pull.js';
import { startCursor } from '../src/db/changes.js';

let statements = 0;
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements++;
  return (original as (...a: unknown[]) => unknown).apply(this, args);
} as typeof original;

const kind = process.argv[2] === 'sqlite' ? 'sqlite' : 'postgres';
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-rt-'));
const fresh = kind === 'postgres' ? await createFreshPgDatabase(process.env.GUANMO_TEST_DATABASE_URL?.trim() || 'postgres://guanmo:guanmo@127.0.0.1:5432/guanmo_test') : null;
const database = await openDatabase(loadConfig({ GUANMO_DATA_DIR: dataDir, ...(fresh ? { DATABASE_URL: fresh.url } : {}), GUANMO_LOG_LEVEL: 'silent' }), { warn: () => {} });
const db = database.db;
const tourId = 't1';
const tour = { id: tourId, name: 'x', kind: 'scored', startDate: '2021-12-08', endDate: '2021-12-10', status: 'scoring',
  template: { id: 'tp', name: 'x', criteria: [{ key: 'a', name: 'A', max: 100, step: 0.5, guidance: '' }] },
  rules: { method: 'score', trim: { dropHighest: 1, dropLowest: 1, minSheets: 5 }, groupWeights: null, recusal: true, unitScore: 'mean', indicatorWeight: 0, projectScope: 'group', unitScope: 'group', tieBreakCriterion: null } };
const users: Array<{ id: string }> = [];
await db.transaction().execute(async (trx) => {
  await writeRecord(trx, { collection: 'tours', id: tourId, tourId, data: tour, versions: {}, deleted: false }, serverOrigin);
  await writeRecord(trx, { collection: 'units', id: 'u1', tourId, data: { id: 'u1', tourId, name: 'U', group: null, indicatorScore: null }, versions: {}, deleted: false }, serverOrigin);
  for (let s = 1; s <= 30; s++) {
    const id = `s${s}`;
    await writeRecord(trx, { collection: 'stops', id, tourId, data: { id, tourId, unitId: 'u1', day: '2021-12-08', order: s, name: `P${s}`, category: '', totalInvestment: null, completedInvestment: null, startDate: null, content: '', lat: null, lng: null, address: '', briefer: '' }, versions: {}, deleted: false }, serverOrigin);
  }
});
for (let i = 1; i <= 20; i++) {
  const user = (await createUserIfAbsent(db, { username: `u${i}`, displayName: `U${i}`, role: 'scorer', passwordHash: 'x' }))!;
  users.push(user);
  await db.transaction().execute((trx) => writeRecord(trx, { collection: 'scorers', id: `sc${i}`, tourId, data: { id: `sc${i}`, tourId, userId: user.id, name: `S${i}`, role: 'scorer', homeUnitId: null, weightGroup: null }, versions: {}, deleted: false }, serverOrigin).then(() => {}));
}
const clock = await ServerClock.open(db);
const deps = { db, kind, clock } as const;
let counter = 0;
const mutationsOf = (i: number, stops: number[]): Mutation[] => stops.flatMap((s) => {
  const now = new Date().toISOString();
  const scorerId = `sc${i}`;
  const sheet = { id: sheetId(tourId, `s${s}`, scorerId), tourId, stopId: `s${s}`, scorerId, scores: { a: 50 }, status: 'submitted', comment: '', submittedAt: now, updatedAt: now };
  const note = { id: `n-${i}-${s}`, tourId, stopId: `s${s}`, authorId: users[i - 1]!.id, kind: 'highlight', text: '进度快', createdAt: now, updatedAt: now, deletedAt: null };
  const hlc = () => formatHlc({ millis: Date.now(), counter: counter++ % 0xffff, node: `c${i}` });
  return [
    { id: randomUUID(), collection: 'sheets', recordId: sheet.id, tourId, op: 'upsert', fields: sheet, hlc: hlc() },
    { id: randomUUID(), collection: 'notes', recordId: note.id, tourId, op: 'upsert', fields: note, hlc: hlc() },
  ] as Mutation[];
});
const measure = async (label: string, runs: number, work: (i: number) => Promise<unknown>) => {
  const before = statements;
  const t = performance.now();
  for (let i = 1; i <= runs; i++) await work(i);
  console.log(`${kind} ${label}: ${((statements - before) / runs).toFixed(1)} statements each, ${((performance.now() - t) / runs).toFixed(2)} ms each (sequential)`);
};
await measure('push of 60 mutations', 10, (i) => pushMutations(deps, { id: users[i - 1]!.id, username: `u${i}`, role: 'scorer' }, `c${i}`, mutationsOf(i, Array.from({ length: 30 }, (_, k) => k + 1))));
await measure('push of 2 mutations', 10, (i) => pushMutations(deps, { id: users[i + 9]!.id, username: `u${i + 10}`, role: 'scorer' }, `c${i + 10}`, mutationsOf(i + 10, [1])));
let cursor = startCursor;
let pages = 0;
await measure('pull page (250)', 5, async () => {
  const page = await pullChanges(db, kind, { id: users[0]!.id, role: 'scorer' }, cursor, 250);
  cursor = page.cursor;
  pages++;
});
await database.close();
await fresh?.drop();
await fs.rm(dataDir, { recursive: true, force: true });
