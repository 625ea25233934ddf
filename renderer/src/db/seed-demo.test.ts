import { tourSchema } from '@shared/domain/schemas';
import { IDBFactory } from 'fake-indexeddb';
import demoManifestText from '../../../assets/demo/demo-tours.json?raw';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../test-support/test-db';
import { fixtureTours, loadFixtureTours } from '../test-support/tour-fixtures';
import type { GuanmoDb } from './guanmo-db';
import { demoFiles, loadDemoTours } from './demo-source';
import { getMeta } from './meta-repo';
import { DEMO_SEED_VERSION, seedDemo } from './seed-demo';

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
    scorers: await db.scorers.orderBy('id').toArray(),
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
    expect(s.scorers.map((x) => x.id)).toEqual(['fx-scored:alice', 'fx-scored:bob', 'fx-scored:olga', 'fx-study:alice']);
    expect(s.outbox).toBe(0);
    expect(s.scorers.find((x) => x.id === 'fx-scored:bob')).toMatchObject({ userId: 'u-bob', homeUnitId: 'fx-scored:u2', role: 'scorer', weightGroup: null });
    expect(await getMeta(db, 'demoSeedVersion')).toBe(DEMO_SEED_VERSION);
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
    expect((await tabA.meta.toCollection().primaryKeys()).sort()).toEqual(['demoSeedVersion', 'demoSeeded']);
  });

  it('writes nothing when a demo record is invalid', async () => {
    const db = track(createTestDb());
    const broken = fixtureTours();
    broken[1]!.stops[0]!.day = '2021-02-30';
    await expect(seedDemo(db, async () => broken)).rejects.toThrow();
    expect(await snapshot(db)).toEqual({ tours: [], units: [], stops: [], scorers: [], outbox: 0 });
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
    expect(await db.scorers.where('tourId').equals('fx-scored').count()).toBe(0);
    expect(await db.tours.get('fx-study')).toBeDefined();
  });

  it('adds the scorers to a device seeded before scorers existed, once, keeping everything else', async () => {
    const factory = new IDBFactory();
    // as the first release seeded: tours, units and stops, and only the demoSeeded flag
    const old = track(createTestDb({ factory, name: 'old-seed' }));
    const withoutScorers = async () => fixtureTours().map(({ tour, units, stops }) => ({ tour, units, stops }));
    expect(await seedDemo(old, withoutScorers)).toBe('seeded');
    await old.meta.delete('demoSeedVersion');
    // the user already changed something the server will merge: an existing scorer record stays as it is
    await old.scorers.put({ id: 'fx-scored:alice', tourId: 'fx-scored', userId: 'u-alice', name: '评委甲（已同步）', role: 'scorer', homeUnitId: null, weightGroup: null });
    // and a demo tour deleted from the device is not brought back
    await old.tours.delete('fx-study');
    const before = await snapshot(old);

    expect(await seedDemo(old, loadFixtureTours)).toBe('upgraded');
    const after = await snapshot(old);
    expect(after.tours).toEqual(before.tours);
    expect(after.units).toEqual(before.units);
    expect(after.stops).toEqual(before.stops);
    expect(after.scorers.map((x) => [x.id, x.name])).toEqual([
      ['fx-scored:alice', '评委甲（已同步）'],
      ['fx-scored:bob', '评委乙'],
      ['fx-scored:olga', '观摩人员'],
    ]);
    expect(await getMeta(old, 'demoSeedVersion')).toBe(DEMO_SEED_VERSION);
    expect(await seedDemo(old, loadFixtureTours)).toBe('already-seeded');
  });

  it('refuses a scorer whose home unit is not a unit of the tour', async () => {
    const db = track(createTestDb());
    const broken = fixtureTours();
    (broken[0]!.scorers[1] as { homeUnitId: string }).homeUnitId = 'fx-study:u1';
    await expect(seedDemo(db, async () => broken)).rejects.toThrow(/unknown home unit/);
    expect(await db.tours.count()).toBe(0);
  });

  it('seeds the demo people of the manifest on the demo tours', async () => {
    const db = track(createTestDb());
    await seedDemo(db, loadDemoTours);
    const scorer1 = await db.scorers.where('userId').equals('demo-user-scorer1').toArray();
    expect(scorer1.map((s) => [s.tourId, s.role]).sort()).toEqual([
      ['demo-chongchuan-2021', 'scorer'],
      ['demo-shanting-2021', 'observer'],
    ]);
    const [scorer2] = await db.scorers.where('[tourId+userId]').equals(['demo-chongchuan-2021', 'demo-user-scorer2']).toArray();
    expect((await db.units.get(scorer2!.homeUnitId!))?.name).toBe('港闸开发区');
  });
});
