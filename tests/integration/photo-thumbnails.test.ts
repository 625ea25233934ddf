/**
 * Photos of other users arrive as thumbnails first, full size on demand (issue 5, item 3), with
 * the renderer's sync client against the REAL server (in-process, SQLite in a temp folder):
 * the importing laptop uploads each photo's thumbnail (its own blob, PhotoMeta.thumbSha256)
 * before the original, after one batch question (POST /api/blobs/missing); another scorer's
 * laptop fetches the thumbnails after the pull, never the originals, until one is opened.
 * Local databases are fake-indexeddb in node, the same Dexie code the app runs.
 */
import fs from 'node:fs/promises';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '@shared/photos/sha256';
import type { RunningServer } from '../../server/src/app';
import { createTestUser, signIn as serverSignIn } from '../../server/src/test-support/auth-fixtures';
import { makeTempDir } from '../../server/src/test-support/backends';
import { startCapturedServer } from '../../server/src/test-support/server-fixtures';
import { buildTestTour, SyncClient, tourMutations } from '../../server/src/test-support/sync-client';
import type { GuanmoDb } from '../../renderer/src/db/guanmo-db';
import { ensureClientId } from '../../renderer/src/db/meta-repo';
import { addPhoto } from '../../renderer/src/db/photos-repo';
import { findMissingBlobs, planPhotoUploads, uploadPendingPhotos } from '../../renderer/src/sync/photo-upload';
import { signIn, usableToken } from '../../renderer/src/sync/session-store';
import { createSyncEngine } from '../../renderer/src/sync/sync-engine';
import { BLOB_BATCH_HEADER } from '@shared/sync/blob-protocol';
import type { HttpContext } from '../../renderer/src/sync/sync-http';
import type { SyncEngineOptions } from '../../renderer/src/sync/sync-types';
import { fetchMissingThumbnails, listThumbnailsToFetch } from '../../renderer/src/sync/thumbnail-download';
import { downloadPhotoBytes } from '../../renderer/src/sync/use-photo-bytes';
import { createTestDb } from '../../renderer/src/test-support/test-db';

let dataDir: string;
let server: RunningServer;
let baseUrl: string;
let sec: SyncClient;
const users: Record<string, { id: string; password: string }> = {};
/** requests the server answered, in order: "GET /api/blobs/<sha>", "POST /api/uploads" with the sha256 uploaded */
const served: string[] = [];
let tourSeq = 0;

beforeAll(async () => {
  dataDir = await makeTempDir('guanmo-thumbnails-');
  server = await startCapturedServer(
    { GUANMO_DATA_DIR: dataDir, GUANMO_LOG_LEVEL: 'error', GUANMO_PORT: '0' },
    {
      configure: (app) => {
        app.addHook('onRequest', async (request) => {
          const url = request.url.split('?')[0]!;
          if (request.method === 'POST' && url === '/api/uploads') {
            const metadata = String(request.headers['upload-metadata'] ?? '');
            const sha = /(?:^|,)sha256 ([^,]+)/.exec(metadata)?.[1];
            served.push(`UPLOAD ${sha ? Buffer.from(sha, 'base64').toString('utf8') : '?'}`);
          } else if (request.method === 'POST' && url === '/api/blobs/batch') {
            // one request, an upload per blob its header lists
            for (const entry of String(request.headers[BLOB_BATCH_HEADER] ?? '').split(',')) served.push(`UPLOAD ${entry.split(':')[0]}`);
          } else if (url.startsWith('/api/blobs')) {
            served.push(`${request.method} ${url}`);
          }
        });
      },
    },
  );
  baseUrl = server.url.replace(/\/$/, '');
  for (const [username, role] of [['sec', 'secretariat'], ['out', 'scorer']] as const) {
    const user = await createTestUser(server.db, { username, role, displayName: username });
    users[username] = { id: user.id, password: user.password };
  }
  sec = new SyncClient(server.app, await serverSignIn(server.app, 'sec'));
}, 60_000);

afterAll(async () => {
  await server?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  served.length = 0;
});

/** A fresh tour with two fresh scorers (so that no laptop pulls another test's photos): s1, s2 stand for them. */
async function newTour() {
  const tourId = `thumbs-${++tourSeq}`;
  for (const name of ['s1', 's2'] as const) {
    const user = await createTestUser(server.db, { username: `${name}-${tourId}`, role: 'scorer', displayName: name });
    users[name] = { id: user.id, password: user.password };
    usernames[name] = `${name}-${tourId}`;
  }
  const t = buildTestTour(tourId, [
    { userId: users.s1!.id, name: '评委甲' },
    { userId: users.s2!.id, name: '评委乙' },
  ]);
  await sec.pushOk(tourMutations(sec, t));
  return { tourId, stop: (n: number) => `${tourId}-s${n}` };
}
const usernames: Record<string, string> = {};

interface Laptop {
  db: GuanmoDb;
  engine: ReturnType<typeof createSyncEngine>;
  userId: string;
  http(): Promise<HttpContext>;
}

async function laptop(username: string, options: Partial<SyncEngineOptions> = {}): Promise<Laptop> {
  const db = createTestDb({ factory: new IDBFactory(), name: 'guanmo' });
  await db.open();
  await ensureClientId(db);
  await signIn(db, baseUrl, usernames[username] ?? username, users[username]!.password);
  const engine = createSyncEngine({ db, serverUrl: () => baseUrl, getToken: () => usableToken(db), lockName: null, ...options });
  const http = async (): Promise<HttpContext> => ({ fetch: globalThis.fetch.bind(globalThis), baseUrl, token: await usableToken(db), timeoutMs: 15_000 });
  return { db, engine, userId: users[username]!.id, http };
}

async function syncOk(l: Laptop) {
  const report = await l.engine.syncNow();
  expect(report.error).toBeNull();
  return report;
}

let photoSeed = 0;
/** Incompressible photo bytes and a thumbnail made from them (stand-ins for JPEGs). */
function photoAndThumb(size = 200_000) {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
  bytes.set([0xff, 0xd8, 0xff, 0xe0, ++photoSeed & 0xff], 0);
  const thumb = bytes.slice(0, 3000);
  thumb[5] = 0x7f;
  return { bytes, sha256: sha256Hex(bytes), thumb, thumbSha256: sha256Hex(thumb) };
}

async function addSyncedPhoto(l: Laptop, tourId: string, stopId: string, photo = photoAndThumb(), withThumbnail = true) {
  await addPhoto(l.db, {
    tourId,
    stopId,
    authorId: l.userId,
    sha256: photo.sha256,
    size: photo.bytes.length,
    mime: 'image/jpeg',
    width: 4000,
    height: 3000,
    takenAt: null,
    lat: null,
    lng: null,
    original: new Blob([photo.bytes], { type: 'image/jpeg' }),
    thumb: new Blob([photo.thumb], { type: 'image/jpeg' }),
    ...(withThumbnail ? { thumbSha256: photo.thumbSha256 } : {}),
    display: null,
  });
  return photo;
}

describe('thumbnails first, full size on demand', () => {
  it('the author uploads every thumbnail before any original; another scorer gets the thumbnails, and an original only when opened', async () => {
    const { tourId, stop } = await newTour();
    const a = await laptop('s1');
    await syncOk(a);
    const photos = [await addSyncedPhoto(a, tourId, stop(1)), await addSyncedPhoto(a, tourId, stop(1)), await addSyncedPhoto(a, tourId, stop(2))];
    const plan = await planPhotoUploads(a.db);
    expect(plan.originals.map((o) => o.sha256).sort()).toEqual(photos.map((p) => p.sha256).sort());
    expect(plan.thumbnails.map((t) => t.sha256).sort()).toEqual(photos.map((p) => p.thumbSha256).sort());

    const pushed = await syncOk(a);
    expect(pushed.photos).toMatchObject({ confirmed: 3, failed: 0, thumbnails: 3 });
    const thumbBytes = photos.reduce((sum, p) => sum + p.thumb.length, 0);
    expect(pushed.photos.bytesSent).toBe(photos.reduce((sum, p) => sum + p.bytes.length, 0) + thumbBytes);
    // one question for all six hashes, no HEAD per photo; all thumbnails before the first original
    expect(served.filter((r) => r.startsWith('HEAD'))).toEqual([]);
    expect(served[0]).toBe('POST /api/blobs/missing');
    const uploads = served.filter((r) => r.startsWith('UPLOAD '));
    expect(uploads.slice(0, 3).map((r) => r.slice(7)).sort()).toEqual(photos.map((p) => p.thumbSha256).sort());
    expect(uploads.slice(3).map((r) => r.slice(7)).sort()).toEqual(photos.map((p) => p.sha256).sort());
    for (const p of photos) expect((await a.db.photoBlobs.get(p.sha256))?.uploadState).toBe('confirmed');
    expect(await findMissingBlobs(await a.http(), [...photos.map((p) => p.sha256), ...photos.map((p) => p.thumbSha256)])).toEqual(new Set());

    // the other scorer: records by pull, then the thumbnails, and not one original
    served.length = 0;
    const b = await laptop('s2');
    const received = await syncOk(b);
    expect(received.thumbnails).toEqual({ fetched: 3, bytes: thumbBytes, skipped: 0 });
    const gets = served.filter((r) => r.startsWith('GET /api/blobs/'));
    expect(gets.map((r) => r.slice('GET /api/blobs/'.length)).sort()).toEqual(photos.map((p) => p.thumbSha256).sort());
    for (const p of photos) {
      const preview = await b.db.photoPreviews.get(p.sha256);
      expect(preview?.thumbSha256).toBe(p.thumbSha256);
      expect(sha256Hex(new Uint8Array(await preview!.thumb.arrayBuffer()))).toBe(p.thumbSha256);
      expect(await b.db.photoBlobs.get(p.sha256)).toBeUndefined();
    }
    // nothing left to fetch: the next round asks for nothing
    served.length = 0;
    expect((await syncOk(b)).thumbnails).toEqual({ fetched: 0, bytes: 0, skipped: 0 });
    expect(served.filter((r) => r.startsWith('GET'))).toEqual([]);

    // opened in the viewer: the original, once
    expect(await downloadPhotoBytes(b.db, photos[0]!.sha256)).toBe('local');
    expect(served).toEqual([`GET /api/blobs/${photos[0]!.sha256}`]);
  });

  it('a thumbnail not uploaded yet is skipped and fetched in a later round; photos without one are left for on demand', async () => {
    const { tourId, stop } = await newTour();
    const a = await laptop('s1', { uploadPhotos: false });
    await syncOk(a);
    const photo = await addSyncedPhoto(a, tourId, stop(1));
    const old = await addSyncedPhoto(a, tourId, stop(2), photoAndThumb(), false);
    await syncOk(a); // records only

    const b = await laptop('s2');
    expect((await syncOk(b)).thumbnails).toEqual({ fetched: 0, bytes: 0, skipped: 1 });
    expect(await listThumbnailsToFetch(b.db)).toEqual([{ sha256: photo.sha256, thumbSha256: photo.thumbSha256 }]);
    expect((await b.db.photos.where('sha256').equals(old.sha256).first())?.thumbSha256).toBeUndefined();

    const uploaded = await uploadPendingPhotos(a.db, await a.http());
    // the photo without a synced thumbnail uploads its original only
    expect(uploaded).toMatchObject({ confirmed: 2, thumbnails: 1 });
    expect((await syncOk(b)).thumbnails).toMatchObject({ fetched: 1, skipped: 0 });
    expect(await listThumbnailsToFetch(b.db)).toEqual([]);
    expect(await b.db.photoPreviews.get(old.sha256)).toBeUndefined();
  });

  it('a user outside the tour gets neither the records nor the thumbnails (403 on the hash)', async () => {
    const { tourId, stop } = await newTour();
    const a = await laptop('s1');
    await syncOk(a);
    const photo = await addSyncedPhoto(a, tourId, stop(1));
    await syncOk(a);
    const outsider = await laptop('out');
    const response = await fetch(`${baseUrl}/api/blobs/${photo.thumbSha256}`, { headers: { authorization: `Bearer ${await usableToken(outsider.db)}` } });
    expect(response.status).toBe(403);
    expect((await syncOk(outsider)).thumbnails).toEqual({ fetched: 0, bytes: 0, skipped: 0 });
  });

  it('bytes the server holds already are confirmed without sending them, but a missing thumbnail still goes', async () => {
    const { tourId, stop } = await newTour();
    const a = await laptop('s1');
    await syncOk(a);
    const photo = await addSyncedPhoto(a, tourId, stop(1), photoAndThumb(), false);
    const photo2 = await addSyncedPhoto(a, tourId, stop(1), photoAndThumb(), false);
    await syncOk(a);
    // the same bytes on a second laptop of the same scorer, which made its own thumbnails
    const second = await laptop('s1');
    await syncOk(second);
    served.length = 0;
    await addSyncedPhoto(second, tourId, stop(3), photo);
    await addSyncedPhoto(second, tourId, stop(3), photo2);
    const report = await syncOk(second);
    expect(report.photos).toMatchObject({ confirmed: 2, thumbnails: 2, bytesSent: photo.thumb.length + photo2.thumb.length });
    expect(served.filter((r) => r.startsWith('UPLOAD ')).sort()).toEqual([`UPLOAD ${photo.thumbSha256}`, `UPLOAD ${photo2.thumbSha256}`].sort());
    for (const p of [photo, photo2]) expect((await second.db.photoBlobs.get(p.sha256))?.uploadState).toBe('confirmed');
  });

  /** One photo synced by a laptop talking to a server that answers 404 on `route` (an older server). */
  async function syncPhotoWithout(route: string) {
    const { tourId, stop } = await newTour();
    const olderServer: typeof fetch = (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.endsWith(route)) return Promise.resolve(new Response(JSON.stringify({ error: 'not_found', message: `Route POST:${route} not found` }), { status: 404 }));
      return globalThis.fetch(input, init);
    };
    const a = await laptop('s1', { fetch: olderServer });
    await syncOk(a);
    const photo = await addSyncedPhoto(a, tourId, stop(1));
    served.length = 0;
    const report = await syncOk(a);
    expect(report.photos).toMatchObject({ confirmed: 1, thumbnails: 1 });
    return photo;
  }

  it('asks with a HEAD per hash when the server has no batch question (an older server)', async () => {
    const photo = await syncPhotoWithout('/api/blobs/missing');
    expect(served.filter((r) => r.startsWith('HEAD')).sort()).toEqual([`HEAD /api/blobs/${photo.sha256}`, `HEAD /api/blobs/${photo.thumbSha256}`].sort());
  });

  it('sends thumbnails one tus upload each to a server without the batch route (an older server)', async () => {
    const photo = await syncPhotoWithout('/api/blobs/batch');
    // the thumbnail through tus (its creating POST), then the original
    expect(served.filter((r) => r.startsWith('UPLOAD '))).toEqual([`UPLOAD ${photo.thumbSha256}`, `UPLOAD ${photo.sha256}`]);
    expect(served).not.toContain('POST /api/blobs/batch');
  });
});

describe('the original, on demand', () => {
  it('offline (no answer) is not "missing": the viewer says so and tries again later', async () => {
    const { tourId, stop } = await newTour();
    const a = await laptop('s1');
    await syncOk(a);
    const photo = await addSyncedPhoto(a, tourId, stop(1));
    await syncOk(a);
    const b = await laptop('s2');
    await syncOk(b);
    const unreachable: typeof fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    expect(await downloadPhotoBytes(b.db, photo.sha256, unreachable)).toBe('offline');
    expect(await b.db.photoBlobs.get(photo.sha256)).toBeUndefined();
    expect(await downloadPhotoBytes(b.db, photo.sha256)).toBe('local');
  });

  it('a photo whose author has not uploaded it yet is "pending"', async () => {
    const { tourId, stop } = await newTour();
    const a = await laptop('s1', { uploadPhotos: false });
    await syncOk(a);
    const photo = await addSyncedPhoto(a, tourId, stop(1));
    await syncOk(a);
    const b = await laptop('s2');
    await syncOk(b);
    expect(await downloadPhotoBytes(b.db, photo.sha256)).toBe('pending');
  });
});
