/**
 * Photo uploads (tus) and blob downloads against the real server, on SQLite and (when
 * GUANMO_TEST_DATABASE_URL is set) PostgreSQL: accounts, sessions, tour assignments and photo
 * records live in the database; bytes on disk in the data folder.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { Kysely } from 'kysely';
import * as tus from 'tus-js-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tourSchema, type PhotoMeta, type Role, type Scorer, type Tour } from '@shared/domain/schemas';
import { hashPassword } from '../auth/passwords.js';
import { loadConfig } from '../config.js';
import { serverOrigin, writeRecord } from '../db/records.js';
import type { Database } from '../db/schema.js';
import { createUserIfAbsent } from '../db/users.js';
import { testBackends, type TestDatabase } from '../test-support/backends.js';
import { startCapturedServer } from '../test-support/server-fixtures.js';
import type { RunningServer } from '../app.js';
import { checksumMismatchStatus } from './photo-uploads.js';
import { parseRange } from '../http/byte-ranges.js';

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** deterministic "photo" bytes (JPEG magic first, content varies with seed) */
function photoBytes(size: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(size);
  let x = seed * 2654435761;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return bytes;
}

function tusMetadata(entries: Record<string, string>): string {
  return Object.entries(entries)
    .map(([key, value]) => `${key} ${Buffer.from(value, 'utf8').toString('base64')}`)
    .join(',');
}

const password = 'correct-horse-battery';
const maxPhotoBytes = 256 * 1024;
const tourId = 'tour-photos';
const otherTourId = 'tour-other';

describe('GUANMO_MAX_PHOTO_BYTES', () => {
  it('defaults to 50 MB and accepts a positive number of bytes', () => {
    expect(loadConfig({}).maxPhotoBytes).toBe(50 * 1024 * 1024);
    expect(loadConfig({ GUANMO_MAX_PHOTO_BYTES: '1048576' }).maxPhotoBytes).toBe(1_048_576);
    for (const bad of ['0', '-1', '1.5', '10MB', 'lots']) {
      expect(() => loadConfig({ GUANMO_MAX_PHOTO_BYTES: bad })).toThrow(/GUANMO_MAX_PHOTO_BYTES/);
    }
  });
});

describe('byte ranges', () => {
  it.each([
    ['bytes=0-9', { start: 0, end: 9 }],
    ['bytes=10-', { start: 10, end: 99 }],
    ['bytes=-10', { start: 90, end: 99 }],
    ['bytes=90-500', { start: 90, end: 99 }],
    ['bytes=100-', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    ['bytes=5-2', null],
    ['bytes=0-1,5-6', null],
    ['items=0-1', null],
  ] as const)('%s of 100 bytes → %j', (header, expected) => {
    expect(parseRange(header, 100)).toEqual(expected);
  });

  it('ignores a Range whose If-Range names another version', () => {
    expect(parseRange('bytes=0-9', 100, '"other"', '"this"')).toBeNull();
    expect(parseRange('bytes=0-9', 100, '"this"', '"this"')).toEqual({ start: 0, end: 9 });
  });
});

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`photos on ${backend.kind}`, () => {
    let database: TestDatabase;
    let server: RunningServer;
    let base: string;
    const env = () => ({ ...database.env, GUANMO_MAX_PHOTO_BYTES: String(maxPhotoBytes) });

    beforeEach(async () => {
      database = await backend.create();
      server = await startCapturedServer(env());
      base = server.url;
      // every upload names its tour; the users signed in below take part in this one
      await addTour(tourId);
    });
    afterEach(async () => {
      await server.close();
      await database.cleanup();
    });

    const db = (): Kysely<Database> => server.db;
    const blobDir = () => path.join(database.dataDir, 'blobs');
    const uploadDir = () => path.join(database.dataDir, 'uploads');

    async function signIn(username: string, role: Role): Promise<{ id: string; token: string }> {
      const user = await createUserIfAbsent(db(), { username, displayName: username, role, passwordHash: await hashPassword(password) });
      if (!user) throw new Error(`user ${username} exists`);
      if (role === 'scorer' || role === 'observer') await assign(user.id, tourId, role);
      const response = await fetch(`${base}api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      expect(response.status).toBe(200);
      const { token } = (await response.json()) as { token: string };
      return { id: user.id, token };
    }

    async function addTour(id: string, status: Tour['status'] = 'scoring'): Promise<void> {
      const tour: Tour = tourSchema.parse({ id, name: `观摩 ${id}`, kind: 'scored', startDate: '2021-12-08', endDate: '2021-12-10', status });
      await db()
        .transaction()
        .execute((trx) => writeRecord(trx, { collection: 'tours', id, tourId: id, data: tour, versions: {}, deleted: false }, serverOrigin));
    }

    async function assign(userId: string, tour: string, role: Scorer['role'] = 'scorer'): Promise<void> {
      const scorer: Scorer = { id: `scorer-${userId}-${tour}`, tourId: tour, userId, name: userId, role, homeUnitId: null, weightGroup: null };
      await db()
        .transaction()
        .execute((trx) =>
          writeRecord(trx, { collection: 'scorers', id: scorer.id, tourId: tour, data: scorer, versions: {}, deleted: false }, serverOrigin),
        );
    }

    async function addPhotoRecord(
      id: string,
      tour: string,
      sha256: string,
      options: { mime?: PhotoMeta['mime']; deleted?: boolean; deletedAt?: string; authorId?: string } = {},
    ) {
      const photo: PhotoMeta = {
        id,
        tourId: tour,
        stopId: 'stop-1',
        authorId: options.authorId ?? 'someone',
        sha256,
        size: 1,
        mime: options.mime ?? 'image/jpeg',
        width: 4000,
        height: 3000,
        takenAt: null,
        lat: null,
        lng: null,
        caption: '',
        isCover: false,
        createdAt: '2021-12-08T09:30:00.000Z',
        deletedAt: options.deletedAt ?? null,
      };
      await db()
        .transaction()
        .execute((trx) =>
          writeRecord(trx, { collection: 'photos', id, tourId: tour, data: photo, versions: {}, deleted: options.deleted ?? false }, serverOrigin),
        );
    }

    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    const tusHeaders = (token: string) => ({ ...auth(token), 'tus-resumable': '1.0.0' });

    async function createUpload(token: string, bytes: Uint8Array, metadata: Record<string, string> = {}): Promise<string> {
      const response = await fetch(`${base}api/uploads`, {
        method: 'POST',
        headers: {
          ...tusHeaders(token),
          'upload-length': String(bytes.length),
          'upload-metadata': tusMetadata({ sha256: sha256Hex(bytes), filename: 'site.jpg', filetype: 'image/jpeg', tourId, ...metadata }),
        },
      });
      expect(response.status).toBe(201);
      const location = response.headers.get('location');
      expect(location).toMatch(/^\/api\/uploads\/[0-9a-f]{32}$/);
      return new URL(location!, base).toString();
    }

    function patch(token: string, url: string, offset: number, chunk: Uint8Array): Promise<Response> {
      return fetch(url, {
        method: 'PATCH',
        headers: { ...tusHeaders(token), 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
        body: chunk,
      });
    }

    const headBlob = (token: string, sha256: string) => fetch(`${base}api/blobs/${sha256}`, { method: 'HEAD', headers: auth(token) });
    const getBlob = (token: string, sha256: string, headers: Record<string, string> = {}) =>
      fetch(`${base}api/blobs/${sha256}`, { headers: { ...auth(token), ...headers } });

    async function filesUnder(dir: string): Promise<string[]> {
      try {
        const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
        return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
      } catch {
        return [];
      }
    }

    it('tus-js-client uploads a photo in chunks; HEAD then says 200 and the assigned scorer downloads it', async () => {
      const scorer = await signIn('scorer.a', 'scorer');
      await addTour(tourId);
      const bytes = photoBytes(200_000);
      const sha256 = sha256Hex(bytes);
      expect((await headBlob(scorer.token, sha256)).status).toBe(404);

      const chunks: number[] = [];
      const lastResponse = await new Promise<tus.HttpResponse>((resolve, reject) => {
        const upload = new tus.Upload(bytes, {
          endpoint: `${base}api/uploads`,
          chunkSize: 64 * 1024,
          headers: auth(scorer.token),
          metadata: { sha256, filename: '工地.jpg', filetype: 'image/jpeg', tourId },
          retryDelays: [],
          storeFingerprintForResuming: false,
          onChunkComplete: (_size, accepted) => chunks.push(accepted),
          onSuccess: (payload) => resolve(payload.lastResponse),
          onError: reject,
        });
        upload.start();
      });
      expect(chunks).toEqual([65_536, 131_072, 196_608, 200_000]);
      expect(lastResponse.getHeader('Guanmo-Blob')).toBe('stored');

      const head = await headBlob(scorer.token, sha256);
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe('200000');
      const stored = path.join(blobDir(), sha256.slice(0, 2), sha256.slice(2, 4), sha256);
      expect(sha256Hex(await fs.readFile(stored))).toBe(sha256);
      // the finished upload resource is gone: only the blob remains
      expect(await filesUnder(uploadDir())).toEqual([]);

      // bytes without a photo record are nobody's to download yet
      expect((await getBlob(scorer.token, sha256)).status).toBe(404);
      // a record whose author did not upload (nor prove they hold) the bytes grants nothing
      await addPhotoRecord('photo-1', tourId, sha256, { mime: 'image/jpeg' });
      expect((await getBlob(scorer.token, sha256)).status).toBe(404);
      await addPhotoRecord('photo-1', tourId, sha256, { mime: 'image/jpeg', authorId: scorer.id });
      const get = await getBlob(scorer.token, sha256);
      expect(get.status).toBe(200);
      expect(get.headers.get('content-type')).toBe('image/jpeg');
      expect(get.headers.get('etag')).toBe(`"${sha256}"`);
      expect(get.headers.get('cache-control')).toContain('immutable');
      expect(get.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await get.arrayBuffer()).equals(bytes)).toBe(true);

      const notModified = await getBlob(scorer.token, sha256, { 'if-none-match': `"${sha256}"` });
      expect(notModified.status).toBe(304);
      const partial = await getBlob(scorer.token, sha256, { range: 'bytes=100-199' });
      expect(partial.status).toBe(206);
      expect(partial.headers.get('content-range')).toBe('bytes 100-199/200000');
      expect(Buffer.from(await partial.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
      expect((await getBlob(scorer.token, sha256, { range: 'bytes=200000-' })).status).toBe(416);
    });

    it('refuses bytes that do not match the declared sha256, stores nothing and forgets the upload', async () => {
      const scorer = await signIn('scorer.b', 'scorer');
      const bytes = photoBytes(50_000, 2);
      const claimed = sha256Hex(photoBytes(50_000, 3));
      const url = await createUpload(scorer.token, bytes, { sha256: claimed });

      expect((await patch(scorer.token, url, 0, bytes.subarray(0, 20_000))).status).toBe(204);
      const last = await patch(scorer.token, url, 20_000, bytes.subarray(20_000));
      expect(last.status).toBe(checksumMismatchStatus);
      expect(last.headers.get('content-type')).toMatch(/^application\/json/);
      expect(last.headers.get('tus-resumable')).toBe('1.0.0');
      const body = (await last.json()) as { error: string; message: string };
      expect(body.error).toBe('checksum_mismatch');
      expect(body.message).toContain(sha256Hex(bytes));
      expect(body.message).toContain('nothing was stored');

      expect((await headBlob(scorer.token, claimed)).status).toBe(404);
      expect((await headBlob(scorer.token, sha256Hex(bytes))).status).toBe(404);
      expect(await filesUnder(blobDir())).toEqual([]);
      expect(await filesUnder(uploadDir())).toEqual([]);
      expect((await fetch(url, { method: 'HEAD', headers: tusHeaders(scorer.token) })).status).toBe(404);
    });

    it('tus-js-client sees the refusal as a non-retryable error with the JSON message', async () => {
      const scorer = await signIn('scorer.c', 'scorer');
      const bytes = photoBytes(10_000, 4);
      const error = await new Promise<tus.DetailedError>((resolve, reject) => {
        new tus.Upload(bytes, {
          endpoint: `${base}api/uploads`,
          headers: auth(scorer.token),
          metadata: { sha256: 'f'.repeat(64), filetype: 'image/jpeg', tourId },
          retryDelays: [0, 0],
          storeFingerprintForResuming: false,
          onSuccess: () => reject(new Error('the upload should have been refused')),
          onError: (e) => resolve(e as tus.DetailedError),
        }).start();
      });
      expect(error.originalResponse?.getStatus()).toBe(checksumMismatchStatus);
      expect(JSON.parse(error.originalResponse!.getBody()) as unknown).toMatchObject({ error: 'checksum_mismatch' });
      expect((await headBlob(scorer.token, 'f'.repeat(64))).status).toBe(404);
    });

    it('an upload cut in the middle resumes from its offset after a server restart', async () => {
      const observer = await signIn('observer.a', 'observer');
      const bytes = photoBytes(150_000, 5);
      const sha256 = sha256Hex(bytes);
      const url = await createUpload(observer.token, bytes);
      const id = url.slice(url.lastIndexOf('/') + 1);
      const sent = 70_000;

      // a PATCH announcing every byte, cut after 70 000 of them (the bus leaves the signal)
      const request = http.request(url, {
        method: 'PATCH',
        headers: {
          ...tusHeaders(observer.token),
          'upload-offset': '0',
          'content-type': 'application/offset+octet-stream',
          'content-length': String(bytes.length),
        },
      });
      const requestDone = new Promise<void>((resolve) => {
        request.on('error', () => resolve());
        request.on('close', () => resolve());
      });
      request.write(bytes.subarray(0, sent));
      // wait (up to 10 s on a busy machine) until the server has written what was sent
      for (let i = 0; i < 1000; i++) {
        const size = await fs.stat(path.join(uploadDir(), id)).then((s) => s.size, () => 0);
        if (size === sent) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      request.destroy();
      await requestDone;

      await server.close();
      server = await startCapturedServer(env());
      base = server.url;
      const resumedUrl = new URL(new URL(url).pathname, base).toString();

      const head = await fetch(resumedUrl, { method: 'HEAD', headers: tusHeaders(observer.token) });
      expect(head.status).toBe(200);
      expect(head.headers.get('upload-offset')).toBe(String(sent));
      expect(head.headers.get('upload-length')).toBe(String(bytes.length));
      expect(head.headers.get('cache-control')).toBe('no-store');

      // a stale offset is refused without touching the upload
      expect((await patch(observer.token, resumedUrl, 0, bytes.subarray(0, 10))).status).toBe(409);
      // tus-js-client resumes the same upload URL from the offset the server reports
      const lastResponse = await new Promise<tus.HttpResponse>((resolve, reject) => {
        new tus.Upload(bytes, {
          endpoint: `${base}api/uploads`,
          uploadUrl: resumedUrl,
          headers: auth(observer.token),
          metadata: { sha256, filetype: 'image/jpeg', tourId },
          retryDelays: [],
          storeFingerprintForResuming: false,
          onSuccess: (payload) => resolve(payload.lastResponse),
          onError: reject,
        }).start();
      });
      expect(lastResponse.getHeader('Guanmo-Blob')).toBe('stored');
      expect((await headBlob(observer.token, sha256)).status).toBe(200);
      expect(sha256Hex(await fs.readFile(path.join(blobDir(), sha256.slice(0, 2), sha256.slice(2, 4), sha256)))).toBe(sha256);
    });

    it('stores the same bytes once: a second upload of them is a no-op', async () => {
      const scorer = await signIn('scorer.d', 'scorer');
      const bytes = photoBytes(30_000, 6);
      const first = await patch(scorer.token, await createUpload(scorer.token, bytes), 0, bytes);
      expect(first.status).toBe(204);
      expect(first.headers.get('guanmo-blob')).toBe('stored');
      const second = await patch(scorer.token, await createUpload(scorer.token, bytes), 0, bytes);
      expect(second.status).toBe(204);
      expect(second.headers.get('guanmo-blob')).toBe('existing');
      expect(await filesUnder(blobDir())).toHaveLength(1);
      expect(await filesUnder(uploadDir())).toEqual([]);
    });

    it('accepts the whole photo in the creating request (creation-with-upload)', async () => {
      const scorer = await signIn('scorer.l', 'scorer');
      const bytes = photoBytes(40_000, 12);
      const sha256 = sha256Hex(bytes);
      const response = await fetch(`${base}api/uploads`, {
        method: 'POST',
        headers: {
          ...tusHeaders(scorer.token),
          'upload-length': String(bytes.length),
          'upload-metadata': tusMetadata({ sha256, filetype: 'image/jpeg', tourId }),
          'content-type': 'application/offset+octet-stream',
        },
        body: bytes,
      });
      expect(response.status).toBe(201);
      expect(response.headers.get('upload-offset')).toBe(String(bytes.length));
      expect(response.headers.get('guanmo-blob')).toBe('stored');
      expect((await headBlob(scorer.token, sha256)).status).toBe(200);
    });

    it('refuses uploads over the size limit', async () => {
      const scorer = await signIn('scorer.e', 'scorer');
      const options = await fetch(`${base}api/uploads`, { method: 'OPTIONS' });
      expect(options.status).toBe(204);
      expect(options.headers.get('tus-max-size')).toBe(String(maxPhotoBytes));

      const tooBig = photoBytes(maxPhotoBytes + 1, 7);
      const create = await fetch(`${base}api/uploads`, {
        method: 'POST',
        headers: {
          ...tusHeaders(scorer.token),
          'upload-length': String(tooBig.length),
          'upload-metadata': tusMetadata({ sha256: sha256Hex(tooBig), tourId }),
        },
      });
      expect(create.status).toBe(413);
      expect(((await create.json()) as { error: string }).error).toBe('payload_too_large');

      // nor can a client send more bytes than it declared
      const bytes = photoBytes(1000, 8);
      const url = await createUpload(scorer.token, bytes);
      const overflow = await patch(scorer.token, url, 0, photoBytes(2000, 8));
      expect(overflow.status).toBe(413);
      expect(await filesUnder(blobDir())).toEqual([]);
    });

    it('checks the upload metadata', async () => {
      const scorer = await signIn('scorer.f', 'scorer');
      const post = (metadata: string) =>
        fetch(`${base}api/uploads`, { method: 'POST', headers: { ...tusHeaders(scorer.token), 'upload-length': '10', 'upload-metadata': metadata } });
      const noSha = await post(tusMetadata({ filename: 'a.jpg', tourId }));
      expect(noSha.status).toBe(400);
      expect(((await noSha.json()) as { error: string }).error).toBe('invalid_metadata');
      expect((await post(tusMetadata({ sha256: 'ABC', tourId }))).status).toBe(400);
      expect((await post(tusMetadata({ sha256: 'a'.repeat(64), filetype: 'text/html', tourId }))).status).toBe(415);
      // every upload names a tour its uploader takes part in
      const noTour = await post(tusMetadata({ sha256: 'a'.repeat(64), filetype: 'image/jpeg' }));
      expect(noTour.status).toBe(400);
      expect(((await noTour.json()) as { error: string }).error).toBe('invalid_metadata');
      const otherTour = await post(tusMetadata({ sha256: 'a'.repeat(64), filetype: 'image/jpeg', tourId: otherTourId }));
      expect(otherTour.status).toBe(403);
      expect(await filesUnder(uploadDir())).toEqual([]);
    });

    it('needs a bearer token for every upload and blob request', async () => {
      const scorer = await signIn('scorer.g', 'scorer');
      const bytes = photoBytes(1000, 9);
      const url = await createUpload(scorer.token, bytes);
      const sha = 'a'.repeat(64);
      const anonymous = [
        fetch(`${base}api/uploads`, { method: 'POST', headers: { 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': tusMetadata({ sha256: sha, tourId }) } }),
        fetch(url, { method: 'HEAD', headers: { 'tus-resumable': '1.0.0' } }),
        fetch(url, { method: 'PATCH', headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, body: bytes }),
        fetch(url, { method: 'DELETE', headers: { 'tus-resumable': '1.0.0' } }),
        fetch(`${base}api/blobs/${sha}`, { method: 'HEAD' }),
        fetch(`${base}api/blobs/${sha}`),
        fetch(`${base}api/blobs/${sha}`, { headers: { authorization: 'Bearer not-a-real-token' } }),
      ];
      for (const response of await Promise.all(anonymous)) {
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
        const text = await response.text();
        if (text !== '') expect((JSON.parse(text) as { error: string }).error).toBe('unauthorized'); // HEAD has no body
      }
      // nothing was written by the anonymous PATCH
      const head = await fetch(url, { method: 'HEAD', headers: tusHeaders(scorer.token) });
      expect(head.headers.get('upload-offset')).toBe('0');
    });

    it("keeps a user's upload invisible to other users", async () => {
      const owner = await signIn('scorer.h', 'scorer');
      const other = await signIn('scorer.i', 'scorer');
      const bytes = photoBytes(1000, 10);
      const url = await createUpload(owner.token, bytes);
      expect((await fetch(url, { method: 'HEAD', headers: tusHeaders(other.token) })).status).toBe(404);
      expect((await patch(other.token, url, 0, bytes)).status).toBe(404);
      expect((await fetch(url, { method: 'DELETE', headers: tusHeaders(other.token) })).status).toBe(404);
      const head = await fetch(url, { method: 'HEAD', headers: tusHeaders(owner.token) });
      expect(head.status).toBe(200);
      expect(head.headers.get('upload-offset')).toBe('0');
    });

    it('serves bytes only to users who may see a stop with that photo', async () => {
      const uploader = await signIn('scorer.j', 'scorer');
      const stranger = await signIn('scorer.k', 'scorer');
      const observer = await signIn('observer.b', 'observer');
      const secretariat = await signIn('office', 'secretariat');
      await addTour(otherTourId);
      await assign(stranger.id, otherTourId);
      // the stranger has left the uploader's tour
      await db().updateTable('records').set({ deleted: 1 }).where('collection', '=', 'scorers').where('id', '=', `scorer-${stranger.id}-${tourId}`).execute();

      const bytes = photoBytes(5000, 11);
      const sha256 = sha256Hex(bytes);
      expect((await patch(uploader.token, await createUpload(uploader.token, bytes), 0, bytes)).status).toBe(204);
      await addPhotoRecord('photo-png', tourId, sha256, { mime: 'image/png', authorId: uploader.id });

      for (const who of [uploader, observer, secretariat]) {
        const response = await getBlob(who.token, sha256);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('image/png');
        expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
      }
      const refused = await getBlob(stranger.token, sha256);
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: string }).error).toBe('forbidden');
      // HEAD only says whether the server has the bytes (uploaders ask before uploading)
      expect((await headBlob(stranger.token, sha256)).status).toBe(200);

      // the stranger names the hash in a record of their own tour: that grants nothing (issue 14)
      await addPhotoRecord('photo-claimed', otherTourId, sha256, { mime: 'image/png', authorId: stranger.id });
      expect((await getBlob(stranger.token, sha256)).status).toBe(404);
      // the same bytes in the stranger's tour by the one who uploaded them: now they may
      await addPhotoRecord('photo-again', otherTourId, sha256, { mime: 'image/png', authorId: uploader.id });
      expect((await getBlob(stranger.token, sha256)).status).toBe(200);

      // deleted photo records grant nothing (a deleted row, or a tombstone with deletedAt)
      await addPhotoRecord('photo-again', otherTourId, sha256, { mime: 'image/png', deleted: true, authorId: uploader.id });
      expect((await getBlob(stranger.token, sha256)).status).toBe(404);
      await addPhotoRecord('photo-claimed', otherTourId, sha256, { mime: 'image/png', authorId: stranger.id, deleted: true });
      expect((await getBlob(stranger.token, sha256)).status).toBe(403);
      await addPhotoRecord('photo-again', otherTourId, sha256, { mime: 'image/png', authorId: uploader.id });
      expect((await getBlob(stranger.token, sha256)).status).toBe(200);
      await addPhotoRecord('photo-again', otherTourId, sha256, { mime: 'image/png', deletedAt: '2021-12-09T10:00:00.000Z', authorId: uploader.id });
      expect((await getBlob(stranger.token, sha256)).status).toBe(403);
      // nor while that tour is still a draft (participants see a tour once it is published)
      await addPhotoRecord('photo-again', otherTourId, sha256, { mime: 'image/png', authorId: uploader.id });
      await addTour(otherTourId, 'draft');
      expect((await getBlob(stranger.token, sha256)).status).toBe(403);
      expect((await getBlob(secretariat.token, sha256)).status).toBe(200);
      // unknown hashes are 404
      expect((await getBlob(secretariat.token, 'b'.repeat(64))).status).toBe(404);
      // a record whose bytes have not arrived yet
      await addPhotoRecord('photo-pending', tourId, 'c'.repeat(64));
      const pending = await getBlob(secretariat.token, 'c'.repeat(64));
      expect(pending.status).toBe(404);
      expect(((await pending.json()) as { error: string }).error).toBe('photo_pending');
    });

    it('rejects anything but a sha256 as a blob name (no path traversal)', async () => {
      const admin = await signIn('root', 'admin');
      // sent as raw request targets: fetch would normalise dot segments before they reach the server
      const raw = (method: string, target: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const request = http.request(new URL(base), { method, path: target, headers: auth(admin.token) }, (response) => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (body += chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
          });
          request.on('error', reject);
          request.end();
        });
      const singleSegment = ['..%2F..%2Fguanmo.sqlite', '%2e%2e', '..', 'A'.repeat(64), 'a'.repeat(63), `${'a'.repeat(64)}.jpg`, `${'a'.repeat(64)}%00`];
      for (const bad of singleSegment) {
        for (const method of ['GET', 'HEAD']) {
          const response = await raw(method, `/api/blobs/${bad}`);
          expect(response.status, `${method} ${bad}`).toBe(400);
          // a NUL is refused as odd text before the route looks at it (http/clean-text-guard.ts)
          if (method === 'GET') expect(['invalid_sha256', 'invalid_text']).toContain((JSON.parse(response.body) as { error: string }).error);
        }
      }
      // several segments match no blob route (the static site refuses dot segments with 403)
      for (const bad of ['../../guanmo.sqlite', '../../../../etc/passwd', `ab/cd/${'a'.repeat(64)}`]) {
        const response = await raw('GET', `/api/blobs/${bad}`);
        expect([403, 404], bad).toContain(response.status);
        expect(response.body).not.toContain('SQLite format');
      }
    });
  });
}
