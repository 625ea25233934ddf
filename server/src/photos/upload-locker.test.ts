/**
 * The cross-process tus upload lock on PostgreSQL (upload-locker.ts). Two lockers are two
 * processes: each has its own lock connection. Then two real server instances on one
 * PostgreSQL and one data folder: a PATCH through one server makes the other server's stalled
 * PATCH of the same upload give way before it writes.
 *
 * Needs GUANMO_TEST_DATABASE_URL (skipped without it, like the other PostgreSQL suites).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ERRORS } from '@tus/server';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '@shared/photos/sha256';
import type { RunningServer } from '../app.js';
import { createSignedInUser } from '../test-support/auth-fixtures.js';
import { pgTestUrl, testBackends, type TestDatabase } from '../test-support/backends.js';
import { startCapturedServer } from '../test-support/server-fixtures.js';
import { createUploadLocker, PgAdvisoryLocker } from './upload-locker.js';

const postgres = testBackends.find((b) => b.kind === 'postgres')!;

describe('createUploadLocker', () => {
  it('uses the in-memory locker on SQLite (one process by design)', async () => {
    const { locker, close } = createUploadLocker(null);
    expect(locker).not.toBeInstanceOf(PgAdvisoryLocker);
    await close();
  });
});

describe.skipIf(!pgTestUrl)('PgAdvisoryLocker across processes', () => {
  let database: TestDatabase;
  let url: string;
  const lockers: PgAdvisoryLocker[] = [];
  const newLocker = (timeoutMs = 10_000) => {
    const locker = new PgAdvisoryLocker(url, { acquireLockTimeoutMs: timeoutMs });
    lockers.push(locker);
    return locker;
  };

  beforeEach(async () => {
    database = await postgres.create();
    url = database.env.DATABASE_URL!;
  });
  afterEach(async () => {
    await Promise.all(lockers.splice(0).map((l) => l.close()));
    await database.cleanup();
  });

  it('one holder at a time; the waiter asks the holder to finish and gets the lock when it does', async () => {
    const a = newLocker();
    const b = newLocker();
    const events: string[] = [];
    const lockA = a.newLock('upload-1');
    await lockA.lock(new AbortController().signal, async () => {
      events.push('a asked to release');
      await sleep(50);
      events.push('a unlocks');
      await lockA.unlock();
    });
    expect(a.heldIds()).toEqual(['upload-1']);

    const lockB = b.newLock('upload-1');
    await lockB.lock(new AbortController().signal, () => undefined);
    events.push('b holds');
    expect(events).toEqual(['a asked to release', 'a unlocks', 'b holds']);
    expect(a.heldIds()).toEqual([]);
    expect(b.heldIds()).toEqual(['upload-1']);
    await lockB.unlock();
  });

  it('a holder that never lets go makes the waiter time out; other uploads are not blocked', async () => {
    const a = newLocker();
    const b = newLocker(400);
    const lockA = a.newLock('upload-2');
    await lockA.lock(new AbortController().signal, () => undefined); // ignores requests
    await expect(b.newLock('upload-2').lock(new AbortController().signal, () => undefined)).rejects.toBe(ERRORS.ERR_LOCK_TIMEOUT);
    const other = b.newLock('upload-3');
    await other.lock(new AbortController().signal, () => undefined);
    await other.unlock();
    // and once released, it can be taken
    await lockA.unlock();
    const again = b.newLock('upload-2');
    await again.lock(new AbortController().signal, () => undefined);
    await again.unlock();
  });

  it('requests of one process queue on the in-memory lock (advisory locks are re-entrant per session)', async () => {
    const a = newLocker(400);
    const first = a.newLock('upload-4');
    await first.lock(new AbortController().signal, () => undefined);
    await expect(a.newLock('upload-4').lock(new AbortController().signal, () => undefined)).rejects.toBe(ERRORS.ERR_LOCK_TIMEOUT);
    await first.unlock();
  });

  it('a lost lock connection stops its holders and frees the lock for the other process', async () => {
    const a = newLocker();
    const b = newLocker();
    let isAskedToStop = false;
    const lockA = a.newLock('upload-5');
    await lockA.lock(new AbortController().signal, () => {
      isAskedToStop = true;
    });
    // kill process A's lock connection from outside, as a network cut or a database restart would
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'guanmo-server upload locks' and datname = current_database() and pid in (select pid from pg_locks where locktype = 'advisory')`);
    } finally {
      await admin.end();
    }
    await expect.poll(() => isAskedToStop, { timeout: 5000 }).toBe(true);
    const lockB = b.newLock('upload-5');
    await lockB.lock(new AbortController().signal, () => undefined);
    await lockA.unlock(); // a late unlock of a lost lock is harmless
    expect(b.heldIds()).toEqual(['upload-5']);
    await lockB.unlock();
    // A works again on a new connection
    const again = a.newLock('upload-6');
    await again.lock(new AbortController().signal, () => undefined);
    await again.unlock();
  });
});

describe.skipIf(!pgTestUrl)('two servers on one PostgreSQL share upload locks', () => {
  let database: TestDatabase;
  let a: RunningServer;
  let b: RunningServer;

  beforeEach(async () => {
    database = await postgres.create();
    a = await startCapturedServer({ ...database.env, GUANMO_LOG_LEVEL: 'error' });
    b = await startCapturedServer({ ...database.env, GUANMO_LOG_LEVEL: 'error' });
  });
  afterEach(async () => {
    await a?.close();
    await b?.close();
    await database.cleanup();
  });

  it('a PATCH through server B waits until server A’s stalled PATCH of the same upload has stopped', async () => {
    // the secretariat may upload for any tour (participants: for theirs)
    const user = await createSignedInUser(a.app, a.db, { username: 'office', role: 'secretariat' });
    const bytes = Buffer.alloc(300_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 251;
    bytes.set([0xff, 0xd8, 0xff, 0xe0], 0); // a JPEG, by its signature
    const sha256 = sha256Hex(bytes);
    const tusHeaders = { authorization: `Bearer ${user.token}`, 'tus-resumable': '1.0.0' };
    const meta = `sha256 ${Buffer.from(sha256).toString('base64')},filetype ${Buffer.from('image/jpeg').toString('base64')},tourId ${Buffer.from('tour-1').toString('base64')}`;
    const created = await fetch(`${a.url}api/uploads`, { method: 'POST', headers: { ...tusHeaders, 'upload-length': String(bytes.length), 'upload-metadata': meta } });
    expect(created.status).toBe(201);
    const location = created.headers.get('location')!;
    const id = location.split('/').pop()!;

    // A: send the first 100 000 bytes, then stall (a laptop whose connection went half-open)
    const firstPart = 100_000;
    const events: string[] = [];
    const stalled = new AbortController();
    let release: () => void = () => undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, firstPart));
        release = () => {
          try {
            controller.close();
          } catch {
            // already cancelled by the server
          }
        };
      },
    });
    const patchA = fetch(`${a.url}${location.replace(/^\//, '')}`, {
      method: 'PATCH',
      headers: { ...tusHeaders, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body,
      duplex: 'half',
      signal: stalled.signal,
    } as RequestInit).then(
      (response) => events.push(`A answered ${response.status}`),
      () => events.push('A cut'),
    );
    const dataFile = path.join(database.dataDir, 'uploads', id);
    await expect.poll(async () => (await fs.stat(dataFile).catch(() => null))?.size ?? 0, { timeout: 10_000 }).toBe(firstPart);

    // the laptop comes back through server B: HEAD says 100 000, PATCH the rest
    const head = await fetch(`${b.url}${location.replace(/^\//, '')}`, { method: 'HEAD', headers: tusHeaders });
    expect(head.headers.get('upload-offset')).toBe(String(firstPart));
    const patchB = await fetch(`${b.url}${location.replace(/^\//, '')}`, {
      method: 'PATCH',
      headers: { ...tusHeaders, 'upload-offset': String(firstPart), 'content-type': 'application/offset+octet-stream' },
      body: bytes.subarray(firstPart),
    });
    events.push(`B answered ${patchB.status}`);
    // Server A was asked (through PostgreSQL) to let go, and did so before B could write.
    // With a per-process lock, B would have answered while A's request still hung.
    expect(events[0]).toMatch(/^A /);
    expect(patchB.status).toBe(204);
    release();
    stalled.abort();
    await patchA;

    const blob = await fetch(`${b.url}api/blobs/${sha256}`, { method: 'HEAD', headers: tusHeaders });
    expect(blob.status).toBe(200);
  });
});
