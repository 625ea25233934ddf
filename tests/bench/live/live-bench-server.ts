/**
 * The server of `npm run bench:live`, in a process of its own (as deployed, and so that its CPU
 * time is its own, not the bench's 99 clients'): a fresh SQLite data folder seeded through the
 * server's own db layer with one scored tour of STOPS stops, the accounts the bench's listeners
 * and its pushing scorer sign in as (sessions created here, tokens handed to the bench: a hundred
 * argon2 sign-ins would only measure argon2), and the built renderer as its static site.
 *
 * argv[2]: JSON {staticDir, stops, listeners: ListenerSpec[]}. Messages: `ready` once listening;
 * then answers `cpu` (the process's CPU time and the live hub's figures) and `close`.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultRankingRules, type Scorer, type Stop, type Template, type Tour, type Unit } from '@shared/domain/schemas';
import { startServer } from '../../../server/src/app';
import { hashPassword } from '../../../server/src/auth/passwords';
import { hashSessionToken, newSessionToken } from '../../../server/src/auth/tokens';
import { loadConfig } from '../../../server/src/config';
import { openDatabase } from '../../../server/src/db/database';
import { serverOrigin, writeRecord, type RecordWrite } from '../../../server/src/db/records';
import { createSession } from '../../../server/src/db/sessions';
import { createUserIfAbsent } from '../../../server/src/db/users';

// the bench imports types only from here: importing a value would run main()
const benchTourId = 'live-bench-tour';
const otherTourId = 'live-bench-other-tour';
const secretariatUsername = 'benchdesk';
const secretariatPassword = 'live-bench-password-1';

/** who listens: role and whether they take part in the bench tour (as scorer or observer) or in another tour */
export interface ListenerSpec {
  role: 'secretariat' | 'scorer' | 'observer';
  tour: 'bench' | 'other' | null;
}

export interface BenchAccount {
  username: string;
  userId: string;
  token: string;
  spec: ListenerSpec;
  /** the scorer record id in the bench tour (scorers of it only) */
  scorerId: string | null;
}

export type LiveServerMessage =
  | { kind: 'ready'; port: number; desk: { username: string; password: string }; tourId: string; listeners: BenchAccount[]; pusher: BenchAccount; stopIds: string[]; template: Template }
  | { kind: 'failed'; message: string }
  | { id: number; kind: 'answer'; value: unknown };
export type LiveServerRequest = { id: number; kind: 'cpu' } | { id: number; kind: 'close' };

const template: Template = {
  id: 'live-bench-template',
  name: '重点项目观摩评议表（百分制）',
  criteria: [
    { key: 'scale', name: '项目规模', max: 20, step: 0.5, guidance: '' },
    { key: 'progress', name: '建设进度', max: 25, step: 0.5, guidance: '' },
    { key: 'technology', name: '科技含量与产业层次', max: 20, step: 0.5, guidance: '' },
    { key: 'benefit', name: '综合效益', max: 20, step: 0.5, guidance: '' },
    { key: 'organisation', name: '现场组织与汇报', max: 15, step: 0.5, guidance: '' },
  ],
};

function tourWrites(tourId: string, name: string, stopCount: number, participants: Array<{ scorerId: string; userId: string; name: string; role: 'scorer' | 'observer' }>): RecordWrite[] {
  const tour: Tour = {
    id: tourId,
    name,
    kind: 'scored',
    startDate: '2021-12-08',
    endDate: '2021-12-09',
    status: 'scoring',
    template,
    rules: { ...defaultRankingRules, trim: null },
  };
  const units: Unit[] = Array.from({ length: 6 }, (_, i) => ({ id: `${tourId}-unit-${i + 1}`, tourId, name: `参评单位${i + 1}`, group: i < 4 ? '县组' : '区组', indicatorScore: null }));
  const stops: Stop[] = Array.from({ length: stopCount }, (_, i) => ({
    id: `${tourId}-stop-${String(i + 1).padStart(2, '0')}`,
    tourId,
    unitId: units[i % units.length]!.id,
    day: i < stopCount / 2 ? '2021-12-08' : '2021-12-09',
    order: i + 1,
    name: `重点项目${i + 1}`,
    category: '工业',
    totalInvestment: 50_000 + i * 1000,
    completedInvestment: 20_000 + i * 500,
    startDate: '2021-03-01',
    content: '新建厂房及配套设施',
    lat: null,
    lng: null,
    address: '',
    briefer: '',
  }));
  const scorers: Scorer[] = participants.map((p) => ({ id: p.scorerId, tourId, userId: p.userId, name: p.name, role: p.role, homeUnitId: null, weightGroup: null }));
  const write = (collection: RecordWrite['collection'], data: { id: string }): RecordWrite => ({ collection, id: data.id, tourId, data: data as unknown as Record<string, unknown>, versions: {}, deleted: false });
  return [write('tours', tour), ...units.map((u) => write('units', u)), ...stops.map((s) => write('stops', s)), ...scorers.map((s) => write('scorers', s))];
}

const send = (message: LiveServerMessage) => process.send?.(message);

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as { staticDir: string; stops: number; listeners: ListenerSpec[] };
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-live-bench-'));
  const env = { GUANMO_DATA_DIR: dataDir, GUANMO_PORT: '0', GUANMO_STATIC_DIR: options.staticDir, GUANMO_ADMIN_PASSWORD: 'live-bench-admin-password', GUANMO_LOG_LEVEL: 'warn' };
  const config = loadConfig(env);
  const database = await openDatabase(config, { warn: () => {} });
  const passwordHash = await hashPassword(secretariatPassword);
  const listeners: BenchAccount[] = [];
  let pusher: BenchAccount;
  try {
    const account = async (username: string, displayName: string, spec: ListenerSpec, scorerId: string | null): Promise<BenchAccount> => {
      const user = await createUserIfAbsent(database.db, { username, displayName, role: spec.role, passwordHash });
      if (!user) throw new Error(`the account ${username} exists already`);
      const token = newSessionToken();
      await createSession(database.db, { tokenHash: hashSessionToken(token), userId: user.id, ip: '127.0.0.1', userAgent: 'live-bench' });
      return { username, userId: user.id, token, spec, scorerId };
    };
    await account(secretariatUsername, '秘书处', { role: 'secretariat', tour: null }, null);
    pusher = await account('benchpusher', '评委甲', { role: 'scorer', tour: 'bench' }, `${benchTourId}-scorer-000`);
    for (const [i, spec] of options.listeners.entries()) {
      const n = String(i + 1).padStart(3, '0');
      const scorerId = spec.tour === 'bench' ? `${benchTourId}-scorer-${n}` : spec.tour === 'other' ? `${otherTourId}-scorer-${n}` : null;
      listeners.push(await account(`listener${n}`, `${spec.role === 'observer' ? '观察员' : spec.role === 'scorer' ? '评委' : '秘书处'}${n}`, spec, scorerId));
    }
    const participantsOf = (tour: 'bench' | 'other') =>
      [...(tour === 'bench' ? [pusher] : []), ...listeners]
        .filter((a) => a.spec.tour === tour)
        .map((a) => ({ scorerId: a.scorerId!, userId: a.userId, name: a.username === 'benchpusher' ? '评委甲' : a.username, role: a.spec.role === 'observer' ? ('observer' as const) : ('scorer' as const) }));
    const writes = [...tourWrites(benchTourId, '实时看板基准观摩', options.stops, participantsOf('bench')), ...tourWrites(otherTourId, '另一场观摩', 10, participantsOf('other'))];
    await database.db.transaction().execute(async (trx) => {
      for (const write of writes) await writeRecord(trx, write, serverOrigin);
    });
  } finally {
    await database.close();
  }

  const server = await startServer(config, { output: () => {} });
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let isClosing = false;
  const close = async () => {
    if (isClosing) return;
    isClosing = true;
    await server.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  };
  process.on('message', (raw) => {
    const request = raw as LiveServerRequest;
    void (async () => {
      let value: unknown = null;
      if (request.kind === 'cpu') value = { cpu: process.cpuUsage(), at: Date.now(), streams: server.live.size, stats: { ...server.live.stats } };
      else if (request.kind === 'close') await close();
      send({ id: request.id, kind: 'answer', value });
      if (request.kind === 'close') process.disconnect();
    })();
  });
  const stop = () => void close().finally(() => process.exit(0));
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  const stopIds = Array.from({ length: options.stops }, (_, i) => `${benchTourId}-stop-${String(i + 1).padStart(2, '0')}`);
  send({ kind: 'ready', port, desk: { username: secretariatUsername, password: secretariatPassword }, tourId: benchTourId, listeners, pusher: pusher!, stopIds, template });
}

main().catch((error: unknown) => {
  send({ kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
