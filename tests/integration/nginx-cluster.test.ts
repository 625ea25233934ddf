/**
 * The deployment of deploy/nginx/guanmo.conf, for real: Debian's nginx (unprivileged: a temp
 * prefix, high ports, pid and logs in a temp folder) with TLS in front of two `guanmo-server`
 * processes (the bundle operators run) on one PostgreSQL, GUANMO_TRUST_PROXY=1.
 *
 * Laptops sign in, push and pull through nginx, a photo goes up with tus, the secretariat's live
 * stream hears the laptops' pushes whichever process it is on. Then one process is killed
 * (SIGKILL) while the laptops keep pushing: nothing committed is lost, the laptops carry on with
 * the other process (a push that was cut is sent again, as the app does; the server recognises
 * its mutation ids), and every laptop converges.
 *
 * Needs nginx, openssl and PostgreSQL (GUANMO_TEST_DATABASE_URL): without them the suite is
 * skipped with the reason in its name, which fails CI (GUANMO_REQUIRE_ALL=1, scripts/test.mjs);
 * .ci/run installs nginx.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../server/build.mjs';
import { serverPackageDir } from '../../server/src/config';
import { openDatabase } from '../../server/src/db/database';
import { createTestUser } from '../../server/src/test-support/auth-fixtures';
import { createFreshPgDatabase, pgTestUrl } from '../../server/src/test-support/backends';
import { buildTestTour } from '../../server/src/test-support/sync-client';
import { formatHlc, HlcClock } from '../../shared/sync/hlc';
import type { Mutation, PulledRecord, PullResponse, PushResponse } from '../../shared/sync/protocol';
import { SseParser } from '../../shared/sync/sse-parser';

const repoDir = path.resolve(serverPackageDir, '..');
const siteConfig = path.join(repoDir, 'deploy', 'nginx', 'guanmo.conf');

function onPath(command: string): string | null {
  for (const dir of ['/usr/sbin', '/usr/bin', ...(process.env.PATH ?? '').split(path.delimiter)]) {
    if (dir && fs.existsSync(path.join(dir, command))) return path.join(dir, command);
  }
  return null;
}

const nginxBin = onPath('nginx');
const missing = [
  ...(nginxBin ? [] : ['nginx not installed (apt-get install nginx)']),
  ...(onPath('openssl') ? [] : ['openssl not installed (apt-get install openssl)']),
  ...(pgTestUrl ? [] : ['no PostgreSQL (set GUANMO_TEST_DATABASE_URL)']),
];
const why = missing.length > 0 ? missing.join('; ') : null;
if (why) console.log(`SKIPPED nginx cluster suite — ${why}`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The repo's site file made runnable unprivileged: ports, certificate, temp paths swapped in. */
export function nginxTestConfig(site: string, o: { dir: string; httpsPort: number; httpPort: number; upstreams: number[]; cert: string; key: string }): string {
  const upstreamLines = o.upstreams.map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=5s;`).join('\n');
  let body = site
    .replace(/^\s*server 127\.0\.0\.1:\d+ max_fails=1 fail_timeout=5s;\n(\s*server 127\.0\.0\.1:\d+ max_fails=1 fail_timeout=5s;\n)*/m, `${upstreamLines}\n`)
    .replace(/^\s*listen \[::\]:\d+.*\n/gm, '')
    .replace(/listen 80;/, `listen 127.0.0.1:${o.httpPort};`)
    .replace(/listen 443 ssl http2;/, `listen 127.0.0.1:${o.httpsPort} ssl http2;`)
    .replace(/ssl_certificate\s+\S+;/, `ssl_certificate ${o.cert};`)
    .replace(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${o.key};`);
  const t = (name: string) => path.join(o.dir, name);
  return `worker_processes 1;
pid ${t('nginx.pid')};
error_log ${t('error.log')} warn;
events { worker_connections 512; }
http {
  access_log ${t('access.log')};
  client_body_temp_path ${t('body')};
  proxy_temp_path ${t('proxy')};
  fastcgi_temp_path ${t('fastcgi')};
  uwsgi_temp_path ${t('uwsgi')};
  scgi_temp_path ${t('scgi')};
${body}
}
`;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

describe.skipIf(why !== null)(`sync through nginx, two server processes on PostgreSQL${why ? ` (SKIPPED: ${why})` : ''}`, () => {
  let tmp: string;
  let bundle: string;
  let dropDb: () => Promise<void>;
  let env: Record<string, string>;
  let nginx: ChildProcess | null = null;
  const servers: ChildProcess[] = [];
  let ports: number[];
  let base: string;
  let agent: https.Agent;
  let users: Record<'sec' | 's1' | 's2', { id: string; password: string }>;

  function request(method: string, url: string, options: { headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = https.request(new URL(url, base), { method, agent, headers: options.headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(options.body);
    });
  }

  async function json<T>(method: string, url: string, token: string | null, body?: unknown): Promise<{ status: number; body: T; text: string }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const answer = await request(method, url, { headers, body: body === undefined ? undefined : JSON.stringify(body) });
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(answer.text);
    } catch {
      // not JSON (nginx's own error page)
    }
    return { status: answer.status, body: parsed as T, text: answer.text };
  }

  function startServer(port: number): Promise<ChildProcess> {
    const child = spawn(process.execPath, [bundle], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, GUANMO_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    servers.push(child);
    let out = '';
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.includes('Guanmo server listening on')) resolve(child);
      });
      child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      child.once('exit', (code) => reject(new Error(`server on ${port} exited (${code}) before listening:\n${out}`)));
    });
  }

  beforeAll(async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'guanmo-nginx-'));
    const bundleDir = path.join(serverPackageDir, 'dist', `.test-nginx-${process.pid}-${randomBytes(3).toString('hex')}`);
    bundle = await buildServer({ outfile: path.join(bundleDir, 'main.js'), logLevel: 'silent' });
    const fresh = await createFreshPgDatabase(pgTestUrl!);
    dropDb = async () => {
      await fresh.drop();
      await fsp.rm(bundleDir, { recursive: true, force: true });
    };
    const dataDir = path.join(tmp, 'data');
    await fsp.mkdir(dataDir);
    env = { DATABASE_URL: fresh.url, GUANMO_DATA_DIR: dataDir, GUANMO_TRUST_PROXY: '1', GUANMO_LOG_LEVEL: 'warn', GUANMO_STATIC_DIR: path.join(tmp, 'no-site') };

    // the accounts, straight into the database (the first process migrates it)
    ports = [await freePort(), await freePort()];
    await startServer(ports[0]!);
    await startServer(ports[1]!);
    const database = await openDatabase({ databaseUrl: fresh.url, dataDir }, { warn: () => undefined });
    try {
      users = {
        sec: await createTestUser(database.db, { username: 'desk', role: 'secretariat' }),
        s1: await createTestUser(database.db, { username: 'scorer1', role: 'scorer' }),
        s2: await createTestUser(database.db, { username: 'scorer2', role: 'scorer' }),
      };
    } finally {
      await database.close();
    }

    // nginx, unprivileged: its own prefix in a temp folder, high ports
    const nginxDir = path.join(tmp, 'nginx');
    await fsp.mkdir(nginxDir);
    const cert = path.join(nginxDir, 'cert.pem');
    const key = path.join(nginxDir, 'key.pem');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'pipe' });
    if (made.status !== 0) throw new Error(`openssl: ${made.stderr.toString()}`);
    const httpsPort = await freePort();
    const conf = nginxTestConfig(await fsp.readFile(siteConfig, 'utf8'), { dir: nginxDir, httpsPort, httpPort: await freePort(), upstreams: ports, cert, key });
    await fsp.writeFile(path.join(nginxDir, 'nginx.conf'), conf);
    const isRoot = process.getuid?.() === 0;
    if (isRoot) {
      // never as root: the user nobody, owning its own folder
      await fsp.chmod(tmp, 0o755);
      for (const entry of ['', 'cert.pem', 'key.pem', 'nginx.conf']) await fsp.chown(path.join(nginxDir, entry), 65534, 65534);
    }
    const args = ['-p', nginxDir, '-c', path.join(nginxDir, 'nginx.conf'), '-e', path.join(nginxDir, 'error.log'), '-g', 'daemon off;'];
    const check = spawnSync(nginxBin!, ['-t', ...args.slice(0, 6)], { stdio: 'pipe', ...(isRoot ? { uid: 65534, gid: 65534 } : {}) });
    if (check.status !== 0) throw new Error(`nginx -t: ${check.stderr.toString()}\n${conf}`);
    nginx = spawn(nginxBin!, args, { stdio: ['ignore', 'ignore', 'pipe'], ...(isRoot ? { uid: 65534, gid: 65534 } : {}) });
    let nginxErr = '';
    nginx.stderr!.on('data', (chunk: Buffer) => (nginxErr += chunk.toString('utf8')));
    agent = new https.Agent({ ca: await fsp.readFile(cert), keepAlive: true, maxSockets: 16 });
    base = `https://127.0.0.1:${httpsPort}/`;
    for (let i = 0; ; i++) {
      const answer = await request('GET', '/api/health').catch(() => null);
      if (answer?.status === 200) break;
      if (i > 100 || nginx.exitCode !== null) throw new Error(`nginx did not come up: ${nginxErr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }, 120_000);

  afterAll(async () => {
    agent?.destroy();
    nginx?.kill('SIGKILL');
    for (const child of servers) child.kill('SIGKILL');
    await Promise.all([nginx, ...servers].filter((c): c is ChildProcess => c !== null && c.exitCode === null && c.signalCode === null).map((c) => new Promise((r) => c.once('exit', r))));
    await dropDb?.();
    if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
  }, 60_000);

  /** A laptop: its own clock and cursor, through nginx. */
  class Laptop {
    readonly clientId = `laptop-${randomUUID().slice(0, 8)}`;
    readonly clock = new HlcClock(this.clientId);
    cursor: string | undefined;
    readonly seen = new Map<string, PulledRecord>();
    retries = 0;
    constructor(readonly token: string) {}

    mutation(collection: Mutation['collection'], tourId: string, record: { id: string } & Record<string, unknown>): Mutation {
      return { id: randomUUID(), collection, recordId: record.id, tourId, op: 'upsert', fields: { ...record }, hlc: formatHlc(this.clock.send(Date.now())) };
    }

    /** pushes until the server answers; a cut or refused push is sent again unchanged, as the app does */
    async push(mutations: Mutation[]): Promise<PushResponse> {
      for (let attempt = 0; ; attempt++) {
        const answer = await json<PushResponse>('POST', '/api/sync/push', this.token, { clientId: this.clientId, mutations }).catch(() => null);
        if (answer?.status === 200) {
          const bad = answer.body.results.filter((r) => r.status !== 'applied' && r.status !== 'duplicate');
          if (bad.length > 0) throw new Error(`not applied: ${JSON.stringify(bad)}`);
          return answer.body;
        }
        if (answer && answer.status < 500 && answer.status !== 429) throw new Error(`push: ${answer.status} ${answer.text}`);
        if (attempt > 50) throw new Error(`push never got through: ${answer?.status} ${answer?.text}`);
        this.retries++;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    async pullAll(): Promise<void> {
      for (let attempt = 0; ; ) {
        const query = new URLSearchParams({ limit: '50', ...(this.cursor ? { cursor: this.cursor } : {}) });
        const answer = await json<PullResponse>('GET', `/api/sync/pull?${query}`, this.token).catch(() => null);
        if (answer?.status !== 200) {
          if (++attempt > 50) throw new Error(`pull: ${answer?.status} ${answer?.text}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
          continue;
        }
        for (const change of answer.body.changes) this.seen.set(`${change.collection}/${change.id}`, change);
        this.cursor = answer.body.cursor;
        if (!answer.body.hasMore) return;
      }
    }
  }

  async function signIn(username: string, password: string): Promise<string> {
    const answer = await json<{ token: string }>('POST', '/api/auth/login', null, { username, password });
    expect(answer.status, answer.text).toBe(200);
    return answer.body.token;
  }

  /** the secretariat's live stream through nginx: the events' names as they arrive */
  function openLive(token: string): Promise<{ events: string[]; next(name: string): Promise<void>; close(): void; ended: Promise<void> }> {
    return new Promise((resolve, reject) => {
      const events: string[] = [];
      let taken = 0;
      const waiters: Array<() => void> = [];
      let endedResolve!: () => void;
      const ended = new Promise<void>((r) => (endedResolve = r));
      const req = https.get(new URL('/api/sync/live', base), { agent: new https.Agent({ ca: agent.options.ca }), headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`live: ${res.statusCode}`));
        const parser = new SseParser(
          (event) => {
            events.push(event.event);
            for (const w of waiters.splice(0)) w();
          },
          () => undefined,
        );
        res.setEncoding('utf8');
        res.on('data', (text: string) => parser.push(text));
        res.on('end', () => endedResolve());
        res.on('error', () => endedResolve());
        resolve({
          events,
          ended,
          close: () => req.destroy(),
          // the next event of that name after those already taken
          next: async (name) => {
            const deadline = Date.now() + 15_000;
            for (;;) {
              const at = events.indexOf(name, taken);
              if (at >= 0) {
                taken = at + 1;
                return;
              }
              if (Date.now() > deadline) throw new Error(`no ${name} event; got ${events.join(', ')}`);
              await Promise.race([new Promise<void>((r) => waiters.push(r)), ended, new Promise((r) => setTimeout(r, 500))]);
            }
          },
        });
      });
      req.on('error', reject);
    });
  }

  it('sign-in, push, pull, a tus photo upload and the live channel through nginx; a process killed mid-push loses nothing', { timeout: 90_000 }, async () => {
    // plain HTTP only redirects to HTTPS
    const tourId = 'tour-ng';
    const deskToken = await signIn('desk', users.sec.password);
    const desk = new Laptop(deskToken);
    const t = buildTestTour(tourId, [
      { userId: users.s1.id, name: '评委甲' },
      { userId: users.s2.id, name: '评委乙' },
    ]);
    await desk.push([desk.mutation('tours', tourId, t.tour), ...t.units.map((u) => desk.mutation('units', tourId, u)), ...t.stops.map((s) => desk.mutation('stops', tourId, s)), ...t.scorers.map((s) => desk.mutation('scorers', tourId, s))]);

    // the live stream is not buffered by nginx: hello arrives at once, and a push through either process reaches it
    const live = await openLive(deskToken);
    await live.next('hello');

    const laptops = [new Laptop(await signIn('scorer1', users.s1.password)), new Laptop(await signIn('scorer1', users.s1.password)), new Laptop(await signIn('scorer2', users.s2.password)), new Laptop(await signIn('scorer2', users.s2.password))];
    const authorOf = (i: number) => (i < 2 ? users.s1.id : users.s2.id);
    const note = (laptop: Laptop, i: number, n: number) => {
      const at = new Date().toISOString();
      return laptop.mutation('notes', tourId, { id: `note-${i}-${n}`, tourId, stopId: `${tourId}-s1`, authorId: authorOf(i), kind: 'highlight', text: `现场第${n}条`, createdAt: at, updatedAt: at });
    };
    await laptops[0]!.push([note(laptops[0]!, 0, 0)]);
    await live.next('changes');

    // a photo through tus: created, then sent in two PATCHes (nginx streams them through unbuffered)
    const photo = Buffer.alloc(300_000, 7);
    photo.set([0xff, 0xd8, 0xff, 0xe0], 0);
    const sha256 = createHash('sha256').update(photo).digest('hex');
    const meta = Object.entries({ sha256, filename: '工地.jpg', filetype: 'image/jpeg', tourId })
      .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
      .join(',');
    const auth = { authorization: `Bearer ${laptops[0]!.token}`, 'tus-resumable': '1.0.0' };
    const created = await request('POST', '/api/uploads', { headers: { ...auth, 'upload-length': String(photo.length), 'upload-metadata': meta } });
    expect(created.status, created.text).toBe(201);
    const location = String(created.headers.location);
    const half = 150_000;
    const patch = (offset: number, chunk: Buffer) =>
      request('PATCH', location, { headers: { ...auth, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream', 'content-length': String(chunk.length) }, body: chunk });
    expect((await patch(0, photo.subarray(0, half))).status).toBe(204);
    expect((await patch(half, photo.subarray(half))).status).toBe(204);
    expect((await request('HEAD', `/api/blobs/${sha256}`, { headers: { authorization: auth.authorization } })).status).toBe(200);

    // every laptop pushes 12 batches; after the third round, one process is killed outright
    const rounds = 12;
    let killed: ChildProcess | null = null;
    const pushing = laptops.map(async (laptop, i) => {
      for (let n = 1; n <= rounds; n++) {
        await laptop.push([note(laptop, i, n), note(laptop, i, n + 100)]);
        if (n === 3 && i === 0) {
          killed = servers[0]!;
          killed.kill('SIGKILL');
        }
      }
    });
    await Promise.all(pushing);
    expect(killed).not.toBeNull();

    // nothing lost: every note on every laptop and the desk, the same everywhere
    await desk.pullAll();
    for (const laptop of laptops) await laptop.pullAll();
    const expected = new Set<string>();
    for (let i = 0; i < laptops.length; i++) for (const n of [0, ...Array.from({ length: rounds }, (_, k) => k + 1), ...Array.from({ length: rounds }, (_, k) => k + 101)]) if (!(i > 0 && n === 0)) expected.add(`notes/note-${i}-${n}`);
    const notesOf = (laptop: Laptop) => [...laptop.seen.keys()].filter((key) => key.startsWith('notes/')).sort();
    expect(notesOf(desk)).toEqual([...expected].sort());
    for (const laptop of laptops) expect(notesOf(laptop)).toEqual(notesOf(desk));
    const stateOf = (laptop: Laptop) => JSON.stringify([...laptop.seen.entries()].filter(([k]) => k.startsWith('notes/')).sort());
    for (const laptop of laptops) expect(stateOf(laptop)).toEqual(stateOf(desk));

    // the secretariat's stream carries on: on the surviving process, or opened again if it was on the killed one
    const stream = live.events.length > 0 && (await Promise.race([live.ended.then(() => true), new Promise((r) => setTimeout(() => r(false), 200))])) ? await openLive(deskToken) : live;
    if (stream !== live) await stream.next('hello');
    const after = laptops[2]!;
    await Promise.all([stream.next('changes'), after.push([note(after, 2, 999)])]);
    stream.close();
    live.close();
  });

  it('nginx passes the laptop address on (GUANMO_TRUST_PROXY=1): five wrong passwords lock that address, in all processes', async () => {
    const attempts = [];
    for (let i = 0; i < 7; i++) attempts.push(await json('POST', '/api/auth/login', null, { username: 'scorer2', password: `wrong-password-${i}` }));
    expect(attempts.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });
});
