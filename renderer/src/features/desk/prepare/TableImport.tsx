import { readTableFile, type ImportIssue, type ImportResult } from '@shared/import';
import { useId, useState, type ReactNode } from 'react';

/**
 * Import of a secretariat table (.xlsx / .csv): pick a file → the rows are read and validated
 * → a preview (or every row-level error) → only "save" writes anything. Nothing is saved while
 * there are errors.
 */
export function TableImport<T>({
  label,
  testId,
  parse,
  preview,
  onSave,
}: {
  label: string;
  testId: string;
  parse: (rows: string[][]) => ImportResult<T>;
  preview: (value: T) => ReactNode;
  onSave: (value: T) => Promise<void>;
}) {
  const inputId = useId();
  const [state, setState] = useState<{ fileName: string; result: ImportResult<T> } | null>(null);
  const [isSaving, setIsSaving] = useState(false);
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  async function onFile(file: File | undefined) {
    setMessage(null);
    if (!file) return setState(null);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const rows = readTableFile(file.name, bytes);
    setState({ fileName: file.name, result: rows.ok ? parse(rows.value) : rows });
  }

  async function save() {
    if (!state?.result.ok) return;
    setIsSaving(true);
    try {
      await onSave(state.result.value);
      setMessage({ tone: 'success', text: `已保存「${state.fileName}」的内容。` });
      setState(null);
    } catch (e) {
      setMessage({ tone: 'error', text: `保存失败：${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setIsSaving(false);
    }
  }

  return (
    <div className="desk-import" data-testid={testId}>
      <label htmlFor={inputId} className="desk-import__label">
        {label}
      </label>
      <input
        id={inputId}
        type="file"
        accept=".xlsx,.xlsm,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
        onChange={(e) => {
          void onFile(e.currentTarget.files?.[0]);
          // the same file can be picked again after fixing it
          e.currentTarget.value = '';
        }}
      />
      {message && (
        <p className={`notice notice--${message.tone}`} role={message.tone === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {state && !state.result.ok && <ImportErrors fileName={state.fileName} errors={state.result.errors} />}
      {state?.result.ok && (
        <div className="desk-import__preview" data-testid="import-preview">
          <p className="notice notice--info">预览「{state.fileName}」：检查无误后点“保存导入”。保存之前不会写入任何内容。</p>
          {preview(state.result.value)}
          <div className="desk-form__actions">
            <button type="button" className="button button--primary" onClick={() => void save()} disabled={isSaving}>
              保存导入
            </button>
            <button type="button" className="button button--ghost" onClick={() => setState(null)}>
              放弃
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

function ImportErrors({ fileName, errors }: { fileName: string; errors: readonly ImportIssue[] }) {
  return (
    <div className="notice notice--error" role="alert" data-testid="import-errors">
      <p className="notice__title">
        「{fileName}」有 {errors.length} 处问题，未保存任何内容。请在表格中改正后重新导入：
      </p>
      <ul>
        {errors.slice(0, 200).map((issue, i) => (
          <li key={i}>{issue.message}</li>
        ))}
      </ul>
      {errors.length > 200 && <p>……另有 {errors.length - 200} 处问题未列出。</p>}
    </div>
  );
}
