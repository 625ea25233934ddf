/**
 * CPU per push and per pull page, one after another (no concurrency, so the figures are the work
 * itself and not queueing): a tour of 100 scorers each pushes a day (30 sheets + 30 notes), then
 * scorers pull the whole log page by page (the app's page size, 500), three rounds (the first
 * fills the server's record JSON cache). Prints wall time, this process's CPU (the server's code
 * runs in it) and, on PostgreSQL, the CPU of the database's backends, per push and per page.
 *
 *   npm run bench:page -- [postgres|sqlite]
 *
 * (PostgreSQL: a fresh database next to GUANMO_TEST_DATABASE_URL or the default test URL.)
 */
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
import { sql } from 'kysely';

const kind = process.argv[2] === 'sqlite' ? 'sqlite' : 'postgres';
const N = 100;
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-pc-'));
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
for (let i = 1; i <= N; i++) {
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
  const sheet = { id: sheetId(tourId, `s${s}`, scorerId), tourId, stopId: `s${s}`, scorerId, scores: { a: 50 }, status: 'submitted', comment: '这一站的项目进度很快，质量好，值得学习。', submittedAt: now, updatedAt: now };
  const note = { id: `n-${i}-${s}`, tourId, stopId: `s${s}`, authorId: users[i - 1]!.id, kind: 'highlight', text: '进度快，现场管理规范，安全措施到位。', createdAt: now, updatedAt: now, deletedAt: null };
  const hlc = () => formatHlc({ millis: Date.now(), counter: counter++ % 0xffff, node: `c${i}` });
  return [
    { id: randomUUID(), collection: 'sheets', recordId: sheet.id, tourId, op: 'upsert', fields: sheet, hlc: hlc() },
    { id: randomUUID(), collection: 'notes', recordId: note.id, tourId, op: 'upsert', fields: note, hlc: hlc() },
  ] as Mutation[];
});
const stops = Array.from({ length: 30 }, (_, k) => k + 1);

/** CPU ms of this database's backends so far (/proc/PID/stat utime + stime, in 1/100 s ticks) */
const backendCpu = async () => {
  if (kind !== 'postgres') return 0;
  const pids = (await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db)).rows.map((r) => r.pid);
  let ms = 0;
  for (const pid of pids) {
    try {
      const fields = (await fs.readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      ms += (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      // the backend ended meanwhile
    }
  }
  return ms;
};
let t = performance.now();
const pcpu0 = await backendCpu();
const pu0 = process.cpuUsage();
for (let i = 1; i <= N; i++) await pushMutations(deps, { id: users[i - 1]!.id, username: `u${i}`, role: 'scorer' }, `c${i}`, mutationsOf(i, stops));
const pu = process.cpuUsage(pu0);
console.log(`${kind}: ${N} pushes of 60: ${((performance.now() - t) / N).toFixed(2)} ms each wall, node CPU ${((pu.user + pu.system) / 1000 / N).toFixed(2)} ms, db backend CPU ${((await backendCpu() - pcpu0) / N).toFixed(2)} ms per push`);
for (const round of [1, 2, 3]) {
  const cpu0 = await backendCpu();
  const u0 = process.cpuUsage();
  t = performance.now();
  let pages = 0;
  for (let v = 0; v < (round === 1 ? 5 : 20); v++) {
    let cursor = startCursor;
    for (;;) {
      const page = await pullChanges(db, kind, { id: users[v]!.id, role: 'scorer' }, cursor, 500);
      pages++;
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
  }
  const ms = performance.now() - t;
  const u = process.cpuUsage(u0);
  console.log(`${kind} round ${round}: ${pages} pages, ${(ms / pages).toFixed(2)} ms each wall, node CPU ${((u.user + u.system) / 1000 / pages).toFixed(2)} ms, db backend CPU ${((await backendCpu() - cpu0) / pages).toFixed(2)} ms per page`);
}
await database.close();
await fresh?.drop();
await fs.rm(dataDir, { recursive: true, force: true });
