import { tourSchema } from '@shared/domain/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncRecordsTable, syncRejectionsTable } from '../sync/sync-tables';
import { createTestDb } from '../test-support/test-db';
import { shaOfText, testPhotoMeta } from '../test-support/photo-records';
import { setCurrentUser } from './current-user-repo';
import { demoTourIds } from './demo-ids';
import { hasDemoLeftovers, removeDemoLeftovers } from './demo-leftovers';
import { loadDemoTours } from './demo-source';
import type { GuanmoDb } from './guanmo-db';
import { getMeta } from './meta-repo';
import { addNote } from './notes-repo';
import { seedDemo } from './seed-demo';

const scored = 'demo-chongchuan-2021';
const study = 'demo-shanting-2021';

let db: GuanmoDb;
beforeEach(async () => {
  db = createTestDb();
  await seedDemo(db, loadDemoTours);
});
afterEach(() => db.close());

/** Every record of a tour, per table (what must go, or stay, together). */
async function recordsOf(tourId: string) {
  return {
    tour: (await db.tours.get(tourId)) ? 1 : 0,
    units: await db.units.where('tourId').equals(tourId).count(),
    stops: await db.stops.where('tourId').equals(tourId).count(),
    scorers: await db.scorers.where('tourId').equals(tourId).count(),
    notes: await db.notes.where('tourId').equals(tourId).count(),
    photos: await db.photos.where('tourId').equals(tourId).count(),
    serverCopies: await syncRecordsTable(db).where('tourId').equals(tourId).count(),
  };
}

const nothing = { tour: 0, units: 0, stops: 0, scorers: 0, notes: 0, photos: 0, serverCopies: 0 };

async function firstStopOf(tourId: string) {
  return (await db.stops.where('tourId').equals(tourId).first())!;
}

/** A photo of the tour's first stop whose record is synced (no outbox entry), with bytes in `state`. */
async function syncedPhoto(tourId: string, n: number, state: 'pending' | 'confirmed') {
  const stop = await firstStopOf(tourId);
  const photo = testPhotoMeta(n, { id: `${tourId}-photo-${n}`, tourId, stopId: stop.id, authorId: 'demo-user-scorer1' });
  await db.photos.put(photo);
  await db.photoBlobs.put({ sha256: photo.sha256, blob: new Blob(['bytes']), uploadState: state });
  await db.photoPreviews.put({ sha256: photo.sha256, thumb: new Blob(['t']), display: null });
  return photo;
}

describe('clearing demo leftovers on a real server', () => {
  it('removes the demo tours with every record of theirs, keeps real tours, and reports it once', async () => {
    const real = tourSchema.parse({ id: 'real-2024', name: '市重点项目观摩', kind: 'scored', startDate: '2024-05-06', endDate: '2024-05-07' });
    await db.tours.put(real);
    // pulled from a demo server once: the server's copies, and a photo whose bytes the server holds
    const stop = await firstStopOf(scored);
    await syncRecordsTable(db).put({ collection: 'stops', id: stop.id, tourId: scored, data: { ...stop }, versions: {}, deleted: false });
    const photo = await syncedPhoto(scored, 1, 'confirmed');
    expect(await recordsOf(scored)).toMatchObject({ tour: 1, photos: 1, serverCopies: 1 });
    expect(await hasDemoLeftovers(db)).toBe(true);

    const result = await removeDemoLeftovers(db, demoTourIds, new Date('2024-05-01T08:00:00Z'));

    expect(result.removedTours.map((t) => t.id).sort()).toEqual([scored, study]);
    expect(result.keptTours).toEqual([]);
    expect(await recordsOf(scored)).toEqual(nothing);
    expect(await recordsOf(study)).toEqual(nothing);
    expect(await db.photoBlobs.get(photo.sha256)).toBeUndefined();
    expect(await db.photoPreviews.get(photo.sha256)).toBeUndefined();
    expect(await db.tours.get(real.id)).toEqual(real);
    expect(await hasDemoLeftovers(db)).toBe(false);
    expect(await getMeta(db, 'demoCleanup')).toEqual({
      at: '2024-05-01T08:00:00.000Z',
      removedTours: [
        { id: scored, name: '崇川区2021年重点项目现场观摩评议' },
        { id: study, name: '山亭区2021年赴日照潍坊济宁考察学习' },
      ],
      keptTours: [],
      isAcknowledged: false,
    });
    // a second pass finds nothing and writes no second notice
    await db.meta.put({ key: 'demoCleanup', value: { ...(await getMeta(db, 'demoCleanup'))!, isAcknowledged: true } });
    expect(await removeDemoLeftovers(db)).toEqual({ removedTours: [], keptTours: [], isCurrentUserCleared: false });
    expect((await getMeta(db, 'demoCleanup'))?.isAcknowledged).toBe(true);
  });

  it('keeps a demo tour holding unsynced work whole, and never touches the outbox', async () => {
    const stop = await firstStopOf(scored);
    await addNote(db, { tourId: scored, stopId: stop.id, userId: 'demo-user-scorer1', kind: 'highlight', text: '厂房主体已封顶' });
    const outboxBefore = await db.outbox.toArray();
    expect(outboxBefore).toHaveLength(1);
    const before = await recordsOf(scored);

    const result = await removeDemoLeftovers(db);

    expect(result.keptTours).toEqual([{ id: scored, name: '崇川区2021年重点项目现场观摩评议', pendingChanges: 1 }]);
    expect(result.removedTours.map((t) => t.id)).toEqual([study]);
    expect(await recordsOf(scored)).toEqual(before);
    expect(await recordsOf(study)).toEqual(nothing);
    expect(await db.outbox.toArray()).toEqual(outboxBefore);
    expect((await getMeta(db, 'demoCleanup'))?.keptTours).toEqual(result.keptTours);
  });

  it('keeps a demo tour whose photo bytes were never uploaded', async () => {
    const photo = await syncedPhoto(scored, 2, 'pending');
    const result = await removeDemoLeftovers(db);
    expect(result.keptTours).toEqual([{ id: scored, name: '崇川区2021年重点项目现场观摩评议', pendingChanges: 1 }]);
    expect(await db.photoBlobs.get(photo.sha256)).toMatchObject({ uploadState: 'pending' });
    expect(await recordsOf(scored)).toMatchObject({ tour: 1, photos: 1 });
  });

  it('keeps a demo tour whose deleted record still has its tombstone to push (known from the server copy)', async () => {
    await syncRecordsTable(db).put({ collection: 'notes', id: 'gone-note', tourId: scored, data: {}, versions: {}, deleted: false });
    await db.outbox.add({ mutationId: 'm-tomb', collection: 'notes', recordId: 'gone-note', changedFields: ['deleted'], hlc: null, createdAt: '2021-12-08T00:00:00.000Z', deleted: true } as never);
    const result = await removeDemoLeftovers(db);
    expect(result.keptTours.map((t) => t.id)).toEqual([scored]);
    expect(await db.outbox.count()).toBe(1);
  });

  it('keeps a demo tour with a change the server refused (the user has not decided about it yet)', async () => {
    await syncRejectionsTable(db).put({
      mutationId: 'r1',
      collection: 'notes',
      recordId: 'n1',
      tourId: study,
      mutation: { id: 'r1', collection: 'notes', recordId: 'n1', tourId: study, op: 'upsert', fields: { text: 'x' }, hlc: '2021-12-08T00:00:00.000Z-0000-x' },
      code: 'forbidden',
      reason: 'no',
      rejectedAt: '2021-12-08T01:00:00.000Z',
    });
    const result = await removeDemoLeftovers(db);
    expect(result.keptTours.map((t) => t.id)).toEqual([study]);
    expect(result.removedTours.map((t) => t.id)).toEqual([scored]);
  });

  it('keeps photo bytes another tour still shows', async () => {
    const photo = await syncedPhoto(scored, 3, 'confirmed');
    await db.tours.put(tourSchema.parse({ id: 'real', name: '真实活动', kind: 'study', startDate: '2024-05-06', endDate: '2024-05-06' }));
    await db.photos.put({ ...photo, id: 'real-photo', tourId: 'real', stopId: 'real-stop' });
    await removeDemoLeftovers(db);
    expect(await db.photoBlobs.get(photo.sha256)).toBeDefined();
    expect(await db.photoPreviews.get(photo.sha256)).toBeDefined();
    expect(shaOfText('photo 3')).toBe(photo.sha256);
  });

  it('signs out a demo person picked from the list, never an account that signed in', async () => {
    await setCurrentUser(db, { userId: 'demo-user-scorer2', name: '评委乙' });
    expect((await removeDemoLeftovers(db)).isCurrentUserCleared).toBe(true);
    expect(await getMeta(db, 'currentUser')).toBeNull();

    await setCurrentUser(db, { userId: 'u-zhang', name: '张三' }, 'signIn');
    expect((await removeDemoLeftovers(db)).isCurrentUserCleared).toBe(false);
    expect(await getMeta(db, 'currentUser')).toMatchObject({ userId: 'u-zhang' });
  });

  it('forgets that the demo was seeded, so a demo server later seeds it again', async () => {
    await removeDemoLeftovers(db);
    expect(await getMeta(db, 'demoSeedVersion')).toBeUndefined();
    expect(await seedDemo(db, loadDemoTours)).toBe('seeded');
    expect(await db.tours.count()).toBe(2);
  });
});
