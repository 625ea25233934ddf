// node environment on purpose: Blobs survive fake-indexeddb here, not under happy-dom
import type { DBCore, DBCoreMutateRequest } from 'dexie';
import type { PhotoMeta } from '@shared/domain/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../test-support/test-db';
import type { GuanmoDb } from './guanmo-db';
import {
  addPhoto,
  deletePhoto,
  getOriginal,
  getPhoto,
  getPreviews,
  listPendingBytes,
  listStopPhotos,
  listTourPhotos,
  markBytesConfirmed,
  setCaption,
  setCover,
  type NewPhoto,
} from './photos-repo';

const opened: GuanmoDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

/** A database whose `failOn` table throws on its first write (after the others in the transaction were written). */
function fresh(failOn?: { table: string; error: () => Error }): GuanmoDb {
  const db = createTestDb();
  opened.push(db);
  if (failOn) {
    db.use({
      stack: 'dbcore',
      name: 'inject-failure',
      create: (down: DBCore): DBCore => ({
        ...down,
        table(name) {
          const table = down.table(name);
          if (name !== failOn.table) return table;
          return {
            ...table,
            mutate: (req: DBCoreMutateRequest) => (req.type === 'add' || req.type === 'put' ? Promise.reject(failOn.error()) : table.mutate(req)),
          };
        },
      }),
    });
  }
  return db;
}

const sha = (c: string) => c.repeat(64);

function newPhoto(over: Partial<NewPhoto> & { bytes?: string } = {}): NewPhoto {
  const { bytes = 'jpeg bytes of photo a', ...rest } = over;
  const original = new Blob([bytes], { type: 'image/jpeg' });
  return {
    tourId: 't1',
    stopId: 's1',
    authorId: 'u1',
    sha256: sha('a'),
    size: original.size,
    mime: 'image/jpeg',
    width: 4000,
    height: 3000,
    takenAt: '2021-12-08T02:10:00.000Z',
    lat: 32.02751,
    lng: 120.87891,
    original,
    thumb: new Blob(['thumb'], { type: 'image/jpeg' }),
    display: new Blob(['display'], { type: 'image/jpeg' }),
    ...rest,
  };
}

async function snapshot(db: GuanmoDb) {
  return {
    photos: await db.photos.toArray(),
    blobs: await db.photoBlobs.toCollection().primaryKeys(),
    previews: await db.photoPreviews.toCollection().primaryKeys(),
    outbox: await db.outbox.toArray(),
  };
}

describe('addPhoto', () => {
  it('writes the record with its outbox entry, the bytes and the previews', async () => {
    const db = fresh();
    const result = await addPhoto(db, newPhoto({ id: 'p1', caption: '  主厂房 ' }), new Date('2021-12-08T03:00:00Z'));
    expect(result.status).toBe('added');
    expect(await getPhoto(db, 'p1')).toEqual({
      id: 'p1',
      tourId: 't1',
      stopId: 's1',
      authorId: 'u1',
      sha256: sha('a'),
      size: 21,
      mime: 'image/jpeg',
      width: 4000,
      height: 3000,
      takenAt: '2021-12-08T02:10:00.000Z',
      lat: 32.02751,
      lng: 120.87891,
      caption: '  主厂房 ',
      isCover: false,
      createdAt: '2021-12-08T03:00:00.000Z',
      deletedAt: null,
    });
    const blob = await getOriginal(db, sha('a'));
    expect(blob?.uploadState).toBe('pending');
    expect(await blob?.blob.text()).toBe('jpeg bytes of photo a');
    const previews = await getPreviews(db, [sha('a'), sha('a'), sha('f')]);
    expect([...previews.keys()]).toEqual([sha('a')]);
    expect(await previews.get(sha('a'))?.thumb.text()).toBe('thumb');
    const [entry, ...more] = await db.outbox.toArray();
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ collection: 'photos', recordId: 'p1' });
    expect(entry?.changedFields).toEqual(expect.arrayContaining(['sha256', 'stopId', 'caption', 'takenAt', 'lat', 'lng', 'isCover', 'deletedAt']));
    expect(await listPendingBytes(db)).toEqual([sha('a')]);
  });

  it('stores the same bytes once, on any number of stops', async () => {
    const db = fresh();
    await addPhoto(db, newPhoto({ id: 'p1', stopId: 's1' }));
    await addPhoto(db, newPhoto({ id: 'p2', stopId: 's2' }));
    expect((await db.photos.toArray()).map((p) => [p.id, p.sha256])).toEqual([
      ['p1', sha('a')],
      ['p2', sha('a')],
    ]);
    expect(await db.photoBlobs.count()).toBe(1);
    expect(await db.photoPreviews.count()).toBe(1);
  });

  it('does not add the same photo twice to one stop, and writes nothing for it', async () => {
    const db = fresh();
    await addPhoto(db, newPhoto({ id: 'p1' }));
    const before = await snapshot(db);
    const again = await addPhoto(db, newPhoto({ id: 'p2' }));
    expect(again).toMatchObject({ status: 'duplicate', photo: { id: 'p1' } });
    expect(await snapshot(db)).toEqual(before);
  });

  it('refuses an invalid record or wrong size before writing anything', async () => {
    const db = fresh();
    await expect(addPhoto(db, newPhoto({ sha256: 'not-a-hash' }))).rejects.toThrow();
    await expect(addPhoto(db, newPhoto({ mime: 'image/heic' as 'image/jpeg' }))).rejects.toThrow();
    await expect(addPhoto(db, newPhoto({ size: 5 }))).rejects.toThrow(/bytes given/);
    expect(await snapshot(db)).toEqual({ photos: [], blobs: [], previews: [], outbox: [] });
  });

  it.each(['outbox', 'photos', 'photoPreviews'])('writes nothing of the photo when writing %s fails mid-transaction', async (table) => {
    const db = fresh({ table, error: () => new Error('disk failed') });
    await expect(addPhoto(db, newPhoto())).rejects.toThrow('disk failed');
    expect(await snapshot(db)).toEqual({ photos: [], blobs: [], previews: [], outbox: [] });
  });
});

describe('quota hit in the middle of an import', () => {
  it('keeps the photos saved before and writes nothing of the one that failed', async () => {
    let writesLeft = 2;
    const db = createTestDb();
    opened.push(db);
    db.use({
      stack: 'dbcore',
      name: 'fill-the-disk',
      create: (down: DBCore): DBCore => ({
        ...down,
        table(name) {
          const table = down.table(name);
          if (name !== 'photoBlobs') return table;
          return {
            ...table,
            mutate: (req: DBCoreMutateRequest) => {
              if (req.type !== 'add') return table.mutate(req);
              if (writesLeft === 0) return Promise.reject(new DOMException('Quota exceeded', 'QuotaExceededError'));
              writesLeft -= 1;
              return table.mutate(req);
            },
          };
        },
      }),
    });
    await addPhoto(db, newPhoto({ id: 'p1', sha256: sha('1'), bytes: 'one' }));
    await addPhoto(db, newPhoto({ id: 'p2', sha256: sha('2'), bytes: 'two' }));
    const before = await snapshot(db);
    await expect(addPhoto(db, newPhoto({ id: 'p3', sha256: sha('3'), bytes: 'three' }))).rejects.toMatchObject({ name: 'QuotaExceededError' });
    expect(await snapshot(db)).toEqual(before);
    expect(before.photos.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(before.blobs).toEqual([sha('1'), sha('2')]);
    // a photo whose bytes are already stored needs no new space for them and still imports
    expect((await addPhoto(db, newPhoto({ id: 'p4', stopId: 's2', sha256: sha('1'), bytes: 'one' }))).status).toBe('added');
  });
});

describe('listing', () => {
  it('lists live photos of a stop (and of a tour) by time taken, then time added', async () => {
    const db = fresh();
    await addPhoto(db, newPhoto({ id: 'late', sha256: sha('1'), takenAt: '2021-12-08T05:00:00.000Z' }), new Date('2021-12-08T01:00:00Z'));
    await addPhoto(db, newPhoto({ id: 'early', sha256: sha('2'), takenAt: '2021-12-08T01:00:00.000Z' }), new Date('2021-12-08T06:00:00Z'));
    // no EXIF time: sorted by when it was added
    await addPhoto(db, newPhoto({ id: 'undated', sha256: sha('3'), takenAt: null }), new Date('2021-12-08T03:00:00Z'));
    await addPhoto(db, newPhoto({ id: 'other-stop', stopId: 's2', sha256: sha('4') }));
    await addPhoto(db, newPhoto({ id: 'other-tour', tourId: 't2', stopId: 's9', sha256: sha('5') }));
    await deletePhoto(db, 'other-stop');
    expect((await listStopPhotos(db, 's1')).map((p) => p.id)).toEqual(['early', 'undated', 'late']);
    expect((await listTourPhotos(db, 't1')).map((p) => p.id)).toEqual(['early', 'undated', 'late']);
  });
});

describe('records written before deletedAt existed', () => {
  it('counts a photo without the field as live', async () => {
    const db = fresh();
    await addPhoto(db, newPhoto({ id: 'old' }));
    const { deletedAt: _omitted, ...withoutField } = (await db.photos.get('old'))!;
    await db.photos.put(withoutField as PhotoMeta);
    expect((await listStopPhotos(db, 's1')).map((p) => p.id)).toEqual(['old']);
    expect(await getPhoto(db, 'old')).not.toBeNull();
    expect(await deletePhoto(db, 'old')).toBe(true);
    expect(await listStopPhotos(db, 's1')).toEqual([]);
  });
});

describe('caption and cover', () => {
  it('saves a caption with an outbox entry for that field', async () => {
    const db = fresh();
    await addPhoto(db, newPhoto({ id: 'p1' }));
    expect((await setCaption(db, 'p1', ' 1号厂房主体完工 ')).caption).toBe('1号厂房主体完工');
    const last = await db.outbox.orderBy('seq').last();
    expect(last).toMatchObject({ recordId: 'p1', changedFields: ['caption'] });
    await expect(setCaption(db, 'p1', 'x'.repeat(501))).rejects.toThrow();
    expect((await getPhoto(db, 'p1'))?.caption).toBe('1号厂房主体完工');
  });

  it('keeps one cover per stop', async () => {
    const db = fresh();
    await addPhoto(db, newPhoto({ id: 'p1', sha256: sha('1') }));
    await addPhoto(db, newPhoto({ id: 'p2', sha256: sha('2') }));
    await addPhoto(db, newPhoto({ id: 'q1', stopId: 's2', sha256: sha('3') }));
    await setCover(db, 'p1');
    await setCover(db, 'q1');
    const seqBefore = (await db.outbox.count()) + 1;
    await setCover(db, 'p2');
    const covers = async () => (await db.photos.filter((p) => p.isCover).toArray()).map((p) => p.id).sort();
    expect(await covers()).toEqual(['p2', 'q1']);
    const entries = await db.outbox.where('seq').aboveOrEqual(seqBefore).toArray();
    expect(entries.map((e) => [e.recordId, e.changedFields])).toEqual([
      ['p1', ['isCover']],
      ['p2', ['isCover']],
    ]);
    // setting the cover again changes nothing
    const count = await db.outbox.count();
    await setCover(db, 'p2');
    expect(await db.outbox.count()).toBe(count);
    await setCover(db, 'p2', false);
    expect(await covers()).toEqual(['q1']);
  });
});

describe('deletePhoto', () => {
  it('leaves a tombstone with its outbox entry and hides the photo', async () => {
    const db = fresh();
    await addPhoto(db, newPhoto({ id: 'p1' }));
    await setCover(db, 'p1');
    expect(await deletePhoto(db, 'p1', new Date('2021-12-08T08:00:00Z'))).toBe(true);
    expect(await db.photos.get('p1')).toMatchObject({ deletedAt: '2021-12-08T08:00:00.000Z', isCover: false });
    expect(await getPhoto(db, 'p1')).toBeNull();
    expect(await listStopPhotos(db, 's1')).toEqual([]);
    expect(await db.outbox.orderBy('seq').last()).toMatchObject({ recordId: 'p1', changedFields: ['deletedAt', 'isCover'] });
    expect(await deletePhoto(db, 'p1')).toBe(false);
    expect(await deletePhoto(db, 'never')).toBe(false);
    await expect(setCaption(db, 'p1', 'late edit')).rejects.toThrow(/no photo/);
  });

  it('keeps bytes the server has not confirmed, and removes them once it has', async () => {
    const db = fresh();
    await addPhoto(db, newPhoto({ id: 'p1' }));
    await deletePhoto(db, 'p1');
    expect(await db.photoPreviews.count()).toBe(0);
    expect((await getOriginal(db, sha('a')))?.uploadState).toBe('pending');
    expect(await listPendingBytes(db)).toEqual([sha('a')]);
    await markBytesConfirmed(db, sha('a'));
    expect(await getOriginal(db, sha('a'))).toBeNull();
  });

  it('removes confirmed bytes with the last photo that uses them, not before', async () => {
    const db = fresh();
    await addPhoto(db, newPhoto({ id: 'p1', stopId: 's1' }));
    await addPhoto(db, newPhoto({ id: 'p2', stopId: 's2' }));
    await markBytesConfirmed(db, sha('a'));
    expect((await getOriginal(db, sha('a')))?.uploadState).toBe('confirmed');
    await deletePhoto(db, 'p1');
    expect(await getOriginal(db, sha('a'))).not.toBeNull();
    expect(await db.photoPreviews.count()).toBe(1);
    await deletePhoto(db, 'p2');
    expect(await getOriginal(db, sha('a'))).toBeNull();
    expect(await db.photoPreviews.count()).toBe(0);
    expect(await listPendingBytes(db)).toEqual([]);
  });

  it('lets a deleted photo be added again, reusing bytes still stored', async () => {
    const db = fresh();
    await addPhoto(db, newPhoto({ id: 'p1' }));
    await deletePhoto(db, 'p1');
    const again = await addPhoto(db, newPhoto({ id: 'p1b' }));
    expect(again.status).toBe('added');
    expect(await db.photoBlobs.count()).toBe(1);
    expect(await db.photoPreviews.count()).toBe(1);
    expect((await listStopPhotos(db, 's1')).map((p) => p.id)).toEqual(['p1b']);
  });

  it('rolls the whole delete back when a write fails', async () => {
    const db = fresh({ table: 'outbox', error: () => new Error('disk failed') });
    // seed through the table directly: the outbox of this database refuses writes
    const seeded = fresh();
    await addPhoto(seeded, newPhoto({ id: 'p1' }));
    await db.photos.bulkPut(await seeded.photos.toArray());
    await db.photoBlobs.bulkPut(await seeded.photoBlobs.toArray());
    await db.photoPreviews.bulkPut(await seeded.photoPreviews.toArray());
    const before = await snapshot(db);
    await expect(deletePhoto(db, 'p1')).rejects.toThrow('disk failed');
    expect(await snapshot(db)).toEqual(before);
  });
});

describe('addPhoto and synced thumbnails (thumbSha256)', () => {
  it('records the hash of the thumbnail it stores; a photo of the same bytes elsewhere names the stored thumbnail', async () => {
    const db = fresh();
    await addPhoto(db, newPhoto({ id: 'p1', thumbSha256: sha('1') }));
    expect((await getPhoto(db, 'p1'))?.thumbSha256).toBe(sha('1'));
    expect((await db.photoPreviews.get(sha('a')))?.thumbSha256).toBe(sha('1'));

    // the same bytes imported again at another stop made a new thumbnail (another hash): the
    // one stored (and uploaded) is the thumbnail of both records
    await addPhoto(db, newPhoto({ id: 'p2', stopId: 's2', thumbSha256: sha('2'), thumb: new Blob(['another thumb']) }));
    expect((await getPhoto(db, 'p2'))?.thumbSha256).toBe(sha('1'));
    expect(await (await db.photoPreviews.get(sha('a')))!.thumb.text()).toBe('thumb');
  });

  it('a preview stored before thumbnails synced gives the new record no thumbnail (fetched full size on demand)', async () => {
    const db = fresh();
    await db.photoPreviews.add({ sha256: sha('a'), thumb: new Blob(['old thumb']), display: null });
    await addPhoto(db, newPhoto({ id: 'p1', thumbSha256: sha('1') }));
    expect((await getPhoto(db, 'p1'))?.thumbSha256).toBeNull();
  });
});
