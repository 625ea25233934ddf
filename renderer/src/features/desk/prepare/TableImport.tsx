import { readTableFile, type ImportIssue, type ImportResult } from '@shared/import';
import { useId, useMemo, useState, type ReactNode } from 'react';
import { useI18n } from '../../../i18n/use-t';
import { describeDeskError } from '../desk-error';

/**
 * Import of a secretariat table (.xlsx / .csv): pick a file → the rows are read and validated
 * → a preview (or every row-level error) → only "save" writes anything. Nothing is saved while
 * there are errors. The row errors come from the shared importer in both languages
 * (message / messageEn); the one of the current language is shown.
 *
 * The rows read are kept while the preview is open: a change of `parseKey` (an import option the
 * preview offers, e.g. the coordinate system of the itinerary's 经度/纬度) reads them again with
 * the current `parse`, without picking the file again.
 */
export function TableImport<T>({
  label,
  testId,
  parse,
  preview,
  onSave,
  parseKey = '',
}: {
  label: string;
  testId: string;
  parse: (rows: string[][]) => ImportResult<T>;
  parseKey?: string;
  preview: (value: T) => ReactNode;
  onSave: (value: T) => Promise<void>;
}) {
  const t = useI18n().t;
  const inputId = useId();
  const fileNameId = `${inputId}-file`;
  const [read, setRead] = useState<{ fileName: string; rows: ReturnType<typeof readTableFile> } | null>(null);
  // read again only when the file or an import option changes (parse is a new function each render)
  const state = useMemo(
    () => (read ? { fileName: read.fileName, result: read.rows.ok ? parse(read.rows.value) : (read.rows as ImportResult<T>) } : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [read, parseKey],
  );
  const setState = (value: null) => setRead(value);
  const [isSaving, setIsSaving] = useState(false);
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  async function onFile(file: File | undefined) {
    setMessage(null);
    if (!file) return setState(null);
    const bytes = new Uint8Array(await file.arrayBuffer());
    setRead({ fileName: file.name, rows: readTableFile(file.name, bytes) });
  }

  async function save() {
    if (!state?.result.ok) return;
    setIsSaving(true);
    try {
      await onSave(state.result.value);
      setMessage({ tone: 'success', text: t('desk.import.saved', { file: state.fileName }) });
      setState(null);
    } catch (e) {
      setMessage({ tone: 'error', text: t('desk.common.saveFailed', { reason: describeDeskError(e, t) }) });
    } finally {
      setIsSaving(false);
    }
  }

  return (
    <div className="desk-import" data-testid={testId}>
      <label htmlFor={inputId} className="desk-import__label">
        {label}
      </label>
      {/*
        The browser's own file input says "Choose File / No file chosen" in the system's language:
        it is hidden (still focusable: Tab reaches it, the label below shows its focus ring) and a
        label styled as a button opens it; the chosen file is named in the app's language.
      */}
      <div className="desk-import__picker">
        <input
          id={inputId}
          type="file"
          className="visually-hidden"
          aria-describedby={fileNameId}
          accept=".xlsx,.xlsm,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
          onChange={(e) => {
            void onFile(e.currentTarget.files?.[0]);
            // the same file can be picked again after fixing it
            e.currentTarget.value = '';
          }}
        />
        <label htmlFor={inputId} className="button desk-import__choose">
          {t('desk.import.chooseFile')}
        </label>
        <span className="desk-import__file" id={fileNameId} data-testid="import-file-name">
          {state ? t('desk.import.chosenFile', { file: state.fileName }) : t('desk.import.noFile')}
        </span>
      </div>
      {message && (
        <p className={`notice notice--${message.tone}`} role={message.tone === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {state && !state.result.ok && <ImportErrors fileName={state.fileName} errors={state.result.errors} />}
      {state?.result.ok && (
        <div className="desk-import__preview" data-testid="import-preview">
          <p className="notice notice--info">{t('desk.import.previewIntro', { file: state.fileName })}</p>
          {preview(state.result.value)}
          <div className="desk-form__actions">
            <button type="button" className="button button--primary" onClick={() => void save()} disabled={isSaving}>
              {t('desk.import.save')}
            </button>
            <button type="button" className="button button--ghost" onClick={() => setState(null)}>
              {t('desk.import.discard')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

const MAX_SHOWN_ERRORS = 200;

function ImportErrors({ fileName, errors }: { fileName: string; errors: readonly ImportIssue[] }) {
  const { t, locale } = useI18n();
  return (
    <div className="notice notice--error" role="alert" data-testid="import-errors">
      <p className="notice__title">
        {t('desk.import.errorsTitle', { file: fileName, count: errors.length })}
      </p>
      <ul>
        {errors.slice(0, MAX_SHOWN_ERRORS).map((issue, i) => (
          <li key={i}>{locale === 'zh-CN' ? issue.message : issue.messageEn}</li>
        ))}
      </ul>
      {errors.length > MAX_SHOWN_ERRORS && <p>{t('desk.import.moreErrors', { count: errors.length - MAX_SHOWN_ERRORS })}</p>}
    </div>
  );
}
