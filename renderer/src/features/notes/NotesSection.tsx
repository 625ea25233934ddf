import { useMemo, useState } from 'react';
import type { Note, NoteKind } from '@shared/domain/schemas';
import { useCurrentUser } from '../../app/current-user-context';
import { useDb } from '../../db/db-context';
import { addNote, deleteNote, NoteWriteRefused, updateNote } from '../../db/notes-repo';
import { describeStorageError } from '../../db/storage-safety';
import { useNotes, useTourScorers } from '../../db/use-field-data';
import { useT } from '../../i18n/use-t';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { NoteComposer } from './NoteComposer';
import { NoteItem } from './NoteItem';
import './notes.css';

/** Notes of a stop: add (亮点 / 问题 / 建议 + text), and edit or delete one's own. */
export function NotesSection({ tourId, stopId }: { tourId: string; stopId: string }) {
  const t = useT();
  const db = useDb();
  const user = useCurrentUser();
  const notes = useNotes(stopId);
  const scorers = useTourScorers(tourId);
  const namesByUser = useMemo(() => new Map((scorers ?? []).map((s) => [s.userId, s.name])), [scorers]);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Note | null>(null);
  const [isDeleteBusy, setDeleteBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function problemText(e: unknown): string {
    if (e instanceof NoteWriteRefused) return t(e.reason === 'unassigned' ? 'notes.refused.unassigned' : 'notes.refused.other');
    return t(describeStorageError(e).messageKey);
  }

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      console.warn('saving a note failed', e);
      setError(problemText(e));
      return false;
    }
  }

  const add = (kind: NoteKind, text: string) => run(() => addNote(db, { tourId, stopId, userId: user.userId, kind, text }));
  const save = (noteId: string) => async (kind: NoteKind, text: string) => {
    const isSaved = await run(() => updateNote(db, noteId, user.userId, { kind, text }));
    if (isSaved) setEditingId(null);
    return isSaved;
  };
  async function confirmDelete() {
    if (!deleting) return;
    setDeleteBusy(true);
    const isDeleted = await run(() => deleteNote(db, deleting.id, user.userId));
    setDeleteBusy(false);
    if (isDeleted) setDeleting(null);
  }

  return (
    <section className="panel notes" aria-labelledby="notes-title" data-testid="notes-section">
      <h2 className="panel__title notes__title" id="notes-title">
        {t('notes.title')}
        {notes && notes.length > 0 && <span className="notes__count">{notes.length}</span>}
      </h2>
      <NoteComposer submitLabel={t('notes.add')} onSave={add} />
      {error && (
        <p className="notice notice--error notes__error" role="alert">
          {error}
        </p>
      )}
      {notes === undefined ? (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      ) : notes.length === 0 ? (
        <p className="muted notes__empty">{t('notes.empty')}</p>
      ) : (
        <ul className="note-list">
          {notes.map((note) => (
            <NoteItem
              key={note.id}
              note={note}
              authorName={namesByUser.get(note.authorId) ?? t('notes.unknownAuthor')}
              isOwn={note.authorId === user.userId}
              isEditing={editingId === note.id}
              onEdit={() => setEditingId(note.id)}
              onCancelEdit={() => setEditingId(null)}
              onSave={save(note.id)}
              onDelete={() => setDeleting(note)}
            />
          ))}
        </ul>
      )}
      <ConfirmDialog
        isOpen={deleting !== null}
        title={t('notes.deleteTitle')}
        confirmLabel={t('notes.delete')}
        cancelLabel={t('notes.cancel')}
        isDestructive
        isBusy={isDeleteBusy}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setDeleting(null)}
      >
        <p className="notes__delete-preview">{deleting?.text}</p>
      </ConfirmDialog>
    </section>
  );
}
