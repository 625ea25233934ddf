import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDb } from '../test-support/test-db';
import { loadFixtureTours } from '../test-support/tour-fixtures';
import type { GuanmoDb } from './guanmo-db';
import { addNote, countNotesByStop, deleteNote, listNotes, NoteWriteRefused, updateNote } from './notes-repo';
import { seedDemo } from './seed-demo';
import { listStopStatuses } from './stop-status-repo';

let db: GuanmoDb;
beforeEach(async () => {
  db = createTestDb();
  await seedDemo(db, loadFixtureTours);
});
afterEach(() => db.close());

const at = { tourId: 'fx-scored', stopId: 'fx-scored:s1' };

async function reason(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (error instanceof NoteWriteRefused) return error.reason;
  throw new Error(`expected a refusal, got ${String(error)}`);
}

describe('notes', () => {
  it('adds a note by anyone on the tour (scorer or observer), with its outbox entry', async () => {
    const note = await addNote(db, { ...at, userId: 'u-alice', kind: 'highlight', text: '  厂房已封顶，设备进场  ' });
    expect(note).toMatchObject({ ...at, authorId: 'u-alice', kind: 'highlight', text: '厂房已封顶，设备进场', deletedAt: null });
    await addNote(db, { ...at, userId: 'u-olga', kind: 'problem', text: '施工道路扬尘' });
    // (both may carry the same millisecond: the order is checked in its own test)
    expect((await listNotes(db, 'fx-scored:s1')).map((n) => n.text).sort()).toEqual(['厂房已封顶，设备进场', '施工道路扬尘'].sort());
    const entries = await db.outbox.orderBy('seq').toArray();
    expect(entries.map((e) => [e.collection, e.recordId])).toEqual([
      ['notes', note.id],
      ['notes', expect.any(String)],
    ]);
    expect(entries[0]!.changedFields).toContain('text');
    expect(entries.every((e) => e.hlc !== null)).toBe(true);
  });

  it('lists a stop’s notes newest first, so the note just added is the first under the composer', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const texts = ['研发中心已投入使用', '施工道路扬尘', '建议加快二期招商'];
      for (const [i, text] of texts.entries()) {
        vi.setSystemTime(new Date(Date.UTC(2021, 11, 8, 2, i)));
        await addNote(db, { ...at, userId: 'u-alice', kind: i === 1 ? 'problem' : 'highlight', text });
      }
    } finally {
      vi.useRealTimers();
    }
    expect((await listNotes(db, 'fx-scored:s1')).map((n) => n.text)).toEqual(['建议加快二期招商', '施工道路扬尘', '研发中心已投入使用']);
  });

  it('refuses empty text, a stop of another tour and someone not on the tour', async () => {
    await expect(addNote(db, { ...at, userId: 'u-alice', kind: 'highlight', text: '   ' })).rejects.toThrow();
    expect(await reason(addNote(db, { ...at, userId: 'u-nobody', kind: 'highlight', text: '好' }))).toBe('unassigned');
    expect(await reason(addNote(db, { tourId: 'fx-study', stopId: 'fx-scored:s1', userId: 'u-alice', kind: 'highlight', text: '好' }))).toBe('unknownStop');
    expect(await db.notes.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('edits only what changed, and only the author may', async () => {
    const note = await addNote(db, { ...at, userId: 'u-alice', kind: 'highlight', text: '进度快' });
    const edited = await updateNote(db, note.id, 'u-alice', { kind: 'suggestion', text: '进度快' });
    expect(edited).toMatchObject({ kind: 'suggestion', text: '进度快' });
    expect((await db.outbox.orderBy('seq').last())?.changedFields).toEqual(['kind', 'updatedAt']);
    const unchanged = await db.outbox.count();
    await updateNote(db, note.id, 'u-alice', { kind: 'suggestion' });
    expect(await db.outbox.count()).toBe(unchanged);
    expect(await reason(updateNote(db, note.id, 'u-bob', { text: '改别人的' }))).toBe('notAuthor');
    expect(await reason(deleteNote(db, note.id, 'u-bob'))).toBe('notAuthor');
    expect(await reason(updateNote(db, 'missing', 'u-alice', { text: 'x' }))).toBe('notFound');
    expect((await db.notes.get(note.id))?.text).toBe('进度快');
  });

  it('keeps a deleted note as a tombstone: gone from lists and counts, its delete in the outbox', async () => {
    const keep = await addNote(db, { ...at, userId: 'u-alice', kind: 'highlight', text: '保留' });
    const gone = await addNote(db, { ...at, userId: 'u-alice', kind: 'problem', text: '删除' });
    await deleteNote(db, gone.id, 'u-alice');
    expect((await listNotes(db, 'fx-scored:s1')).map((n) => n.id)).toEqual([keep.id]);
    expect(Object.fromEntries(await countNotesByStop(db, 'fx-scored'))).toEqual({ 'fx-scored:s1': 1 });
    const tombstone = await db.notes.get(gone.id);
    expect(tombstone?.deletedAt).toMatch(/^\d{4}-/);
    expect(tombstone?.text).toBe('删除');
    expect(await db.outbox.orderBy('seq').last()).toMatchObject({ collection: 'notes', recordId: gone.id, changedFields: ['deletedAt', 'updatedAt'] });
    // a deleted note can be neither edited nor deleted again
    expect(await reason(updateNote(db, gone.id, 'u-alice', { text: '复活' }))).toBe('deleted');
    expect(await reason(deleteNote(db, gone.id, 'u-alice'))).toBe('deleted');
  });
});

describe('stop statuses', () => {
  it('count notes and photos per stop next to the sheet state', async () => {
    await addNote(db, { ...at, userId: 'u-alice', kind: 'highlight', text: '一' });
    await addNote(db, { ...at, userId: 'u-olga', kind: 'highlight', text: '二' });
    const photo = {
      tourId: 'fx-scored',
      authorId: 'u-alice',
      size: 10,
      mime: 'image/jpeg' as const,
      width: 4,
      height: 3,
      takenAt: null,
      lat: null,
      lng: null,
      caption: '',
      isCover: false,
      createdAt: '2021-12-08T02:00:00.000Z',
      deletedAt: null,
    };
    await db.photos.bulkAdd([
      { ...photo, id: 'p1', stopId: 'fx-scored:s2', sha256: 'a'.repeat(64) },
      { ...photo, id: 'p2', stopId: 'fx-scored:s2', sha256: 'b'.repeat(64) },
      { ...photo, id: 'p3', stopId: 'fx-scored:s3', sha256: 'c'.repeat(64) },
    ]);
    const statuses = await listStopStatuses(db, 'fx-scored', 'u-bob');
    expect(Object.fromEntries(statuses)).toEqual({
      'fx-scored:s1': { sheet: 'todo', notes: 2, photos: 0 },
      'fx-scored:s2': { sheet: 'recused', notes: 0, photos: 2 },
      'fx-scored:s3': { sheet: 'todo', notes: 0, photos: 1 },
    });
  });
});
