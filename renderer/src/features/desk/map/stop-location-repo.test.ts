import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GuanmoDb } from '../../../db/guanmo-db';
import { createTestDb } from '../../../test-support/test-db';
import { addStop, createTour } from '../prepare/desk-repo';
import { saveStopLocation } from './stop-location-repo';

let db: GuanmoDb;
beforeEach(() => {
  db = createTestDb();
});
afterEach(() => db.close());

async function aStop() {
  const tour = await createTour(db, 'tour-map', { name: '聊城观摩', kind: 'study', startDate: '2024-05-10', endDate: '2024-05-10' });
  return addStop(db, {
    id: 'tour-map-stop-1',
    tourId: tour.id,
    unitId: 'tour-map-unit-1',
    day: '2024-05-10',
    name: '鲁西化工新材料',
    category: '工业',
    totalInvestment: null,
    completedInvestment: null,
    startDate: null,
    content: '',
    lat: null,
    lng: null,
    address: '',
    briefer: '',
  });
}

describe('saveStopLocation', () => {
  it('writes lat and lng only, rounded to 7 decimals, with an outbox entry naming just them', async () => {
    const stop = await aStop();
    const before = await db.outbox.count();
    const saved = await saveStopLocation(db, stop.id, { lat: 36.45712345678, lng: 115.98512345678 });
    expect(saved).toMatchObject({ lat: 36.4571235, lng: 115.9851235, name: stop.name, order: stop.order });
    expect(await db.stops.get(stop.id)).toEqual(saved);
    const entries = await db.outbox.orderBy('seq').toArray();
    expect(entries).toHaveLength(before + 1);
    expect(entries.at(-1)).toMatchObject({ collection: 'stops', recordId: stop.id, changedFields: ['lat', 'lng'] });
  });

  it('keeps a field changed meanwhile (it writes over the stop as stored now)', async () => {
    const stop = await aStop();
    await db.stops.update(stop.id, { order: 7, name: '鲁西化工（改名）' });
    const saved = await saveStopLocation(db, stop.id, { lat: 36.4, lng: 115.9 });
    expect(saved).toMatchObject({ order: 7, name: '鲁西化工（改名）', lat: 36.4, lng: 115.9 });
  });

  it('clears the location with null; an unchanged place writes nothing', async () => {
    const stop = await aStop();
    await saveStopLocation(db, stop.id, { lat: 36.4, lng: 115.9 });
    const count = await db.outbox.count();
    await saveStopLocation(db, stop.id, { lat: 36.40000001, lng: 115.9 });
    expect(await db.outbox.count()).toBe(count);
    const cleared = await saveStopLocation(db, stop.id, null);
    expect(cleared).toMatchObject({ lat: null, lng: null });
    expect(await db.outbox.count()).toBe(count + 1);
  });

  it('refuses a stop that is not on this device, writing nothing', async () => {
    await expect(saveStopLocation(db, 'no-such-stop', { lat: 36.4, lng: 115.9 })).rejects.toThrow(/does not exist/);
    expect(await db.outbox.count()).toBe(0);
  });
});
