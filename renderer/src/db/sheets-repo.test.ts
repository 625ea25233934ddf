import { sheetId, tourSchema } from '@shared/domain/schemas';
import { parseHlc } from '@shared/sync/hlc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../test-support/test-db';
import { loadFixtureTours } from '../test-support/tour-fixtures';
import type { GuanmoDb } from './guanmo-db';
import { seedDemo } from './seed-demo';
import {
  getScoringContext,
  initialSheetTexts,
  listStopSheetStates,
  nextUnscoredStop,
  saveSheetDraft,
  SheetWriteRefused,
  submitSheet,
} from './sheets-repo';
import { listStops } from './tours-repo';

let db: GuanmoDb;
beforeEach(async () => {
  db = createTestDb();
  await seedDemo(db, loadFixtureTours);
});
afterEach(() => db.close());

const alice = { tourId: 'fx-scored', stopId: 'fx-scored:s1', userId: 'u-alice' };
const aliceSheetId = sheetId('fx-scored', 'fx-scored:s1', 'fx-scored:alice');

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SheetWriteRefused) return error.reason;
    throw error;
  }
  throw new Error('expected the write to be refused');
}

async function counts() {
  return { sheets: await db.sheets.count(), drafts: await db.sheetDrafts.count(), outbox: await db.outbox.count() };
}

describe('saveSheetDraft', () => {
  it('creates the sheet with its deterministic id on the first valid value, with an outbox entry in the same transaction', async () => {
    const saved = await saveSheetDraft(db, alice, { scale: '35.5', progress: '', report: '' });
    expect(saved.isSheetChanged).toBe(true);
    expect(saved.sheet).toMatchObject({
      id: aliceSheetId,
      tourId: 'fx-scored',
      stopId: 'fx-scored:s1',
      scorerId: 'fx-scored:alice',
      scores: { scale: 35.5, progress: null, report: null },
      status: 'draft',
      submittedAt: null,
    });
    expect(await db.sheets.get(aliceSheetId)).toEqual(saved.sheet);
    const [entry, ...rest] = await db.outbox.toArray();
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ collection: 'sheets', recordId: aliceSheetId });
    expect(entry!.changedFields.sort()).toEqual(['comment', 'id', 'scorerId', 'scores', 'status', 'stopId', 'submittedAt', 'tourId', 'updatedAt']);
    expect(parseHlc(entry!.hlc!).millis).toBeGreaterThan(0);
  });

  it('keeps invalid and half-typed text in the local draft only, never in the synced sheet', async () => {
    await saveSheetDraft(db, alice, { scale: '35.5', progress: '12.3', report: '25' });
    const sheet = await db.sheets.get(aliceSheetId);
    expect(sheet?.scores).toEqual({ scale: 35.5, progress: null, report: null });
    expect((await db.sheetDrafts.get(aliceSheetId))?.texts).toEqual({ scale: '35.5', progress: '12.3', report: '25' });
    // invalid text alone creates no sheet and no outbox entry, but is kept
    const other = { ...alice, stopId: 'fx-scored:s3' };
    const saved = await saveSheetDraft(db, other, { scale: 'abc' });
    expect(saved).toMatchObject({ sheet: null, isSheetChanged: false });
    expect(await db.sheets.get(sheetId('fx-scored', 'fx-scored:s3', 'fx-scored:alice'))).toBeUndefined();
    expect((await db.sheetDrafts.get(sheetId('fx-scored', 'fx-scored:s3', 'fx-scored:alice')))?.texts).toEqual({ scale: 'abc', progress: '', report: '' });
    expect(await db.outbox.count()).toBe(1);
  });

  it('writes an outbox entry only when the valid values change', async () => {
    await saveSheetDraft(db, alice, { scale: '35' });
    await saveSheetDraft(db, alice, { scale: '35.' }); // same value, different text
    await saveSheetDraft(db, alice, { scale: '35.0' });
    expect(await db.outbox.count()).toBe(1);
    await saveSheetDraft(db, alice, { scale: '35.5' });
    const entries = await db.outbox.orderBy('seq').toArray();
    expect(entries.map((e) => e.changedFields)).toEqual([expect.any(Array), ['scores', 'updatedAt']]);
    expect(entries[0]!.hlc! < entries[1]!.hlc!).toBe(true);
    expect((await db.sheetDrafts.get(aliceSheetId))?.texts.scale).toBe('35.5');
  });

  it('ignores keys that are not criteria of the template', async () => {
    await saveSheetDraft(db, alice, { scale: '10', hacked: '99' });
    expect(Object.keys((await db.sheets.get(aliceSheetId))!.scores).sort()).toEqual(['progress', 'report', 'scale']);
  });

  it('refuses a recused scorer, an observer and someone not on the tour, writing nothing', async () => {
    // u-bob comes from 文峰街道, which hosts s2
    expect(await refusal(saveSheetDraft(db, { tourId: 'fx-scored', stopId: 'fx-scored:s2', userId: 'u-bob' }, { scale: '10' }))).toBe('recused');
    expect(await refusal(submitSheet(db, { tourId: 'fx-scored', stopId: 'fx-scored:s2', userId: 'u-bob' }, { scale: '10', progress: '10', report: '10' }))).toBe('recused');
    expect(await refusal(saveSheetDraft(db, { ...alice, userId: 'u-olga' }, { scale: '10' }))).toBe('observer');
    expect(await refusal(saveSheetDraft(db, { ...alice, userId: 'u-nobody' }, { scale: '10' }))).toBe('unassigned');
    expect(await refusal(saveSheetDraft(db, { tourId: 'fx-study', stopId: 'fx-study:s1', userId: 'u-alice' }, { scale: '10' }))).toBe('noSheet');
    expect(await refusal(saveSheetDraft(db, { ...alice, stopId: 'fx-study:s1' }, { scale: '10' }))).toBe('unknownStop');
    expect(await counts()).toEqual({ sheets: 0, drafts: 0, outbox: 0 });
    // the same scorer scores the other unit's stops
    expect((await saveSheetDraft(db, { tourId: 'fx-scored', stopId: 'fx-scored:s1', userId: 'u-bob' }, { scale: '10' })).isSheetChanged).toBe(true);
  });

  it('honours a tour whose rules switch recusal off', async () => {
    const tour = (await db.tours.get('fx-scored'))!;
    await db.tours.put(tourSchema.parse({ ...tour, rules: { ...tour.rules, recusal: false } }));
    const saved = await saveSheetDraft(db, { tourId: 'fx-scored', stopId: 'fx-scored:s2', userId: 'u-bob' }, { scale: '10' });
    expect(saved.isSheetChanged).toBe(true);
  });

  it('refuses writes once the tour is closed', async () => {
    const tour = (await db.tours.get('fx-scored'))!;
    await db.tours.put({ ...tour, status: 'closed' });
    expect(await refusal(saveSheetDraft(db, alice, { scale: '10' }))).toBe('tourClosed');
  });
});

describe('submitSheet', () => {
  it('locks a complete sheet: status, submitted time, values; the typed texts go', async () => {
    await saveSheetDraft(db, alice, { scale: '35.5', progress: '3' });
    const sheet = await submitSheet(db, alice, { scale: '35.5', progress: '38', report: '18' });
    expect(sheet).toMatchObject({ id: aliceSheetId, status: 'submitted', scores: { scale: 35.5, progress: 38, report: 18 } });
    expect(sheet.submittedAt).toBe(sheet.updatedAt);
    expect(await db.sheets.get(aliceSheetId)).toEqual(sheet);
    expect(await db.sheetDrafts.get(aliceSheetId)).toBeUndefined();
    const last = await db.outbox.orderBy('seq').last();
    expect(last).toMatchObject({ collection: 'sheets', recordId: aliceSheetId, changedFields: ['scores', 'status', 'submittedAt', 'updatedAt'] });
  });

  it('refuses every later change to a submitted sheet, in drafts and submits alike', async () => {
    await submitSheet(db, alice, { scale: '40', progress: '40', report: '20' });
    const before = await counts();
    expect(await refusal(saveSheetDraft(db, alice, { scale: '1' }))).toBe('submitted');
    expect(await refusal(submitSheet(db, alice, { scale: '1', progress: '1', report: '1' }))).toBe('submitted');
    expect(await counts()).toEqual(before);
    expect((await db.sheets.get(aliceSheetId))?.scores.scale).toBe(40);
  });

  it('refuses an incomplete or invalid sheet, naming every problem, and writes nothing', async () => {
    await saveSheetDraft(db, alice, { scale: '10' });
    const before = await counts();
    const error = await submitSheet(db, alice, { scale: '10', progress: '40.5', report: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SheetWriteRefused);
    expect((error as SheetWriteRefused).reason).toBe('incomplete');
    expect((error as SheetWriteRefused).issues).toEqual({ progress: 'range', report: 'required' });
    expect(await counts()).toEqual(before);
    expect((await db.sheets.get(aliceSheetId))?.status).toBe('draft');
  });

  it('submits a reopened sheet again', async () => {
    await submitSheet(db, alice, { scale: '40', progress: '40', report: '20' });
    const sheet = (await db.sheets.get(aliceSheetId))!;
    await db.sheets.put({ ...sheet, status: 'reopened' });
    await saveSheetDraft(db, alice, { scale: '39', progress: '40', report: '20' });
    expect((await db.sheets.get(aliceSheetId))?.status).toBe('reopened');
    expect((await submitSheet(db, alice, { scale: '39', progress: '40', report: '20' })).status).toBe('submitted');
  });

  it('rolls back the sheet, its draft and its outbox entry together when the transaction fails (e.g. disk full)', async () => {
    await saveSheetDraft(db, alice, { scale: '10' });
    const before = { sheet: await db.sheets.get(aliceSheetId), draft: await db.sheetDrafts.get(aliceSheetId), outbox: await db.outbox.toArray(), hlc: await db.meta.get('hlc') };
    // the outbox write fails the way a full disk makes IndexedDB fail
    const failOutbox = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    db.outbox.hook('creating', failOutbox);
    await expect(submitSheet(db, alice, { scale: '20', progress: '20', report: '20' })).rejects.toThrow(/quota/i);
    await expect(saveSheetDraft(db, alice, { scale: '30' })).rejects.toThrow(/quota/i);
    db.outbox.hook('creating').unsubscribe(failOutbox);
    expect({ sheet: await db.sheets.get(aliceSheetId), draft: await db.sheetDrafts.get(aliceSheetId), outbox: await db.outbox.toArray(), hlc: await db.meta.get('hlc') }).toEqual(before);
  });
});

describe('reading sheets back', () => {
  it('gives the scoring context of a stop for each kind of person', async () => {
    await saveSheetDraft(db, alice, { scale: '35.5', progress: '12.3' });
    const ctx = await getScoringContext(db, alice);
    expect(ctx?.role.kind).toBe('scorer');
    expect(ctx?.sheet?.scores.scale).toBe(35.5);
    expect(ctx?.draft?.texts.progress).toBe('12.3');
    expect((await getScoringContext(db, { tourId: 'fx-scored', stopId: 'fx-scored:s2', userId: 'u-bob' }))?.role.kind).toBe('recused');
    expect((await getScoringContext(db, { ...alice, userId: 'u-olga' }))?.role.kind).toBe('observer');
    expect((await getScoringContext(db, { tourId: 'fx-study', stopId: 'fx-study:s1', userId: 'u-alice' }))?.role.kind).toBe('noSheet');
    expect(await getScoringContext(db, { ...alice, stopId: 'nope' })).toBeNull();
  });

  it('restores exactly what was typed, unless a newer stored value replaced it', async () => {
    await saveSheetDraft(db, alice, { scale: '35.50', progress: '12.3', report: '' });
    const ctx = (await getScoringContext(db, alice))!;
    expect(initialSheetTexts(ctx.tour, ctx.sheet, ctx.draft)).toEqual({ scale: '35.50', progress: '12.3', report: '' });
    // sync (or another tab) stored other values since: they win over the older typing
    const newer = { ...ctx.sheet!, scores: { scale: 20, progress: 30, report: null } };
    expect(initialSheetTexts(ctx.tour, newer, ctx.draft)).toEqual({ scale: '20', progress: '30', report: '' });
    expect(initialSheetTexts(ctx.tour, null, null)).toEqual({ scale: '', progress: '', report: '' });
  });

  it('lists the sheet state of every stop and finds the next unscored one', async () => {
    const stops = await listStops(db, 'fx-scored');
    let states = await listStopSheetStates(db, 'fx-scored', 'u-alice');
    expect(Object.fromEntries(states)).toEqual({ 'fx-scored:s1': 'todo', 'fx-scored:s2': 'todo', 'fx-scored:s3': 'todo' });
    expect(nextUnscoredStop(stops, states)?.id).toBe('fx-scored:s1');

    await submitSheet(db, alice, { scale: '40', progress: '40', report: '20' });
    await saveSheetDraft(db, { ...alice, stopId: 'fx-scored:s3' }, { scale: 'x' });
    states = await listStopSheetStates(db, 'fx-scored', 'u-alice');
    expect(Object.fromEntries(states)).toEqual({ 'fx-scored:s1': 'submitted', 'fx-scored:s2': 'todo', 'fx-scored:s3': 'draft' });
    expect(nextUnscoredStop(stops, states)?.id).toBe('fx-scored:s2');
    // from a stop: the next one after it, wrapping around
    expect(nextUnscoredStop(stops, states, 'fx-scored:s2')?.id).toBe('fx-scored:s3');
    expect(nextUnscoredStop(stops, states, 'fx-scored:s3')?.id).toBe('fx-scored:s2');

    const bob = await listStopSheetStates(db, 'fx-scored', 'u-bob');
    expect(bob.get('fx-scored:s2')).toBe('recused');
    expect(nextUnscoredStop(stops, bob)?.id).toBe('fx-scored:s1');
    expect(Object.fromEntries(await listStopSheetStates(db, 'fx-scored', 'u-olga'))).toEqual({ 'fx-scored:s1': 'observer', 'fx-scored:s2': 'observer', 'fx-scored:s3': 'observer' });

    const done = new Map(stops.map((s) => [s.id, 'submitted' as const]));
    expect(nextUnscoredStop(stops, done)).toBeNull();
  });
});
