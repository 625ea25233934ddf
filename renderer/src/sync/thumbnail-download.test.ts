// node environment on purpose: Blobs survive fake-indexeddb here, not under happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { PhotoMeta } from '@shared/domain/schemas';
import type { GuanmoDb } from '../db/guanmo-db';
import { shaOfText, testPhotoMeta } from '../test-support/photo-records';
import { createTestDb } from '../test-support/test-db';
import type { HttpContext } from './sync-http';
import { fetchMissingThumbnails, listThumbnailsToFetch } from './thumbnail-download';

const opened: GuanmoDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});
function fresh(): GuanmoDb {
  const db = createTestDb();
  opened.push(db);
  return db;
}

const shaOf = shaOfText;

const photo = (n: number, over: Partial<PhotoMeta> = {}): PhotoMeta => testPhotoMeta(n, { authorId: 'someone-else', ...over });

/** A server answering GET /api/blobs/:sha from `blobs` (404 otherwise), recording what was asked. */
function serverOf(blobs: Record<string, string | number | Error>): { http: HttpContext; asked: string[] } {
  const asked: string[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    const sha = String(input).split('/api/blobs/')[1]!;
    asked.push(sha);
    const answer = blobs[sha];
    if (answer instanceof Error) throw answer;
    if (typeof answer === 'number') return new Response(JSON.stringify({ error: 'x', message: 'x' }), { status: answer });
    if (answer === undefined) return new Response(JSON.stringify({ error: 'photo_pending', message: 'not yet' }), { status: 404 });
    return new Response(answer, { status: 200, headers: { 'content-type': 'image/jpeg' } });
  };
  return { http: { fetch, baseUrl: 'http://server.test', token: 't', timeoutMs: 1000 }, asked };
}

describe('listThumbnailsToFetch', () => {
  it('lists live photos with a thumbnail whose preview and original are not here, one per original, oldest first', async () => {
    const db = fresh();
    await db.photos.bulkAdd([
      photo(3),
      photo(1),
      photo(2, { stopId: 's2', sha256: shaOf('photo 1'), thumbSha256: shaOf('thumb 2') }), // same bytes as p1
      photo(4, { thumbSha256: null }), // made before thumbnails synced: on demand
      photo(5, { deletedAt: '2021-12-09T00:00:00.000Z' }),
      photo(6),
      photo(7),
    ]);
    await db.photoPreviews.add({ sha256: shaOf('photo 6'), thumb: new Blob(['made here']), display: null });
    await db.photoBlobs.add({ sha256: shaOf('photo 7'), blob: new Blob(['original']), uploadState: 'confirmed' });
    expect(await listThumbnailsToFetch(db)).toEqual([
      { sha256: shaOf('photo 1'), thumbSha256: shaOf('thumb 1') },
      { sha256: shaOf('photo 3'), thumbSha256: shaOf('thumb 3') },
    ]);
  });
});

describe('fetchMissingThumbnails', () => {
  it('stores the thumbnails that match their hash and skips what is not there (yet), forbidden or wrong', async () => {
    const db = fresh();
    await db.photos.bulkAdd([photo(1), photo(2), photo(3), photo(4)]);
    const { http, asked } = serverOf({ [shaOf('thumb 1')]: 'thumb 1', [shaOf('thumb 3')]: 'not thumb 3', [shaOf('thumb 4')]: 403 });
    const result = await fetchMissingThumbnails(db, http);
    expect(result).toEqual({ fetched: 1, bytes: 7, skipped: 3, error: null });
    expect(asked.sort()).toEqual([shaOf('thumb 1'), shaOf('thumb 2'), shaOf('thumb 3'), shaOf('thumb 4')].sort());
    const stored = await db.photoPreviews.toArray();
    expect(stored.map((p) => [p.sha256, p.thumbSha256, p.display])).toEqual([[shaOf('photo 1'), shaOf('thumb 1'), null]]);
    expect(await stored[0]!.thumb.text()).toBe('thumb 1');
    expect(stored[0]!.thumb.type).toBe('image/jpeg');
    // the next round asks only for what is still missing
    const again = serverOf({ [shaOf('thumb 2')]: 'thumb 2' });
    expect(await fetchMissingThumbnails(db, again.http)).toMatchObject({ fetched: 1, skipped: 2 });
    expect(again.asked).not.toContain(shaOf('thumb 1'));
  });

  it('stops when the network goes away and reports it, without failing; a lost session is thrown', async () => {
    const db = fresh();
    await db.photos.bulkAdd([photo(1), photo(2), photo(3)]);
    const offline = serverOf({ [shaOf('thumb 1')]: new TypeError('Failed to fetch'), [shaOf('thumb 2')]: new TypeError('Failed to fetch'), [shaOf('thumb 3')]: new TypeError('Failed to fetch') });
    const result = await fetchMissingThumbnails(db, offline.http, 1);
    expect(result.fetched).toBe(0);
    expect(result.error?.kind).toBe('offline');
    expect(offline.asked).toHaveLength(1); // the first failure stops the lanes

    const signedOut = serverOf({ [shaOf('thumb 1')]: 401, [shaOf('thumb 2')]: 401, [shaOf('thumb 3')]: 401 });
    await expect(fetchMissingThumbnails(db, signedOut.http)).rejects.toMatchObject({ kind: 'signedOut' });
  });

  it('never replaces a preview stored meanwhile', async () => {
    const db = fresh();
    await db.photos.add(photo(1));
    const slow: HttpContext = {
      ...serverOf({}).http,
      fetch: async () => {
        // another tab stored a preview while this answer was on its way
        await db.photoPreviews.add({ sha256: shaOf('photo 1'), thumb: new Blob(['theirs']), display: null, thumbSha256: shaOf('thumb 1') });
        return new Response('thumb 1', { status: 200 });
      },
    };
    expect(await fetchMissingThumbnails(db, slow)).toMatchObject({ fetched: 0, skipped: 0, error: null });
    expect(await (await db.photoPreviews.get(shaOf('photo 1')))!.thumb.text()).toBe('theirs');
  });
});
