/**
 * The renderer's sync client (renderer/src/sync) against the REAL server (in-process, SQLite in a
 * temp folder, listening on a loopback port): sign-in, push, pull, apply, cursor, duplicates,
 * rejections, clocks, photo uploads resumed after a cut and after a server restart.
 * Local databases are fake-indexeddb in node, the same Dexie code the app runs.
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sheetId } from '@shared/domain/schemas';
import { formatHlc, parseHlc } from '@shared/sync/hlc';
import { sha256Hex } from '@shared/photos/sha256';
import type { RunningServer } from '../../server/src/app';
import { getRecord } from '../../server/src/db/records';
import { createTestUser, signIn as serverSignIn } from '../../server/src/test-support/auth-fixtures';
import { makeTempDir } from '../../server/src/test-support/backends';
import { startCapturedServer } from '../../server/src/test-support/server-fixtures';
import { buildTestTour, SyncClient, tourMutations } from '../../server/src/test-support/sync-client';
import { getCurrentUser } from '../../renderer/src/db/current-user-repo';
import type { GuanmoDb } from '../../renderer/src/db/guanmo-db';
import { ensureClientId } from '../../renderer/src/db/meta-repo';
import { addNote } from '../../renderer/src/db/notes-repo';
import { addPhoto } from '../../renderer/src/db/photos-repo';
import { saveSheetDraft, submitSheet } from '../../renderer/src/db/sheets-repo';
import { backoffDelay } from '../../renderer/src/sync/backoff';
import { createSyncEngine } from '../../renderer/src/sync/sync-engine';
import { downloadPhotoBytes } from '../../renderer/src/sync/use-photo-bytes';
import { getSession, markSessionExpired, signIn, usableToken } from '../../renderer/src/sync/session-store';
import { getSyncState, syncRejectionsTable, syncUploadsTable } from '../../renderer/src/sync/sync-tables';
import type { SyncEngineOptions } from '../../renderer/src/sync/sync-types';
import { createTestDb } from '../../renderer/src/test-support/test-db';

let dataDir: string;
let server: RunningServer;
let baseUrl: string;
let sec: SyncClient;
const users: Record<string, { id: string; password: string }> = {};
let tourSeq = 0;

async function startOn(port: number): Promise<RunningServer> {
  return startCapturedServer({ GUANMO_DATA_DIR: dataDir, GUANMO_LOG_LEVEL: 'error', GUANMO_PORT: String(port) });
}

beforeAll(async () => {
  dataDir = await makeTempDir('guanmo-sync-client-');
  server = await startOn(0);
  baseUrl = server.url.replace(/\/$/, '');
  for (const [username, role] of [['sec', 'secretariat'], ['s1', 'scorer'], ['s2', 'scorer']] as const) {
    const user = await createTestUser(server.db, { username, role, displayName: username });
    users[username] = { id: user.id, password: user.password };
  }
  sec = new SyncClient(server.app, await serverSignIn(server.app, 'sec'));
}, 60_000);

afterAll(async () => {
  await server?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

/** A fresh scored tour on the server with s1 and s2 as scorers (p1, p2). */
async function newTour() {
  const tourId = `tour-${++tourSeq}`;
  const t = buildTestTour(tourId, [
    { userId: users.s1!.id, name: '评委甲' },
    { userId: users.s2!.id, name: '评委乙' },
  ]);
  await sec.pushOk(tourMutations(sec, t));
  return { tourId, t, stop: (n: number) => `${tourId}-s${n}`, p1: `${tourId}-p1`, p2: `${tourId}-p2` };
}

interface Laptop {
  db: GuanmoDb;
  factory: IDBFactory;
  engine: ReturnType<typeof createSyncEngine>;
  userId: string;
}

async function laptop(username: string, options: Partial<SyncEngineOptions> = {}, existing?: { factory: IDBFactory; name: string }): Promise<Laptop> {
  const factory = existing?.factory ?? new IDBFactory();
  const db = createTestDb({ factory, name: existing?.name ?? 'guanmo' });
  await db.open();
  await ensureClientId(db);
  if (!existing) await signIn(db, baseUrl, username, users[username]!.password);
  const engine = createSyncEngine({ db, serverUrl: () => baseUrl, getToken: () => usableToken(db), lockName: null, ...options });
  return { db, factory, engine, userId: users[username]!.id };
}

async function syncOk(l: Laptop) {
  const report = await l.engine.syncNow();
  expect(report.error).toBeNull();
  return report;
}

describe('sync client against the real server', () => {
  it('signs in, sets the current user, pulls the tour, then pushes offline work the secretariat sees', async () => {
    const { tourId, stop, p1 } = await newTour();
    const a = await laptop('s1');
    expect(await getCurrentUser(a.db)).toMatchObject({ userId: users.s1!.id, source: 'signIn' });

    const first = await syncOk(a);
    expect(first.pulled.records).toBeGreaterThan(0);
    expect(await a.db.stops.where('tourId').equals(tourId).count()).toBe(4);
    expect(await getSyncState(a.db, 'cursor')).toMatchObject({ userId: users.s1!.id });

    // offline work through the field app's own repositories
    await saveSheetDraft(a.db, { tourId, stopId: stop(1), userId: a.userId }, { progress: '30', quality: '', benefit: '' });
    await saveSheetDraft(a.db, { tourId, stopId: stop(1), userId: a.userId }, { progress: '30', quality: '20.5', benefit: '' });
    await addNote(a.db, { tourId, stopId: stop(1), userId: a.userId, kind: 'highlight', text: '进度快' });
    expect(await a.db.outbox.count()).toBe(3); // a new sheet saved twice goes as one whole record

    const second = await syncOk(a);
    expect(second.pushed).toMatchObject({ applied: 2, rejected: 0 });
    expect(await a.db.outbox.count()).toBe(0);

    await sec.pullAll();
    const sheet = sec.seen.get(`sheets/${sheetId(tourId, stop(1), p1)}`);
    expect(sheet?.data).toMatchObject({ scores: { progress: 30, quality: 20.5, benefit: null }, status: 'draft' });
    expect(sec.seenIds('notes').length).toBeGreaterThan(0);

    // up to date: the next round pushes and pulls only its own echo at most
    const third = await syncOk(a);
    expect(third.pushed.applied).toBe(0);
    const fourth = await syncOk(a);
    expect(fourth.pulled.records).toBe(0);
  });

  it('a push whose answer is lost is sent again and answered duplicate; nothing is applied twice', async () => {
    const { tourId, stop } = await newTour();
    let dropNextPushAnswer = false;
    const lossyFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (dropNextPushAnswer && String(input).includes('/api/sync/push')) {
        dropNextPushAnswer = false;
        throw new TypeError('connection reset after the server applied the push');
      }
      return response;
    };
    const a = await laptop('s1', { fetch: lossyFetch });
    await syncOk(a);
    await addNote(a.db, { tourId, stopId: stop(2), userId: a.userId, kind: 'problem', text: '扬尘' });
    dropNextPushAnswer = true;
    const lost = await a.engine.syncNow();
    expect(lost.error?.kind).toBe('offline');
    expect(await a.db.outbox.count()).toBe(1);

    const again = await syncOk(a);
    expect(again.pushed).toMatchObject({ applied: 0, duplicate: 1 });
    expect(await a.db.outbox.count()).toBe(0);
    const notes = (await sec.pullAll()).filter((r) => r.collection === 'notes' && r.tourId === tourId);
    expect(notes).toHaveLength(1);
  });

  it('pulls page by page; the cursor only moves after a page is stored', async () => {
    const { tourId } = await newTour();
    let pulls = 0;
    let failOnPull = 2;
    const flakyFetch: typeof fetch = async (input, init) => {
      if (String(input).includes('/api/sync/pull') && ++pulls === failOnPull) throw new TypeError('network dropped');
      return fetch(input, init);
    };
    const a = await laptop('s2', { fetch: flakyFetch, pullLimit: 2 });
    const cut = await a.engine.syncNow();
    expect(cut.error?.kind).toBe('offline');
    const afterCut = await getSyncState(a.db, 'cursor');
    expect(afterCut?.cursor).toBeTruthy(); // page 1 stored and the cursor moved past it, not further
    const storedAfterCut = (await a.db.tours.count()) + (await a.db.units.count()) + (await a.db.stops.count()) + (await a.db.scorers.count());
    expect(storedAfterCut).toBeGreaterThan(0);
    expect(storedAfterCut).toBeLessThanOrEqual(2);

    failOnPull = -1;
    const rest = await syncOk(a);
    expect(rest.pulled.pages).toBeGreaterThan(1);
    expect(await a.db.stops.where('tourId').equals(tourId).count()).toBe(4);
    expect(await a.db.scorers.where('tourId').equals(tourId).count()).toBe(2);
  });

  it('keeps a rejected change visible (sheet_locked) and lets the pull show the server state', async () => {
    const { tourId, stop, p1 } = await newTour();
    const a = await laptop('s1');
    const b = await laptop('s1'); // the same scorer's second laptop
    await syncOk(a);
    await syncOk(b);
    const target = { tourId, stopId: stop(3), userId: a.userId };
    await submitSheet(a.db, target, { progress: '35', quality: '25', benefit: '28' });
    await syncOk(a);
    await saveSheetDraft(b.db, target, { progress: '10', quality: '', benefit: '' }); // b, offline, edits later

    const rb = await syncOk(b);
    expect(rb.pushed.rejected).toBe(1);
    const rejections = await syncRejectionsTable(b.db).toArray();
    expect(rejections).toHaveLength(1);
    expect(rejections[0]).toMatchObject({ code: 'sheet_locked', collection: 'sheets', recordId: sheetId(tourId, stop(3), p1) });
    expect(await b.db.outbox.count()).toBe(0);
    expect(await b.db.sheets.get(sheetId(tourId, stop(3), p1))).toMatchObject({ status: 'submitted', scores: { progress: 35 } });
  });

  it('a sheet reopened by the secretariat while the scorer is offline unlocks after the next pull', async () => {
    const { tourId, stop, p1 } = await newTour();
    const a = await laptop('s1');
    await syncOk(a);
    const target = { tourId, stopId: stop(1), userId: a.userId };
    await submitSheet(a.db, target, { progress: '35', quality: '25', benefit: '28' });
    await syncOk(a);
    const id = sheetId(tourId, stop(1), p1);
    expect((await a.db.sheets.get(id))?.status).toBe('submitted');

    await reopenOnServer(id);
    await syncOk(a);
    expect((await a.db.sheets.get(id))?.status).toBe('reopened');
    // and it can be edited and submitted again
    await saveSheetDraft(a.db, target, { progress: '36', quality: '25', benefit: '28' });
    const r = await syncOk(a);
    expect(r.pushed).toMatchObject({ applied: 1, rejected: 0 });
  });

  it('a laptop clock two hours fast cannot outrank a later edit from a correct clock', async () => {
    const { tourId, stop, p1 } = await newTour();
    const fast = await laptop('s1');
    const right = await laptop('s1');
    await syncOk(fast);
    await syncOk(right);
    // the fast laptop's clock has stamped edits two hours ahead before
    await fast.db.meta.put({ key: 'hlc', value: formatHlc({ millis: Date.now() + 2 * 3600_000, counter: 0, node: await ensureClientId(fast.db) }) });
    const target = { tourId, stopId: stop(2), userId: fast.userId };
    await saveSheetDraft(fast.db, target, { progress: '10', quality: '', benefit: '' });
    const pushedFast = await syncOk(fast);
    expect(pushedFast.pushed.applied).toBe(1);
    await syncOk(right);
    await saveSheetDraft(right.db, target, { progress: '20', quality: '', benefit: '' });
    await syncOk(right);
    await syncOk(fast);
    const id = sheetId(tourId, stop(2), p1);
    const onServer = await getRecord(server.db, 'sheets', id);
    expect((onServer?.data as { scores: { progress: number } }).scores.progress).toBe(20);
    expect((await fast.db.sheets.get(id))?.scores.progress).toBe(20);
    // the server's stamps are not two hours ahead
    expect(parseHlc(onServer!.versions.scores!).millis).toBeLessThan(Date.now() + 60_000);
  });

  it('reports an unreachable server as offline and a hanging one as a timeout', async () => {
    const hanging = net.createServer(() => {
      /* accept and never answer: a half-open connection */
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const port = (hanging.address() as net.AddressInfo).port;
    try {
      const a = await laptop('s1');
      const slow = createSyncEngine({ db: a.db, serverUrl: `http://127.0.0.1:${port}`, getToken: () => usableToken(a.db), lockName: null, requestTimeoutMs: 300 });
      expect((await slow.syncNow()).error?.kind).toBe('timeout');
      hanging.close();
      const closed = createSyncEngine({ db: a.db, serverUrl: `http://127.0.0.1:${port}`, getToken: () => usableToken(a.db), lockName: null });
      expect((await closed.syncNow()).error?.kind).toBe('offline');
      const signedOut = createSyncEngine({ db: a.db, serverUrl: baseUrl, getToken: () => null, lockName: null });
      expect((await signedOut.syncNow()).error?.kind).toBe('signedOut');
    } finally {
      hanging.close();
    }
  });

  it('runs one round at a time across tabs: a round that finds the Web Lock taken is skipped', async () => {
    const a = await laptop('s1');
    const held = { request: async (_name: string, _options: unknown, callback: (lock: unknown) => Promise<unknown>) => callback(null) };
    const previous = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    Object.defineProperty(globalThis, 'navigator', { value: { locks: held }, configurable: true });
    try {
      const engine = createSyncEngine({ db: a.db, serverUrl: baseUrl, getToken: () => usableToken(a.db) });
      const report = await engine.syncNow();
      expect(report.skipped).toBe('locked');
      expect(report.pulled.records).toBe(0);
    } finally {
      if (previous) Object.defineProperty(globalThis, 'navigator', previous);
      else delete (globalThis as { navigator?: unknown }).navigator;
    }
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoffDelay(0, () => 0.5)).toBe(0);
    expect(backoffDelay(1, () => 0.5)).toBe(2_000);
    expect(backoffDelay(3, () => 0.5)).toBe(8_000);
    expect(backoffDelay(3, () => 0)).toBe(4_000);
    expect(backoffDelay(3, () => 0.999)).toBeLessThan(12_000);
    expect(backoffDelay(40, () => 0.5)).toBe(300_000);
  });

  it('uploads photo bytes with tus, resumes after a cut and after a server restart, and confirms only a verified hash', async () => {
    const { tourId, stop } = await newTour();
    const a = await laptop('s1', { uploadChunkBytes: 256 * 1024 });
    await syncOk(a);
    const bytes = new Uint8Array(3 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
    bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
    const sha256 = sha256Hex(bytes);
    const original = new Blob([bytes], { type: 'image/jpeg' });
    await addPhoto(a.db, {
      tourId, stopId: stop(1), authorId: a.userId, sha256, size: bytes.length, mime: 'image/jpeg', width: 4000, height: 3000,
      takenAt: null, lat: null, lng: null, original, thumb: new Blob([bytes.subarray(0, 100)]), display: null,
    });

    // cut 1: the app stops (closed lid) after about a third of the bytes
    const unsubscribe = a.engine.subscribe((s) => {
      if (s.upload && s.upload.sent > s.upload.total / 3) a.engine.stop();
    });
    const cut = await a.engine.syncNow();
    unsubscribe();
    expect(cut.error).not.toBeNull();
    expect((await a.db.photoBlobs.get(sha256))?.uploadState).toBe('pending');
    expect(await syncUploadsTable(a.db).count()).toBe(1);

    // cut 2: the server restarts (same data folder, same port) while the app restarts too
    const port = Number(new URL(baseUrl).port);
    await server.close();
    server = await startOn(port);
    sec = new SyncClient(server.app, sec.token); // the secretariat's session survives the restart
    const restarted = await laptop('s1', { uploadChunkBytes: 256 * 1024 }, { factory: a.factory, name: 'guanmo' });
    const done = await syncOk(restarted);
    expect(done.photos.confirmed).toBe(1);
    expect(done.photos.bytesSent).toBeGreaterThan(0);
    expect(done.photos.bytesSent).toBeLessThan(bytes.length); // resumed from the server's offset
    expect((await restarted.db.photoBlobs.get(sha256))?.uploadState).toBe('confirmed');
    expect(await syncUploadsTable(restarted.db).count()).toBe(0);
    const head = await fetch(`${baseUrl}/api/blobs/${sha256}`, { method: 'HEAD', headers: { authorization: `Bearer ${await usableToken(restarted.db)}` } });
    expect(head.status).toBe(200);

    // a second laptop with the same bytes skips the upload (HEAD says the server has them)
    const b = await laptop('s1');
    await syncOk(b);
    await addPhoto(b.db, {
      tourId, stopId: stop(2), authorId: b.userId, sha256, size: bytes.length, mime: 'image/jpeg', width: 4000, height: 3000,
      takenAt: null, lat: null, lng: null, original, thumb: new Blob([bytes.subarray(0, 100)]), display: null,
    });
    const skip = await syncOk(b);
    expect(skip.photos).toMatchObject({ confirmed: 1, bytesSent: 0 });

    // another scorer of the tour gets the photo as metadata by pull, and the bytes on demand
    const other = await laptop('s2');
    await syncOk(other);
    expect(await other.db.photos.where('sha256').equals(sha256).count()).toBe(2);
    expect(await other.db.photoBlobs.get(sha256)).toBeUndefined();
    expect(await downloadPhotoBytes(other.db, sha256)).toBe('local');
    const downloaded = await other.db.photoBlobs.get(sha256);
    expect(downloaded?.uploadState).toBe('confirmed');
    expect(sha256Hex(new Uint8Array(await downloaded!.blob.arrayBuffer()))).toBe(sha256);
  });
});

/** The secretariat's audited reopen: POST /api/sheets/:id/reopen {reason}. */
async function reopenOnServer(id: string): Promise<void> {
  const response = await fetch(`${baseUrl}/api/sheets/${encodeURIComponent(id)}/reopen`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sec.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: '评委申请修改' }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

describe('an expired session', () => {
  it('keeps local work, marks the session expired on 401, and waits for sign-in to sync', async () => {
    const { tourId, stop } = await newTour();
    const a = await laptop('s2');
    await syncOk(a);
    const token = (await usableToken(a.db))!;
    // the session is revoked on the server (signed out elsewhere, or expired)
    expect((await fetch(`${baseUrl}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(204);
    const engine = createSyncEngine({ db: a.db, serverUrl: baseUrl, getToken: () => usableToken(a.db), lockName: null, onUnauthorized: () => markSessionExpired(a.db) });

    await addNote(a.db, { tourId, stopId: stop(1), userId: a.userId, kind: 'suggestion', text: '离线时写的' });
    const refused = await engine.syncNow();
    expect(refused.error).toMatchObject({ kind: 'signedOut', status: 401 });
    expect((await getSession(a.db))?.isExpired).toBe(true);
    expect(await a.db.outbox.count()).toBe(1); // nothing lost
    expect((await engine.syncNow()).error).toMatchObject({ kind: 'signedOut' }); // no token: no request

    await signIn(a.db, baseUrl, 's2', users.s2!.password);
    const after = await engine.syncNow();
    expect(after.error).toBeNull();
    expect(after.pushed.applied).toBe(1);
  });
});
