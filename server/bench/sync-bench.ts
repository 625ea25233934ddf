/**
 * `npm run bench:server`: load test of the sync API, on SQLite and on PostgreSQL.
 *
 * Builds the server bundle and runs it as a child process (so the load generator does not share
 * the server's event loop), seeds one scored tour with 30 stops and 100 assigned scorer accounts
 * through the server's own db layer, then simulates 100 laptops at once, each signing in,
 * pushing 30 score sheets and 30 notes and pulling until it is up to date. Two scenarios:
 *
 *   reconnect  every laptop comes back online at the same moment with its whole day in the
 *              outbox: one push of 60 mutations, then pull pages until hasMore is false.
 *   per-stop   every laptop syncs after each stop: 30 × (push 1 sheet + 1 note, pull to date).
 *
 * Every laptop runs its requests back to back (no think time), all 100 concurrently: this is a
 * saturation test, and latencies include queueing behind the other 99 laptops.
 *
 * Prints, per endpoint, request count, throughput and p50/p90/p99/max latency as the laptops saw
 * it (client) and as the server logged it (time from request to response inside the server
 * process). Prints figures; never asserts timing. Functional checks (every mutation applied,
 * every laptop received what it may see) are printed and make the exit code non-zero if wrong.
 *
 * Options: --laptops N (100) --stops N (30) --scenario reconnect|per-stop|both (both)
 *          --backends sqlite,postgres (both; PostgreSQL from GUANMO_BENCH_DATABASE_URL, else
 *          GUANMO_TEST_DATABASE_URL, else postgres://guanmo:guanmo@127.0.0.1:5432/guanmo_test;
 *          a fresh database is created next to it and dropped afterwards)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Note, ScoreSheet, Scorer, Stop, Template, Tour, Unit } from '@shared/domain/schemas';
import { sheetId } from '@shared/domain/schemas';
import { formatHlc } from '@shared/sync/hlc';
import type { Mutation, PullResponse, PushResponse } from '@shared/sync/protocol';
import { hashPassword } from '../src/auth/passwords.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { serverOrigin, writeRecord, type RecordWrite } from '../src/db/records.js';
import { createUserIfAbsent } from '../src/db/users.js';
import { createFreshPgDatabase } from '../src/test-support/backends.js';
import { buildServer } from '../build.mjs';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { values: args } = parseArgs({
  options: {
    laptops: { type: 'string', default: '100' },
    stops: { type: 'string', default: '30' },
    scenario: { type: 'string', default: 'both' },
    backends: { type: 'string', default: 'sqlite,postgres' },
  },
});
const laptopCount = Number(args.laptops);
const stopCount = Number(args.stops);
const scenarios = args.scenario === 'both' ? (['reconnect', 'per-stop'] as const) : ([args.scenario] as const);
const backends = (args.backends ?? '').split(',').filter(Boolean);
const pgBaseUrl =
  process.env.GUANMO_BENCH_DATABASE_URL?.trim() || process.env.GUANMO_TEST_DATABASE_URL?.trim() || 'postgres://guanmo:guanmo@127.0.0.1:5432/guanmo_test';
const password = 'bench-password-1';
const tourId = 'bench-tour';
const pullLimit = 500;

type Scenario = 'reconnect' | 'per-stop';

// ---------------------------------------------------------------------------------------------
// The tour every laptop works on

const template: Template = {
  id: 'bench-template',
  name: '重点项目观摩评议表（百分制）',
  criteria: [
    { key: 'progress', name: '项目进度', max: 30, step: 0.5, guidance: '' },
    { key: 'investment', name: '投资强度', max: 30, step: 0.5, guidance: '' },
    { key: 'quality', name: '建设质量', max: 20, step: 0.5, guidance: '' },
    { key: 'benefit', name: '综合效益', max: 20, step: 0.5, guidance: '' },
  ],
};

function seedRecords(): { writes: RecordWrite[]; stops: Stop[] } {
  const tour: Tour = {
    id: tourId,
    name: '压力测试观摩',
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
    id: `bench-unit-${i + 1}`,
    tourId,
    name: `参评单位${i + 1}`,
    group: i < 3 ? '县组' : '区组',
    indicatorScore: null,
  }));
  const stops: Stop[] = Array.from({ length: stopCount }, (_, i) => ({
    id: `bench-stop-${String(i + 1).padStart(2, '0')}`,
    tourId,
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
    address: '',
    briefer: '',
  }));
  const record = (collection: RecordWrite['collection'], data: { id: string }): RecordWrite => ({
    collection,
    id: data.id,
    tourId,
    data,
    versions: {},
    deleted: false,
  });
  return {
    writes: [record('tours', tour), ...units.map((u) => record('units', u)), ...stops.map((s) => record('stops', s))],
    stops,
  };
}

interface Laptop {
  username: string;
  userId: string;
  scorerId: string;
  clientId: string;
}

async function seed(env: Record<string, string>): Promise<{ laptops: Laptop[]; stops: Stop[] }> {
  const config = loadConfig({ ...env, GUANMO_LOG_LEVEL: 'silent' });
  const database = await openDatabase(config, { warn: () => {} });
  try {
    const passwordHash = await hashPassword(password);
    const { writes, stops } = seedRecords();
    const laptops: Laptop[] = [];
    const scorers: RecordWrite[] = [];
    for (let i = 1; i <= laptopCount; i++) {
      const username = `bench${String(i).padStart(3, '0')}`;
      const user = await createUserIfAbsent(database.db, { username, displayName: `评委${i}`, role: 'scorer', passwordHash });
      if (!user) throw new Error(`user ${username} exists`);
      const scorer: Scorer = { id: `bench-scorer-${i}`, tourId, userId: user.id, name: `评委${i}`, role: 'scorer', homeUnitId: null, weightGroup: null };
      scorers.push({ collection: 'scorers', id: scorer.id, tourId, data: scorer, versions: {}, deleted: false });
      laptops.push({ username, userId: user.id, scorerId: scorer.id, clientId: `laptop-${String(i).padStart(3, '0')}` });
    }
    await database.db.transaction().execute(async (trx) => {
      for (const write of [...writes, ...scorers]) await writeRecord(trx, write, serverOrigin);
    });
    return { laptops, stops };
  } finally {
    await database.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Measurements

class Samples {
  readonly byEndpoint = new Map<string, number[]>();
  add(endpoint: string, ms: number): void {
    let list = this.byEndpoint.get(endpoint);
    if (!list) this.byEndpoint.set(endpoint, (list = []));
    list.push(ms);
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

function formatTable(title: string, samples: Samples, wallMs: number): string {
  const rows = [...samples.byEndpoint.entries()].map(([endpoint, list]) => {
    const sorted = [...list].sort((a, b) => a - b);
    return [
      endpoint,
      String(sorted.length),
      ((sorted.length / wallMs) * 1000).toFixed(1),
      percentile(sorted, 50).toFixed(1),
      percentile(sorted, 90).toFixed(1),
      percentile(sorted, 99).toFixed(1),
      (sorted.at(-1) ?? NaN).toFixed(1),
    ];
  });
  const header = ['endpoint', 'requests', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [`  ${title}`, `    ${line(header)}`, ...rows.map((r) => `    ${line(r)}`)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The server as a child process

interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** server-side request durations from the request log (ms), by endpoint */
  logged: Samples;
  /** error entries of the server log (level error and above), as logged */
  errors: string[];
  stop(): Promise<void>;
}

function endpointOf(method: string, url: string): string {
  const pathOnly = url.split('?')[0]!;
  return `${method} ${pathOnly}`;
}

async function startServerProcess(bundle: string, env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [bundle], {
    cwd: serverDir,
    env: { ...process.env, ...env, GUANMO_PORT: '0', GUANMO_HOST: '127.0.0.1', GUANMO_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logged = new Samples();
  const errors: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const listening = /listening on (http:\/\/\S+)/.exec(line);
      if (listening) resolve(listening[1]!);
      if (!line.startsWith('{')) return;
      try {
        const entry = JSON.parse(line) as { level?: number; msg?: string; method?: string; url?: string; ms?: number };
        if (entry.msg === 'request' && entry.method && entry.url && typeof entry.ms === 'number') {
          logged.add(endpointOf(entry.method, entry.url), entry.ms);
        }
        if ((entry.level ?? 0) >= 50 && errors.length < 20) errors.push(line);
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${stderr}`)));
  });
  return {
    url,
    child,
    logged,
    errors,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// One laptop

interface LaptopOutcome {
  pushed: number;
  statuses: Record<string, number>;
  rejections: string[];
  pulledRecords: number;
  ownSheets: number;
  notes: number;
  otherSheets: number;
}

class Client {
  token = '';
  constructor(
    private readonly base: string,
    private readonly samples: Samples,
  ) {}

  async request<T>(endpoint: string, method: string, urlPath: string, body?: unknown): Promise<T> {
    const started = performance.now();
    const response = await fetch(new URL(urlPath, this.base), {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    this.samples.add(endpoint, performance.now() - started);
    if (!response.ok) throw new Error(`${method} ${urlPath} → ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }
}

function laptopMutations(laptop: Laptop, stops: Stop[], startMillis: number): Array<[Mutation, Mutation]> {
  let counter = 0;
  const hlc = () => formatHlc({ millis: startMillis, counter: counter++, node: laptop.clientId });
  return stops.map((stop, i) => {
    const now = new Date(startMillis).toISOString();
    const sheet: ScoreSheet = {
      id: sheetId(tourId, stop.id, laptop.scorerId),
      tourId,
      stopId: stop.id,
      scorerId: laptop.scorerId,
      scores: { progress: 20 + (i % 10) * 0.5, investment: 25, quality: 15.5, benefit: 16 },
      status: 'submitted',
      comment: '进度快，质量好',
      submittedAt: now,
      updatedAt: now,
    };
    const note: Note = {
      id: `note-${laptop.clientId}-${stop.id}`,
      tourId,
      stopId: stop.id,
      authorId: laptop.userId,
      kind: i % 3 === 0 ? 'highlight' : i % 3 === 1 ? 'problem' : 'suggestion',
      text: `第${i + 1}站：厂房主体已封顶，设备安装进度过半。`,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    const mutation = (collection: 'sheets' | 'notes', record: ScoreSheet | Note): Mutation => ({
      id: randomUUID(),
      collection,
      recordId: record.id,
      tourId,
      op: 'upsert',
      fields: { ...record },
      hlc: hlc(),
    });
    return [mutation('sheets', sheet), mutation('notes', note)];
  });
}

async function runLaptop(base: string, samples: Samples, laptop: Laptop, stops: Stop[], scenario: Scenario): Promise<LaptopOutcome> {
  const client = new Client(base, samples);
  const login = await client.request<{ token: string }>('POST /api/auth/login', 'POST', '/api/auth/login', {
    username: laptop.username,
    password,
  });
  client.token = login.token;
  const outcome: LaptopOutcome = { pushed: 0, statuses: {}, rejections: [], pulledRecords: 0, ownSheets: 0, notes: 0, otherSheets: 0 };
  const seen = new Map<string, PullResponse['changes'][number]>();
  let cursor: string | undefined;

  const push = async (mutations: Mutation[]) => {
    const response = await client.request<PushResponse>('POST /api/sync/push', 'POST', '/api/sync/push', { clientId: laptop.clientId, mutations });
    outcome.pushed += mutations.length;
    for (const result of response.results) {
      outcome.statuses[result.status] = (outcome.statuses[result.status] ?? 0) + 1;
      if (result.status === 'rejected' && outcome.rejections.length < 3) outcome.rejections.push(`${result.code}: ${result.reason}`);
    }
  };
  const pullToDate = async () => {
    for (;;) {
      const query = new URLSearchParams({ limit: String(pullLimit), ...(cursor ? { cursor } : {}) });
      const page = await client.request<PullResponse>('GET /api/sync/pull', 'GET', `/api/sync/pull?${query}`);
      outcome.pulledRecords += page.changes.length;
      for (const change of page.changes) seen.set(`${change.collection}/${change.id}`, change);
      cursor = page.cursor;
      if (!page.hasMore) return;
    }
  };

  const pairs = laptopMutations(laptop, stops, Date.now());
  if (scenario === 'reconnect') {
    await push(pairs.flat());
    await pullToDate();
  } else {
    for (const pair of pairs) {
      await push(pair);
      await pullToDate();
    }
  }
  // one last pull: by now every other laptop may have pushed more
  await pullToDate();
  for (const change of seen.values()) {
    if (change.collection === 'notes') outcome.notes++;
    if (change.collection === 'sheets') {
      if (change.data.scorerId === laptop.scorerId) outcome.ownSheets++;
      else outcome.otherSheets++;
    }
  }
  return outcome;
}

// ---------------------------------------------------------------------------------------------

async function runBackend(bundle: string, kind: 'sqlite' | 'postgres', scenario: Scenario): Promise<boolean> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-bench-'));
  let dropDatabase: (() => Promise<void>) | null = null;
  let server: ServerProcess | null = null;
  try {
    const env: Record<string, string> = { GUANMO_DATA_DIR: dataDir };
    if (kind === 'postgres') {
      const database = await createFreshPgDatabase(pgBaseUrl);
      dropDatabase = database.drop;
      env.DATABASE_URL = database.url;
    }
    const { laptops, stops } = await seed(env);
    server = await startServerProcess(bundle, { ...env, GUANMO_ADMIN_PASSWORD: 'bench-admin-password' });

    const samples = new Samples();
    const started = performance.now();
    let outcomes: LaptopOutcome[];
    try {
      outcomes = await Promise.all(laptops.map((laptop) => runLaptop(server!.url, samples, laptop, stops, scenario)));
    } catch (error) {
      await server.stop();
      console.error(`\n${kind} · ${scenario}: a laptop failed: ${(error as Error).message}`);
      for (const line of server.errors.slice(0, 3)) console.error(`  server log: ${line.slice(0, 2000)}`);
      return false;
    }
    const wallMs = performance.now() - started;
    await server.stop(); // flushes the request log
    const serverSamples = server.logged;

    const totals = outcomes.reduce(
      (t, o) => {
        t.pushed += o.pushed;
        t.pulled += o.pulledRecords;
        for (const [status, n] of Object.entries(o.statuses)) t.statuses[status] = (t.statuses[status] ?? 0) + n;
        return t;
      },
      { pushed: 0, pulled: 0, statuses: {} as Record<string, number> },
    );
    const expectedMutations = laptopCount * stopCount * 2;
    const expectedNotes = laptopCount * stopCount;
    const isApplied = (totals.statuses.applied ?? 0) === expectedMutations;
    const isComplete = outcomes.every((o) => o.ownSheets === stopCount && o.notes === expectedNotes);
    const isBlind = outcomes.every((o) => o.otherSheets === 0);

    console.log(`\n${kind} · ${scenario}: ${laptopCount} laptops × (${stopCount} sheets + ${stopCount} notes), all at once`);
    console.log(
      `  ${(wallMs / 1000).toFixed(2)} s wall · ${totals.pushed} mutations pushed (${((totals.pushed / wallMs) * 1000).toFixed(0)}/s) · ` +
        `${totals.pulled} records pulled (${((totals.pulled / wallMs) * 1000).toFixed(0)}/s)`,
    );
    console.log(`  push results: ${JSON.stringify(totals.statuses)}${isApplied ? '' : `  ✗ expected ${expectedMutations} applied`}`);
    const firstRejections = outcomes.flatMap((o) => o.rejections).slice(0, 3);
    if (firstRejections.length > 0) console.log(`  first rejections: ${firstRejections.join(' | ')}`);
    console.log(
      `  every laptop has its ${stopCount} sheets and all ${expectedNotes} notes: ${isComplete ? 'yes' : '✗ NO'}; ` +
        `saw other scorers' sheets: ${isBlind ? 'no' : '✗ YES'}`,
    );
    console.log(formatTable('as the laptops saw it (client side, includes the network stack and the load generator)', samples, wallMs));
    console.log(formatTable('inside the server (request log)', serverSamples, wallMs));
    return isApplied && isComplete && isBlind;
  } finally {
    await server?.stop();
    await dropDatabase?.().catch((error: unknown) => console.error(`could not drop the bench database: ${String(error)}`));
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

async function isPostgresReachable(): Promise<boolean> {
  try {
    const database = await createFreshPgDatabase(pgBaseUrl);
    await database.drop();
    return true;
  } catch (error) {
    console.log(`PostgreSQL at ${pgBaseUrl.replace(/:[^:@/]*@/, ':***@')} is not reachable (${(error as Error).message}): skipped`);
    return false;
  }
}

async function main(): Promise<void> {
  console.log(`Guanmo sync server bench · Node ${process.version} · ${os.cpus().length} CPU cores · ${os.cpus()[0]?.model ?? ''}`);
  const bundle = await buildServer({ outfile: path.join(serverDir, 'dist', 'bench', 'main.js'), logLevel: 'warning' });
  let isOk = true;
  for (const kind of backends) {
    if (kind !== 'sqlite' && kind !== 'postgres') throw new Error(`unknown backend ${kind}`);
    if (kind === 'postgres' && !(await isPostgresReachable())) continue;
    for (const scenario of scenarios) {
      if (scenario !== 'reconnect' && scenario !== 'per-stop') throw new Error(`unknown scenario ${scenario}`);
      isOk = (await runBackend(bundle, kind, scenario)) && isOk;
    }
  }
  console.log('\ngoal: p99 under 200 ms per endpoint on a 2-core machine (figures above; not asserted)');
  if (!isOk) {
    console.log('✗ functional checks failed (see above)');
    process.exitCode = 1;
  }
}

await main();
