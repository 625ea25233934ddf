/**
 * `npm run bench:server`: load test of the sync API, on SQLite and on PostgreSQL.
 *
 * Builds the server bundle and runs it as a child process (the load generator must not share the
 * server's event loop), seeds one scored tour (30 stops) and 100 assigned scorer accounts through
 * the server's own db layer, and simulates 100 laptops, each pushing 30 score sheets and 30 notes
 * and pulling until it is up to date. Every run has three phases:
 *
 *   sign-in   all laptops sign in at once (argon2id: deliberately slow, once per session)
 *   download  province only: every laptop pulls its tour (all at once; not the day's figures)
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
 *   province   a province running many tours at once: --province-tours (10) tours of --laptops
 *              laptops each (1000), every laptop syncing after each stop at its own pace, its
 *              syncs spread over --province-seconds (300: 100 syncs/s in all, twice paced's
 *              rate); the laptops start signed in (sessions made by the seed: a thousand
 *              argon2id sign-ins would be a bench of their own) and, in a `download` phase
 *              before the sync phase, each pulls its tour (as on the morning it signed in); each
 *              reads its pages while it waits for its next stop; the checks add: no record of
 *              another tour (not run unless named in --scenario)
 *
 * Prints per phase and endpoint: requests, throughput, p50/p90/p99/max latency as the laptops saw
 * it (client: each laptop on its own keep-alive connection; includes queueing in the server's
 * socket backlog and the load generator's own work on the other core) and as the server logged it (request routed → response sent). Prints
 * the CPU time the sync phase took in the server process(es), in PostgreSQL's backends of the
 * bench database, in nginx and in the load generator (CPU hardly depends on other load on the
 * machine, latencies do). Prints figures; never asserts timing. The functional checks make the
 * exit code non-zero if wrong.
 *
 * Options: --laptops N (100) --stops N (30) --scenario paced,reconnect,reconnect-burst,per-stop[,province]
 *          --paced-seconds N (60) --province-tours N (10) --province-seconds N (300)
 *          --processes N (1: the laptops talk to the one server process; more: N processes on the
 *          same database, each on its own port, behind nginx (Debian's package, started
 *          unprivileged from a temporary prefix with a generated config; apt-get install nginx)
 *          --backends sqlite,postgres (PostgreSQL from
 *          GUANMO_BENCH_DATABASE_URL, else GUANMO_TEST_DATABASE_URL, else
 *          postgres://guanmo:guanmo@127.0.0.1:5432/guanmo_test; a fresh database is created next
 *          to it and dropped afterwards) --server-node-args="…" (extra node options for the server
 *          child, e.g. --server-node-args="--cpu-prof --cpu-prof-dir=/tmp/prof" to see where its time goes)
 * Diagnosis: GUANMO_BENCH_SECONDS=/tmp/secs writes /tmp/secs.<backend>.<scenario>.tsv, the sync
 * phase second by second (wall-clock time, requests arrived, server-side p99 and max), to line a
 * stall up with other logs (PostgreSQL's, top's).
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
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
import { MAX_PUSH_BYTES, RECONNECT_JITTER_MS, type Mutation, type PullResponse, type PushResponse } from '@shared/sync/protocol';
import { hashPassword } from '../src/auth/passwords.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { serverOrigin, writeRecord, type RecordWrite } from '../src/db/records.js';
import { createUserIfAbsent } from '../src/db/users.js';
import { createSession } from '../src/db/sessions.js';
import { hashSessionToken, newSessionToken } from '../src/auth/tokens.js';
import { createFreshPgDatabase } from '../src/test-support/backends.js';
import { buildServer } from '../build.mjs';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const allScenarios = ['paced', 'reconnect', 'reconnect-burst', 'per-stop', 'province'] as const;
/** what runs without --scenario: the province (1000 laptops) only when asked for */
const defaultScenarios = ['paced', 'reconnect', 'reconnect-burst', 'per-stop'] as const;
type Scenario = (typeof allScenarios)[number];
const isScenario = (s: string): s is Scenario => (allScenarios as readonly string[]).includes(s);

const { values: args } = parseArgs({
  options: {
    laptops: { type: 'string', default: '100' },
    stops: { type: 'string', default: '30' },
    scenario: { type: 'string', default: defaultScenarios.join(',') },
    'paced-seconds': { type: 'string', default: '60' },
    'province-tours': { type: 'string', default: '10' },
    'province-seconds': { type: 'string', default: '300' },
    processes: { type: 'string', default: '1' },
    backends: { type: 'string', default: 'sqlite,postgres' },
    'server-node-args': { type: 'string', default: '' },
  },
});
const laptopCount = Number(args.laptops);
const stopCount = Number(args.stops);
const pacedSeconds = Number(args['paced-seconds']);
const provinceTours = Number(args['province-tours']);
const provinceSeconds = Number(args['province-seconds']);
const processCount = Number(args.processes);
const scenarios = (args.scenario ?? '').split(',').filter(Boolean);
const backends = (args.backends ?? '').split(',').filter(Boolean);
for (const s of scenarios) if (!isScenario(s)) throw new Error(`unknown scenario ${s} (${allScenarios.join(', ')})`);
for (const b of backends) if (b !== 'sqlite' && b !== 'postgres') throw new Error(`unknown backend ${b} (sqlite, postgres)`);
if (![laptopCount, stopCount, pacedSeconds, provinceTours, provinceSeconds, processCount].every((n) => Number.isInteger(n) && n > 0)) throw new Error('numbers must be positive integers');

const pgBaseUrl =
  process.env.GUANMO_BENCH_DATABASE_URL?.trim() || process.env.GUANMO_TEST_DATABASE_URL?.trim() || 'postgres://guanmo:guanmo@127.0.0.1:5432/guanmo_test';
const password = 'bench-password-1';
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

/** The ids of tour number `index` (0: the ids every single-tour run has always used). */
function tourIds(index: number): { tourId: string; prefix: string } {
  return index === 0 ? { tourId: 'bench-tour', prefix: 'bench' } : { tourId: `bench-tour-${index + 1}`, prefix: `bench-t${index + 1}` };
}

function seedRecords(index: number): { writes: RecordWrite[]; stops: Stop[] } {
  const { tourId, prefix } = tourIds(index);
  const tour: Tour = {
    id: tourId,
    name: index === 0 ? '压力测试观摩' : `压力测试观摩${index + 1}`,
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
    id: `${prefix}-unit-${i + 1}`,
    tourId,
    name: `参评单位${i + 1}`,
    group: i < 3 ? '县组' : '区组',
    indicatorScore: null,
  }));
  const stops: Stop[] = Array.from({ length: stopCount }, (_, i) => ({
    id: `${prefix}-stop-${String(i + 1).padStart(2, '0')}`,
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
  tourId: string;
  /** this laptop's place among its tour's laptops (0-based) */
  index: number;
  /** a session made by the seed (province: a thousand argon2 sign-ins would be a bench of their own) */
  token?: string;
  username: string;
  userId: string;
  scorerId: string;
  clientId: string;
}

interface Seeded {
  accounts: Account[];
  /** tour id → its stops */
  stops: Map<string, Stop[]>;
}

async function seed(env: Record<string, string>, tourCount: number, withSessions: boolean): Promise<Seeded> {
  const config = loadConfig({ ...env, GUANMO_LOG_LEVEL: 'silent' });
  const database = await openDatabase(config, { warn: () => {} });
  try {
    const passwordHash = await hashPassword(password);
    const accounts: Account[] = [];
    const writes: RecordWrite[] = [];
    const stopsByTour = new Map<string, Stop[]>();
    for (let t = 0; t < tourCount; t++) {
      const { tourId, prefix } = tourIds(t);
      const tour = seedRecords(t);
      writes.push(...tour.writes);
      stopsByTour.set(tourId, tour.stops);
      for (let i = 1; i <= laptopCount; i++) {
        const n = String(i).padStart(3, '0');
        const username = t === 0 ? `bench${n}` : `bench${t + 1}x${n}`;
        const user = await createUserIfAbsent(database.db, { username, displayName: `评委${i}`, role: 'scorer', passwordHash });
        if (!user) throw new Error(`user ${username} exists`);
        const scorer: Scorer = { id: `${prefix}-scorer-${i}`, tourId, userId: user.id, name: `评委${i}`, role: 'scorer', homeUnitId: null, weightGroup: null };
        writes.push({ collection: 'scorers', id: scorer.id, tourId, data: scorer, versions: {}, deleted: false });
        let token: string | undefined;
        if (withSessions) {
          token = newSessionToken();
          await createSession(database.db, { tokenHash: hashSessionToken(token), userId: user.id, ip: null, userAgent: 'bench' });
        }
        const clientId = t === 0 ? `laptop-${n}` : `laptop-t${t + 1}-${n}`;
        accounts.push({ tourId, index: i - 1, ...(token ? { token } : {}), username, userId: user.id, scorerId: scorer.id, clientId });
      }
    }
    await database.db.transaction().execute(async (trx) => {
      for (const write of writes) await writeRecord(trx, write, serverOrigin);
    });
    return { accounts, stops: stopsByTour };
  } finally {
    await database.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Measurements: latencies per (phase, endpoint), from the client and from the server's log

type Phase = 'sign-in' | 'download' | 'sync' | 'catch-up';

class Recorder {
  readonly client = new Map<string, number[]>();
  readonly server = new Map<string, number[]>();
  /** the server's entries of each phase with their arrival time (for the timeline) */
  readonly serverArrivals = new Map<Phase, Array<{ arrived: number; ms: number }>>();
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
      if (window) {
        push(this.server, `${window.phase}\t${endpoint}`, ms);
        const list = this.serverArrivals.get(window.phase) ?? [];
        list.push({ arrived, ms });
        this.serverArrivals.set(window.phase, list);
      }
    }
  }
  /**
   * The server-side p99 (ms) of the requests that arrived in each tenth of `phase`: a tail that
   * sits in one or two tenths is a stall (a checkpoint, a vacuum, a pause), one spread over all
   * of them is queueing.
   */
  timeline(phase: Phase): number[] {
    const w = this.windows.find((x) => x.phase === phase);
    const entries = this.serverArrivals.get(phase) ?? [];
    if (!w) return [];
    const slices: number[][] = Array.from({ length: 10 }, () => []);
    const span = Math.max(1, w.end - w.start);
    for (const { arrived, ms } of entries) slices[Math.min(9, Math.max(0, Math.floor(((arrived - w.start) / span) * 10)))]!.push(ms);
    return slices.map((list) => percentile(list.sort((a, b) => a - b), 99));
  }
  /** Diagnosis (GUANMO_BENCH_SECONDS=file): per second of `phase`, arrivals, server-side p99 and max, with the wall-clock second. */
  secondsOf(phase: Phase): string {
    const w = this.windows.find((x) => x.phase === phase);
    if (!w) return '';
    const bySecond = new Map<number, number[]>();
    for (const { arrived, ms } of this.serverArrivals.get(phase) ?? []) push(bySecond, Math.floor(arrived / 1000), ms);
    return [...bySecond]
      .sort((a, b) => a[0] - b[0])
      .map(([second, list]) => {
        const sorted = list.sort((a, b) => a - b);
        return `${new Date(second * 1000).toISOString().slice(11, 19)}\t${second - Math.floor(w.start / 1000)}\t${list.length}\t${percentile(sorted, 99).toFixed(0)}\t${sorted.at(-1)!.toFixed(0)}`;
      })
      .join('\n');
  }
  wallMs(phase: Phase): number {
    const w = this.windows.find((x) => x.phase === phase);
    return w ? w.end - w.start : NaN;
  }
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
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

/** What the laptops talk to: one server process, or several behind nginx. */
interface ServerFront extends ServerProcess {
  /** CPU time of nginx so far (0 without it) */
  proxyCpuMs(): number;
}

/**
 * `count` server processes on the same database (DATABASE_URL or the data folder), each on a
 * port of its own; with more than one, nginx in front balancing them (least connections, keep-alive
 * to the upstreams), started unprivileged from a temporary prefix with a generated config.
 */
async function startServers(bundle: string, env: Record<string, string>, recorder: Recorder, count: number): Promise<ServerFront> {
  const servers: ServerProcess[] = [];
  const stopAll = async () => {
    await Promise.all(servers.map((server) => server.stop()));
  };
  try {
    // one after the other: the first start makes the admin account and the server secrets
    for (let i = 0; i < count; i++) servers.push(await startServerProcess(bundle, { ...env, ...(count > 1 ? { GUANMO_TRUST_PROXY: '127.0.0.1' } : {}) }, recorder));
  } catch (error) {
    await stopAll();
    throw new Error(`server process ${servers.length + 1} of ${count} did not start (${(error as Error).message.slice(0, 600)})`);
  }
  const sumCpu = () => servers.reduce((n, server) => n + server.cpuMs(), 0);
  if (count === 1) return { ...servers[0]!, proxyCpuMs: () => 0 };
  let proxy: Nginx;
  try {
    proxy = await startNginx(servers.map((server) => new URL(server.url)));
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    url: proxy.url,
    errors: servers.flatMap((server) => server.errors),
    cpuMs: sumCpu,
    proxyCpuMs: () => processCpuMs(proxy.pid) + proxy.workerPids().reduce((n, pid) => n + processCpuMs(pid), 0),
    async stop() {
      await proxy.stop();
      await stopAll();
    },
  };
}

interface Nginx {
  url: string;
  pid: number | undefined;
  workerPids(): number[];
  stop(): Promise<void>;
}

/** a free TCP port on 127.0.0.1 (asked of the kernel, then released for nginx to take) */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * nginx (Debian's package: apt-get install nginx, or nginx-light) in front of the server
 * processes. The config follows what a deployment needs for sync (body limit of a push, the
 * live channel unbuffered) minus TLS, which would measure OpenSSL rather than the server.
 */
async function startNginx(upstreams: readonly URL[]): Promise<Nginx> {
  const binary = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((candidate) => existsSync(candidate));
  if (!binary) throw new Error('--processes needs nginx in front of the server processes: apt-get install nginx');
  const prefix = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-bench-nginx-'));
  await fs.mkdir(path.join(prefix, 'logs'));
  await fs.chmod(prefix, 0o755); // worker processes run as nobody when the bench runs as root
  const port = await freePort();
  const conf = `
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  upstream guanmo {
    least_conn;
${upstreams.map((u) => `    server ${u.host};`).join('\n')}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size ${Math.ceil(MAX_PUSH_BYTES / 1024 / 1024) + 1}m;
    client_body_buffer_size ${Math.ceil(MAX_PUSH_BYTES / 1024 / 1024) + 1}m;
    location / {
      proxy_pass http://guanmo;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_read_timeout 60s;
    }
    location /api/sync/live {
      proxy_pass http://guanmo;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_buffering off;
      proxy_read_timeout 1h;
    }
  }
}
`;
  const confFile = path.join(prefix, 'nginx.conf');
  await fs.writeFile(confFile, conf);
  const child = spawn(binary, ['-p', prefix, '-c', confFile, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr.slice(0, 600)}`);
    const isUp = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (isUp) break;
    if (attempt > 100) throw new Error(`nginx did not listen on ${url}: ${stderr.slice(0, 600)}`);
    await sleep(50);
  }
  return {
    url,
    pid: child.pid,
    workerPids: () => {
      // nginx's workers are its children (/proc/<pid>/task/<pid>/children, Linux)
      try {
        return readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      } catch {
        return [];
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGQUIT');
        await exited;
      }
      await fs.rm(prefix, { recursive: true, force: true });
    },
  };
}

/**
 * CPU time of this database's PostgreSQL backends (Linux, PostgreSQL on this machine: its
 * processes are named "postgres: … <user> <database> …"). Sampled every half second, because a
 * pool closes idle connections and a backend's time would leave with it; the shared background
 * processes (WAL writer, checkpointer) are not counted, as other databases use them too.
 */
class PostgresCpu {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly database: string) {}

  private backends(): number[] {
    const pids: number[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
        if (title.startsWith('postgres:') && title.split(/\s+/).includes(this.database)) pids.push(Number(entry));
      } catch {
        // gone meanwhile
      }
    }
    return pids;
  }

  private sample(isFirst: boolean): void {
    for (const pid of this.backends()) {
      const ms = processCpuMs(pid);
      if (Number.isNaN(ms)) continue;
      if (!this.first.has(pid)) this.first.set(pid, isFirst ? ms : 0);
      this.last.set(pid, ms);
    }
  }

  start(): void {
    this.sample(true);
    this.timer = setInterval(() => this.sample(false), 500);
  }

  stop(): void {
    this.sample(false);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  cpuMs(): number {
    let total = 0;
    for (const [pid, ms] of this.last) total += ms - (this.first.get(pid) ?? 0);
    return total;
  }
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
   * What this laptop holds after pulling, just what the checks need, so that the pulled records
   * (300,000 per tour) do not weigh on the load generator's heap (its garbage collection pauses
   * count in every latency it measures): a flag per note of its tour (notes.ts: the place of
   * note-<clientId>-<stopId>), the stops of its own sheets, and whether anything it must not
   * hold came (another scorer's sheet, another tour's record).
   */
  readonly notesHeld: Uint8Array;
  readonly ownSheetStops = new Set<string>();
  foreignSheets = 0;
  otherTourRecords = 0;
  readonly statuses: Record<string, number> = {};
  readonly rejections: string[] = [];
  pushed = 0;
  pulled = 0;
  /** pull pages received and not read yet (digest) */
  private readonly unread: Buffer[] = [];
  /** 503 answers (server busy) this laptop waited out and retried */
  busy = 0;
  /** GETs sent again because the server had just closed their keep-alive connection */
  resets = 0;
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
    private readonly notes: NoteIndex,
  ) {
    this.notesHeld = new Uint8Array(notes.size);
    if (account.token) this.token = account.token;
  }

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
    for (let attempt = 1; ; attempt++) {
      try {
        response = await httpRequest(this.agent, new URL(urlPath, this.base), method, this.token, body === undefined ? undefined : JSON.stringify(body));
      } catch (error) {
        // a keep-alive connection the server closed (idle past its timeout, e.g. while the bench
        // read pages between phases) just as this request went out on it: a GET is sent again on
        // a new one, as HTTP clients do (a push is not: its retry would be counted a duplicate)
        const code = (error as { code?: unknown }).code;
        if (method !== 'GET' || attempt >= 3 || (code !== 'ECONNRESET' && code !== 'EPIPE')) throw error;
        this.resets++;
        continue;
      }
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
        if (change.tourId !== this.account.tourId) this.otherTourRecords++;
        if (change.collection === 'notes') {
          const at = this.notes.get(change.id);
          if (at === undefined) this.otherTourRecords++;
          else this.notesHeld[at] = 1;
        } else if (change.collection === 'sheets') {
          if (change.data.scorerId === this.account.scorerId && typeof change.data.stopId === 'string') this.ownSheetStops.add(change.data.stopId);
          else this.foreignSheets++;
        }
      }
    }
  }


  /** the sheet and the note this laptop's scorer writes at stop `index` */
  mutationsAt(stop: Stop, index: number): Mutation[] {
    const now = new Date().toISOString();
    const { tourId } = this.account;
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

/** A tour's note ids (note-<clientId>-<stopId>, as Laptop.mutationsAt makes them) → their place in a laptop's notesHeld. */
type NoteIndex = Map<string, number>;

function noteIndex(accounts: readonly Account[], stops: readonly Stop[]): NoteIndex {
  const index: NoteIndex = new Map();
  for (const account of accounts) for (const stop of stops) index.set(`note-${account.clientId}-${stop.id}`, index.size);
  return index;
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
  const isPaced = scenario === 'paced' || scenario === 'province';
  const meanGapMs = ((scenario === 'province' ? provinceSeconds : pacedSeconds) * 1000) / stops.length;
  if (isPaced) await sleep(next() * meanGapMs);
  for (const [i, stop] of stops.entries()) {
    await laptop.push(laptop.mutationsAt(stop, i));
    await laptop.pullToDate();
    // a thousand laptops' pages would not fit in memory until the phase ends: read them while
    // this laptop waits for its next stop (the load generator's CPU is printed)
    if (scenario === 'province') laptop.digest();
    if (isPaced && i < stops.length - 1) await sleep(next() * 2 * meanGapMs);
  }
}

async function runScenario(bundle: string, kind: 'sqlite' | 'postgres', scenario: Scenario): Promise<boolean> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-bench-'));
  let dropDatabase: (() => Promise<void>) | null = null;
  let server: ServerFront | null = null;
  const recorder = new Recorder();
  const isProvince = scenario === 'province';
  const tourCount = isProvince ? provinceTours : 1;
  let laptops: Laptop[] = [];
  try {
    const env: Record<string, string> = { GUANMO_DATA_DIR: dataDir };
    if (kind === 'postgres') {
      const database = await createFreshPgDatabase(pgBaseUrl);
      dropDatabase = database.drop;
      env.DATABASE_URL = database.url;
    }
    const { accounts, stops } = await seed(env, tourCount, isProvince);
    server = await startServers(bundle, { ...env, GUANMO_ADMIN_PASSWORD: 'bench-admin-password' }, recorder, processCount);
    const notesOfTour = new Map([...stops].map(([tourId, tourStops]) => [tourId, noteIndex(accounts.filter((a) => a.tourId === tourId), tourStops)]));
    laptops = accounts.map((account) => new Laptop(account, server!.url, recorder, notesOfTour.get(account.tourId)!));
    const databaseCpu = kind === 'postgres' ? new PostgresCpu(new URL(env.DATABASE_URL!).pathname.slice(1)) : null;
    // sync and catch-up together are the same work in every run (every laptop pushes its day and
    // ends up to date), however the pulls fall between the two phases: the figure to compare
    const wholeDatabaseCpu = kind === 'postgres' ? new PostgresCpu(new URL(env.DATABASE_URL!).pathname.slice(1)) : null;

    const phases: Array<[Phase, (laptop: Laptop, index: number) => Promise<void>]> = [
      ...(isProvince ? [] : [['sign-in', (laptop: Laptop) => laptop.signIn()] as [Phase, (laptop: Laptop) => Promise<void>]]),
      // province: each laptop holds its tour before the day starts, as it has from the morning it
      // signed in; without this, a thousand first pulls of whole tours fell into the first seconds
      // of the sync phase (a start no province has: its laptops sign in over hours, not at once)
      ...(isProvince ? [['download', (laptop: Laptop) => laptop.pullToDate()] as [Phase, (laptop: Laptop) => Promise<void>]] : []),
      ['sync', (laptop, index) => syncPhase(laptop, stops.get(laptop.account.tourId)!, scenario, index + 1)],
      ['catch-up', (laptop) => laptop.pullToDate()],
    ];
    let syncMs = NaN;
    let syncCpuMs = NaN;
    let proxyCpuMs = NaN;
    let generatorCpu = process.cpuUsage();
    let wholeCpuMs = NaN;
    let pulledBeforeCatchUp = 0;
    // the load generator's own event loop: when it lags, client-side latencies include that lag
    const clientLag = monitorEventLoopDelay({ resolution: 10 });
    for (const [phase, work] of phases) {
      if (phase === 'sync') {
        clientLag.enable();
        syncCpuMs = -server.cpuMs();
        wholeCpuMs = syncCpuMs;
        proxyCpuMs = -server.proxyCpuMs();
        databaseCpu?.start();
        wholeDatabaseCpu?.start();
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
        proxyCpuMs += server.proxyCpuMs();
        databaseCpu?.stop();
        syncMs = ms;
      }
      if (phase === 'catch-up') {
        wholeCpuMs += server.cpuMs();
        wholeDatabaseCpu?.stop();
      }
      for (const laptop of laptops) laptop.digest(); // after the phase's figures: see digest
      if (phase === 'sync') pulledBeforeCatchUp = laptops.reduce((n, l) => n + l.pulled, 0);
    }
    await server.stop(); // every request log line read
    recorder.attributeServerEntries();

    const statuses: Record<string, number> = {};
    for (const laptop of laptops) for (const [status, n] of Object.entries(laptop.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
    const pushed = laptops.reduce((n, l) => n + l.pushed, 0);
    const expectedMutations = laptops.length * stopCount * 2;
    const expectedNotes = laptopCount * stopCount;
    const isApplied = (statuses.applied ?? 0) === expectedMutations;
    let isComplete = true;
    let isBlind = true;
    let isOwnTourOnly = true;
    for (const laptop of laptops) {
      const notes = laptop.notesHeld.reduce((n, flag) => n + flag, 0);
      if (laptop.ownSheetStops.size !== stopCount || notes !== expectedNotes) isComplete = false;
      if (laptop.foreignSheets > 0) isBlind = false;
      if (laptop.otherTourRecords > 0) isOwnTourOnly = false;
    }

    const tours = tourCount > 1 ? `${tourCount} tours × ` : '';
    const front = processCount > 1 ? ` · ${processCount} server processes behind nginx` : '';
    console.log(`\n${kind} · ${scenario}: ${tours}${laptopCount} laptops × (${stopCount} sheets + ${stopCount} notes)${front}`);
    console.log(
      `  sync phase ${(syncMs / 1000).toFixed(2)} s: ${pushed} mutations pushed (${((pushed / syncMs) * 1000).toFixed(0)}/s), ` +
        `${pulledBeforeCatchUp} records pulled (${((pulledBeforeCatchUp / syncMs) * 1000).toFixed(0)}/s)`,
    );
    const requestsIn = (...phases: Phase[]) =>
      [...recorder.client.entries()].filter(([key]) => phases.some((phase) => key.startsWith(`${phase}\t`))).reduce((n, [, list]) => n + list.length, 0);
    const syncRequests = requestsIn('sync');
    const wholeRequests = requestsIn('sync', 'catch-up');
    console.log(
      `  server process${processCount > 1 ? 'es\'' : ''} CPU during sync: ${(syncCpuMs / 1000).toFixed(2)} s, ${(syncCpuMs / syncRequests).toFixed(2)} ms per request ` +
        `(${kind === 'postgres' ? 'PostgreSQL\'s own processes not included; ' : ''}hardly affected by other load on the machine)`,
    );
    if (databaseCpu) {
      const ms = databaseCpu.cpuMs();
      console.log(`  PostgreSQL CPU during sync (this database's backends): ${(ms / 1000).toFixed(2)} s, ${(ms / syncRequests).toFixed(2)} ms per request`);
    }
    console.log(
      `  sync and catch-up together (the same work every run): ${wholeRequests} requests; CPU per laptop: server ${(wholeCpuMs / laptops.length).toFixed(1)} ms` +
        (wholeDatabaseCpu ? `, PostgreSQL ${(wholeDatabaseCpu.cpuMs() / laptops.length).toFixed(1)} ms` : ''),
    );
    console.log(`  server-side p99 by tenth of the sync phase (ms): ${recorder.timeline('sync').map((ms) => (Number.isNaN(ms) ? '-' : ms.toFixed(0))).join(' ')}`);
    if (process.env.GUANMO_BENCH_SECONDS) await fs.writeFile(`${process.env.GUANMO_BENCH_SECONDS}.${kind}.${scenario}.tsv`, `time\tsecond\trequests\tp99\tmax\n${recorder.secondsOf('sync')}\n`);
    if (processCount > 1) console.log(`  nginx CPU during sync: ${(proxyCpuMs / 1000).toFixed(2)} s, ${(proxyCpuMs / syncRequests).toFixed(2)} ms per request`);
    console.log(
      `  load generator during sync: CPU ${((generatorCpu.user + generatorCpu.system) / 1e6).toFixed(2)} s, event-loop lag p99 ${(clientLag.percentile(99) / 1e6).toFixed(0)} ms, max ${(clientLag.max / 1e6).toFixed(0)} ms · ` +
        `machine load average (1 min) at the end: ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores (other work on the machine skews every figure)`,
    );
    const busy = laptops.reduce((n, l) => n + l.busy, 0);
    if (busy > 0) console.log(`  503 busy answers waited out and retried (their wait counts in the latencies): ${busy}`);
    const resets = laptops.reduce((n, l) => n + l.resets, 0);
    if (resets > 0) console.log(`  pulls sent again on a new connection (the server had closed the idle one): ${resets}`);
    console.log(`  push results ${JSON.stringify(statuses)}${isApplied ? '' : `  ✗ expected ${expectedMutations} applied`}`);
    const rejections = laptops.flatMap((l) => l.rejections).slice(0, 3);
    if (rejections.length > 0) console.log(`  first rejections: ${rejections.join(' | ')}`);
    console.log(
      `  after catch-up every laptop holds its ${stopCount} sheets and all ${expectedNotes} notes: ${isComplete ? 'yes' : '✗ NO'}; ` +
        `any other scorer's sheet: ${isBlind ? 'none' : '✗ YES'}${tourCount > 1 ? `; any other tour's record: ${isOwnTourOnly ? 'none' : '✗ YES'}` : ''}`,
    );
    console.log(formatTable(recorder));
    return isApplied && isComplete && isBlind && isOwnTourOnly;
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
