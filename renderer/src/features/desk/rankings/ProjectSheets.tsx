import { useState } from 'react';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import type { CriterionColumn, SheetRow } from './ranking-tables';
import { fateLabels } from './rankings-labels';

export interface ProjectSheetsProps {
  stopName: string;
  rows: readonly SheetRow[];
  criteria: readonly CriterionColumn[];
  /** null = reopening not offered (read-only viewers) */
  onReopen: ((sheetId: string, reason: string) => Promise<void>) | null;
  isOnline: boolean;
}

/** Each scorer's sheet for one project: scores, total, what became of it (counted, dropped …), and 退回. */
export function ProjectSheets({ stopName, rows, criteria, onReopen, isOnline }: ProjectSheetsProps) {
  const [target, setTarget] = useState<SheetRow | null>(null);
  const [reason, setReason] = useState('');
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    if (!target?.sheetId || !onReopen) return;
    if (!reason.trim()) {
      setError('请填写退回原因。');
      return;
    }
    setIsBusy(true);
    setError(null);
    try {
      await onReopen(target.sheetId, reason.trim());
      setTarget(null);
      setReason('');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <section className="project-sheets" data-testid="project-sheets" aria-label={`${stopName} 评分明细`}>
      <h3>{stopName} · 各评委评分</h3>
      <table className="desk-table">
        <thead>
          <tr>
            <th scope="col">评委</th>
            {criteria.map((c) => (
              <th scope="col" key={c.key} className="num">
                {c.name}
              </th>
            ))}
            <th scope="col" className="num">
              合计
            </th>
            <th scope="col">计分</th>
            {onReopen && <th scope="col">操作</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.scorerId} data-scorer-id={r.scorerId} data-fate={r.fate} className={`fate--${r.fate}`}>
              <th scope="row">{r.scorerName}</th>
              {criteria.map((c) => (
                <td key={c.key} className="num">
                  {r.scores[c.key] ?? '—'}
                </td>
              ))}
              <td className="num">{r.total?.display ?? '—'}</td>
              <td>{fateLabels[r.fate]}</td>
              {onReopen && (
                <td>
                  {r.status === 'submitted' && r.sheetId && r.fate !== 'recused' && (
                    <button
                      type="button"
                      className="button button--ghost"
                      onClick={() => {
                        setTarget(r);
                        setError(isOnline ? null : '退回评分表需要联网：当前离线，请联网后再试。');
                      }}
                    >
                      退回
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <ConfirmDialog
        isOpen={target !== null}
        title={`退回 ${target?.scorerName ?? ''} 对“${stopName}”的评分表`}
        confirmLabel="退回"
        cancelLabel="取消"
        isDestructive
        isBusy={isBusy}
        error={error}
        onConfirm={() => void confirm()}
        onCancel={() => {
          setTarget(null);
          setError(null);
        }}
      >
        <p>退回后评委可修改并重新提交；操作记入审计日志。</p>
        <label className="reopen-reason">
          退回原因
          <textarea value={reason} maxLength={1000} rows={3} onChange={(e) => setReason(e.target.value)} />
        </label>
      </ConfirmDialog>
    </section>
  );
}
