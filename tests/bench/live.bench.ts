/**
 * Benchmark of the live desk (issue 12): change-to-screen latency with 100 connected listeners.
 * Prints figures, asserts nothing.
 *
 *   npm run bench:live            (LIVE_BENCH_PUSHES=40 LIVE_BENCH_INTERVAL_MS=1500 to change the run)
 *
 * The server runs in its own process (live/live-bench-server.ts: SQLite, the built renderer), so
 * that its CPU time is measured alone. Listening to its live channel (GET /api/sync/live):
 *   - 99 light Node clients as various users: secretariat clerks' screens, scorers and observers
 *     of the tour, scorers of another tour. Each pulls when told of changes, as the app does,
 *     so the server carries that load too; the events each kind of user heard are counted
 *     (scorers must hear nothing of another scorer's sheet);
 *   - 1 real Chromium page: the built app, signed in as the secretariat, showing the scoring
 *     board (its periodic round set to 10 min: only the channel updates it).
 * A scorer then pushes submitted sheets one at a time at intervals (every 5th with a note, which
 * the tour's scorers and observers may see). Latency = from the push's response arriving here to
 * the board's submitted count showing the new figure (a MutationObserver in the page stamps the
 * change with Date.now(): the same machine's clock). Printed: p50 / p95 / max (goal p95 < 1 s),
 * the server's CPU time while pushing and while idle with the 100 streams open.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { sheetId } from '@shared/domain/schemas';
import { formatHlc, HlcClock } from '@shared/sync/hlc';
import { pullResponseSchema, pushResponseSchema, type Mutation } from '@shared/sync/protocol';
import { LiveTestClient } from '../../server/src/test-support/live-client';
import { buildRenderer } from '../e2e/helpers/build-renderer';
import { chromiumArgs, chromiumPath } from '../e2e/helpers/chromium';
import { rendererDistDir } from '../e2e/helpers/paths';
import type { BenchAccount, ListenerSpec, LiveServerMessage, LiveServerRequest } from './live/live-bench-server';

const here = path.dirname(fileURLToPath(import.meta.url));
const PUSHES = Number(process.env.LIVE_BENCH_PUSHES ?? 40);
const INTERVAL_MS = Number(process.env.LIVE_BENCH_INTERVAL_MS ?? 1_500);
const IDLE_MS = 10_000;

/** 99 listeners: who they are */
const LISTENERS: ListenerSpec[] = [
  ...Array.from({ length: 9 }, () => ({ role: 'secretariat' as const, tour: null })),
  ...Array.from({ length: 14 }, () => ({ role: 'scorer' as const, tour: 'bench' as const })),
  ...Array.from({ length: 16 }, () => ({ role: 'observer' as const, tour: 'bench' as const })),
  ...Array.from({ length: 60 }, () => ({ role: 'scorer' as const, tour: 'other' as const })),
];

interface ServerHandle {
  ready: Extract<LiveServerMessage, { kind: 'ready' }>;
  cpu(): Promise<{ cpu: NodeJS.CpuUsage; at: number; streams: number; stats: { opened: number; eventsSent: number; batchesJudged: number; accessReads: number } }>;
  close(): Promise<void>;
}

async function startServerProcess(): Promise<ServerHandle> {
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, path.join(here, 'live', 'live-bench-server.ts'), JSON.stringify({ staticDir: rendererDistDir, stops: PUSHES, listeners: LISTENERS })], {
    cwd: path.resolve(here, '../..'),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (value: unknown) => void>();
  let nextId = 1;
  const ready = await new Promise<Extract<LiveServerMessage, { kind: 'ready' }>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bench server exited (${code}) before listening`)));
    child.on('message', (raw) => {
      const message = raw as LiveServerMessage;
      if (message.kind === 'ready') resolve(message);
      else if (message.kind === 'failed') reject(new Error(`the bench server failed: ${message.message}`));
      else pending.get(message.id)?.(message.value);
    });
  });
  const ask = <T>(kind: LiveServerRequest['kind']) =>
    new Promise<T>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve as (value: unknown) => void);
      child.send({ id, kind });
    });
  return {
    ready,
    cpu: () => ask('cpu'),
    async close() {
      await ask('close');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
    },
  };
}

/** A light client: holds a stream and pulls (to the end) when told of changes, one pull at a time. */
class LightClient {
  events = 0;
  pulls = 0;
  records = 0;
  private cursor: string | undefined;
  private isPulling = false;
  private isPullWanted = false;
  stream!: LiveTestClient;

  constructor(
    readonly account: BenchAccount,
    private readonly baseUrl: string,
    private readonly agent: http.Agent,
  ) {}

  async open(): Promise<void> {
    this.stream = await LiveTestClient.open(this.baseUrl, this.account.token, { clientId: `bench-${this.account.username}`, agent: this.agent });
    if (this.stream.response?.status !== 200) throw new Error(`${this.account.username}: live stream answered ${this.stream.response?.status} ${this.stream.response?.text}`);
    await this.stream.next('hello');
    await this.pull();
    this.stream.onItem = (item) => {
      if (item.kind !== 'changes') return;
      this.events++;
      void this.pull();
    };
  }

  private async pull(): Promise<void> {
    if (this.isPulling) {
      this.isPullWanted = true;
      return;
    }
    this.isPulling = true;
    try {
      do {
        this.isPullWanted = false;
        for (;;) {
          const query = new URLSearchParams({ limit: '500', ...(this.cursor ? { cursor: this.cursor } : {}) });
          const response = await fetch(`${this.baseUrl}api/sync/pull?${query}`, { headers: { authorization: `Bearer ${this.account.token}` } });
          if (!response.ok) throw new Error(`${this.account.username}: pull answered ${response.status}`);
          const page = pullResponseSchema.parse(await response.json());
          this.pulls++;
          this.records += page.changes.length;
          this.cursor = page.cursor;
          if (!page.hasMore) break;
        }
      } while (this.isPullWanted);
    } finally {
      this.isPulling = false;
    }
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const cpuMs = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => (b.user - a.user + (b.system - a.system)) / 1000;

async function main(): Promise<void> {
  await buildRenderer();
  const server = await startServerProcess();
  const { ready } = server;
  const baseUrl = `http://127.0.0.1:${ready.port}/`;
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  const clients: LightClient[] = [];
  try {
    // ── the 99 light listeners
    for (const account of ready.listeners) clients.push(new LightClient(account, baseUrl, agent));
    for (let i = 0; i < clients.length; i += 10) await Promise.all(clients.slice(i, i + 10).map((c) => c.open()));

    // ── the real board: the built app in Chromium, signed in as the secretariat through the form
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await context.addInitScript(`localStorage.setItem('guanmo.syncPeriodMs', '600000')`);
    const page = await context.newPage();
    await page.goto(new URL('#/sync', baseUrl).href);
    const form = page.getByTestId('sign-in-form');
    // the form fills in the server it was loaded from: wait for it rather than racing it
    for (let i = 0; (await form.getByLabel('服务器地址').inputValue()) !== new URL(baseUrl).origin; i++) {
      if (i > 300) throw new Error('the sign-in form never showed the server address');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await form.getByLabel('用户名').fill(ready.desk.username);
    await form.getByLabel('密码').fill(ready.desk.password);
    await form.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: /^已登录：/ }).waitFor({ timeout: 60_000 });
    await page.evaluate((hash) => void (location.hash = hash), `#/desk/tours/${encodeURIComponent(ready.tourId)}/board`);
    await page.getByTestId('scoring-board').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="live-refresh"][data-live="live"]').waitFor({ timeout: 60_000 });
    // a string, not a function: tsx's transform would wrap a function's inner functions in a helper the page lacks
    await page.evaluate(`(() => {
      window.boardCounts = [];
      const read = () => document.querySelector('[data-testid="board-total-submitted"]')?.textContent ?? '';
      new MutationObserver(() => {
        if (window.boardCounts.at(-1)?.text !== read()) window.boardCounts.push({ text: read(), at: Date.now() });
      }).observe(document.querySelector('[data-testid="board-total-submitted"]').closest('header'), { subtree: true, childList: true, characterData: true });
    })()`);
    const boardCountAt = (count: number) => page.evaluate((text) => (window as unknown as { boardCounts: Array<{ text: string; at: number }> }).boardCounts.find((c) => c.text === text)?.at ?? null, String(count));
    const streams = (await server.cpu()).streams;
    console.log(`\n${streams} streams open: ${clients.length} light clients + 1 Chromium board (secretariat); ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

    // ── idle: 100 streams, heartbeats only
    const idleStart = await server.cpu();
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const idleEnd = await server.cpu();
    const idleCpu = cpuMs(idleStart.cpu, idleEnd.cpu);

    // ── a scorer pushes sheets, one at a time
    const clock = new HlcClock('bench-pusher-laptop');
    const pusher = ready.pusher;
    const latencies: number[] = [];
    const pushMs: number[] = [];
    const pushStart = await server.cpu();
    for (let n = 1; n <= PUSHES; n++) {
      const stopId = ready.stopIds[n - 1]!;
      const at = new Date().toISOString();
      const scores = Object.fromEntries(ready.template.criteria.map((c, i) => [c.key, Math.min(c.max, 10 + ((n + i) % 8))]));
      const sheet = { id: sheetId(ready.tourId, stopId, pusher.scorerId!), tourId: ready.tourId, stopId, scorerId: pusher.scorerId!, scores, status: 'submitted', comment: '', submittedAt: at, updatedAt: at };
      const mutations: Mutation[] = [{ id: randomUUID(), collection: 'sheets', recordId: sheet.id, tourId: ready.tourId, op: 'upsert', fields: sheet, hlc: formatHlc(clock.send(Date.now())) }];
      if (n % 5 === 0) {
        const note = { id: `bench-note-${n}`, tourId: ready.tourId, stopId, authorId: pusher.userId, kind: 'highlight', text: `第${n}站亮点`, createdAt: at, updatedAt: at };
        mutations.push({ id: randomUUID(), collection: 'notes', recordId: note.id, tourId: ready.tourId, op: 'upsert', fields: note, hlc: formatHlc(clock.send(Date.now())) });
      }
      const sentAt = Date.now();
      const response = await fetch(`${baseUrl}api/sync/push`, {
        method: 'POST',
        headers: { authorization: `Bearer ${pusher.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: 'bench-pusher-laptop', mutations }),
      });
      const answeredAt = Date.now();
      const result = pushResponseSchema.parse(await response.json());
      if (result.results.some((r) => r.status !== 'applied')) throw new Error(`push ${n} not applied: ${JSON.stringify(result.results)}`);
      pushMs.push(answeredAt - sentAt);
      await page.locator('[data-testid="board-total-submitted"]', { hasText: new RegExp(`^${n}$`) }).waitFor({ timeout: 30_000 });
      latencies.push((await boardCountAt(n))! - answeredAt);
      await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS * (0.75 + 0.5 * Math.random())));
    }
    const pushEnd = await server.cpu();
    // let the light clients' last pulls finish
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    // ── figures
    const sorted = [...latencies].sort((a, b) => a - b);
    const wall = pushEnd.at - pushStart.at;
    const pushCpu = cpuMs(pushStart.cpu, pushEnd.cpu);
    console.log(`\nchange → screen (push answered → board shows the count), ${latencies.length} pushes every ~${INTERVAL_MS} ms:`);
    console.log(`  p50 ${percentile(sorted, 50)} ms   p95 ${percentile(sorted, 95)} ms   max ${sorted.at(-1)} ms   (goal p95 < 1000 ms: ${percentile(sorted, 95) < 1000 ? 'met' : 'MISSED'})`);
    console.log(`  each (ms): ${latencies.join(', ')}`);
    const pushSorted = [...pushMs].sort((a, b) => a - b);
    console.log(`  push request itself: p50 ${percentile(pushSorted, 50)} ms, max ${pushSorted.at(-1)} ms`);
    console.log(`\nserver CPU (its own process):`);
    console.log(`  idle, ${streams} streams open for ${(IDLE_MS / 1000).toFixed(0)} s: ${idleCpu.toFixed(0)} ms (${((idleCpu / IDLE_MS) * 100).toFixed(1)} % of one core)`);
    console.log(`  while pushing (${(wall / 1000).toFixed(1)} s): ${pushCpu.toFixed(0)} ms (${((pushCpu / wall) * 100).toFixed(1)} % of one core), ${(pushCpu / PUSHES).toFixed(1)} ms per push incl. the pulls it caused`);
    console.log(`  live hub: ${pushEnd.stats.batchesJudged - pushStart.stats.batchesJudged} batches judged, ${pushEnd.stats.eventsSent - pushStart.stats.eventsSent} events sent, ${pushEnd.stats.accessReads - pushStart.stats.accessReads} access reads`);
    console.log(`\nwhat the light listeners heard while the scorer pushed (events per listener; pulls; records pulled):`);
    const groups = new Map<string, LightClient[]>();
    for (const c of clients) {
      const key = `${c.account.spec.role}${c.account.spec.tour ? ` of the ${c.account.spec.tour === 'bench' ? 'tour' : 'other tour'}` : ''}`;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    for (const [key, list] of groups) {
      const events = list.map((c) => c.events);
      console.log(`  ${String(list.length).padStart(2)} × ${key.padEnd(24)} events ${Math.min(...events)}–${Math.max(...events)}   pulls ${list.reduce((s, c) => s + c.pulls, 0)}   records ${list.reduce((s, c) => s + c.records, 0)}`);
    }
    const sheetsToScorers = clients.filter((c) => c.account.spec.role !== 'secretariat' && c.account.spec.tour === 'bench').every((c) => c.events <= Math.ceil(PUSHES / 5));
    console.log(`  blind scoring: the tour's scorers and observers heard ${sheetsToScorers ? 'at most one event per note, none for the sheets' : 'MORE THAN THE NOTES: a leak'}; the other tour's scorers ${clients.filter((c) => c.account.spec.tour === 'other').every((c) => c.events === 0) ? 'nothing' : 'SOMETHING: a leak'}`);
    await context.close();
  } finally {
    for (const c of clients) c.stream?.close();
    await browser.close();
    await server.close();
    agent.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
