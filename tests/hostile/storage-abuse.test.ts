/**
 * Issue 14 item 2: storage abuse. An observer stored 8 × 10 MiB of random bytes declared
 * image/jpeg with no record pointing at them, and 300 pending uploads of 50 MB each were all
 * accepted. Now: content is checked against the declared type before bytes become servable,
 * per-user and per-tour quotas (configurable, pending uploads count), a cap on pending uploads
 * per user, rate limits on upload creation and bytes, abandoned partial uploads removed on a
 * schedule; 413/429 in the JSON error shape, with Retry-After where waiting helps, and the app
 * says what each means (sync-words.ts).
 */
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BLOB_BATCH_HEADER, BLOB_BATCH_TOUR_HEADER, formatBlobBatchHeader } from '@shared/sync/blob-protocol';
import { describeSyncError } from '../../renderer/src/features/sign-in/sync-words';
import { createTranslator } from '../../renderer/src/i18n/catalogs';
import { removeExpiredUploads } from '../../server/src/photos/upload-cleanup';
import { testBackends, type TestDatabase } from '../../server/src/test-support/backends';
import { buildTestTour, tourMutations } from '../../server/src/test-support/sync-client';
import { laptopOf, newTally, startHostileServer, writeTally, type HostileServer } from './support/hostile-server';
import { createEmptyUpload, fakeJpeg, sha256Of, uploadWhole } from './support/photo-bytes';

const KiB = 1024;

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`storage abuse on ${backend.kind}`, () => {
    const tally = newTally();
    let database: TestDatabase;
    let s: HostileServer;
    const tourId = 'tour-store';

    afterAll(() => writeTally('storage-abuse', backend.kind, tally));
    beforeEach(async () => {
      database = await backend.create();
    }, 60_000);
    afterEach(async () => {
      await s?.close();
      await database.cleanup();
    }, 60_000);

    /** a server with these limits, a tour, and an observer and a scorer in it */
    async function serverWith(env: Record<string, string>) {
      s = await startHostileServer(database, backend.kind, tally, env);
      const sec = await laptopOf(s, 'sec', 'secretariat');
      const observer = await laptopOf(s, 'observer', 'observer');
      const scorer = await laptopOf(s, 'scorer', 'scorer');
      const t = buildTestTour(tourId, [
        { userId: observer.id, name: '观察员', role: 'observer' },
        { userId: scorer.id, name: '评委' },
      ]);
      await sec.client.pushOk(tourMutations(sec.client, t));
      return { sec, observer, scorer };
    }
    const head = (token: string, sha: string) => fetch(new URL(`api/blobs/${sha}`, s.url), { method: 'HEAD', headers: { authorization: `Bearer ${token}` } });
    const errorOf = async (response: Response) => {
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      return ((await response.json()) as { error: string; message: string });
    };

    it('random bytes declared image/jpeg are refused before they can be served (tus and batch)', async () => {
      const { observer } = await serverWith({});
      const random = Buffer.alloc(200 * KiB, 7);
      const tus = await uploadWhole(s.url, observer.token, random, { tourId });
      expect(tus.status).toBe(415);
      expect((await errorOf(tus)).error).toBe('content_mismatch');
      expect((await head(observer.token, sha256Of(random))).status).toBe(404);
      // a PNG declared as JPEG, too
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(1000, 1)]);
      expect((await uploadWhole(s.url, observer.token, png, { tourId })).status).toBe(415);
      const batch = await fetch(new URL('api/blobs/batch', s.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${observer.token}`, 'content-type': 'application/octet-stream', [BLOB_BATCH_HEADER]: formatBlobBatchHeader([{ sha256: sha256Of(random.subarray(0, 1000)), size: 1000 }]), [BLOB_BATCH_TOUR_HEADER]: tourId },
        body: random.subarray(0, 1000),
      });
      expect(await batch.json()).toEqual({ results: [{ sha256: sha256Of(random.subarray(0, 1000)), status: 'mismatch' }] });
      // and an upload for a tour one does not take part in
      expect((await uploadWhole(s.url, observer.token, fakeJpeg(100, 100, 2000), { tourId: 'someone-elses' })).status).toBe(403);
    });

    it('a user stores at most their quota (pending uploads count); the tour at most its own', async () => {
      const { observer, scorer } = await serverWith({ GUANMO_QUOTA_USER: '500KiB', GUANMO_QUOTA_TOUR: '700KiB' });
      let stored = 0;
      let refused: Response | null = null;
      for (let i = 0; i < 8 && !refused; i++) {
        const response = await uploadWhole(s.url, observer.token, fakeJpeg(800, 600, 100 * KiB), { tourId });
        if (response.status === 201) stored++;
        else refused = response;
      }
      expect(stored).toBe(5);
      expect(refused!.status).toBe(413);
      const body = await errorOf(refused!);
      expect(body.error).toBe('quota_exceeded');
      expect(body.message).toMatch(/500 KB/);
      // the same bytes again cost nothing (the server has them)
      // a second user fills the tour: 700 KiB in all
      const first = await uploadWhole(s.url, scorer.token, fakeJpeg(800, 600, 150 * KiB), { tourId });
      expect(first.status).toBe(201);
      const over = await uploadWhole(s.url, scorer.token, fakeJpeg(800, 600, 150 * KiB), { tourId });
      expect(over.status).toBe(413);
      expect((await errorOf(over)).error).toBe('tour_quota_exceeded');
      // an upload created without bytes reserves its length too
      const reserving = await createEmptyUpload(s.url, observer.token, fakeJpeg(800, 600, 10 * KiB), { tourId });
      expect(reserving.status).toBe(413);
    });

    it('at most N unfinished uploads per user; abandoned ones are removed on schedule and free the cap', async () => {
      const { observer } = await serverWith({ GUANMO_MAX_PENDING_UPLOADS: '3' });
      for (let i = 0; i < 3; i++) expect((await createEmptyUpload(s.url, observer.token, fakeJpeg(4000, 3000, 5_000_000 + i), { tourId })).status).toBe(201);
      const fourth = await createEmptyUpload(s.url, observer.token, fakeJpeg(4000, 3000, 5_000_100), { tourId });
      expect(fourth.status).toBe(429);
      expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await errorOf(fourth)).error).toBe('too_many_pending_uploads');
      // housekeeping: nothing arrived for longer than the idle limit (0 here) → removed, rows too
      const removed = await removeExpiredUploads(path.join(database.dataDir, 'uploads'), { expiryMs: 14 * 86_400_000, idleMs: 0, db: s.db }, new Date(Date.now() + 1000));
      expect(removed).toBe(3);
      expect(await s.db.selectFrom('pending_uploads').selectAll().execute()).toEqual([]);
      expect((await createEmptyUpload(s.url, observer.token, fakeJpeg(4000, 3000, 5_000_200), { tourId })).status).toBe(201);
    });

    it('starting uploads and sending bytes are rate-limited per user, with Retry-After', async () => {
      const { observer, scorer } = await serverWith({ GUANMO_RATE_LIMIT_UPLOADS: '4/min burst 4', GUANMO_RATE_LIMIT_UPLOAD_BYTES: '300KiB/min burst 300KiB', GUANMO_MAX_PENDING_UPLOADS: 'off' });
      const statuses: number[] = [];
      let limited: Response | null = null;
      for (let i = 0; i < 6; i++) {
        const response = await createEmptyUpload(s.url, observer.token, fakeJpeg(800, 600, 1000 + i), { tourId });
        statuses.push(response.status);
        if (response.status === 429) limited = response;
      }
      expect(statuses).toEqual([201, 201, 201, 201, 429, 429]);
      expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await errorOf(limited!)).error).toBe('too_many_uploads');
      // bytes: 200 KiB goes, the next 200 KiB waits
      expect((await uploadWhole(s.url, scorer.token, fakeJpeg(800, 600, 200 * KiB), { tourId })).status).toBe(201);
      const slow = await uploadWhole(s.url, scorer.token, fakeJpeg(800, 600, 200 * KiB), { tourId });
      expect(slow.status).toBe(429);
      expect((await errorOf(slow)).error).toBe('upload_rate_limited');
      expect(Number(slow.headers.get('retry-after'))).toBeGreaterThan(0);
    });
  });
}

describe('what the app says', () => {
  it('the app says what each refusal means, in Chinese and in English', () => {
    const at = new Date().toISOString();
    for (const locale of ['zh-CN', 'en'] as const) {
      const t = createTranslator(locale);
      const quota = describeSyncError(t, { kind: 'server', status: 413, code: 'quota_exceeded', message: '413 …', at });
      const pace = describeSyncError(t, { kind: 'busy', status: 429, code: 'upload_rate_limited', retryAfterMs: 30_000, message: '429 …', at });
      const full = describeSyncError(t, { kind: 'busy', status: 503, code: 'storage_full', retryAfterMs: 30_000, message: '503 …', at });
      expect(quota).toMatch(locale === 'zh-CN' ? /存储空间已满/ : /storage on the server is full/);
      expect(pace).toMatch(locale === 'zh-CN' ? /30 秒后自动重试/ : /Retrying in 30 s/);
      expect(full).toMatch(locale === 'zh-CN' ? /磁盘空间已满/ : /out of disk space/);
      expect(describeSyncError(t, { kind: 'server', status: 413, code: 'tour_quota_exceeded', message: '', at })).not.toBe(quota);
    }
  });
});
