import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { NoteKind } from '@shared/domain/schemas';
import { useT } from '../../i18n/use-t';
import { noteKindKey, noteKinds } from './note-kinds';

const MAX_LENGTH = 5000;

export interface NoteComposerProps {
  initialKind?: NoteKind;
  initialText?: string;
  submitLabel: string;
  onSave: (kind: NoteKind, text: string) => Promise<boolean>;
  onCancel?: () => void;
  /** focus the text field when shown (editing) */
  autoFocus?: boolean;
}

/** Kind (亮点 / 问题 / 建议) and text of a note; used to add one and to edit one. Ctrl+Enter saves. */
export function NoteComposer({ initialKind = 'highlight', initialText = '', submitLabel, onSave, onCancel, autoFocus = false }: NoteComposerProps) {
  const t = useT();
  const id = useId();
  const [kind, setKind] = useState<NoteKind>(initialKind);
  const [text, setText] = useState(initialText);
  const [isSaving, setSaving] = useState(false);
  const canSave = text.trim() !== '' && !isSaving;

  async function save(event?: FormEvent) {
    event?.preventDefault();
    if (!canSave) return;
    setSaving(true);
    const isSaved = await onSave(kind, text);
    setSaving(false);
    // a new note starts empty again; on failure the text stays for another try
    if (isSaved && !onCancel) setText('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void save();
    if (event.key === 'Escape' && onCancel) onCancel();
  }

  return (
    <form className="note-composer" onSubmit={(e) => void save(e)} data-testid="note-composer">
      <fieldset className="note-kinds">
        <legend className="visually-hidden">{t('notes.kind')}</legend>
        {noteKinds.map((k) => (
          <label key={k} className={`note-kind note-kind--${k}`}>
            <input type="radio" name={`${id}-kind`} value={k} checked={kind === k} onChange={() => setKind(k)} />
            <span>{t(noteKindKey[k])}</span>
          </label>
        ))}
      </fieldset>
      <label className="visually-hidden" htmlFor={`${id}-text`}>
        {t('notes.text')}
      </label>
      <textarea
        id={`${id}-text`}
        className="note-composer__text"
        rows={3}
        maxLength={MAX_LENGTH}
        value={text}
        placeholder={t('notes.placeholder')}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        autoFocus={autoFocus}
      />
      <div className="note-composer__actions">
        <span className="note-composer__hint muted">{t('notes.shortcut')}</span>
        {onCancel && (
          <button type="button" className="button button--large" onClick={onCancel}>
            {t('notes.cancel')}
          </button>
        )}
        <button type="submit" className="button button--primary button--large" disabled={!canSave}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
