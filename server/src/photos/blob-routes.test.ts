/**
 * Photo thumbnails as their own blobs (PhotoMeta.thumbSha256) and the batch question
 * POST /api/blobs/missing, against the real server on SQLite and (when
 * GUANMO_TEST_DATABASE_URL is set) PostgreSQL.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import * as tus from 'tus-js-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { photoMetaSchema, tourSchema, type PhotoMeta, type Role, type Scorer } from '@shared/domain/schemas';
import { BLOB_BATCH_HEADER, BLOB_BATCH_TOUR_HEADER, formatBlobBatchHeader, MAX_BATCH_BLOB_BYTES, MAX_MISSING_BLOBS_QUERY } from '@shared/sync/blob-protocol';
import type { RunningServer } from '../app.js';
import { hashPassword } from '../auth/passwords.js';
import { serverOrigin, writeRecord } from '../db/records.js';
import type { Database } from '../db/schema.js';
import { createUserIfAbsent } from '../db/users.js';
import { testBackends, type TestDatabase } from '../test-support/backends.js';
import { startCapturedServer } from '../test-support/server-fixtures.js';
import { findPhotosBySha256 } from './photo-access.js';

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function bytesOf(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  let x = seed * 2654435761;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return bytes;
}

const password = 'correct-horse-battery';
const tourId = 'tour-thumbs';
const otherTourId = 'tour-elsewhere';

describe('photo records and thumbnails', () => {
  it('a record without thumbSha256 (made before thumbnails synced) still parses', () => {
    const old = { id: 'p', tourId: 't', stopId: 's', authorId: 'a', sha256: 'a'.repeat(64), size: 1, mime: 'image/png', width: 1, height: 1, createdAt: '2021-12-08T09:30:00.000Z' };
    expect(photoMetaSchema.parse(old).thumbSha256 ?? null).toBeNull();
    expect(photoMetaSchema.parse({ ...old, thumbSha256: 'b'.repeat(64) }).thumbSha256).toBe('b'.repeat(64));
    expect(photoMetaSchema.safeParse({ ...old, thumbSha256: 'not a hash' }).success).toBe(false);
  });
});

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`thumbnail blobs on ${backend.kind}`, () => {
    let database: TestDatabase;
    let server: RunningServer;
    let base: string;

    beforeEach(async () => {
      database = await backend.create();
      server = await startCapturedServer(database.env);
      base = server.url;
      // every upload names its tour; the participants signed in below take part in this one
      await addTour(tourId);
    });
    afterEach(async () => {
      await server.close();
      await database.cleanup();
    });

    const db = (): Kysely<Database> => server.db;
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });

    async function signIn(username: string, role: Role): Promise<{ id: string; token: string }> {
      const user = await createUserIfAbsent(db(), { username, displayName: username, role, passwordHash: await hashPassword(password) });
      if (!user) throw new Error(`user ${username} exists`);
      if (role === 'scorer' && username !== 'scorer.elsewhere') await assign(user.id, tourId);
      const response = await fetch(`${base}api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      expect(response.status).toBe(200);
      const { token } = (await response.json()) as { token: string };
      return { id: user.id, token };
    }

    async function addTour(id: string): Promise<void> {
      const tour = tourSchema.parse({ id, name: `观摩 ${id}`, kind: 'scored', startDate: '2021-12-08', endDate: '2021-12-10', status: 'scoring' });
      await db()
        .transaction()
        .execute((trx) => writeRecord(trx, { collection: 'tours', id, tourId: id, data: tour, versions: {}, deleted: false }, serverOrigin));
    }

    async function assign(userId: string, tour: string): Promise<void> {
      const scorer: Scorer = { id: `scorer-${userId}-${tour}`, tourId: tour, userId, name: userId, role: 'scorer', homeUnitId: null, weightGroup: null };
      await db()
        .transaction()
        .execute((trx) => writeRecord(trx, { collection: 'scorers', id: scorer.id, tourId: tour, data: scorer, versions: {}, deleted: false }, serverOrigin));
    }

    async function addPhotoRecord(id: string, tour: string, sha256: string, thumbSha256: string | null, deletedAt: string | null = null, authorId = 'someone'): Promise<void> {
      const photo: PhotoMeta = photoMetaSchema.parse({
        id,
        tourId: tour,
        stopId: 'stop-1',
        authorId,
        sha256,
        thumbSha256,
        size: 1,
        mime: 'image/png',
        width: 4000,
        height: 3000,
        createdAt: '2021-12-08T09:30:00.000Z',
        deletedAt,
      });
      await db()
        .transaction()
        .execute((trx) => writeRecord(trx, { collection: 'photos', id, tourId: tour, data: photo, versions: {}, deleted: false }, serverOrigin));
    }

    /** tus-js-client as the app uses it for small files: the bytes ride in the creating POST */
    function uploadWithCreation(token: string, bytes: Buffer): Promise<{ requests: string[]; blob: string | null }> {
      const requests: string[] = [];
      return new Promise((resolve, reject) => {
        new tus.Upload(bytes, {
          endpoint: `${base}api/uploads`,
          headers: auth(token),
          metadata: { sha256: sha256Hex(bytes), filename: 'thumb.jpg', filetype: 'image/jpeg', tourId },
          uploadDataDuringCreation: true,
          retryDelays: [],
          storeFingerprintForResuming: false,
          onBeforeRequest: (req) => void requests.push(req.getMethod()),
          onSuccess: (payload) => resolve({ requests, blob: payload.lastResponse.getHeader('Guanmo-Blob') ?? null }),
          onError: reject,
        }).start();
      });
    }

    const missing = (token: string | null, body: unknown) =>
      fetch(`${base}api/blobs/missing`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? auth(token) : {}) },
        body: JSON.stringify(body),
      });

    it('a thumbnail is downloadable exactly by those who may see its photo, as a JPEG', async () => {
      const scorer = await signIn('scorer.t', 'scorer');
      const stranger = await signIn('scorer.elsewhere', 'scorer');
      const staff = await signIn('office', 'secretariat');
      await addTour(otherTourId);
      await assign(stranger.id, otherTourId);
      const original = bytesOf(40_000, 1);
      const thumb = bytesOf(3_000, 2);
      const thumbSha = sha256Hex(thumb);

      // one request: the creation carries the bytes (tus creation-with-upload)
      const uploaded = await uploadWithCreation(scorer.token, thumb);
      expect(uploaded.requests).toEqual(['POST']);
      expect(uploaded.blob).toBe('stored');
      // bytes without a record: nobody's yet
      expect((await fetch(`${base}api/blobs/${thumbSha}`, { headers: auth(scorer.token) })).status).toBe(404);

      await addPhotoRecord('photo-t', tourId, sha256Hex(original), thumbSha, null, scorer.id);
      expect(await findPhotosBySha256(db(), backend.kind, thumbSha)).toEqual([{ id: 'photo-t', tourId, mime: 'image/jpeg', role: 'thumbnail', authorId: scorer.id }]);
      expect(await findPhotosBySha256(db(), backend.kind, sha256Hex(original))).toEqual([{ id: 'photo-t', tourId, mime: 'image/png', role: 'original', authorId: scorer.id }]);

      for (const viewer of [scorer, staff]) {
        const get = await fetch(`${base}api/blobs/${thumbSha}`, { headers: auth(viewer.token) });
        expect(get.status).toBe(200);
        expect(get.headers.get('content-type')).toBe('image/jpeg');
        expect(Buffer.from(await get.arrayBuffer()).equals(thumb)).toBe(true);
      }
      const refused = await fetch(`${base}api/blobs/${thumbSha}`, { headers: auth(stranger.token) });
      expect(refused.status).toBe(403);
      // the original of that record: not uploaded yet
      const pending = await fetch(`${base}api/blobs/${sha256Hex(original)}`, { headers: auth(scorer.token) });
      expect(pending.status).toBe(404);
      expect(((await pending.json()) as { error: string }).error).toBe('photo_pending');

      // a deleted photo takes its thumbnail with it
      await addPhotoRecord('photo-t', tourId, sha256Hex(original), thumbSha, '2021-12-09T09:30:00.000Z', scorer.id);
      expect((await fetch(`${base}api/blobs/${thumbSha}`, { headers: auth(scorer.token) })).status).toBe(404);
    });

    it('POST /api/blobs/missing names the hashes the server has no bytes for, once each, in order', async () => {
      const scorer = await signIn('scorer.m', 'scorer');
      const held = bytesOf(5_000, 3);
      await uploadWithCreation(scorer.token, held);
      const [a, b] = [sha256Hex(bytesOf(10, 4)), sha256Hex(bytesOf(10, 5))];

      const response = await missing(scorer.token, { sha256s: [a, sha256Hex(held), b, a] });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({ missing: [a, b] });

      expect((await missing(null, { sha256s: [a] })).status).toBe(401);
      for (const bad of [{ sha256s: [] }, { sha256s: ['A'.repeat(64)] }, { sha256s: Array.from({ length: MAX_MISSING_BLOBS_QUERY + 1 }, () => a) }, { hashes: [a] }]) {
        const refused = await missing(scorer.token, bad);
        expect(refused.status).toBe(400);
        expect(((await refused.json()) as { error: string }).error).toBeTruthy();
      }
    });

    it('POST /api/blobs/batch stores each small blob whose bytes match its hash, and nothing else', async () => {
      const scorer = await signIn('scorer.b', 'scorer');
      const [one, two, held] = [bytesOf(3_000, 6), bytesOf(24_000, 7), bytesOf(1_000, 8)];
      await uploadWithCreation(scorer.token, held);
      const forged = { sha256: sha256Hex(bytesOf(500, 9)), bytes: bytesOf(500, 10) };
      const batch = (token: string | null, entries: Array<{ sha256: string; size: number }>, body: Buffer) =>
        fetch(`${base}api/blobs/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream', [BLOB_BATCH_HEADER]: formatBlobBatchHeader(entries), [BLOB_BATCH_TOUR_HEADER]: tourId, ...(token ? auth(token) : {}) },
          body,
        });
      const entries = [
        { sha256: sha256Hex(one), size: one.length },
        { sha256: forged.sha256, size: forged.bytes.length },
        { sha256: sha256Hex(two), size: two.length },
        { sha256: sha256Hex(held), size: held.length },
      ];
      const response = await batch(scorer.token, entries, Buffer.concat([one, forged.bytes, two, held]));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        results: [
          { sha256: entries[0]!.sha256, status: 'stored' },
          { sha256: forged.sha256, status: 'mismatch' },
          { sha256: entries[2]!.sha256, status: 'stored' },
          { sha256: entries[3]!.sha256, status: 'existing' },
        ],
      });
      expect(await (await missing(scorer.token, { sha256s: entries.map((e) => e.sha256) })).json()).toEqual({ missing: [forged.sha256] });

      expect((await batch(null, entries.slice(0, 1), one)).status).toBe(401);
      // the header and the body must agree; sizes and counts within the limits
      const big = bytesOf(MAX_BATCH_BLOB_BYTES + 1, 11);
      for (const [badEntries, body] of [
        [entries.slice(0, 1), Buffer.concat([one, Buffer.from([0])])],
        [[{ sha256: sha256Hex(big), size: big.length }], big],
        [Array.from({ length: 101 }, () => entries[0]!), one],
      ] as const) {
        const refused = await batch(scorer.token, [...badEntries], body);
        expect(refused.status).toBe(400);
        expect(((await refused.json()) as { error: string }).error).toBe('invalid_blob_batch');
      }
    });
  });
}
