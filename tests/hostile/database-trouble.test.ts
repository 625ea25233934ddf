/**
 * Issue 14 item 4: a locked or full database. With the SQLite file locked by another process,
 * push answered 500 after 5 s (API.md promises 503 busy with Retry-After), login 500 after 10 s,
 * and /api/health took 5 s: better-sqlite3's busy wait blocked the whole process. On a full
 * disk push, login and upload answered 500 and the log said "cannot rollback - no transaction is
 * active", hiding SQLITE_FULL. Now waits for the lock are asynchronous (the event loop keeps
 * answering: health answers while a push waits), the answer is 503 with Retry-After, the log
 * names the cause, health reports degraded, and after space returns everything retries cleanly.
 * PostgreSQL: connections the database drops (a restart, an administrator) are 503, never 500.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteFileName } from '../../server/src/config';
import { pgTestUrl, postgresBackend, sqliteBackend, type TestDatabase } from '../../server/src/test-support/backends';
import { buildTestTour, tourMutations, type SyncClient } from '../../server/src/test-support/sync-client';
import { checkStored, laptopOf, newTally, startHostileServer, writeTally, type HostileServer } from './support/hostile-server';
import { fakeJpeg, uploadWhole } from './support/photo-bytes';

const lockHolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'hold-sqlite-lock.mjs');
const monitoring = 'hostile-monitoring-token';
const tourId = 'tour-trouble';

function noteOf(authorId: string, text: string) {
  const at = new Date().toISOString();
  return { id: `note-${randomUUID()}`, tourId, stopId: `${tourId}-s1`, authorId, kind: 'highlight', text, createdAt: at, updatedAt: at };
}

async function healthOf(s: HostileServer): Promise<{ status: number; body: Record<string, unknown>; ms: number }> {
  const started = performance.now();
  const response = await fetch(new URL('api/health', s.url), { headers: { 'x-monitoring-token': monitoring } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, ms: performance.now() - started };
}

describe('SQLite locked by another process, and a full disk', () => {
  const tally = newTally();
  let database: TestDatabase;
  let s: HostileServer;
  let scorer: { id: string; token: string; client: SyncClient; password: string };
  const written: Array<{ collection: string; id: string; fields: Record<string, unknown> }> = [];
  let mounted: string | null = null;

  afterAll(() => writeTally('database-trouble', 'sqlite', tally));
  beforeEach(async () => {
    database = await sqliteBackend.create();
    written.length = 0;
  }, 60_000);
  afterEach(async () => {
    await s?.close();
    if (mounted) {
      execFileSync('umount', [mounted]);
      mounted = null;
    }
    await database.cleanup();
  }, 60_000);

  async function start() {
    s = await startHostileServer(database, 'sqlite', tally, { GUANMO_HEALTH_TOKEN: monitoring, GUANMO_RATE_LIMIT_PUSH: 'off' }, { expected5xx: (status) => status === 503 });
    const sec = await laptopOf(s, 'sec', 'secretariat');
    scorer = await laptopOf(s, 'scorer', 'scorer');
    await sec.client.pushOk(tourMutations(sec.client, buildTestTour(tourId, [{ userId: scorer.id, name: '评委' }])));
  }

  it('another process holds the write lock: 503 busy with Retry-After, health answers meanwhile and says degraded; afterwards all goes through', async () => {
    await start();
    const holder: ChildProcessWithoutNullStreams = spawn(process.execPath, [lockHolder, path.join(database.dataDir, sqliteFileName)]);
    await new Promise<void>((resolve, reject) => {
      holder.stdout.once('data', () => resolve());
      holder.once('error', reject);
    });
    try {
      const note = noteOf(scorer.id, '锁住时写的');
      const mutation = scorer.client.mutation('notes', tourId, note);
      const order: string[] = [];
      const pushStarted = performance.now();
      const push = fetch(new URL('api/sync/push', s.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${scorer.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: scorer.client.clientId, mutations: [mutation] }),
      }).then(async (response) => {
        order.push('push');
        return { response, ms: performance.now() - pushStarted };
      });
      // while the push waits for the lock, the event loop answers health (it used to wait 5 s)
      await new Promise((r) => setTimeout(r, 100));
      const health = await healthOf(s);
      order.push('health');
      const more = [await healthOf(s), await healthOf(s), await healthOf(s)];
      const { response, ms } = await push;
      console.log(`[hostile] locked database: push answered ${response.status} after ${Math.round(ms)} ms; health answered in ${[health, ...more].map((h) => Math.round(h.ms)).join(', ')} ms while the push waited`);
      expect(order).toEqual(['health', 'push']);
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ ok: true, status: 'degraded', database: { status: 'degraded', reason: expect.stringContaining('SQLITE_BUSY') } });
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await response.json()).toMatchObject({ error: 'busy' });
      // sign-in writes too (its throttle, the session): 503 as well, not 500 after 10 s
      const login = await fetch(new URL('api/auth/login', s.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'scorer', password: scorer.password }) });
      expect(login.status).toBe(503);
      expect(login.headers.get('retry-after')).not.toBeNull();
      expect((await fetch(new URL('api/health', s.url))).status).toBe(200);
      expect(s.logs.some((line) => line.includes('database busy (SQLITE_BUSY)'))).toBe(true);

      holder.stdin.write('release\n');
      await new Promise<void>((resolve) => holder.once('exit', () => resolve()));
      // re-sending is safe: the same mutation now applies
      expect((await scorer.client.push([mutation])).results[0]!.status).toBe('applied');
      written.push({ collection: 'notes', id: note.id, fields: { text: note.text } });
      expect((await healthOf(s)).body).toMatchObject({ status: 'ok' });
      expect(await checkStored(s, tally, written)).toEqual([]);
    } finally {
      holder.kill();
    }
  });

  it('a full disk: 503 storage_full with Retry-After, a log naming SQLITE_FULL / ENOSPC, health degraded; once space returns everything retries cleanly', async () => {
    // a small file system of its own for the data folder (needs root; else SQLite's max_page_count stands in)
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', database.dataDir], { stdio: 'ignore' });
      mounted = database.dataDir;
    } catch {
      mounted = null;
    }
    await start();
    const filler = path.join(database.dataDir, 'filler');
    let restore: () => Promise<void>;
    if (mounted) {
      const fd = fs.openSync(filler, 'w');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
      } finally {
        fs.closeSync(fd);
      }
      restore = async () => fs.rmSync(filler);
    } else {
      const pages = Number((await sql<{ page_count: number }>`pragma page_count`.execute(s.db)).rows[0]!.page_count);
      await sql.raw(`pragma max_page_count = ${pages + 2}`).execute(s.db);
      restore = async () => void (await sql.raw('pragma max_page_count = 1073741823').execute(s.db));
    }

    const notes = Array.from({ length: 300 }, (_, i) => noteOf(scorer.id, `满盘时写的第 ${i} 条：${'工地进度良好，'.repeat(300)}`));
    const batch = notes.map((n) => scorer.client.mutation('notes', tourId, n));
    const full = await scorer.client.pushRaw(batch);
    expect(full.statusCode).toBe(503);
    expect(full.json()).toMatchObject({ error: 'storage_full' });
    expect(Number(full.headers['retry-after'])).toBeGreaterThan(0);
    const sawFull = s.logs.filter((line) => /SQLITE_FULL|ENOSPC/.test(line));
    expect(sawFull.length).toBeGreaterThan(0);
    expect(s.logs.some((line) => line.includes('cannot rollback'))).toBe(false);
    expect((await healthOf(s)).body).toMatchObject({ ok: true, status: 'degraded', database: { reason: expect.stringMatching(/disk full/) } });
    // sign-in and uploads do not answer 500 either (the tally counts every 5xx but 503)
    await fetch(new URL('api/auth/login', s.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'scorer', password: scorer.password }) });
    if (mounted) {
      const upload = await uploadWhole(s.url, scorer.token, fakeJpeg(2000, 1500, 300_000), { tourId });
      expect(upload.status).toBe(503);
      expect((await upload.json()) as { error: string }).toMatchObject({ error: 'storage_full' });
      expect(upload.headers.get('retry-after')).not.toBeNull();
    }

    await restore();
    const again = await scorer.client.push(batch);
    expect(again.results.every((r) => r.status === 'applied')).toBe(true);
    written.push(...notes.map((n) => ({ collection: 'notes', id: n.id, fields: { text: n.text } })));
    expect(await checkStored(s, tally, written)).toEqual([]);
    expect((await healthOf(s)).body).toMatchObject({ status: 'ok' });
    if (mounted) expect((await uploadWhole(s.url, scorer.token, fakeJpeg(2000, 1500, 300_000), { tourId })).status).toBe(201);
    console.log(`[hostile] full disk (${mounted ? 'a 24 MB tmpfs' : "SQLite's max_page_count"}): push, sign-in and upload answered 503 storage_full; after space returned the ${notes.length} notes were applied and are stored`);
  });
});

describe.skipIf(!postgresBackend.isAvailable)('PostgreSQL dropping the server\'s connections', () => {
  const tally = newTally();
  let database: TestDatabase;
  let s: HostileServer;

  afterAll(async () => {
    await s?.close();
    await database?.cleanup();
    writeTally('database-trouble', 'postgres', tally);
  });

  it('a terminated connection is 503 unavailable (not 500), and the next request works', { timeout: 60_000 }, async () => {
    database = await postgresBackend.create();
    s = await startHostileServer(database, 'postgres', tally, { GUANMO_HEALTH_TOKEN: monitoring }, { expected5xx: (status) => status === 503 });
    const sec = await laptopOf(s, 'sec', 'secretariat');
    const scorer = await laptopOf(s, 'scorer', 'scorer');
    await sec.client.pushOk(tourMutations(sec.client, buildTestTour(tourId, [{ userId: scorer.id, name: '评委' }])));
    // an administrator (or a restart) ends every connection of the server's pool
    const admin = new pg.Client({ connectionString: database.env.DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and application_name = 'guanmo-server'`);
    } finally {
      await admin.end();
    }
    await new Promise((r) => setTimeout(r, 200));
    const note = noteOf(scorer.id, '连接断开后');
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const response = await scorer.client.pushRaw([scorer.client.mutation('notes', tourId, note)]);
      statuses.push(response.statusCode);
      if (response.statusCode === 200) break;
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBeDefined();
    }
    expect(statuses.at(-1)).toBe(200);
    expect(await checkStored(s, tally, [{ collection: 'notes', id: note.id, fields: { text: note.text } }])).toEqual([]);
    expect((await healthOf(s)).status).toBe(200);
    expect(pgTestUrl).not.toBeNull();
  });
});
