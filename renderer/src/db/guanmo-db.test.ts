import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { ballotId } from '@shared/domain/rank-vote';
import { createTestDb } from '../test-support/test-db';
import { loadFixtureTours } from '../test-support/tour-fixtures';
import type { GuanmoDb } from './guanmo-db';
import { latestSchemaVersion, schemaVersions } from './schema-versions';
import { seedDemo } from './seed-demo';
import { countTourContents, getTour, listStops, listTours, listUnits } from './tours-repo';

const opened: GuanmoDb[] = [];
const track = (db: GuanmoDb) => (opened.push(db), db);
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

describe('GuanmoDb schema', () => {
  it('declares every table with its primary key and indexes', async () => {
    const db = track(createTestDb());
    await db.open();
    const tables = Object.fromEntries(db.tables.map((t) => [t.name, { key: t.schema.primKey.src, indexes: t.schema.indexes.map((i) => i.src).sort() }]));
    expect(tables).toEqual({
      tours: { key: 'id', indexes: ['startDate', 'status'] },
      units: { key: 'id', indexes: ['tourId'] },
      stops: { key: 'id', indexes: ['[tourId+day+order]', 'tourId', 'unitId'] },
      scorers: { key: 'id', indexes: ['[tourId+userId]', 'tourId', 'userId'] },
      sheets: { key: 'id', indexes: ['[tourId+scorerId]', '[tourId+stopId]', 'status'] },
      sheetDrafts: { key: 'sheetId', indexes: ['[tourId+scorerId]'] },
      notes: { key: 'id', indexes: ['stopId', 'tourId'] },
      photos: { key: 'id', indexes: ['sha256', 'stopId', 'tourId'] },
      photoBlobs: { key: 'sha256', indexes: ['uploadState'] },
      photoPreviews: { key: 'sha256', indexes: [] },
      outbox: { key: '++seq', indexes: ['&mutationId', '[collection+recordId]', 'createdAt'] },
      meta: { key: 'key', indexes: [] },
      // sync client (renderer/src/sync/sync-tables.ts)
      syncRecords: { key: '[collection+id]', indexes: ['tourId'] },
      syncRejections: { key: 'mutationId', indexes: ['[collection+recordId]', 'rejectedAt'] },
      syncUploads: { key: 'key', indexes: ['fingerprint'] },
      syncState: { key: 'key', indexes: [] },
      // rank-vote ballots (version 5, ballots-repo.ts)
      ballots: { key: 'id', indexes: ['[tourId+scorerId]', 'status', 'tourId'] },
      // offline basemap packs (version 6, offline-maps/pack-store.ts)
      tilePacks: { key: 'sha256', indexes: ['tourId'] },
      tilePackChunks: { key: '[sha256+index]', indexes: [] },
    });
    expect(db.verno).toBe(latestSchemaVersion);
  });

  it('keeps versions in ascending order without gaps', () => {
    expect(schemaVersions.map((v) => v.version)).toEqual(schemaVersions.map((_, i) => i + 1));
  });

  it('opens a database created by the first version with the latest code, keeping its data', async () => {
    const factory = new IDBFactory();
    const v1 = createTestDb({ factory, name: 'upgrade', upToVersion: 1 });
    await seedDemo(v1, loadFixtureTours);
    await v1.outbox.add({ mutationId: 'm1', collection: 'tours', recordId: 'fx-scored', changedFields: ['name'], hlc: null, createdAt: '2021-12-08T01:00:00.000Z' });
    // photo bytes stored by version 1 had no upload state: they were never confirmed by the server
    const sha = 'ab'.repeat(32);
    await (v1.photoBlobs as unknown as { add(b: { sha256: string; blob: Blob }): Promise<unknown> }).add({ sha256: sha, blob: new Blob(['jpeg'], { type: 'image/jpeg' }) });
    // notes stored by version 1 had no deletedAt: they were not deleted
    const v1Note = { id: 'n1', tourId: 'fx-scored', stopId: 'fx-scored:s1', authorId: 'u1', kind: 'problem' as const, text: '进度滞后', createdAt: '2021-12-08T02:00:00.000Z', updatedAt: '2021-12-08T02:00:00.000Z' };
    await (v1.notes as unknown as { add(n: typeof v1Note): Promise<unknown> }).add(v1Note);
    const before = { tours: await v1.tours.toArray(), stops: await v1.stops.toArray(), outbox: await v1.outbox.toArray(), meta: await v1.meta.toArray() };
    v1.close();

    const latest = track(createTestDb({ factory, name: 'upgrade' }));
    await latest.open();
    expect(latest.verno).toBe(latestSchemaVersion);
    expect(await latest.tours.toArray()).toEqual(before.tours);
    expect(await latest.stops.toArray()).toEqual(before.stops);
    expect(await latest.outbox.toArray()).toEqual(before.outbox);
    expect(await latest.meta.toArray()).toEqual(before.meta);
    expect(await latest.photoBlobs.where('uploadState').equals('pending').primaryKeys()).toEqual([sha]);
    expect(await latest.notes.get('n1')).toEqual({ ...v1Note, deletedAt: null });
    expect(await latest.sheetDrafts.count()).toBe(0);
    // indexes of every version are usable on the upgraded database
    expect((await listStops(latest, 'fx-scored')).map((s) => s.id)).toEqual(['fx-scored:s1', 'fx-scored:s2', 'fx-scored:s3']);
    // version 5: the ballots table exists, empty, with its indexes
    expect(await latest.ballots.count()).toBe(0);
    const ballot = { id: ballotId('fx-scored', 'p1', null), tourId: 'fx-scored', scorerId: 'p1', group: null, unitIds: ['u2', 'u1'], status: 'draft' as const, submittedAt: null, updatedAt: '2021-12-08T03:00:00.000Z' };
    await latest.ballots.put(ballot);
    expect(await latest.ballots.where('[tourId+scorerId]').equals(['fx-scored', 'p1']).toArray()).toEqual([ballot]);
    expect(await latest.ballots.where('tourId').equals('fx-scored').count()).toBe(1);
  });

  it('opens a database of version 4 (before ballots) with the latest code', async () => {
    const factory = new IDBFactory();
    const v4 = createTestDb({ factory, name: 'upgrade-4', upToVersion: 4 });
    await seedDemo(v4, loadFixtureTours);
    const tours = await v4.tours.toArray();
    v4.close();
    const latest = track(createTestDb({ factory, name: 'upgrade-4' }));
    await latest.open();
    expect(latest.verno).toBe(latestSchemaVersion);
    expect(await latest.tours.toArray()).toEqual(tours);
    expect(await latest.ballots.where('status').equals('submitted').count()).toBe(0);
  });

  it('opens a database of version 5 (before offline maps) with the latest code', async () => {
    const factory = new IDBFactory();
    const v5 = createTestDb({ factory, name: 'upgrade-5', upToVersion: 5 });
    await seedDemo(v5, loadFixtureTours);
    const stops = await v5.stops.toArray();
    v5.close();
    const latest = track(createTestDb({ factory, name: 'upgrade-5' }));
    await latest.open();
    expect(latest.verno).toBe(latestSchemaVersion);
    expect(await latest.stops.toArray()).toEqual(stops);
    expect(await latest.tilePacks.where('tourId').equals('fx-scored').count()).toBe(0);
    await latest.tilePackChunks.put({ sha256: 'ab'.repeat(32), index: 0, blob: new Blob(['x']) });
    expect(await latest.tilePackChunks.where('[sha256+index]').between(['ab'.repeat(32), 0], ['ab'.repeat(32), Infinity]).count()).toBe(1);
  });
});

describe('tours repository', () => {
  it('lists tours newest first and a tour with its stops in itinerary order', async () => {
    const db = track(createTestDb());
    await seedDemo(db, loadFixtureTours);
    expect((await listTours(db)).map((t) => t.id)).toEqual(['fx-scored', 'fx-study']);
    expect((await getTour(db, 'fx-study'))?.kind).toBe('study');
    expect(await getTour(db, 'nope')).toBeNull();
    expect((await listStops(db, 'fx-scored')).map((s) => [s.day, s.order])).toEqual([
      ['2021-12-08', 1],
      ['2021-12-08', 2],
      ['2021-12-09', 1],
    ]);
    expect(await listStops(db, 'nope')).toEqual([]);
    expect((await listUnits(db, 'fx-scored')).map((u) => u.name).sort()).toEqual(['文峰街道', '高新区'].sort());
    expect(await countTourContents(db, 'fx-scored')).toEqual({ stops: 3, units: 2 });
  });
});
