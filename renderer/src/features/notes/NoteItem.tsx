import type { Note, NoteKind } from '@shared/domain/schemas';
import { formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';
import { NoteComposer } from './NoteComposer';
import { noteKindKey } from './note-kinds';

export interface NoteItemProps {
  note: Note;
  authorName: string;
  isOwn: boolean;
  isEditing: boolean;
  onEdit: () => void;
  onCancelEdit: () => void;
  onSave: (kind: NoteKind, text: string) => Promise<boolean>;
  onDelete: () => void;
}

export function NoteItem({ note, authorName, isOwn, isEditing, onEdit, onCancelEdit, onSave, onDelete }: NoteItemProps) {
  const { t, locale } = useI18n();
  if (isEditing) {
    return (
      <li className="note is-editing" data-testid="note">
        <NoteComposer initialKind={note.kind} initialText={note.text} submitLabel={t('notes.saveEdit')} onSave={onSave} onCancel={onCancelEdit} autoFocus />
      </li>
    );
  }
  const isEdited = note.updatedAt !== note.createdAt;
  return (
    <li className={`note note--${note.kind}`} data-testid="note">
      <div className="note__head">
        <span className={`note-chip note-chip--${note.kind}`}>{t(noteKindKey[note.kind])}</span>
        <span className="note__meta">
          {authorName} · {formatDateTime(note.createdAt, locale)}
          {isEdited && ` · ${t('notes.edited')}`}
        </span>
        {isOwn && (
          <span className="note__actions">
            <button type="button" className="button button--ghost" onClick={onEdit} aria-label={t('notes.editLabel', { kind: t(noteKindKey[note.kind]) })}>
              {t('notes.edit')}
            </button>
            <button type="button" className="button button--ghost note__delete" onClick={onDelete} aria-label={t('notes.deleteLabel', { kind: t(noteKindKey[note.kind]) })}>
              {t('notes.delete')}
            </button>
          </span>
        )}
      </div>
      <p className="note__text" data-testid="note-text">
        {note.text}
      </p>
    </li>
  );
}
