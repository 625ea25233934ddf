/**
 * Two server processes on one database (issue 16): each app here has its own connection pool,
 * clock, rate limit objects, live hub and change feed, as two processes would; they share only
 * the database and the data folder. (tests/integration/nginx-cluster.test.ts runs real processes
 * behind nginx and kills one mid-push.)
 *
 * PostgreSQL: limits and sign-in throttling hold for the sum of both, a live stream on one hears
 * a push through the other, photo garbage collection never runs in both at once, every laptop
 * converges. SQLite: a second server process on the same data folder refuses to start, and the
 * admin CLI's collection and the server's never run at once (lease row).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../app.js';
import { BlobStore } from '../blobs/blob-store.js';
import { openDatabase, type ServerDatabase } from '../db/database.js';
import { blobGcJob, runBlobHousekeeping } from '../housekeeping.js';
import { blobDirOf } from '../photos/register-photo-routes.js';
import { createSignedInUser, createTestUser } from '../test-support/auth-fixtures.js';
import { postgresBackend, sqliteBackend, type TestDatabase } from '../test-support/backends.js';
import { LiveTestClient } from '../test-support/live-client.js';
import { createCapturedApp, startCapturedServer } from '../test-support/server-fixtures.js';
import { buildSheet, buildTestTour, SyncClient, tourMutations } from '../test-support/sync-client.js';
import { formatHlc } from '@shared/sync/hlc';
import { ServerClock } from '../sync/server-clock.js';
import { leaseHolder, tryExclusive } from './leases.js';
import { SecondSqliteServerError, sqliteServeLease } from './single-process.js';

const quietLog = { info: () => undefined, warn: () => undefined };

/** a promise and what settles it */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe.skipIf(!postgresBackend.isAvailable)('two server processes on one PostgreSQL', () => {
  let database: TestDatabase;
  let a: RunningServer;
  let b: RunningServer;

  beforeEach(async () => {
    database = await postgresBackend.create();
  });

  /** the two processes, with the same configuration */
  async function start(env: Record<string, string> = {}) {
    const all = { ...database.env, GUANMO_LOG_LEVEL: 'error', ...env };
    a = await startCapturedServer(all, { live: { coalesceMs: 0 } });
    b = await startCapturedServer(all, { live: { coalesceMs: 0 } });
  }

  afterEach(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await database?.cleanup();
  });

  it('a rate limit holds for the sum of both processes (pulls, upload starts)', async () => {
    await start({ GUANMO_RATE_LIMIT_PULL: '6/min', GUANMO_RATE_LIMIT_UPLOADS: '4/min' });
    const user = await createSignedInUser(a.app, a.db, { username: 'scorer1', role: 'scorer' });
    const pulls = await Promise.all(
      Array.from({ length: 14 }, (_, i) => (i % 2 === 0 ? a : b).app.inject({ method: 'GET', url: '/api/sync/pull?limit=10', headers: user.headers })),
    );
    expect(pulls.filter((r) => r.statusCode === 200)).toHaveLength(6);
    expect(pulls.filter((r) => r.statusCode === 429)).toHaveLength(8);
    expect(pulls.find((r) => r.statusCode === 429)?.headers['retry-after']).toMatch(/^\d+$/);

    const challenges = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 === 0 ? a : b).app.inject({ method: 'POST', url: '/api/blobs/challenges', headers: user.headers, payload: { sha256s: ['a'.repeat(64)] } }),
      ),
    );
    expect(challenges.filter((r) => r.statusCode === 429)).toHaveLength(4);
    expect(challenges.filter((r) => r.statusCode !== 429).every((r) => r.statusCode < 500)).toBe(true);
  });

  it('sign-in throttling: wrong passwords racing through both processes get no more checks than one limit', async () => {
    await start();
    const user = await createTestUser(a.db, { username: 'target', role: 'scorer' });
    const attempts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 === 0 ? a : b).app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.1.2.3', payload: { username: 'target', password: `wrong-${i}-password` } }),
      ),
    );
    // five wrong passwords lock the account for this address (auth/login-throttle.ts), in all
    expect(attempts.filter((r) => r.statusCode === 401)).toHaveLength(5);
    expect(attempts.filter((r) => r.statusCode === 429)).toHaveLength(7);
    // the owner elsewhere still signs in, through either process
    const owner = await b.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.9.9.9', payload: { username: 'target', password: user.password } });
    expect(owner.statusCode).toBe(200);
  });

  it('a live stream on one process hears a push handled by the other; every laptop converges', async () => {
    await start();
    const sec = await createSignedInUser(a.app, a.db, { username: 'sec', role: 'secretariat' });
    const s1 = await createSignedInUser(a.app, a.db, { username: 's1', role: 'scorer' });
    const s2 = await createSignedInUser(a.app, a.db, { username: 's2', role: 'scorer' });
    const desk = new SyncClient(a.app, sec.token);
    const t = buildTestTour('tour-c', [
      { userId: s1.id, name: '评委甲' },
      { userId: s2.id, name: '评委乙' },
    ]);
    await desk.pushOk(tourMutations(desk, t));

    const stream = await LiveTestClient.open(b.url, sec.token);
    try {
      await stream.next('hello');
      // laptops spread over both processes, each pushing its own sheets and a shared note
      const laptops = [new SyncClient(a.app, s1.token), new SyncClient(b.app, s1.token), new SyncClient(b.app, s2.token), new SyncClient(a.app, s2.token)];
      const scorerOf = [`tour-c-p1`, `tour-c-p1`, `tour-c-p2`, `tour-c-p2`];
      await Promise.all(
        laptops.map((laptop, i) =>
          laptop.pushOk([
            laptop.mutation('sheets', 'tour-c', buildSheet('tour-c', `tour-c-s${(i % 2) + 1}`, scorerOf[i]!, { progress: 10 + i })),
            laptop.mutation('notes', 'tour-c', { id: `note-${i}`, tourId: 'tour-c', stopId: 'tour-c-s1', authorId: i < 2 ? s1.id : s2.id, kind: 'highlight', text: `第${i}条`, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() }),
          ]),
        ),
      );
      await stream.next('changes');
      const deskOnB = new SyncClient(b.app, sec.token);
      const deskOnA = new SyncClient(a.app, sec.token);
      await Promise.all([deskOnA.pullAll(7), deskOnB.pullAll(7)]);
      expect(deskOnA.seen.size).toBeGreaterThan(0);
      expect([...deskOnB.seen.entries()].sort()).toEqual([...deskOnA.seen.entries()].sort());
      expect(deskOnA.seenIds('sheets')).toHaveLength(4);
      // each scorer's laptops agree, wherever they pulled
      for (const laptop of laptops) await laptop.pullAll(5);
      expect([...laptops[0]!.seen.entries()].sort()).toEqual([...laptops[1]!.seen.entries()].sort());
      expect([...laptops[2]!.seen.entries()].sort()).toEqual([...laptops[3]!.seen.entries()].sort());
    } finally {
      stream.close();
    }
  });

  it('photo garbage collection runs in one process at a time', async () => {
    await start();
    const blobs = new BlobStore(blobDirOf(database.dataDir));
    const held = gate();
    const running = gate();
    const first = tryExclusive(a.db, 'postgres', blobGcJob, async () => {
      running.open();
      await held.opened;
      return 'a';
    });
    await running.opened;
    expect(await runBlobHousekeeping(b.db, 'postgres', blobs, quietLog, 0)).toBeNull();
    held.open();
    expect(await first).toEqual({ ran: true, value: 'a' });
    expect(await runBlobHousekeeping(b.db, 'postgres', blobs, quietLog, 0)).not.toBeNull();
  });
});

describe('one server process per SQLite data folder', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await sqliteBackend.create();
  });
  afterEach(async () => {
    await database.cleanup();
  });

  it('a second server on the same data folder refuses to start; after the first stops it starts', async () => {
    const first = await createCapturedApp({ ...database.env, GUANMO_LOG_LEVEL: 'error' });
    const refused = await createCapturedApp({ ...database.env, GUANMO_LOG_LEVEL: 'error' }).then(
      async (app) => {
        await app.close();
        return null;
      },
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(SecondSqliteServerError);
    expect((refused as Error).message).toMatch(/SQLite serves one server process.*PostgreSQL/);
    await first.close();
    const second = await createCapturedApp({ ...database.env, GUANMO_LOG_LEVEL: 'error' });
    await second.close();
  });

  it('the lease of a server process that died is taken over at once', async () => {
    const dead = spawn(process.execPath, ['-e', '0']);
    const pid = dead.pid!;
    await new Promise((resolve) => dead.once('exit', resolve));
    const opened: ServerDatabase = await openDatabase({ databaseUrl: null, dataDir: database.dataDir }, { warn: () => undefined });
    try {
      await opened.db.insertInto('leases').values({ name: sqliteServeLease, holder: `${os.hostname()}#${pid}#abcd`, expires_at: Date.now() + 60_000 }).execute();
    } finally {
      await opened.close();
    }
    const app = await createCapturedApp({ ...database.env, GUANMO_LOG_LEVEL: 'error' });
    await app.close();
  });

  it('server clocks of two processes: a later process starts above what the other persisted, and stamps after its versions', async () => {
    const one = await openDatabase({ databaseUrl: null, dataDir: database.dataDir }, { warn: () => undefined });
    const two = await openDatabase({ databaseUrl: null, dataDir: database.dataDir }, { warn: () => undefined });
    try {
      const clockA = await ServerClock.open(one.db);
      // a version from a laptop an hour ahead (a server-made write answers it), persisted before its commit
      const ahead = clockA.stampAfter([formatHlc({ millis: Date.now() + 3_600_000, counter: 0, node: 'laptop' })]);
      await clockA.persist(one.db);
      const clockB = await ServerClock.open(two.db);
      expect(clockB.current >= ahead).toBe(true);
      expect(clockB.node).not.toBe(clockA.node);
      const next = clockB.stampAfter([ahead]);
      expect(next > ahead).toBe(true);
      expect(clockA.stampAfter([next]) > next).toBe(true);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('photo garbage collection runs once at a time: the lease row keeps the CLI and the server apart', async () => {
    const one = await openDatabase({ databaseUrl: null, dataDir: database.dataDir }, { warn: () => undefined });
    const two = await openDatabase({ databaseUrl: null, dataDir: database.dataDir }, { warn: () => undefined });
    try {
      const blobs = new BlobStore(blobDirOf(database.dataDir));
      const held = gate();
      const running = gate();
      const first = tryExclusive(one.db, 'sqlite', blobGcJob, async () => {
        running.open();
        await held.opened;
        return 1;
      });
      await running.opened;
      expect(await leaseHolder(two.db, `job:${blobGcJob}`)).not.toBeNull();
      expect(await runBlobHousekeeping(two.db, 'sqlite', blobs, quietLog, 0)).toBeNull();
      held.open();
      expect(await first).toEqual({ ran: true, value: 1 });
      expect(await leaseHolder(two.db, `job:${blobGcJob}`)).toBeNull();
      expect(await runBlobHousekeeping(two.db, 'sqlite', blobs, quietLog, 0)).not.toBeNull();
    } finally {
      await one.close();
      await two.close();
    }
  });
});
