import { sheetId } from '@shared/domain/schemas';
import { formatHlc, parseHlc } from '@shared/sync/hlc';
import { mergeRecord } from '@shared/sync/merge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GuanmoDb } from '../../db/guanmo-db';
import { seedDemo } from '../../db/seed-demo';
import { saveSheetDraft } from '../../db/sheets-repo';
import { ensureClientId } from '../../db/meta-repo';
import { applyPage } from '../../sync/pull';
import { createTestDb } from '../../test-support/test-db';
import { loadFixtureTours } from '../../test-support/tour-fixtures';
import { mergeTypedWithStored, reconcileWithStored, textMeansValue, textsNotIn } from './sheet-sync';
import { saveTypedSheet } from './use-sheet-autosave';

const criteria = [
  { key: 'scale', max: 40, step: 0.5 },
  { key: 'progress', max: 40, step: 0.5 },
  { key: 'report', max: 20, step: 1 },
];

describe('sheet-sync rules', () => {
  it('reads a text as a stored value only when it says exactly that', () => {
    expect(textMeansValue(criteria[0]!, '35.5', 35.5)).toBe(true);
    expect(textMeansValue(criteria[0]!, ' 35.50 ', 35.5)).toBe(true);
    expect(textMeansValue(criteria[0]!, '', null)).toBe(true);
    expect(textMeansValue(criteria[0]!, '', undefined)).toBe(true);
    expect(textMeansValue(criteria[0]!, '35', 35.5)).toBe(false);
    expect(textMeansValue(criteria[0]!, '12.3', null)).toBe(false); // off the step: the user's text
    expect(textMeansValue(criteria[0]!, '', 3)).toBe(false); // cleared by the user
  });

  const fields = (owned: string[], lastEdit: Record<string, number> = {}, editingKey: string | null = null) => ({ owned: new Set(owned), lastEdit, editingKey });

  it('updates fields the user does not own, keeps theirs, and ignores criteria whose stored value did not change', () => {
    const base = { scale: 30, progress: 20, report: null };
    const stored = { scale: 36, progress: 25, report: 15 };
    // a pull: scale untouched, progress being typed, report untouched and empty
    expect(reconcileWithStored(criteria, { scale: '30', progress: '2', report: '' }, base, stored, fields(['progress'], { progress: 4 }, 'progress'))).toEqual({
      updates: { scale: '36', report: '15' },
      kept: { progress: 25 },
      released: [],
      needsSave: true,
    });
    // the field the user owns keeps its text even when it says the old stored value (re-typed, or saved a moment ago)
    expect(reconcileWithStored(criteria, { scale: '30', progress: '20', report: '' }, base, stored, fields(['progress'], { progress: 4 }))).toEqual({
      updates: { scale: '36', report: '15' },
      kept: { progress: 25 },
      released: [],
      needsSave: true,
    });
    // the user's own write arriving: the field already says it, and follows the stored sheet again
    expect(reconcileWithStored(criteria, { scale: '31', progress: '20', report: '' }, base, { ...base, scale: 31 }, fields(['scale'], { scale: 2 }), { edits: 2 })).toEqual({
      updates: {},
      kept: {},
      released: ['scale'],
      needsSave: false,
    });
    // ... but not while the user is still typing in it
    expect(reconcileWithStored(criteria, { scale: '31', progress: '20', report: '' }, base, { ...base, scale: 31 }, fields(['scale'], { scale: 2 }, 'scale'), { edits: 2 }).released).toEqual([]);
    // an unchanged stored value never touches a field being typed in
    expect(reconcileWithStored(criteria, { scale: '3', progress: '20', report: '' }, base, base, fields(['scale'], { scale: 1 }))).toEqual({ updates: {}, kept: {}, released: [], needsSave: false });
    // an invalid text over a field the user's own save just cleared: nothing to tell
    expect(reconcileWithStored(criteria, { scale: '12.3', progress: '20', report: '' }, base, { ...base, scale: null }, fields(['scale'], { scale: 3 }), { edits: 3 })).toEqual({
      updates: {},
      kept: {},
      released: [],
      needsSave: false,
    });
    // a stored value cleared elsewhere clears an untouched field
    expect(reconcileWithStored(criteria, { scale: '30', progress: '20', report: '' }, base, { ...base, scale: null }, fields([]))).toEqual({ updates: { scale: '' }, kept: {}, released: [], needsSave: false });
  });

  it("never lets the form's own earlier save replace what was typed after it", () => {
    // 18.5 stored; the user re-types "18.5" fast (edits 1..4: "1", "18", "18.", "18.5") and leaves
    // the field; the save of "1" (edit 1) comes back only now
    const base = { scale: 18.5, progress: 20, report: null };
    const echo = { scale: 1, progress: 20, report: null };
    const typed = { scale: '18.5', progress: '20', report: '' };
    expect(reconcileWithStored(criteria, typed, base, echo, fields(['scale'], { scale: 4 }), { edits: 1 })).toEqual({ updates: {}, kept: {}, released: [], needsSave: false });
    // its own save of "18.5" (edit 4) coming back: the field follows the stored sheet again
    expect(reconcileWithStored(criteria, typed, echo, { ...echo, scale: 18.5 }, fields(['scale'], { scale: 4 }), { edits: 4 }).released).toEqual(['scale']);
    // a pulled value its own save merged in still fills a field the user never touched
    expect(reconcileWithStored(criteria, typed, base, { ...echo, progress: 25 }, fields(['scale'], { scale: 4 }), { edits: 1 }).updates).toEqual({ progress: '25' });
  });

  it('writes the texts of owned fields and the stored values everywhere else', () => {
    expect(mergeTypedWithStored(criteria, { scale: '33', progress: '20', report: '' }, ['scale'], { scale: 30, progress: 25, report: 15 })).toEqual({ scale: '33', progress: '25', report: '15' });
    // invalid or cleared text is the user's and stays
    expect(mergeTypedWithStored(criteria, { scale: '12.3', progress: '', report: '' }, ['scale', 'progress'], { scale: 31, progress: 26, report: 15 })).toEqual({ scale: '12.3', progress: '', report: '15' });
    // re-typed to the value the field had before, while the user's own earlier keystroke is stored: the text is written
    expect(mergeTypedWithStored(criteria, { scale: '18.5', progress: '20', report: '' }, ['scale'], { scale: 1, progress: 20, report: null })).toEqual({ scale: '18.5', progress: '20', report: '' });
  });

  it('lists what was typed and is not in a locked sheet', () => {
    expect(textsNotIn(criteria, { scale: '35', progress: '12.3', report: ' ' }, { scale: 35, progress: 30, report: 18 })).toEqual({ progress: '12.3' });
  });
});

describe('writing a typed sheet while pulls land', () => {
  let db: GuanmoDb;
  beforeEach(async () => {
    db = createTestDb();
    await seedDemo(db, loadFixtureTours);
  });
  afterEach(() => db.close());

  const target = { tourId: 'fx-scored', stopId: 'fx-scored:s1', userId: 'u-alice' };
  const id = sheetId('fx-scored', 'fx-scored:s1', 'fx-scored:alice');
  const scope = { serverUrl: 'http://server.test', userId: 'u-alice' };

  /** The sheet as the server sends it after the same scorer's other laptop wrote it at `hlc`. */
  async function pullSheet(scores: Record<string, number | null>, hlc: string) {
    const local = (await db.sheets.get(id))!;
    const data = { ...local, scores, updatedAt: '2021-12-08T03:00:00.000Z' };
    const versions = Object.fromEntries(Object.keys(data).map((k) => [k, hlc]));
    const page = [{ collection: 'sheets' as const, id, tourId: 'fx-scored', data, versions, deleted: false }];
    const cursor = (await db.table('syncState').get('cursor'))?.value?.cursor as string | undefined;
    const result = await applyPage(db, scope, cursor, page, `c-${hlc}`);
    expect(result.isCurrent).toBe(true);
    return { data, versions };
  }

  it('does not put back the old value of a field the user never touched when a pull landed first', async () => {
    await saveSheetDraft(db, target, { scale: '30', progress: '20', report: '' });
    // queued before the pull: the user typed scale 33 over base {30, 20}
    const queued = { texts: { scale: '33', progress: '20', report: '' }, owned: ['scale'], edits: 1 };
    // written on the other laptop after this one's last save (newer HLC), so the pull replaces the local scores
    await pullSheet({ scale: 30, progress: 25, report: 15 }, formatHlc({ millis: Date.now() + 1000, counter: 0, node: 'other-laptop' }));
    expect((await db.sheets.get(id))?.scores).toEqual({ scale: 30, progress: 25, report: 15 });
    await saveTypedSheet(db, target, queued);
    expect((await db.sheets.get(id))?.scores).toEqual({ scale: 33, progress: 25, report: 15 });
  });

  it("stamps the user's write after the pulled version, so it wins on the server too", async () => {
    await ensureClientId(db);
    await saveSheetDraft(db, target, { scale: '30', progress: '20', report: '' });
    // the other laptop's clock runs a minute ahead (within the server's clamp); the keystroke
    // comes after the page is stored and before the sync round feeds the device clock
    const remoteHlc = formatHlc({ millis: Date.now() + 60_000, counter: 3, node: 'other-laptop' });
    const remote = await pullSheet({ scale: 30, progress: 25, report: 15 }, remoteHlc);
    await saveTypedSheet(db, target, { texts: { scale: '30', progress: '22', report: '15' }, owned: ['progress'], edits: 1 });
    const entry = (await db.outbox.toArray()).filter((e) => e.recordId === id).at(-1)!;
    expect(entry.changedFields).toContain('scores');
    expect(entry.hlc! > remoteHlc).toBe(true);
    expect(parseHlc(entry.hlc!).millis).toBeGreaterThanOrEqual(parseHlc(remoteHlc).millis);
    // the server's merge (the one shared rule) keeps the user's scores
    const local = (await db.sheets.get(id))!;
    const merged = mergeRecord(
      { data: remote.data, versions: remote.versions, deleted: false },
      { data: { scores: local.scores }, versions: { scores: entry.hlc! }, deleted: false },
    );
    expect(merged.data.scores).toEqual({ scale: 30, progress: 22, report: 15 });
  });
});
