/**
 * Issue 14 item 1: photo bytes by naming a hash. A scorer removed from tour X (GET /api/blobs/H
 * → 403) pushed a photo record with `sha256: H, size: 1, width: 1, height: 1` into tour Y, which
 * they still belong to, and then everyone in Y could fetch X's photo. Now a record whose
 * metadata contradicts the stored bytes is rejected (per mutation), and a record grants access
 * only when its author holds a claim on the bytes: they uploaded them, or answered a possession
 * challenge (a hash of a random nonce and a random range of the bytes), which naming the hash
 * cannot do. The app's flow still works: a record before its bytes, thumbnails by batch, the
 * same photo from a second device.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoMeta } from '@shared/domain/schemas';
import { BLOB_BATCH_HEADER, BLOB_BATCH_TOUR_HEADER, formatBlobBatchHeader } from '@shared/sync/blob-protocol';
import { answerChallenge } from '../../renderer/src/sync/photo-upload';
import { testBackends, type TestDatabase } from '../../server/src/test-support/backends';
import { buildTestTour, tourMutations, type SyncClient } from '../../server/src/test-support/sync-client';
import { checkStored, laptopOf, newTally, startHostileServer, writeTally, type HostileServer } from './support/hostile-server';
import { fakeJpeg, sha256Of, uploadWhole } from './support/photo-bytes';

type Laptop = { id: string; token: string; client: SyncClient };

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`photo bytes by hash on ${backend.kind}`, () => {
    const tally = newTally();
    let database: TestDatabase;
    let s: HostileServer;
    let sec: Laptop;
    let author: Laptop; // takes part in X
    let removed: Laptop; // in X and Y, then removed from X
    let colleague: Laptop; // in Y
    const written: Array<{ collection: string; id: string; fields: Record<string, unknown> }> = [];
    const [tourX, tourY] = ['tour-x', 'tour-y'];
    const photoBytes = fakeJpeg(4000, 3000, 120_000);
    const H = sha256Of(photoBytes);

    beforeAll(async () => {
      database = await backend.create();
      s = await startHostileServer(database, backend.kind, tally);
      sec = await laptopOf(s, 'sec', 'secretariat');
      author = await laptopOf(s, 'author', 'scorer');
      removed = await laptopOf(s, 'removed', 'scorer');
      colleague = await laptopOf(s, 'colleague', 'scorer');
      const x = buildTestTour(tourX, [{ userId: author.id, name: '作者' }, { userId: removed.id, name: '被移出者' }]);
      const y = buildTestTour(tourY, [{ userId: removed.id, name: '被移出者' }, { userId: colleague.id, name: '同事' }]);
      await sec.client.pushOk([...tourMutations(sec.client, x), ...tourMutations(sec.client, y)]);
    }, 60_000);

    afterAll(async () => {
      const lost = await checkStored(s, tally, written);
      await s.close();
      await database.cleanup();
      writeTally('photo-access', backend.kind, tally);
      expect(lost).toEqual([]);
    });

    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    const getBlob = (who: Laptop, sha = H) => fetch(new URL(`api/blobs/${sha}`, s.url), { headers: auth(who.token) });
    const photo = (tourId: string, authorId: string, fields: Partial<PhotoMeta> = {}): PhotoMeta => ({
      id: `photo-${randomUUID()}`,
      tourId,
      stopId: `${tourId}-s1`,
      authorId,
      sha256: H,
      size: photoBytes.length,
      mime: 'image/jpeg',
      width: 4000,
      height: 3000,
      takenAt: null,
      lat: null,
      lng: null,
      caption: '',
      isCover: false,
      createdAt: new Date().toISOString(),
      deletedAt: null,
      ...fields,
    });

    it('the author uploads X\'s photo; a participant removed from X gets 403 for it', async () => {
      const upload = await uploadWhole(s.url, author.token, photoBytes, { tourId: tourX });
      expect(upload.status).toBe(201);
      const record = photo(tourX, author.id);
      await author.client.pushOk([author.client.mutation('photos', tourX, record)]);
      written.push({ collection: 'photos', id: record.id, fields: { sha256: H } });
      expect((await getBlob(removed)).status).toBe(200);
      // the secretariat removes them from X
      const scorerInX = (await s.db.selectFrom('records').select('id').where('collection', '=', 'scorers').where('tour_id', '=', tourX).execute()).find((r) => r.id.endsWith('-p2'))!;
      await sec.client.pushOk([sec.client.mutation('scorers', tourX, { id: scorerInX.id }, 'delete')]);
      expect((await getBlob(removed)).status).toBe(403);
    });

    it('a record naming the hash with made-up metadata is rejected, alone; the note beside it is stored', async () => {
      const at = new Date().toISOString();
      const note = { id: `note-${randomUUID()}`, tourId: tourY, stopId: `${tourY}-s1`, authorId: removed.id, kind: 'highlight', text: '旁边的笔记', createdAt: at, updatedAt: at };
      const forged = photo(tourY, removed.id, { size: 1, width: 1, height: 1 });
      const response = await removed.client.push([removed.client.mutation('photos', tourY, forged), removed.client.mutation('notes', tourY, note)]);
      expect(response.results.map((r) => r.status)).toEqual(['rejected', 'applied']);
      expect(response.results[0]).toMatchObject({ code: 'invalid' });
      expect(response.results[0]!.reason).toMatch(/does not match its uploaded bytes/);
      written.push({ collection: 'notes', id: note.id, fields: { text: '旁边的笔记' } });
      for (const wrong of [{ size: photoBytes.length + 1 }, { width: 1000, height: 750 }, { mime: 'image/png' as const }]) {
        const result = await removed.client.push([removed.client.mutation('photos', tourY, photo(tourY, removed.id, wrong))]);
        expect(result.results[0]!.status, JSON.stringify(wrong)).toBe('rejected');
      }
      // EXIF-turned photos store width and height the other way round: accepted
      const turned = photo(tourY, removed.id, { width: 3000, height: 4000, id: `photo-turned-${randomUUID()}` });
      expect((await removed.client.push([removed.client.mutation('photos', tourY, turned)])).results[0]!.status).toBe('applied');
    });

    it('a record with the right metadata grants nothing without possession: 404 for everyone in Y', async () => {
      const copied = photo(tourY, removed.id);
      await removed.client.pushOk([removed.client.mutation('photos', tourY, copied)]);
      for (const who of [removed, colleague]) {
        const response = await getBlob(who);
        expect(response.status).toBe(404);
        expect(((await response.json()) as { error: string }).error).toBe('photo_pending');
      }
      // HEAD only says the server holds the bytes (what an uploader asks before uploading)
      expect((await fetch(new URL(`api/blobs/${H}`, s.url), { method: 'HEAD', headers: auth(removed.token) })).status).toBe(200);
    });

    it('knowing the hash answers no possession challenge; forged and replayed answers are refused', async () => {
      const post = (who: Laptop, route: string, body: unknown) => fetch(new URL(`api/blobs/${route}`, s.url), { method: 'POST', headers: { ...auth(who.token), 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const asked = (await (await post(removed, 'challenges', { sha256s: [H] })).json()) as { held: string[]; challenges: Array<{ sha256: string; token: string; nonce: string; start: number; end: number }> };
      expect(asked.held).toEqual([]);
      const [challenge] = asked.challenges;
      expect(challenge!.end - challenge!.start).toBeGreaterThan(0);
      // guesses: the hash itself, the hash of the nonce, zeros in place of the bytes
      const guesses = [H, sha256Of(Buffer.from(challenge!.nonce, 'hex')), await answerChallenge(challenge!, new Blob([new Uint8Array(photoBytes.length)]))];
      for (const proof of guesses) {
        const answer = (await (await post(removed, 'proofs', { proofs: [{ sha256: H, token: challenge!.token, proof }] })).json()) as { results: Array<{ status: string }> };
        expect(answer.results[0]!.status).toBe('wrong');
      }
      // a token made for someone else, or edited, is no good either
      const colleagueChallenge = ((await (await post(colleague, 'challenges', { sha256s: [H] })).json()) as typeof asked).challenges[0]!;
      const right = await answerChallenge(colleagueChallenge, new Blob([new Uint8Array(photoBytes)]));
      expect(((await (await post(removed, 'proofs', { proofs: [{ sha256: H, token: colleagueChallenge.token, proof: right }] })).json()) as { results: Array<{ status: string }> }).results[0]!.status).toBe('wrong');
      const edited = challenge!.token.replace(/^\d+/, '0');
      expect(((await (await post(removed, 'proofs', { proofs: [{ sha256: H, token: edited, proof: right }] })).json()) as { results: Array<{ status: string }> }).results[0]!.status).toBe('wrong');
      expect((await getBlob(colleague)).status).toBe(404);
    });

    it('someone who really has the bytes proves it (the app does: photo-upload.ts), and their record in Y then serves them', async () => {
      const post = (route: string, body: unknown) => fetch(new URL(`api/blobs/${route}`, s.url), { method: 'POST', headers: { ...auth(colleague.token), 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const { challenges } = (await (await post('challenges', { sha256s: [H] })).json()) as { challenges: Array<{ sha256: string; token: string; nonce: string; start: number; end: number }> };
      const proof = await answerChallenge(challenges[0]!, new Blob([new Uint8Array(photoBytes)]));
      const answer = (await (await post('proofs', { proofs: [{ sha256: H, token: challenges[0]!.token, proof }] })).json()) as { results: Array<{ status: string }> };
      expect(answer.results[0]!.status).toBe('proven');
      expect(((await (await post('challenges', { sha256s: [H] })).json()) as { held: string[] }).held).toEqual([H]);
      const own = photo(tourY, colleague.id);
      await colleague.client.pushOk([colleague.client.mutation('photos', tourY, own)]);
      written.push({ collection: 'photos', id: own.id, fields: { authorId: colleague.id } });
      expect((await getBlob(removed)).status).toBe(200);
    });

    it('the app\'s flow still works: a record before its bytes, then the upload; a thumbnail by batch', async () => {
      const bytes = fakeJpeg(1600, 1200, 40_000);
      const thumb = fakeJpeg(320, 240, 3_000);
      const record = photo(tourX, author.id, { sha256: sha256Of(bytes), size: bytes.length, width: 1600, height: 1200, thumbSha256: sha256Of(thumb) });
      await author.client.pushOk([author.client.mutation('photos', tourX, record)]);
      written.push({ collection: 'photos', id: record.id, fields: { sha256: record.sha256 } });
      expect((await getBlob(sec, record.sha256)).status).toBe(404);
      const batch = await fetch(new URL('api/blobs/batch', s.url), {
        method: 'POST',
        headers: { ...auth(author.token), 'content-type': 'application/octet-stream', [BLOB_BATCH_HEADER]: formatBlobBatchHeader([{ sha256: sha256Of(thumb), size: thumb.length }]), [BLOB_BATCH_TOUR_HEADER]: tourX },
        body: new Uint8Array(thumb),
      });
      expect(await batch.json()).toEqual({ results: [{ sha256: sha256Of(thumb), status: 'stored' }] });
      expect((await uploadWhole(s.url, author.token, bytes, { tourId: tourX })).status).toBe(201);
      expect((await getBlob(sec, record.sha256)).status).toBe(200);
      expect((await getBlob(sec, sha256Of(thumb))).status).toBe(200);
      // an upload's metadata that contradicts the record uploaded before: the record stands, and a
      // later change of its size to a wrong one is refused
      const change = await author.client.push([author.client.change('photos', tourX, record.id, { size: 12 })]);
      expect(change.results[0]!.status).toBe('rejected');
    });
  });
}
