/**
 * The tour the sequential benches (statement-count.ts, page-cost.ts) work on: a fresh database
 * (SQLite in a temporary folder, or PostgreSQL next to GUANMO_TEST_DATABASE_URL or the default
 * test URL) holding one scored tour of 30 stops and `scorers` assigned scorer accounts, with the
 * server's own clock and push path, and the day's mutations of any scorer (a sheet and a note per
 * stop).
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
import type { SyncDeps } from '../src/sync/push.js';

export const benchStopCount = 30;

export interface BenchTour {
  deps: SyncDeps;
  /** the scorers' accounts, scorer i (1-based) at index i - 1 */
  users: Array<{ id: string }>;
  /** scorer i's sheet and note at each of `stops` (1-based stop numbers) */
  mutationsOf(i: number, stops: readonly number[]): Mutation[];
  close(): Promise<void>;
}

export async function openBenchTour(kind: 'sqlite' | 'postgres', scorers: number): Promise<BenchTour> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-bench-tour-'));
  const fresh = kind === 'postgres' ? await createFreshPgDatabase(process.env.GUANMO_TEST_DATABASE_URL?.trim() || 'postgres://guanmo:guanmo@127.0.0.1:5432/guanmo_test') : null;
  const database = await openDatabase(loadConfig({ GUANMO_DATA_DIR: dataDir, ...(fresh ? { DATABASE_URL: fresh.url } : {}), GUANMO_LOG_LEVEL: 'silent' }), { warn: () => {} });
  const db = database.db;
  const tourId = 't1';
  const tour = { id: tourId, name: 'x', kind: 'scored', startDate: '2021-12-08', endDate: '2021-12-10', status: 'scoring',
    template: { id: 'tp', name: 'x', criteria: [{ key: 'a', name: 'A', max: 100, step: 0.5, guidance: '' }] },
    rules: { method: 'score', trim: { dropHighest: 1, dropLowest: 1, minSheets: 5 }, groupWeights: null, recusal: true, unitScore: 'mean', indicatorWeight: 0, projectScope: 'group', unitScope: 'group', tieBreakCriterion: null } };
  await db.transaction().execute(async (trx) => {
    await writeRecord(trx, { collection: 'tours', id: tourId, tourId, data: tour, versions: {}, deleted: false }, serverOrigin);
    await writeRecord(trx, { collection: 'units', id: 'u1', tourId, data: { id: 'u1', tourId, name: 'U', group: null, indicatorScore: null }, versions: {}, deleted: false }, serverOrigin);
    for (let s = 1; s <= benchStopCount; s++) {
      const id = `s${s}`;
      await writeRecord(trx, { collection: 'stops', id, tourId, data: { id, tourId, unitId: 'u1', day: '2021-12-08', order: s, name: `P${s}`, category: '', totalInvestment: null, completedInvestment: null, startDate: null, content: '', lat: null, lng: null, address: '', briefer: '' }, versions: {}, deleted: false }, serverOrigin);
    }
  });
  const users: Array<{ id: string }> = [];
  for (let i = 1; i <= scorers; i++) {
    const user = (await createUserIfAbsent(db, { username: `u${i}`, displayName: `U${i}`, role: 'scorer', passwordHash: 'x' }))!;
    users.push(user);
    await db.transaction().execute((trx) => writeRecord(trx, { collection: 'scorers', id: `sc${i}`, tourId, data: { id: `sc${i}`, tourId, userId: user.id, name: `S${i}`, role: 'scorer', homeUnitId: null, weightGroup: null }, versions: {}, deleted: false }, serverOrigin).then(() => {}));
  }
  const clock = await ServerClock.open(db);
  let counter = 0;
  return {
    deps: { db, kind, clock },
    users,
    mutationsOf: (i, stops) =>
      stops.flatMap((s) => {
        const now = new Date().toISOString();
        const scorerId = `sc${i}`;
        const sheet = { id: sheetId(tourId, `s${s}`, scorerId), tourId, stopId: `s${s}`, scorerId, scores: { a: 50 }, status: 'submitted', comment: '这一站的项目进度很快，质量好，值得学习。', submittedAt: now, updatedAt: now };
        const note = { id: `n-${i}-${s}`, tourId, stopId: `s${s}`, authorId: users[i - 1]!.id, kind: 'highlight', text: '进度快，现场管理规范，安全措施到位。', createdAt: now, updatedAt: now, deletedAt: null };
        const hlc = () => formatHlc({ millis: Date.now(), counter: counter++ % 0xffff, node: `c${i}` });
        return [
          { id: randomUUID(), collection: 'sheets', recordId: sheet.id, tourId, op: 'upsert', fields: sheet, hlc: hlc() },
          { id: randomUUID(), collection: 'notes', recordId: note.id, tourId, op: 'upsert', fields: note, hlc: hlc() },
        ] as Mutation[];
      }),
    async close() {
      await database.close();
      await fresh?.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
