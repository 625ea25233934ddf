import { noteSchema, type Note, type NoteKind } from '@shared/domain/schemas';
import { newId } from '../lib/new-id';
import type { GuanmoDb } from './guanmo-db';
import { appendToOutbox, outboxTables } from './outbox';
import { findScorer } from './sheets-repo';

/**
 * Notes per stop (亮点 / 问题 / 建议), written by anyone assigned to the tour (scorers and
 * observers alike); only the author edits or deletes a note.
 *
 * Deleting: a deleted note is KEPT locally as a tombstone with `deletedAt` set (lists skip it),
 * and the outbox entry is an ordinary change of `deletedAt`. Why not remove the record: with
 * per-field last-writer-wins merging, a tombstone field merges like any other field, so an
 * older copy of the note arriving from sync (or an edit made on another laptop before the
 * delete) cannot bring it back, and the secretariat's server keeps the audit trail.
 */

export type NoteRefusal = 'unassigned' | 'unknownStop' | 'notFound' | 'notAuthor' | 'deleted';

export class NoteWriteRefused extends Error {
  override readonly name = 'NoteWriteRefused';
  constructor(readonly reason: NoteRefusal) {
    super(`note not saved: ${reason}`);
  }
}

function noteTables(db: GuanmoDb) {
  return [db.stops, db.scorers, db.notes, ...outboxTables(db)];
}

export interface NewNote {
  tourId: string;
  stopId: string;
  userId: string;
  kind: NoteKind;
  text: string;
}

/** Adds a note (validated with the shared schema: text 1..5000 characters after trimming). */
export async function addNote(db: GuanmoDb, input: NewNote): Promise<Note> {
  const now = new Date().toISOString();
  const note = noteSchema.parse({
    id: newId(),
    tourId: input.tourId,
    stopId: input.stopId,
    authorId: input.userId,
    kind: input.kind,
    text: input.text,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  });
  return db.transaction('rw', noteTables(db), async () => {
    const stop = await db.stops.get(input.stopId);
    if (!stop || stop.tourId !== input.tourId) throw new NoteWriteRefused('unknownStop');
    if (!(await findScorer(db, input.tourId, input.userId))) throw new NoteWriteRefused('unassigned');
    await db.notes.add(note);
    await appendToOutbox(db, { collection: 'notes', recordId: note.id, changedFields: Object.keys(note) });
    return note;
  });
}

/** Loads a note the user may change, inside the caller's transaction. */
async function ownNote(db: GuanmoDb, noteId: string, userId: string): Promise<Note> {
  const note = await db.notes.get(noteId);
  if (!note) throw new NoteWriteRefused('notFound');
  if (note.deletedAt) throw new NoteWriteRefused('deleted');
  if (note.authorId !== userId) throw new NoteWriteRefused('notAuthor');
  return note;
}

/** Changes the kind and/or text of the user's own note; writes only what changed. */
export async function updateNote(db: GuanmoDb, noteId: string, userId: string, change: { kind?: NoteKind; text?: string }): Promise<Note> {
  return db.transaction('rw', noteTables(db), async () => {
    const note = await ownNote(db, noteId, userId);
    const next = noteSchema.parse({ ...note, ...change, updatedAt: new Date().toISOString() });
    const changed = (['kind', 'text'] as const).filter((field) => next[field] !== note[field]);
    if (changed.length === 0) return note;
    await db.notes.put(next);
    await appendToOutbox(db, { collection: 'notes', recordId: noteId, changedFields: [...changed, 'updatedAt'] });
    return next;
  });
}

/** Deletes the user's own note: keeps it as a tombstone (see above). */
export async function deleteNote(db: GuanmoDb, noteId: string, userId: string): Promise<void> {
  await db.transaction('rw', noteTables(db), async () => {
    const note = await ownNote(db, noteId, userId);
    const now = new Date().toISOString();
    await db.notes.put({ ...note, deletedAt: now, updatedAt: now });
    await appendToOutbox(db, { collection: 'notes', recordId: noteId, changedFields: ['deletedAt', 'updatedAt'] });
  });
}

function isLive(note: Note): boolean {
  // records written before version 3 of the schema have no deletedAt until upgraded: not deleted
  return note.deletedAt === null || note.deletedAt === undefined;
}

/**
 * The notes of a stop, newest first (deleted ones left out). The stop page puts the composer
 * above the list: an official writing several 亮点 / 问题 in a row sees each new note right
 * under where they typed, not at the bottom of a long list out of view. (The bulletin orders
 * notes oldest first itself: notesByKind in ranking-tables.ts.)
 */
export async function listNotes(db: GuanmoDb, stopId: string): Promise<Note[]> {
  const notes = await db.notes.where('stopId').equals(stopId).toArray();
  return notes.filter(isLive).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}

/** Number of notes per stop of a tour (deleted ones left out). */
export async function countNotesByStop(db: GuanmoDb, tourId: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  await db.notes
    .where('tourId')
    .equals(tourId)
    .each((note) => {
      if (isLive(note)) counts.set(note.stopId, (counts.get(note.stopId) ?? 0) + 1);
    });
  return counts;
}
