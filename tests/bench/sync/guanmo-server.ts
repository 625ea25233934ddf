/**
 * The real Guanmo sync server for the bench: a fresh data folder (SQLite, blob store), one scored
 * tour of 30 stops and one scorer account assigned to it, seeded through the server's own db
 * layer before it starts (as `npm run bench:server` does), and the bench page as its static site.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Scorer, Stop, Template, Tour, Unit } from '@shared/domain/schemas';
import { startServer, type RunningServer } from '../../../server/src/app';
import { hashPassword } from '../../../server/src/auth/passwords';
import { BlobStore } from '../../../server/src/blobs/blob-store';
import { loadConfig } from '../../../server/src/config';
import { openDatabase } from '../../../server/src/db/database';
import { serverOrigin, writeRecord, type RecordWrite } from '../../../server/src/db/records';
import { createUserIfAbsent } from '../../../server/src/db/users';
import { blobDirOf } from '../../../server/src/photos/register-photo-routes';

export const benchTourId = 'sync-bench-tour';
export const benchUsername = 'benchscorer';
const benchPassword = 'sync-bench-password-1';

const template: Template = {
  id: 'sync-bench-template',
  name: '重点项目观摩评议表（百分制）',
  criteria: [
    { key: 'scale', name: '项目规模', max: 20, step: 0.5, guidance: '' },
    { key: 'progress', name: '建设进度', max: 25, step: 0.5, guidance: '' },
    { key: 'technology', name: '科技含量与产业层次', max: 20, step: 0.5, guidance: '' },
    { key: 'benefit', name: '综合效益', max: 20, step: 0.5, guidance: '' },
    { key: 'organisation', name: '现场组织与汇报', max: 15, step: 0.5, guidance: '' },
  ],
};

function tourRecords(stopCount: number, scorerUserId: string): RecordWrite[] {
  const tour: Tour = {
    id: benchTourId,
    name: '同步基准测试观摩',
    kind: 'scored',
    startDate: '2021-12-08',
    endDate: '2021-12-10',
    status: 'scoring',
    template,
    rules: {
      method: 'score',
      trim: { dropHighest: 1, dropLowest: 1, minSheets: 5 },
      groupWeights: null,
      recusal: true,
      unitScore: 'mean',
      indicatorWeight: 0,
      rankWithinGroups: true,
      tieBreakCriterion: null,
    },
  };
  const units: Unit[] = Array.from({ length: 5 }, (_, i) => ({
    id: `sync-bench-unit-${i + 1}`,
    tourId: benchTourId,
    name: `参评单位${i + 1}`,
    group: i < 3 ? '县组' : '区组',
    indicatorScore: null,
  }));
  const stops: Stop[] = Array.from({ length: stopCount }, (_, i) => ({
    id: `sync-bench-stop-${String(i + 1).padStart(2, '0')}`,
    tourId: benchTourId,
    unitId: units[i % units.length]!.id,
    day: `2021-12-${String(8 + Math.floor(i / 10)).padStart(2, '0')}`,
    order: i + 1,
    name: `重点项目${i + 1}`,
    category: '工业',
    totalInvestment: 50_000 + i * 1000,
    completedInvestment: 20_000 + i * 500,
    startDate: '2021-03-01',
    content: '新建厂房及配套设施',
    lat: 32.0 + i / 100,
    lng: 120.8 + i / 100,
    address: '南通市崇川区',
    briefer: '',
  }));
  const scorer: Scorer = {
    id: 'sync-bench-scorer',
    tourId: benchTourId,
    userId: scorerUserId,
    name: '评委甲',
    role: 'scorer',
    homeUnitId: null,
    weightGroup: null,
  };
  const write = (collection: RecordWrite['collection'], data: { id: string }): RecordWrite => ({
    collection,
    id: data.id,
    tourId: benchTourId,
    data: data as unknown as Record<string, unknown>,
    versions: {},
    deleted: false,
  });
  return [write('tours', tour), ...units.map((u) => write('units', u)), ...stops.map((s) => write('stops', s)), write('scorers', scorer)];
}

export interface BenchGuanmoServer {
  server: RunningServer;
  port: number;
  username: string;
  password: string;
  userId: string;
  tourId: string;
  /** sheets, notes and photo records the server holds for the bench tour */
  countRecords(): Promise<{ sheets: number; notes: number; photos: number }>;
  /** per route: requests answered and the summed time from routing to response sent (clear it to restart) */
  serverTimes: Map<string, { requests: number; ms: number }>;
  /** how many of these photo hashes the blob store holds (verified bytes) */
  countBlobs(sha256s: readonly string[]): Promise<number>;
  close(): Promise<void>;
}

export async function startBenchGuanmoServer(options: { staticDir: string; stops: number }): Promise<BenchGuanmoServer> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-sync-bench-'));
  try {
    const env = {
      GUANMO_DATA_DIR: dataDir,
      GUANMO_PORT: '0',
      GUANMO_STATIC_DIR: options.staticDir,
      GUANMO_ADMIN_PASSWORD: 'sync-bench-admin-password',
      GUANMO_LOG_LEVEL: 'warn',
    };
    // seed before the server starts, through the server's own db layer
    const config = loadConfig(env);
    const database = await openDatabase(config, { warn: () => {} });
    let userId: string;
    try {
      const user = await createUserIfAbsent(database.db, {
        username: benchUsername,
        displayName: '评委甲',
        role: 'scorer',
        passwordHash: await hashPassword(benchPassword),
      });
      if (!user) throw new Error(`the account ${benchUsername} exists already`);
      userId = user.id;
      const writes = tourRecords(options.stops, userId);
      await database.db.transaction().execute(async (trx) => {
        for (const write of writes) await writeRecord(trx, write, serverOrigin);
      });
    } finally {
      await database.close();
    }

    const serverTimes = new Map<string, { requests: number; ms: number }>();
    const server = await startServer(config, {
      output: () => {},
      // where the server's time goes, per route (Fastify's routed → response-sent time)
      configure: (app) => {
        app.addHook('onResponse', async (request, reply) => {
          const key = `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
          const entry = serverTimes.get(key) ?? { requests: 0, ms: 0 };
          entry.requests++;
          entry.ms += reply.elapsedTime;
          serverTimes.set(key, entry);
        });
      },
    });
    const address = server.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const blobs = new BlobStore(blobDirOf(dataDir));
    return {
      server,
      port,
      username: benchUsername,
      password: benchPassword,
      userId,
      tourId: benchTourId,
      async countRecords() {
        const rows = await server.db
          .selectFrom('records')
          .select(['collection'])
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('tour_id', '=', benchTourId)
          .where('deleted', '=', 0)
          .where('collection', 'in', ['sheets', 'notes', 'photos'])
          .groupBy('collection')
          .execute();
        const count = (c: string) => Number(rows.find((r) => r.collection === c)?.n ?? 0);
        return { sheets: count('sheets'), notes: count('notes'), photos: count('photos') };
      },
      serverTimes,
      async countBlobs(sha256s) {
        let n = 0;
        for (const sha256 of sha256s) if (await blobs.has(sha256)) n++;
        return n;
      },
      async close() {
        await server.close();
        await fs.rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await fs.rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
