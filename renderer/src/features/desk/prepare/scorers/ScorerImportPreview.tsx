import type { ScorerPlan, ScorerRowPlan } from '@shared/import';
import type { Unit } from '../../../../db/entities';
import { useI18n } from '../../../../i18n/use-t';

/**
 * Every row of the pasted or imported list and what 「全部分配」 will do with it, in the list's
 * own order and with its spreadsheet row numbers, so the clerk can find a row in Excel.
 */
export function ScorerImportPreview({ plan, units }: { plan: ScorerPlan; units: readonly Unit[] }) {
  const { t } = useI18n();
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  return (
    <div className="scorer-preview">
      <table className="desk-table scorer-preview__table" data-testid="scorer-preview">
        <thead>
          <tr>
            <th scope="col" className="num">
              {t('desk.scorers.preview.row')}
            </th>
            <th scope="col">{t('desk.scorers.col.name')}</th>
            <th scope="col">{t('desk.scorers.col.post')}</th>
            <th scope="col">{t('desk.scorers.col.homeUnit')}</th>
            <th scope="col">{t('desk.scorers.col.weightGroup')}</th>
            <th scope="col">{t('desk.scorers.col.role')}</th>
            <th scope="col">{t('desk.scorers.col.account')}</th>
            <th scope="col">{t('desk.scorers.preview.result')}</th>
          </tr>
        </thead>
        <tbody>
          {plan.rows.map((p) => {
            const unit = p.row.homeUnitId ? unitName.get(p.row.homeUnitId) : undefined;
            return (
              <tr key={p.row.row} className={`scorer-preview__row scorer-preview__row--${p.kind}`} data-testid="scorer-preview-row" data-kind={p.kind} data-row={p.row.row}>
                <td className="num">{p.row.row}</td>
                <td>{p.kind === 'assign' ? p.name : (p.row.name ?? '')}</td>
                <td>{p.row.post ?? ''}</td>
                <td>
                  {unit ?? p.row.unitText}
                  {unit && unit !== p.row.unitText && <span className="muted"> {t('desk.scorers.preview.unitAsWritten', { text: p.row.unitText })}</span>}
                </td>
                <td>{p.row.weightGroup ?? ''}</td>
                <td>{p.row.role === 'scorer' ? t('desk.scorers.role.scorer') : t('desk.scorers.role.observer')}</td>
                <td className="mono">
                  <AccountCell plan={p} />
                </td>
                <td>
                  <ResultCell plan={p} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function AccountCell({ plan }: { plan: ScorerRowPlan }) {
  const { t } = useI18n();
  switch (plan.kind) {
    case 'assign':
    case 'assigned':
      return <>{plan.account.username}</>;
    case 'create':
      return (
        <>
          {plan.username} <span className="badge badge--new">{t('desk.scorers.preview.newAccount')}</span>
        </>
      );
    default:
      return <>{plan.row.usernameText}</>;
  }
}

/**
 * An issue's message without its row number, which the row's own first cell shows: 第7行「所属单位」:
 * 找不到… → 「所属单位」: 找不到…; 第7行: … → …  (the wording of shared/import/issues.ts).
 */
export function messageInRow(issue: { row: number; message: string; messageEn: string }, locale: string): string {
  if (locale === 'zh-CN') {
    const prefix = `第${issue.row}行`;
    if (!issue.message.startsWith(prefix)) return issue.message;
    const rest = issue.message.slice(prefix.length);
    return rest.startsWith(': ') ? rest.slice(2) : rest;
  }
  const column = `Row ${issue.row}, column `;
  if (issue.messageEn.startsWith(column)) return `Column ${issue.messageEn.slice(column.length)}`;
  const whole = `Row ${issue.row}: `;
  return issue.messageEn.startsWith(whole) ? issue.messageEn.slice(whole.length) : issue.messageEn;
}

function ResultCell({ plan }: { plan: ScorerRowPlan }) {
  const { t, locale } = useI18n();
  const say = (issue: { row: number; message: string; messageEn: string }) => messageInRow(issue, locale);
  switch (plan.kind) {
    case 'assign':
      return (
        <>
          <span className="scorer-preview__ok">✓ {t('desk.scorers.preview.ready')}</span>
          {plan.note && <span className="muted scorer-preview__note">{locale === 'zh-CN' ? plan.note.zh : plan.note.en}</span>}
        </>
      );
    case 'create':
      return <span className="scorer-preview__create">{t('desk.scorers.preview.needsAccount')}</span>;
    case 'assigned':
      return <span className="muted">{t('desk.scorers.preview.inTour')}</span>;
    case 'unchecked':
      return <span className="scorer-preview__problem">{say(plan.message)}</span>;
    case 'error':
      return (
        <ul className="scorer-preview__problems">
          {plan.issues.map((issue, i) => (
            <li key={i}>{say(issue)}</li>
          ))}
        </ul>
      );
  }
}
