/**
 * `npm run bench:server`: load test of the sync API, on SQLite and on PostgreSQL.
 *
 * Builds the server bundle and runs it as a child process (the load generator must not share the
 * server's event loop), seeds one scored tour (30 stops) and 100 assigned scorer accounts through
 * the server's own db layer, and simulates 100 laptops, each pushing 30 score sheets and 30 notes
 * and pulling until it is up to date. Every run has three phases:
 *
 *   sign-in   all laptops sign in at once (argon2id: deliberately slow, once per session)
 *   sync      the scenario below
 *   catch-up  once every laptop has pushed, each pulls until hasMore is false, and the bench
 *             checks that it holds its own 30 sheets, every laptop's notes, and no other
 *             scorer's sheet (blind scoring)
 *
 * Scenarios (a fresh database and server each):
 *   paced      the realistic one: each laptop syncs after every stop (push 1 sheet + 1 note,
 *              pull to date), its syncs spread at random over --paced-seconds (default 60: the
 *              whole 3-day tour compressed into a minute, ~50 syncs/s from 100 laptops)
 *   reconnect  all laptops regain the network at the same instant (one bus, one hotspot) with
 *              the whole day in the outbox, and each starts its round as the app does: after a
 *              random wait within RECONNECT_JITTER_MS (shared/sync/protocol.ts); then one push
 *              of 60 mutations and pull pages until up to date
 *   reconnect-burst  worst case: the same rounds all arriving in the same instant, with no wait
 *              (an app without the reconnect wait, or everyone pressing "sync now" at once);
 *              latencies are mostly queueing behind one another
 *   per-stop   saturation: per-stop syncs back to back with no pause, 100 laptops at once;
 *              shows the throughput ceiling, latencies are mostly queueing (in a closed loop
 *              without pauses, latency ≈ laptops ÷ throughput)
 *
 * Prints per phase and endpoint: requests, throughput, p50/p90/p99/max latency as the laptops saw
 * it (client: each laptop on its own keep-alive connection; includes queueing in the server's
 * socket backlog and the load generator's own work on the other core) and as the server logged it (request routed → response sent). Prints
 * figures; never asserts timing. The functional checks make the exit code non-zero if wrong.
 *
 * Options: --laptops N (100) --stops N (30) --scenario paced,reconnect,reconnect-burst,per-stop
 *          --paced-seconds N (60) --backends sqlite,postgres (PostgreSQL from
 *          GUANMO_BENCH_DATABASE_URL, else GUANMO_TEST_DATABASE_URL, else
 *          postgres://guanmo:guanmo@127.0.0.1:5432/guanmo_test; a fresh database is created next
 *          to it and dropped afterwards) --server-node-args="…" (extra node options for the server
 *          child, e.g. --server-node-args="--cpu-prof --cpu-prof-dir=/tmp/prof" to see where its time goes)
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Note, ScoreSheet, Scorer, Stop, Template, Tour, Unit } from '@shared/domain/schemas';
import { sheetId } from '@shared/domain/schemas';
import { formatHlc } from '@shared/sync/hlc';
import { RECONNECT_JITTER_MS, type Mutation, type PullResponse, type PushResponse } from '@shared/sync/protocol';
import { hashPassword } from '../src/auth/passwords.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { serverOrigin, writeRecord, type RecordWrite } from '../src/db/records.js';
import { createUserIfAbsent } from '../src/db/users.js';
import { createFreshPgDatabase } from '../src/test-support/backends.js';
import { buildServer } from '../build.mjs';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const allScenarios = ['paced', 'reconnect', 'reconnect-burst', 'per-stop'] as const;
type Scenario = (typeof allScenarios)[number];
const isScenario = (s: string): s is Scenario => (allScenarios as readonly string[]).includes(s);

const { values: args } = parseArgs({
  options: {
    laptops: { type: 'string', default: '100' },
    stops: { type: 'string', default: '30' },
    scenario: { type: 'string', default: allScenarios.join(',') },
    'paced-seconds': { type: 'string', default: '60' },
    backends: { type: 'string', default: 'sqlite,postgres' },
    'server-node-args': { type: 'string', default: '' },
  },
});
const laptopCount = Number(args.laptops);
const stopCount = Number(args.stops);
const pacedSeconds = Number(args['paced-seconds']);
const scenarios = (args.scenario ?? '').split(',').filter(Boolean);
const backends = (args.backends ?? '').split(',').filter(Boolean);
for (const s of scenarios) if (!isScenario(s)) throw new Error(`unknown scenario ${s} (${allScenarios.join(', ')})`);
for (const b of backends) if (b !== 'sqlite' && b !== 'postgres') throw new Error(`unknown backend ${b} (sqlite, postgres)`);
if (![laptopCount, stopCount, pacedSeconds].every((n) => Number.isInteger(n) && n > 0)) throw new Error('numbers must be positive integers');

const pgBaseUrl =
  process.env.GUANMO_BENCH_DATABASE_URL?.trim() || process.env.GUANMO_TEST_DATABASE_URL?.trim() || 'postgres://guanmo:guanmo@127.0.0.1:5432/guanmo_test';
const password = 'bench-password-1';
const tourId = 'bench-tour';
const pullLimit = 500;

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
      projectScope: 'group',
      unitScope: 'group',
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

interface Account {
  username: string;
  userId: string;
  scorerId: string;
  clientId: string;
}

async function seed(env: Record<string, string>): Promise<{ accounts: Account[]; stops: Stop[] }> {
  const config = loadConfig({ ...env, GUANMO_LOG_LEVEL: 'silent' });
  const database = await openDatabase(config, { warn: () => {} });
  try {
    const passwordHash = await hashPassword(password);
    const { writes, stops } = seedRecords();
    const accounts: Account[] = [];
    const scorers: RecordWrite[] = [];
    for (let i = 1; i <= laptopCount; i++) {
      const username = `bench${String(i).padStart(3, '0')}`;
      const user = await createUserIfAbsent(database.db, { username, displayName: `评委${i}`, role: 'scorer', passwordHash });
      if (!user) throw new Error(`user ${username} exists`);
      const scorer: Scorer = { id: `bench-scorer-${i}`, tourId, userId: user.id, name: `评委${i}`, role: 'scorer', homeUnitId: null, weightGroup: null };
      scorers.push({ collection: 'scorers', id: scorer.id, tourId, data: scorer, versions: {}, deleted: false });
      accounts.push({ username, userId: user.id, scorerId: scorer.id, clientId: `laptop-${String(i).padStart(3, '0')}` });
    }
    await database.db.transaction().execute(async (trx) => {
      for (const write of [...writes, ...scorers]) await writeRecord(trx, write, serverOrigin);
    });
    return { accounts, stops };
  } finally {
    await database.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Measurements: latencies per (phase, endpoint), from the client and from the server's log

type Phase = 'sign-in' | 'sync' | 'catch-up';

class Recorder {
  readonly client = new Map<string, number[]>();
  readonly server = new Map<string, number[]>();
  private readonly serverEntries: Array<{ time: number; endpoint: string; ms: number }> = [];
  readonly windows: Array<{ phase: Phase; start: number; end: number }> = [];
  private current: { phase: Phase; start: number } | null = null;

  get phase(): Phase {
    if (!this.current) throw new Error('no phase running');
    return this.current.phase;
  }
  begin(phase: Phase): void {
    this.current = { phase, start: Date.now() };
  }
  end(): number {
    if (!this.current) throw new Error('no phase running');
    const end = Date.now();
    this.windows.push({ ...this.current, end });
    this.current = null;
    return end - this.windows.at(-1)!.start;
  }
  addClient(endpoint: string, ms: number): void {
    push(this.client, `${this.phase}\t${endpoint}`, ms);
  }
  /** a server request log entry (`time`: when it was logged, at the response's end) */
  addServer(time: number, endpoint: string, ms: number): void {
    this.serverEntries.push({ time, endpoint, ms });
  }
  /** Places the server's entries in the phase during which each request arrived. */
  attributeServerEntries(): void {
    for (const { time, endpoint, ms } of this.serverEntries.splice(0)) {
      const arrived = time - ms;
      const window = this.windows.find((w) => arrived >= w.start - 1 && arrived <= w.end);
      if (window) push(this.server, `${window.phase}\t${endpoint}`, ms);
    }
  }
  wallMs(phase: Phase): number {
    const w = this.windows.find((x) => x.phase === phase);
    return w ? w.end - w.start : NaN;
  }
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function formatTable(recorder: Recorder): string {
  const header = ['phase', 'endpoint', 'requests', 'req/s', 'p50', 'p90', 'p99', 'max', '│', 'p50', 'p90', 'p99', 'max'];
  const rows = [...recorder.client.entries()].map(([key, list]) => {
    const [phase, endpoint] = key.split('\t') as [Phase, string];
    const client = [...list].sort((a, b) => a - b);
    const server = [...(recorder.server.get(key) ?? [])].sort((a, b) => a - b);
    const ms = (n: number) => (Number.isNaN(n) ? '-' : n.toFixed(1));
    return [
      phase,
      endpoint,
      String(client.length),
      ((client.length / recorder.wallMs(phase)) * 1000).toFixed(1),
      ms(percentile(client, 50)),
      ms(percentile(client, 90)),
      ms(percentile(client, 99)),
      ms(client.at(-1) ?? NaN),
      '│',
      ms(percentile(server, 50)),
      ms(percentile(server, 90)),
      ms(percentile(server, 99)),
      ms(server.at(-1) ?? NaN),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    `    latency in ms; left of │: as the laptops saw it; right of │: inside the server (its request log)`,
    `    ${line(header)}`,
    ...rows.map((r) => `    ${line(r)}`),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The server as a child process

/** clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on every Linux the bench runs on) */
const clockTicksPerSecond = 100;

/**
 * CPU time of a process from /proc (Linux): unlike latencies, it hardly depends on what else the
 * machine is doing, so it compares runs made under different loads.
 */
function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
  } catch {
    return NaN;
  }
}

interface ServerProcess {
  url: string;
  /** CPU time the server process has used so far (user + system, ms); NaN where /proc is missing */
  cpuMs(): number;
  /** error entries of the server log (level error and above) */
  errors: string[];
  stop(): Promise<void>;
}

async function startServerProcess(bundle: string, env: Record<string, string>, recorder: Recorder): Promise<ServerProcess> {
  const nodeArgs = (args['server-node-args'] ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, bundle], {
    cwd: serverDir,
    env: { ...process.env, ...env, GUANMO_PORT: '0', GUANMO_HOST: '127.0.0.1', GUANMO_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const closed = new Promise<void>((resolve) => lines.once('close', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const listening = /listening on (http:\/\/\S+)/.exec(line);
      if (listening) resolve(listening[1]!);
      if (!line.startsWith('{')) return;
      try {
        const entry = JSON.parse(line) as { level?: number; time?: number; msg?: string; method?: string; url?: string; ms?: number };
        if (entry.msg === 'request' && entry.method && entry.url && typeof entry.ms === 'number' && typeof entry.time === 'number') {
          recorder.addServer(entry.time, `${entry.method} ${entry.url.split('?')[0]}`, entry.ms);
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
    errors,
    cpuMs: () => processCpuMs(child.pid),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await closed; // every log line read
    },
  };
}

// ---------------------------------------------------------------------------------------------
// One laptop

interface HttpAnswer {
  status: number;
  retryAfter: string | undefined;
  body: Buffer;
}

/** One HTTP request on `agent`'s connection (node:http: lighter than fetch for a hundred clients in one process). */
function httpRequest(agent: http.Agent, url: URL, method: string, token: string, body: string | undefined): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  if (token) headers.authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const retryAfter = response.headers['retry-after'];
        resolve({ status: response.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined, body: Buffer.concat(chunks) });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * The cursor and hasMore of a PullResponse, read from its last bytes: the server writes them after
 * the changes (sync/pull.ts serializePullPage), and only they are needed to ask for the next page.
 * The last `],"cursor":` is the top-level one, as the changes all come before it. Falls back to
 * parsing the whole page if the end has another shape.
 */
function pageEnd(page: Buffer): Pick<PullResponse, 'cursor' | 'hasMore'> {
  const tail = page.toString('utf8', Math.max(0, page.length - 1024));
  const at = tail.lastIndexOf('],"cursor":');
  try {
    if (at >= 0) return JSON.parse(`{${tail.slice(at + 2)}`) as Pick<PullResponse, 'cursor' | 'hasMore'>;
  } catch {
    // the whole page below
  }
  return JSON.parse(page.toString('utf8')) as PullResponse;
}

class Laptop {
  private token = '';
  private cursor: string | undefined;
  private counter = 0;
  /**
   * what this laptop holds after pulling: collection/id → the scorer of a sheet (null for other
   * records); just what the checks need, so that 300,000 pulled records do not weigh on the load
   * generator's heap (its garbage collection pauses count in every latency it measures)
   */
  readonly held = new Map<string, string | null>();
  readonly statuses: Record<string, number> = {};
  readonly rejections: string[] = [];
  pushed = 0;
  pulled = 0;
  /** pull pages received and not read yet (digest) */
  private readonly unread: Buffer[] = [];
  /** 503 answers (server busy) this laptop waited out and retried */
  busy = 0;
  /**
   * This laptop's own keep-alive connection, as a real laptop has. (One fetch pool shared by all
   * hundred simulated laptops handed requests to whichever connection was free and let some
   * wait seconds behind others: the tail was the load generator's, not the server's.)
   */
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    readonly account: Account,
    private readonly base: string,
    private readonly recorder: Recorder,
  ) {}

  /** closes this laptop's connection */
  close(): void {
    this.agent.destroy();
  }

  private async request<T>(method: string, urlPath: string, body?: unknown): Promise<T> {
    return JSON.parse((await this.requestBytes(method, urlPath, body)).toString('utf8')) as T;
  }

  /** The body of a 2xx answer, unparsed; throws on any other status. */
  private async requestBytes(method: string, urlPath: string, body?: unknown): Promise<Buffer> {
    const started = performance.now();
    let response: HttpAnswer;
    for (;;) {
      response = await httpRequest(this.agent, new URL(urlPath, this.base), method, this.token, body === undefined ? undefined : JSON.stringify(body));
      if (response.status !== 503) break;
      // as the app's sync engine does (renderer/src/sync/backoff.ts): wait what Retry-After says,
      // plus up to a quarter more; the request's latency includes the wait
      this.busy++;
      const seconds = Number(response.retryAfter ?? '1');
      await sleep((Number.isFinite(seconds) ? seconds : 1) * 1000 * (1 + Math.random() / 4));
    }
    this.recorder.addClient(`${method} ${urlPath.split('?')[0]}`, performance.now() - started);
    if (response.status < 200 || response.status > 299) {
      throw new Error(`${this.account.username}: ${method} ${urlPath} → ${response.status} ${response.body.toString('utf8', 0, 300)}`);
    }
    return response.body;
  }

  async signIn(): Promise<void> {
    const { token } = await this.request<{ token: string }>('POST', '/api/auth/login', { username: this.account.username, password });
    this.token = token;
  }

  async push(mutations: Mutation[]): Promise<void> {
    const response = await this.request<PushResponse>('POST', '/api/sync/push', { clientId: this.account.clientId, mutations });
    this.pushed += mutations.length;
    for (const result of response.results) {
      this.statuses[result.status] = (this.statuses[result.status] ?? 0) + 1;
      if (result.status === 'rejected' && this.rejections.length < 3) this.rejections.push(`${result.code}: ${result.reason}`);
    }
  }

  async pullToDate(): Promise<void> {
    for (;;) {
      const query = new URLSearchParams({ limit: String(pullLimit), ...(this.cursor ? { cursor: this.cursor } : {}) });
      const page = await this.requestBytes('GET', `/api/sync/pull?${query}`);
      this.unread.push(page);
      const { cursor, hasMore } = pageEnd(page);
      this.cursor = cursor;
      if (!hasMore) return;
    }
  }

  /**
   * Reads the pages pulled so far into `held` and `pulled`. Called between phases, outside the
   * timed work: a real laptop parses its pages on its own CPU, whereas here the hundred laptops'
   * parsing (300 MB of JSON in the reconnect burst, a whole core) would compete with the server
   * for this machine's two cores and lag the event loop that times every request.
   */
  digest(): void {
    for (const bytes of this.unread.splice(0)) {
      const page = JSON.parse(bytes.toString('utf8')) as PullResponse;
      this.pulled += page.changes.length;
      for (const change of page.changes) {
        const scorerId = change.collection === 'sheets' ? change.data.scorerId : null;
        this.held.set(`${change.collection}/${change.id}`, typeof scorerId === 'string' ? scorerId : null);
      }
    }
  }


  /** the sheet and the note this laptop's scorer writes at stop `index` */
  mutationsAt(stop: Stop, index: number): Mutation[] {
    const now = new Date().toISOString();
    const sheet: ScoreSheet = {
      id: sheetId(tourId, stop.id, this.account.scorerId),
      tourId,
      stopId: stop.id,
      scorerId: this.account.scorerId,
      scores: { progress: 20 + (index % 10) * 0.5, investment: 25, quality: 15.5, benefit: 16 },
      status: 'submitted',
      comment: '进度快，质量好',
      submittedAt: now,
      updatedAt: now,
    };
    const note: Note = {
      id: `note-${this.account.clientId}-${stop.id}`,
      tourId,
      stopId: stop.id,
      authorId: this.account.userId,
      kind: index % 3 === 0 ? 'highlight' : index % 3 === 1 ? 'problem' : 'suggestion',
      text: `第${index + 1}站：厂房主体已封顶，设备安装进度过半。`,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    const hlc = () => formatHlc({ millis: Date.now(), counter: this.counter++ % 0xffff, node: this.account.clientId });
    return [
      { id: randomUUID(), collection: 'sheets', recordId: sheet.id, tourId, op: 'upsert', fields: { ...sheet }, hlc: hlc() },
      { id: randomUUID(), collection: 'notes', recordId: note.id, tourId, op: 'upsert', fields: { ...note }, hlc: hlc() },
    ];
  }
}

// ---------------------------------------------------------------------------------------------
// Scenarios

/** deterministic pseudo-random numbers in [0, 1) (mulberry32) */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function syncPhase(laptop: Laptop, stops: Stop[], scenario: Scenario, seed: number): Promise<void> {
  if (scenario === 'reconnect' || scenario === 'reconnect-burst') {
    if (scenario === 'reconnect') await sleep(random(seed)() * RECONNECT_JITTER_MS);
    await laptop.push(stops.flatMap((stop, i) => laptop.mutationsAt(stop, i)));
    await laptop.pullToDate();
    return;
  }
  const next = random(seed);
  const meanGapMs = (pacedSeconds * 1000) / stops.length;
  if (scenario === 'paced') await sleep(next() * meanGapMs);
  for (const [i, stop] of stops.entries()) {
    await laptop.push(laptop.mutationsAt(stop, i));
    await laptop.pullToDate();
    if (scenario === 'paced' && i < stops.length - 1) await sleep(next() * 2 * meanGapMs);
  }
}

async function runScenario(bundle: string, kind: 'sqlite' | 'postgres', scenario: Scenario): Promise<boolean> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-bench-'));
  let dropDatabase: (() => Promise<void>) | null = null;
  let server: ServerProcess | null = null;
  const recorder = new Recorder();
  let laptops: Laptop[] = [];
  try {
    const env: Record<string, string> = { GUANMO_DATA_DIR: dataDir };
    if (kind === 'postgres') {
      const database = await createFreshPgDatabase(pgBaseUrl);
      dropDatabase = database.drop;
      env.DATABASE_URL = database.url;
    }
    const { accounts, stops } = await seed(env);
    server = await startServerProcess(bundle, { ...env, GUANMO_ADMIN_PASSWORD: 'bench-admin-password' }, recorder);
    laptops = accounts.map((account) => new Laptop(account, server!.url, recorder));

    const phases: Array<[Phase, (laptop: Laptop, index: number) => Promise<void>]> = [
      ['sign-in', (laptop) => laptop.signIn()],
      ['sync', (laptop, index) => syncPhase(laptop, stops, scenario, index + 1)],
      ['catch-up', (laptop) => laptop.pullToDate()],
    ];
    let syncMs = NaN;
    let syncCpuMs = NaN;
    let generatorCpu = process.cpuUsage();
    let pulledBeforeCatchUp = 0;
    // the load generator's own event loop: when it lags, client-side latencies include that lag
    const clientLag = monitorEventLoopDelay({ resolution: 10 });
    for (const [phase, work] of phases) {
      if (phase === 'sync') {
        clientLag.enable();
        syncCpuMs = -server.cpuMs();
        generatorCpu = process.cpuUsage();
      }
      recorder.begin(phase);
      try {
        await Promise.all(laptops.map(work));
      } catch (error) {
        recorder.end();
        await server.stop();
        console.error(`\n${kind} · ${scenario} · ${phase}: a laptop failed: ${(error as Error).message}`);
        for (const line of server.errors.slice(0, 3)) console.error(`  server log: ${line.slice(0, 1500)}`);
        return false;
      }
      const ms = recorder.end();
      if (phase === 'sync') {
        generatorCpu = process.cpuUsage(generatorCpu);
        clientLag.disable();
        syncCpuMs += server.cpuMs();
        syncMs = ms;
      }
      for (const laptop of laptops) laptop.digest(); // after the phase's figures: see digest
      if (phase === 'sync') pulledBeforeCatchUp = laptops.reduce((n, l) => n + l.pulled, 0);
    }
    await server.stop(); // every request log line read
    recorder.attributeServerEntries();

    const statuses: Record<string, number> = {};
    for (const laptop of laptops) for (const [status, n] of Object.entries(laptop.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
    const pushed = laptops.reduce((n, l) => n + l.pushed, 0);
    const expectedMutations = laptopCount * stopCount * 2;
    const expectedNotes = laptopCount * stopCount;
    const isApplied = (statuses.applied ?? 0) === expectedMutations;
    let isComplete = true;
    let isBlind = true;
    for (const laptop of laptops) {
      let ownSheets = 0;
      let notes = 0;
      for (const [key, scorerId] of laptop.held) {
        if (key.startsWith('notes/')) notes++;
        if (key.startsWith('sheets/')) {
          if (scorerId === laptop.account.scorerId) ownSheets++;
          else isBlind = false;
        }
      }
      if (ownSheets !== stopCount || notes !== expectedNotes) isComplete = false;
    }

    console.log(`\n${kind} · ${scenario}: ${laptopCount} laptops × (${stopCount} sheets + ${stopCount} notes)`);
    console.log(
      `  sync phase ${(syncMs / 1000).toFixed(2)} s: ${pushed} mutations pushed (${((pushed / syncMs) * 1000).toFixed(0)}/s), ` +
        `${pulledBeforeCatchUp} records pulled (${((pulledBeforeCatchUp / syncMs) * 1000).toFixed(0)}/s)`,
    );
    const syncRequests = [...recorder.client.entries()].filter(([key]) => key.startsWith('sync\t')).reduce((n, [, list]) => n + list.length, 0);
    console.log(
      `  server process CPU during sync: ${(syncCpuMs / 1000).toFixed(2)} s, ${(syncCpuMs / syncRequests).toFixed(2)} ms per request ` +
        `(${kind === 'postgres' ? 'PostgreSQL\'s own processes not included; ' : ''}hardly affected by other load on the machine)`,
    );
    console.log(
      `  load generator during sync: CPU ${((generatorCpu.user + generatorCpu.system) / 1e6).toFixed(2)} s, event-loop lag p99 ${(clientLag.percentile(99) / 1e6).toFixed(0)} ms, max ${(clientLag.max / 1e6).toFixed(0)} ms · ` +
        `machine load average (1 min) at the end: ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores (other work on the machine skews every figure)`,
    );
    const busy = laptops.reduce((n, l) => n + l.busy, 0);
    if (busy > 0) console.log(`  503 busy answers waited out and retried (their wait counts in the latencies): ${busy}`);
    console.log(`  push results ${JSON.stringify(statuses)}${isApplied ? '' : `  ✗ expected ${expectedMutations} applied`}`);
    const rejections = laptops.flatMap((l) => l.rejections).slice(0, 3);
    if (rejections.length > 0) console.log(`  first rejections: ${rejections.join(' | ')}`);
    console.log(
      `  after catch-up every laptop holds its ${stopCount} sheets and all ${expectedNotes} notes: ${isComplete ? 'yes' : '✗ NO'}; ` +
        `any other scorer's sheet: ${isBlind ? 'none' : '✗ YES'}`,
    );
    console.log(formatTable(recorder));
    return isApplied && isComplete && isBlind;
  } finally {
    for (const laptop of laptops) laptop.close();
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
    console.log(`\nPostgreSQL at ${pgBaseUrl.replace(/:[^:@/]*@/, ':***@')} is not reachable (${(error as Error).message}): skipped`);
    return false;
  }
}

async function main(): Promise<void> {
  console.log(`Guanmo sync server bench · Node ${process.version} · ${os.cpus().length} CPU cores (${os.cpus()[0]?.model ?? '?'})`);
  const bundle = await buildServer({ outfile: path.join(serverDir, 'dist', 'bench', 'main.js'), logLevel: 'warning' });
  let isOk = true;
  for (const kind of backends as Array<'sqlite' | 'postgres'>) {
    if (kind === 'postgres' && !(await isPostgresReachable())) continue;
    for (const scenario of scenarios as Scenario[]) isOk = (await runScenario(bundle, kind, scenario)) && isOk;
  }
  console.log('\ngoal: p99 under 200 ms on a 2-core machine (figures above; not asserted)');
  if (!isOk) {
    console.log('✗ functional checks failed (see above)');
    process.exitCode = 1;
  }
}

await main();
