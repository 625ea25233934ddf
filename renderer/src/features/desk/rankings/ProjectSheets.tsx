import { useState } from 'react';
import { useT } from '../../../i18n/use-t';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import type { CriterionColumn, SheetRow } from './ranking-tables';
import { fateKey } from './rankings-labels';

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
  const t = useT();
  const [target, setTarget] = useState<SheetRow | null>(null);
  const [reason, setReason] = useState('');
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    if (!target?.sheetId || !onReopen) return;
    if (!reason.trim()) {
      setError(t('desk.rankings.sheets.reasonRequired'));
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
    <section className="project-sheets" data-testid="project-sheets" aria-label={t('desk.rankings.sheets.label', { stop: stopName })}>
      <h3>{t('desk.rankings.sheets.heading', { stop: stopName })}</h3>
      <table className="desk-table">
        <thead>
          <tr>
            <th scope="col">{t('desk.rankings.sheets.scorer')}</th>
            {criteria.map((c) => (
              <th scope="col" key={c.key} className="num">
                {c.name}
              </th>
            ))}
            <th scope="col" className="num">
              {t('desk.rankings.sheets.total')}
            </th>
            <th scope="col">{t('desk.rankings.sheets.fate')}</th>
            {onReopen && <th scope="col">{t('desk.rankings.sheets.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.scorerId} data-scorer-id={r.scorerId} data-fate={r.fate} className={`fate--${r.fate}`}>
              <th scope="row">{r.scorerName}</th>
              {criteria.map((c) => (
                <td key={c.key} className="num">
                  {r.scores[c.key] ?? t('desk.rankings.none')}
                </td>
              ))}
              <td className="num">{r.total?.display ?? t('desk.rankings.none')}</td>
              <td>{t(fateKey[r.fate])}</td>
              {onReopen && (
                <td>
                  {r.status === 'submitted' && r.sheetId && r.fate !== 'recused' && (
                    <button
                      type="button"
                      className="button button--ghost"
                      onClick={() => {
                        setTarget(r);
                        setError(isOnline ? null : t('desk.rankings.sheets.reopenOffline'));
                      }}
                    >
                      {t('desk.rankings.sheets.reopen')}
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
        title={t('desk.rankings.sheets.reopenTitle', { scorer: target?.scorerName ?? '', stop: stopName })}
        confirmLabel={t('desk.rankings.sheets.reopen')}
        cancelLabel={t('desk.rankings.sheets.cancel')}
        isDestructive
        isBusy={isBusy}
        error={error}
        onConfirm={() => void confirm()}
        onCancel={() => {
          setTarget(null);
          setError(null);
        }}
      >
        <p>{t('desk.rankings.sheets.reopenBody')}</p>
        <label className="reopen-reason">
          {t('desk.rankings.sheets.reason')}
          <textarea value={reason} maxLength={1000} rows={3} onChange={(e) => setReason(e.target.value)} />
        </label>
      </ConfirmDialog>
    </section>
  );
}
