import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describePending } from '../features/sign-in/sync-words';
import type { GuanmoDb } from '../db/guanmo-db';
import { createTranslator } from '../i18n/catalogs';
import { createTestDb } from '../test-support/test-db';
import { testPhotoMeta } from '../test-support/photo-records';
import { readPendingSummary, type PendingSummary } from './pending-summary';

let db: GuanmoDb;
let seq = 0;
beforeEach(async () => {
  db = createTestDb();
  await db.open();
});
afterEach(() => db.close());

/** `edits` outbox entries (field edits) for one record */
async function edits(collection: string, recordId: string, edits: number) {
  for (let i = 0; i < edits; i++) {
    await db.outbox.add({ mutationId: `m${++seq}`, collection, recordId, changedFields: ['x'], hlc: null, createdAt: '2021-12-08T00:00:00.000Z' } as never);
  }
}

const zh = createTranslator('zh-CN');
const en = createTranslator('en');

function summary(counts: Partial<PendingSummary['counts']>): PendingSummary {
  const full = { sheets: 0, ballots: 0, notes: 0, photos: 0, tours: 0, stops: 0, units: 0, scorers: 0, ...counts };
  return { counts: full, photoBytes: { count: 0, bytes: 0 }, total: Object.values(full).reduce((a, b) => a + b, 0) };
}

describe('what waits to sync, counted as records', () => {
  it('33 sheets typed field by field are 33 sheets, not 432 edits', async () => {
    for (let n = 0; n < 33; n++) await edits('sheets', `sheet-${n}`, n < 3 ? 24 : 12);
    expect(await db.outbox.count()).toBe(432);
    const pending = await readPendingSummary(db);
    expect(pending.counts.sheets).toBe(33);
    expect(pending.total).toBe(33);
    expect(describePending(zh, pending)).toBe('33 张评分表待同步');
  });

  it('counts each kind apart, and a photo once whether its record, its bytes or both wait', async () => {
    await edits('sheets', 's1', 5);
    await edits('sheets', 's2', 1);
    await edits('sheets', 's3', 2);
    await edits('notes', 'n1', 3);
    await edits('notes', 'n2', 1);
    // p1: new here (record and bytes wait), p2: caption edited (record only), p3: bytes only, p4: all synced
    for (const n of [1, 2, 3, 4]) await db.photos.put(testPhotoMeta(n));
    await edits('photos', 'p1', 1);
    await edits('photos', 'p2', 2);
    await db.photoBlobs.bulkPut([
      { sha256: testPhotoMeta(1).sha256, blob: new Blob(['12345']), uploadState: 'pending' },
      { sha256: testPhotoMeta(3).sha256, blob: new Blob(['123']), uploadState: 'pending' },
      { sha256: testPhotoMeta(4).sha256, blob: new Blob(['1']), uploadState: 'confirmed' },
      // bytes whose photo was deleted here before they went out: still a photo to upload
      { sha256: 'f'.repeat(64), blob: new Blob(['12']), uploadState: 'pending' },
    ]);
    const pending = await readPendingSummary(db);
    expect(pending.counts).toMatchObject({ sheets: 3, notes: 2, photos: 4, ballots: 0, tours: 0 });
    expect(pending.photoBytes).toEqual({ count: 3, bytes: 10 });
    expect(pending.total).toBe(9);
    expect(describePending(zh, pending)).toBe('3 张评分表、2 条记录、4 张照片待同步');
    expect(describePending(en, pending)).toBe('3 score sheets, 2 notes, 4 photos to sync');
  });

  it("names the desk's edits too, and a deleted record is one record", async () => {
    await edits('tours', 't1', 4);
    await edits('stops', 'st1', 2);
    await edits('stops', 'st2', 1);
    await edits('units', 'u1', 1);
    await edits('scorers', 'sc1', 1);
    await db.outbox.add({ mutationId: 'tomb', collection: 'scorers', recordId: 'sc2', changedFields: ['deleted'], hlc: null, createdAt: '2021-12-08T00:00:00.000Z', deleted: true } as never);
    await edits('ballots', 'b1', 3);
    const pending = await readPendingSummary(db);
    expect(describePending(zh, pending)).toBe('1 张排序票、1 个观摩活动、2 个观摩项目、1 个参评单位、2 名参加人员待同步');
  });

  it('says nothing when nothing waits', async () => {
    const pending = await readPendingSummary(db);
    expect(pending.total).toBe(0);
    expect(describePending(zh, pending)).toBeNull();
  });
});

describe('the pending wording', () => {
  it('uses singular and plural in English', () => {
    expect(describePending(en, summary({ sheets: 1, photos: 1 }))).toBe('1 score sheet, 1 photo to sync');
    expect(describePending(en, summary({ notes: 2 }))).toBe('2 notes to sync');
  });

  it('shortens for the header after a number of kinds', () => {
    const many = summary({ sheets: 3, notes: 2, photos: 5, stops: 12, scorers: 15 });
    expect(describePending(zh, many, 3)).toBe('3 张评分表、2 条记录、5 张照片等 2 类待同步');
    expect(describePending(en, many, 3)).toBe('3 score sheets, 2 notes, 5 photos and 2 more kinds to sync');
    expect(describePending(zh, many)).toBe('3 张评分表、2 条记录、5 张照片、12 个观摩项目、15 名参加人员待同步');
    expect(describePending(zh, summary({ sheets: 3, notes: 2, photos: 5 }), 3)).toBe('3 张评分表、2 条记录、5 张照片待同步');
  });
});
