import { tourSchema } from '@shared/domain/schemas';
import { IDBFactory } from 'fake-indexeddb';
import demoManifestText from '../../../assets/demo/demo-tours.json?raw';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../test-support/test-db';
import { fixtureTours, loadFixtureTours } from '../test-support/tour-fixtures';
import type { GuanmoDb } from './guanmo-db';
import { demoFiles, loadDemoTours } from './demo-source';
import { getMeta } from './meta-repo';
import { seedDemo } from './seed-demo';

const opened: GuanmoDb[] = [];
const track = (db: GuanmoDb) => (opened.push(db), db);
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

async function snapshot(db: GuanmoDb) {
  return {
    tours: await db.tours.orderBy('id').toArray(),
    units: await db.units.orderBy('id').toArray(),
    stops: await db.stops.orderBy('id').toArray(),
    outbox: await db.outbox.count(),
  };
}

describe('seedDemo', () => {
  it('seeds the bundled demo tours of assets/demo, exactly as the manifest and tables list them', async () => {
    const db = track(createTestDb());
    expect(await seedDemo(db, loadDemoTours)).toBe('seeded');
    const manifest = JSON.parse(demoManifestText) as { tours: { id: string; name: string; kind: string; tourFile: string }[] };
    const tours = await db.tours.orderBy('id').toArray();
    expect(tours.map((t) => [t.id, t.name, t.kind])).toEqual(
      manifest.tours.map((t) => [t.id, t.name, t.kind]).sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
    for (const entry of manifest.tours) {
      const dataRows = demoFiles[entry.tourFile]!.split(/\r?\n/).filter((line) => line.trim() !== '').length - 1;
      expect(await db.stops.where('tourId').equals(entry.id).count()).toBe(dataRows);
    }
    expect(await db.outbox.count()).toBe(0);
    // deterministic: building again gives the same ids (the server seeds the same records)
    const again = await loadDemoTours();
    expect(again.flatMap((d) => d.stops.map((s) => s.id)).sort()).toEqual((await db.stops.toArray()).map((s) => s.id).sort());
  });

  it('writes the demo tours and the seeded flag, without outbox entries', async () => {
    const db = track(createTestDb());
    expect(await seedDemo(db, loadFixtureTours)).toBe('seeded');
    const s = await snapshot(db);
    expect(s.tours.map((t) => t.id)).toEqual(['fx-scored', 'fx-study']);
    expect(s.units).toHaveLength(3);
    expect(s.stops).toHaveLength(4);
    expect(s.outbox).toBe(0);
    // records are stored parsed: schema defaults filled in
    expect(s.tours[0]?.rules.method).toBe('score');
    expect(s.stops.find((x) => x.id === 'fx-study:s1')?.totalInvestment).toBeNull();
    expect(await getMeta(db, 'demoSeeded')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('is idempotent: a second start changes nothing and does not even build the tours', async () => {
    const db = track(createTestDb());
    await seedDemo(db, loadFixtureTours);
    const before = await snapshot(db);
    let loads = 0;
    expect(await seedDemo(db, async () => (loads++, fixtureTours()))).toBe('already-seeded');
    expect(loads).toBe(0);
    expect(await snapshot(db)).toEqual(before);
  });

  it('seeds once when two tabs start at the same time', async () => {
    const factory = new IDBFactory();
    const tabA = track(createTestDb({ factory, name: 'shared' }));
    const tabB = track(createTestDb({ factory, name: 'shared' }));
    const results = await Promise.all([seedDemo(tabA, loadFixtureTours), seedDemo(tabB, loadFixtureTours)]);
    expect(results.sort()).toEqual(['already-seeded', 'seeded']);
    expect((await snapshot(tabA)).tours).toHaveLength(2);
    expect(await tabA.meta.count()).toBe(1);
  });

  it('writes nothing when a demo record is invalid', async () => {
    const db = track(createTestDb());
    const broken = fixtureTours();
    broken[1]!.stops[0]!.day = '2021-02-30';
    await expect(seedDemo(db, async () => broken)).rejects.toThrow();
    expect(await snapshot(db)).toEqual({ tours: [], units: [], stops: [], outbox: 0 });
    expect(await getMeta(db, 'demoSeeded')).toBeUndefined();
  });

  it('refuses stops that point to a unit of no tour', async () => {
    const db = track(createTestDb());
    const broken = fixtureTours();
    broken[0]!.stops[0]!.unitId = 'fx-study:u1';
    await expect(seedDemo(db, async () => broken)).rejects.toThrow(/unknown unit/);
    expect(await db.tours.count()).toBe(0);
  });

  it('never overwrites a tour already on the device (e.g. pulled from the server)', async () => {
    const db = track(createTestDb());
    const [scored] = fixtureTours();
    await db.tours.put({ ...tourSchema.parse(scored!.tour), name: '服务器上改过的名称' });
    expect(await seedDemo(db, loadFixtureTours)).toBe('seeded');
    expect((await db.tours.get('fx-scored'))?.name).toBe('服务器上改过的名称');
    expect(await db.stops.where('tourId').equals('fx-scored').count()).toBe(0);
    expect(await db.tours.get('fx-study')).toBeDefined();
  });
});
