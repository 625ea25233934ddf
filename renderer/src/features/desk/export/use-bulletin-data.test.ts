// node environment on purpose: Blobs survive fake-indexeddb here, not under happy-dom
import type { PhotoMeta } from '@shared/domain/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import type { GuanmoDb } from '../../../db/guanmo-db';
import { downloadPhotoBytes } from '../../../sync/use-photo-bytes';
import { saveSession } from '../../../sync/session-store';
import { createTestDb } from '../../../test-support/test-db';
import { coversToFetch, fetchCoverOriginals, loadBulletinMedia, type DownloadOriginal } from './use-bulletin-data';

const opened: GuanmoDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function fresh(): GuanmoDb {
  const db = createTestDb();
  opened.push(db);
  return db;
}

const sha = (c: string) => c.repeat(64);

const photo = (stopId: string, sha256: string): PhotoMeta => ({
  id: `photo-${stopId}`,
  tourId: 't1',
  stopId,
  authorId: 'u',
  sha256,
  size: 3,
  mime: 'image/jpeg',
  width: 4000,
  height: 3000,
  takenAt: null,
  lat: null,
  lng: null,
  caption: '',
  isCover: true,
  createdAt: '2021-12-08T10:00:00.000Z',
  deletedAt: null,
});

const image = (label: string) => new Blob([label], { type: 'image/jpeg' });

async function text(blob: Blob | undefined): Promise<string | undefined> {
  return blob ? blob.text() : undefined;
}

/**
 * P1: original here (the author's laptop, or downloaded), plus previews;
 * P2: display copy and thumbnail only; P3: thumbnail only (a photo of another user, pulled).
 */
async function seed(db: GuanmoDb): Promise<void> {
  await db.photos.bulkPut([photo('P1', sha('a')), photo('P2', sha('b')), photo('P3', sha('c'))]);
  await db.photoBlobs.put({ sha256: sha('a'), blob: image('original a'), uploadState: 'confirmed' });
  await db.photoPreviews.bulkPut([
    { sha256: sha('a'), thumb: image('thumb a'), display: image('display a') },
    { sha256: sha('b'), thumb: image('thumb b'), display: image('display b') },
    { sha256: sha('c'), thumb: image('thumb c'), display: null },
  ]);
}

describe('bulletin cover images (print the best image there is)', () => {
  it('takes the original, else the display copy, and the thumbnail only as a last resort', async () => {
    const db = fresh();
    await seed(db);
    const media = await loadBulletinMedia(db, 't1');
    expect(await text(media.coverBlobs.get('P1'))).toBe('original a');
    expect(await text(media.coverBlobs.get('P2'))).toBe('display b');
    expect(await text(media.coverBlobs.get('P3'))).toBe('thumb c');
    expect(Object.fromEntries(media.coverQuality)).toEqual({ P1: 'original', P2: 'display', P3: 'thumb' });
    // only the thumbnail-only cover is worth downloading
    expect([...coversToFetch(media)]).toEqual([[sha('c'), ['P3']]]);
  });

  it('downloads the missing original from the server, after which the cover prints from it', async () => {
    const db = fresh();
    await seed(db);
    await saveSession(db, 'http://guanmo.test', {
      token: 'token-1',
      expiresAt: '2099-01-01T00:00:00.000Z',
      user: { id: 'u1', username: 'mishu', displayName: '秘书处', role: 'secretariat' },
    } as Parameters<typeof saveSession>[2]);
    const requested: string[] = [];
    const server: typeof fetch = async (input, init) => {
      requested.push(`${String(input)} ${new Headers(init?.headers).get('authorization')}`);
      return new Response('original c', { status: 200, headers: { 'content-type': 'image/jpeg' } });
    };
    const settled: string[] = [];
    const before = await loadBulletinMedia(db, 't1');
    await fetchCoverOriginals(db, [...coversToFetch(before).keys()], (s) => settled.push(s), (d, s) => downloadPhotoBytes(d, s, server));
    expect(requested).toEqual([`http://guanmo.test/api/blobs/${sha('c')} Bearer token-1`]);
    expect(settled).toEqual([sha('c')]);
    const after = await loadBulletinMedia(db, 't1');
    expect(await text(after.coverBlobs.get('P3'))).toBe('original c');
    expect(after.coverQuality.get('P3')).toBe('original');
    expect(coversToFetch(after).size).toBe(0);
  });

  it('keeps the thumbnail (marked) when the original cannot be had, and settles every download', async () => {
    const db = fresh();
    await seed(db);
    await db.photos.put(photo('P4', sha('d')));
    await db.photoPreviews.put({ sha256: sha('d'), thumb: image('thumb d'), display: null });
    const failing: DownloadOriginal = async (_db, s) => {
      if (s === sha('c')) throw new Error('network down');
      return 'offline';
    };
    const settled: string[] = [];
    await fetchCoverOriginals(db, [sha('c'), sha('d')], (s) => settled.push(s), failing);
    expect(settled.sort()).toEqual([sha('c'), sha('d')]);
    const media = await loadBulletinMedia(db, 't1');
    expect(media.coverQuality.get('P3')).toBe('thumb');
    expect(media.coverQuality.get('P4')).toBe('thumb');
    expect(await text(media.coverBlobs.get('P4'))).toBe('thumb d');
  });

  it('a cover with no image at all has no blob and nothing to print', async () => {
    const db = fresh();
    await db.photos.put(photo('P5', sha('e')));
    const media = await loadBulletinMedia(db, 't1');
    expect(media.covers.get('P5')?.sha256).toBe(sha('e'));
    expect(media.coverBlobs.has('P5')).toBe(false);
    expect([...coversToFetch(media).keys()]).toEqual([sha('e')]);
  });
});
