import { memo } from 'react';
import { formatDateTime } from '../../../i18n/format';
import { useI18n } from '../../../i18n/use-t';
import type { AuditEntry } from './desk-api';
import { auditActionLabel } from './rankings-labels';

export interface AuditLogPanelProps {
  entries: readonly AuditEntry[] | null;
  error: string | null;
  isLoading: boolean;
  /** sheet id → "评委甲 · 项目名" (stable: the panel is memoised and does not follow rule changes) */
  describeRecord: (recordId: string | null) => string;
  onRefresh: () => void;
}

/** The server's audit log for this tour (GET /api/audit), newest first. */
export const AuditLogPanel = memo(function AuditLogPanel({ entries, error, isLoading, describeRecord, onRefresh }: AuditLogPanelProps) {
  const { t, locale } = useI18n();
  return (
    <section className="audit-log" data-testid="audit-log">
      {/* the button beside the heading, not inside it: it is an ordinary small button, not heading text */}
      <div className="audit-log__header">
        <h2>{t('desk.rankings.audit.title')}</h2>
        <button type="button" className="button audit-log__refresh" onClick={onRefresh} disabled={isLoading}>
          {isLoading ? t('desk.rankings.audit.loading') : t('desk.rankings.audit.refresh')}
        </button>
      </div>
      {error && <p className="notice notice--warning">{error}</p>}
      {entries && entries.length === 0 && <p className="empty">{t('desk.rankings.audit.empty')}</p>}
      {entries && entries.length > 0 && (
        <table className="desk-table">
          <thead>
            <tr>
              <th scope="col">{t('desk.rankings.audit.time')}</th>
              <th scope="col">{t('desk.rankings.audit.user')}</th>
              <th scope="col">{t('desk.rankings.audit.action')}</th>
              <th scope="col">{t('desk.rankings.audit.record')}</th>
              <th scope="col">{t('desk.rankings.audit.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>
                  <time dateTime={e.createdAt}>{formatDateTime(e.createdAt, locale)}</time>
                </td>
                <td>{e.user.username}</td>
                <td>{auditActionLabel(e.action, t)}</td>
                <td>{describeRecord(e.recordId)}</td>
                <td data-testid="audit-reason">{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
});
