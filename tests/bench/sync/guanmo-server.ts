/**
 * The real Guanmo sync server for the bench: a fresh data folder (SQLite, blob store), one scored
 * tour of 30 stops and one scorer account assigned to it, seeded through the server's own db
 * layer before it starts (as `npm run bench:server` does), and the bench page as its static site.
 *
 * It runs as its own process (guanmo-server-process.ts), as a deployed server does and as the
 * PouchDB peer's server does (pouchdb-peer.ts): in the bench's process it would share one event
 * loop with the byte-counting proxy, which handles every byte twice. The bench talks to it over
 * the child's IPC channel (counts, per-route server times, close).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
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
      projectScope: 'group',
      unitScope: 'group',
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

export type ServerTimes = Map<string, { requests: number; ms: number }>;

export interface BenchGuanmoServer {
  port: number;
  username: string;
  password: string;
  userId: string;
  tourId: string;
  /** sheets, notes and photo records the server holds for the bench tour */
  countRecords(): Promise<{ sheets: number; notes: number; photos: number }>;
  /** per route: requests answered and the summed time from routing to response sent */
  serverTimes(): Promise<ServerTimes>;
  /** starts the per-route times again */
  clearServerTimes(): Promise<void>;
  /** how many of these photo hashes the blob store holds (verified bytes) */
  countBlobs(sha256s: readonly string[]): Promise<number>;
  close(): Promise<void>;
}

/** The server in this process (what the child process runs). */
export interface InProcessBenchServer extends Omit<BenchGuanmoServer, 'serverTimes' | 'clearServerTimes'> {
  server: RunningServer;
  serverTimes: ServerTimes;
}

/** Messages between the bench and the server's process. */
export type ServerRequest =
  | { id: string; kind: 'countRecords' }
  | { id: string; kind: 'countBlobs'; sha256s: string[] }
  | { id: string; kind: 'serverTimes' }
  | { id: string; kind: 'clearServerTimes' }
  | { id: string; kind: 'close' };
export type ServerMessage =
  | { kind: 'ready'; port: number; username: string; password: string; userId: string; tourId: string }
  | { kind: 'failed'; message: string }
  | { id: string; kind: 'answer'; value: unknown }
  | { id: string; kind: 'error'; message: string };

const here = path.dirname(fileURLToPath(import.meta.url));

/** Starts the bench server in its own process; resolves once it listens. */
export async function startBenchGuanmoServer(options: { staticDir: string; stops: number }): Promise<BenchGuanmoServer> {
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, path.join(here, 'guanmo-server-process.ts'), JSON.stringify(options)], {
    // the repo root: tsx's loader (inherited flags and TSX_TSCONFIG_PATH) resolves from there
    cwd: path.resolve(here, '../../..'),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pending = new Map<string, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  child.on('message', (raw) => {
    const message = raw as ServerMessage;
    if (message.kind !== 'answer' && message.kind !== 'error') return;
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.kind === 'answer') waiting?.resolve(message.value);
    else waiting?.reject(new Error(message.message));
  });
  child.once('exit', (code) => {
    for (const waiting of pending.values()) waiting.reject(new Error(`the bench server exited (${code})`));
    pending.clear();
  });
  const ask = <T>(request: ServerRequest extends infer R ? (R extends { id: string } ? Omit<R, 'id'> : never) : never): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = randomUUID();
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ ...request, id });
    });
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    }
  };
  let ready: Extract<ServerMessage, { kind: 'ready' }>;
  try {
    ready = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the bench server did not start within 60 s')), 60_000);
      child.once('exit', (code) => reject(new Error(`the bench server exited (${code}) before listening`)));
      child.on('message', (raw) => {
        const message = raw as ServerMessage;
        if (message.kind === 'ready') {
          clearTimeout(timer);
          resolve(message);
        } else if (message.kind === 'failed') {
          clearTimeout(timer);
          reject(new Error(`the bench server failed to start: ${message.message}`));
        }
      });
    });
  } catch (error) {
    await kill();
    throw error;
  }
  return {
    port: ready.port,
    username: ready.username,
    password: ready.password,
    userId: ready.userId,
    tourId: ready.tourId,
    countRecords: () => ask({ kind: 'countRecords' }),
    countBlobs: (sha256s) => ask({ kind: 'countBlobs', sha256s: [...sha256s] }),
    serverTimes: async () => new Map(await ask<Array<[string, { requests: number; ms: number }]>>({ kind: 'serverTimes' })),
    clearServerTimes: () => ask({ kind: 'clearServerTimes' }),
    async close() {
      try {
        await ask({ kind: 'close' });
      } finally {
        await kill();
      }
    },
  };
}

/** Seeds and starts the server in this process (the child's job). */
export async function startBenchGuanmoServerHere(options: { staticDir: string; stops: number }): Promise<InProcessBenchServer> {
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
