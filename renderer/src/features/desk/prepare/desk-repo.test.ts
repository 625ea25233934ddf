import { readFileSync } from 'node:fs';
import { importTemplateTable, importTourTable, readTableFile } from '@shared/import';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GuanmoDb } from '../../../db/guanmo-db';
import { listStops } from '../../../db/tours-repo';
import { createTestDb } from '../../../test-support/test-db';
import { sheetId, idSchema } from '@shared/domain/schemas';
import { addStop, createTour, newScorerId, newStopId, removeStop, newTourId, removeScorer, saveBulletinHeader, saveImportedItinerary, saveScorer, saveStopOrder, saveTemplate, updateTour } from './desk-repo';
import { changedStops, moveStopBy } from './itinerary-order';

const demo = (name: string) => {
  const rows = readTableFile(name, new Uint8Array(readFileSync(new URL(`../../../../../assets/demo/${name}`, import.meta.url))));
  if (!rows.ok) throw new Error(rows.errors[0]!.message);
  return rows.value;
};

let db: GuanmoDb;
beforeEach(() => {
  db = createTestDb();
});
afterEach(() => db.close());

describe('desk writes', () => {
  it('creates ids short enough for the sheet ids derived from them', () => {
    const tourId = newTourId();
    expect(newTourId()).not.toBe(tourId);
    const longest = sheetId(tourId, `${tourId}-stop-999999`, newScorerId());
    expect(idSchema.safeParse(longest).success).toBe(true);
  });

  it('prepares a tour from the demo tables; every write has its outbox entry; publish syncs the status only', async () => {
    const tour = await createTour(db, 'tour-x', { name: '崇川观摩', kind: 'scored', startDate: '2021-12-01', endDate: '2021-12-01' });
    const table = importTourTable(demo('tour-chongchuan-2021-scored.csv'), { tourId: tour.id });
    if (!table.ok) throw new Error('import failed');
    await saveImportedItinerary(db, tour, table.value);
    const template = importTemplateTable(demo('template-standard.csv'), { id: 'tpl', name: '评分表' });
    if (!template.ok) throw new Error('template failed');
    const withTemplate = await saveTemplate(db, (await db.tours.get(tour.id))!, template.value);
    await saveScorer(db, { id: newScorerId(), tourId: tour.id, userId: 'u1', name: '评委甲', role: 'scorer', homeUnitId: null, weightGroup: null });

    expect(await db.stops.where('tourId').equals(tour.id).count()).toBe(table.value.stops.length);
    expect(withTemplate.startDate).toBe(table.value.startDate);
    const outbox = await db.outbox.toArray();
    expect(outbox.filter((e) => e.collection === 'stops')).toHaveLength(table.value.stops.length);
    expect(outbox.filter((e) => e.collection === 'units')).toHaveLength(table.value.units.length);

    const before = await db.outbox.count();
    const published = await updateTour(db, withTemplate, { status: 'published' });
    expect(published.status).toBe('published');
    const last = await db.outbox.orderBy('seq').last();
    expect(await db.outbox.count()).toBe(before + 1);
    expect(last).toMatchObject({ collection: 'tours', recordId: tour.id, changedFields: ['status'] });
    // nothing changed: nothing written
    await updateTour(db, published, { status: 'published' });
    expect(await db.outbox.count()).toBe(before + 1);
  });

  it('saves the bulletin header over the tour as stored now, with one outbox entry naming only that field', async () => {
    const tour = await createTour(db, 'tour-b', { name: '聊城观摩', kind: 'scored', startDate: '2018-12-03', endDate: '2018-12-04' });
    // a change that arrived after the page read `tour` (e.g. results published on another laptop)
    await db.tours.put({ ...tour, status: 'results_published' });
    const header = { issuingAuthority: '聊城市重点项目观摩活动办公室', documentNumber: '聊观办〔2018〕5号', addressees: '各县（市、区）党委和人民政府', signedBy: '聊城市观摩办', issueDate: null };
    const before = await db.outbox.count();
    const saved = await saveBulletinHeader(db, tour.id, header);
    expect(saved).toMatchObject({ status: 'results_published', bulletin: header });
    expect(await db.tours.get(tour.id)).toMatchObject({ status: 'results_published', bulletin: header });
    expect(await db.outbox.count()).toBe(before + 1);
    expect(await db.outbox.orderBy('seq').last()).toMatchObject({ collection: 'tours', recordId: tour.id, changedFields: ['bulletin'] });
    // the same header again: nothing to sync
    await saveBulletinHeader(db, tour.id, { ...header });
    expect(await db.outbox.count()).toBe(before + 1);
    // an impossible date never reaches the database
    await expect(saveBulletinHeader(db, tour.id, { ...header, issueDate: '2018-02-30' })).rejects.toThrow();
    expect((await db.tours.get(tour.id))?.bulletin?.issueDate).toBeNull();
  });

  it('re-importing replaces the itinerary (removed stops become tombstones) and a reorder saves only moved stops', async () => {
    const tour = await createTour(db, 'tour-y', { name: 'Y', kind: 'scored', startDate: '2021-12-01', endDate: '2021-12-01' });
    const full = importTourTable(demo('tour-chongchuan-2021-scored.csv'), { tourId: tour.id });
    if (!full.ok) throw new Error('import failed');
    await saveImportedItinerary(db, tour, full.value);
    const fewer = { ...full.value, stops: full.value.stops.slice(0, 3) };
    await saveImportedItinerary(db, (await db.tours.get(tour.id))!, fewer);
    expect((await listStops(db, tour.id)).map((s) => s.id)).toEqual(fewer.stops.map((s) => s.id));
    const tombstones = (await db.outbox.toArray()).filter((e) => e.deleted && e.collection === 'stops');
    expect(tombstones).toHaveLength(full.value.stops.length - 3);

    const stops = await listStops(db, tour.id);
    const moved = moveStopBy(stops, stops[1]!.id, 'up')!;
    const seqBefore = await db.outbox.count();
    await saveStopOrder(db, changedStops(stops, moved));
    expect(await db.outbox.count()).toBe(seqBefore + 2);
    expect((await listStops(db, tour.id)).map((s) => s.id)).toEqual([stops[1]!.id, stops[0]!.id, stops[2]!.id]);

    expect(await removeScorer(db, 'nobody')).toBe(false);

    // a stop with a sheet is never dropped by a re-import: all or nothing
    const scoredStop = stops[2]!;
    await db.sheets.put({ id: sheetId(tour.id, scoredStop.id, 'sc-1'), tourId: tour.id, stopId: scoredStop.id, scorerId: 'sc-1', scores: {}, status: 'draft', comment: '', submittedAt: null, updatedAt: '2021-12-08T00:00:00.000Z' });
    const outboxBefore = await db.outbox.count();
    await expect(saveImportedItinerary(db, (await db.tours.get(tour.id))!, { ...full.value, stops: full.value.stops.slice(0, 2) })).rejects.toThrow(
      `新表中没有这些项目，但它们已有评分表，不能删除：${scoredStop.name}`,
    );
    expect(await db.outbox.count()).toBe(outboxBefore);
    expect(await db.stops.where('tourId').equals(tour.id).count()).toBe(3);
  });

  it('adds a stop by hand as the last of its day, and deletes one renumbering the day', async () => {
    const tour = await createTour(db, newTourId(), { name: 'Z', kind: 'scored', startDate: '2021-12-08', endDate: '2021-12-08' });
    const table = importTourTable(demo('tour-chongchuan-2021-scored.csv'), { tourId: tour.id });
    if (!table.ok) throw new Error('import failed');
    await saveImportedItinerary(db, tour, table.value);
    const base = { ...table.value.stops[0]!, name: '手动点位' };
    const { order: _order, ...withoutOrder } = base;
    const added = await addStop(db, { ...withoutOrder, id: newStopId(tour.id) });
    expect(added.order).toBe(table.value.stops.filter((s) => s.day === base.day).length + 1);
    expect(idSchema.safeParse(sheetId(tour.id, added.id, newScorerId())).success).toBe(true);

    const first = (await listStops(db, tour.id))[0]!;
    await removeStop(db, first);
    const after = await listStops(db, tour.id);
    expect(after.map((s) => s.order)).toEqual(after.map((_, i) => i + 1));
    expect(after.at(-1)!.name).toBe('手动点位');

    await db.sheets.put({ id: sheetId(tour.id, added.id, 'sc-1'), tourId: tour.id, stopId: added.id, scorerId: 'sc-1', scores: {}, status: 'draft', comment: '', submittedAt: null, updatedAt: '2021-12-08T00:00:00.000Z' });
    await expect(removeStop(db, (await db.stops.get(added.id))!)).rejects.toThrow('「手动点位」已有评分表，不能删除');
  });

  it('an imported table with coordinates declares its coordinate system on the tour; one without leaves it', async () => {
    const tour = await createTour(db, 'tour-gcj', { name: '崇川观摩', kind: 'scored', startDate: '2021-12-01', endDate: '2021-12-01' });
    const table = importTourTable(demo('tour-chongchuan-2021-scored.csv'), { tourId: tour.id, coordSystem: 'gcj02' });
    if (!table.ok) throw new Error('import failed');
    await saveImportedItinerary(db, tour, table.value);
    expect((await db.tours.get(tour.id))?.coordSystem).toBe('gcj02');
    const tourEntry = (await db.outbox.toArray()).filter((e) => e.collection === 'tours').at(-1);
    expect(tourEntry?.changedFields).toContain('coordSystem');

    const plain = await createTour(db, 'tour-plain', { name: '无坐标', kind: 'scored', startDate: '2021-12-01', endDate: '2021-12-01' });
    const plainTable = importTourTable(demo('tour-chongchuan-2021-scored.csv'), { tourId: plain.id, coordSystem: 'gcj02' });
    if (!plainTable.ok) throw new Error('import failed');
    await saveImportedItinerary(db, plain, { ...plainTable.value, stops: plainTable.value.stops.map((s) => ({ ...s, lat: null, lng: null })) });
    expect((await db.tours.get(plain.id))?.coordSystem).toBeUndefined();
  });
});
