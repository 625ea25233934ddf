/**
 * `npm run bench:hostile`: how fast /api/health answers while the server is under the attacks of
 * issue 14 (the goal: under 100 ms throughout), on the bundled server in a child process (the
 * load generator never shares its event loop), SQLite in a temp folder:
 *
 *   idle       nothing else going on (the baseline)
 *   locked     another process holds the SQLite write lock while 8 pushes wait for it (they are
 *              answered 503 busy after ~1 s)
 *   import     three imports of a 5 MB, 100 000-row CSV, one after the other (read in a worker)
 *   stalled    200 sockets whose bodies stall (login, push), while a laptop pushes and pulls
 *
 * Prints p50 / p95 / max of health per phase and what the attacks were answered. Prints figures;
 * never asserts timing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../build.mjs';
import { buildTestTour, SyncClient } from '../src/test-support/sync-client.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lockHolder = path.resolve(serverDir, '../tests/hostile/support/hold-sqlite-lock.mjs');
const password = 'hostile-bench-admin-password';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function summary(name: string, ms: number[], extra = ''): void {
  const f = (v: number) => `${v.toFixed(1).padStart(7)} ms`;
  console.log(`${name.padEnd(10)} health ×${String(ms.length).padStart(3)}  p50 ${f(percentile(ms, 50))}  p95 ${f(percentile(ms, 95))}  max ${f(Math.max(...ms))}  ${extra}`);
}

async function startServer(dataDir: string, bundle: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bundle], {
    env: { ...process.env, GUANMO_DATA_DIR: dataDir, GUANMO_PORT: '0', GUANMO_LOG_LEVEL: 'silent', GUANMO_ADMIN_PASSWORD: password, GUANMO_BODY_TIMEOUT: '5', GUANMO_RATE_LIMIT_PUSH: 'off', GUANMO_RATE_LIMIT_UNAUTHENTICATED: 'off' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, url };
}

async function sampleHealth(url: string, until: () => boolean, gapMs = 20): Promise<number[]> {
  const ms: number[] = [];
  while (!until()) {
    const t0 = performance.now();
    await fetch(new URL('api/health', url));
    ms.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, gapMs));
  }
  return ms;
}

async function main(): Promise<void> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-hostile-bench-'));
  const bundle = await buildServer({ outfile: path.join(serverDir, 'dist', 'bench-hostile', 'main.js'), logLevel: 'warning' });
  const { child, url } = await startServer(dataDir, bundle);
  try {
    const login = await fetch(new URL('api/auth/login', url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
    const { token } = (await login.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    const client = new SyncClient(null as never, token);
    const tour = buildTestTour('bench-tour', []);
    const push = (mutations: unknown[]) =>
      fetch(new URL('api/sync/push', url), { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ clientId: client.clientId, mutations }) });
    await push([client.mutation('tours', tour.tour.id, tour.tour), ...tour.units.map((u) => client.mutation('units', tour.tour.id, u)), ...tour.stops.map((st) => client.mutation('stops', tour.tour.id, st))]);
    const note = () => {
      const at = new Date().toISOString();
      return client.mutation('notes', tour.tour.id, { id: `n-${randomUUID()}`, tourId: tour.tour.id, stopId: tour.stops[0]!.id, authorId: 'x', kind: 'highlight', text: '基准', createdAt: at, updatedAt: at });
    };

    // idle
    let n = 0;
    summary('idle', await sampleHealth(url, () => n++ >= 50, 5));

    // locked
    const holder = spawn(process.execPath, [lockHolder, path.join(dataDir, 'guanmo.sqlite')]);
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    let isDone = false;
    const pushes = Promise.all(Array.from({ length: 8 }, async () => {
      const t0 = performance.now();
      const response = await push([note()]);
      return { status: response.status, ms: performance.now() - t0 };
    })).finally(() => (isDone = true));
    const lockedHealth = await sampleHealth(url, () => isDone);
    const answered = await pushes;
    holder.stdin.write('release\n');
    summary('locked', lockedHealth, `pushes: ${answered.map((a) => `${a.status} in ${Math.round(a.ms)} ms`).slice(0, 3).join(', ')} …`);

    // import
    const rows = ['序号,观摩日期,顺序,县市区,分组,项目名称,项目类型,总投资(万元),已完成投资(万元),建设内容,经度,纬度,地址'];
    for (let i = 1; i <= 100_000; i++) rows.push(`${i},2021-12-08,${i},G,Y,P${i},I,1,1,${'x'.repeat(6)},,,`);
    const csv = Buffer.from(rows.join('\n'));
    isDone = false;
    const imports = (async () => {
      const out: string[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        const response = await fetch(new URL(`api/tours/import?fileName=big.csv&name=big&kind=scored`, url), { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: csv });
        out.push(`${response.status} in ${Math.round(performance.now() - t0)} ms`);
      }
      return out;
    })().finally(() => (isDone = true));
    const importHealth = await sampleHealth(url, () => isDone);
    summary('import', importHealth, `${(csv.length / 1024 / 1024).toFixed(1)} MB: ${(await imports).join(', ')}`);

    // stalled
    const { hostname, port } = new URL(url);
    const sockets = Array.from({ length: 200 }, (_, i) => {
      const socket = net.connect(Number(port), hostname);
      socket.on('error', () => undefined);
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.write(
        i % 2 === 0
          ? 'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"user'
          : `POST /api/sync/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"clientId":`,
      );
      return closed;
    });
    const t0 = performance.now();
    isDone = false;
    let closedCount = 0;
    for (const closed of sockets) void closed.then(() => closedCount++);
    // GUANMO_BENCH_DEBUG=1: how many have been closed, every second
    const progress = setInterval(() => process.env.GUANMO_BENCH_DEBUG && console.log(`closed ${closedCount} after ${Math.round(performance.now() - t0)} ms`), 1000);
    const allClosed = Promise.all(sockets).finally(() => {
      isDone = true;
      clearInterval(progress);
    });
    const syncs: string[] = [];
    const stalledHealth = await sampleHealth(url, () => {
      if (syncs.length < 5 && !isDone) {
        const started = performance.now();
        void push([note()]).then((r) => syncs.push(`push ${r.status} ${Math.round(performance.now() - started)} ms`));
      }
      return isDone;
    }, 50);
    await allClosed;
    summary('stalled', stalledHealth, `200 sockets closed after ${Math.round(performance.now() - t0)} ms (body timeout 5 s); ${syncs.slice(0, 3).join(', ')}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

await main();
