import type { AuditEntry } from './desk-api';

const actionLabels: Record<string, string> = {
  sheet_reopened: '退回评分表',
  ballot_reopened: '退回排序票',
  tour_imported: '导入观摩活动',
  template_imported: '导入评分表模板',
};

export interface AuditLogPanelProps {
  entries: readonly AuditEntry[] | null;
  error: string | null;
  isLoading: boolean;
  /** sheet id → "评委甲 · 项目名" */
  describeRecord: (recordId: string | null) => string;
  onRefresh: () => void;
}

/** The server's audit log for this tour (GET /api/audit), newest first. */
export function AuditLogPanel({ entries, error, isLoading, describeRecord, onRefresh }: AuditLogPanelProps) {
  return (
    <section className="audit-log" data-testid="audit-log">
      <h2>
        审计日志{' '}
        <button type="button" className="button button--ghost" onClick={onRefresh} disabled={isLoading}>
          {isLoading ? '正在读取…' : '刷新'}
        </button>
      </h2>
      {error && <p className="notice notice--warning">{error}</p>}
      {entries && entries.length === 0 && <p className="empty">暂无记录。</p>}
      {entries && entries.length > 0 && (
        <table className="desk-table">
          <thead>
            <tr>
              <th scope="col">时间</th>
              <th scope="col">操作人</th>
              <th scope="col">操作</th>
              <th scope="col">对象</th>
              <th scope="col">原因</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{new Date(e.createdAt).toLocaleString('zh-CN', { hour12: false })}</td>
                <td>{e.user.username}</td>
                <td>{actionLabels[e.action] ?? e.action}</td>
                <td>{describeRecord(e.recordId)}</td>
                <td data-testid="audit-reason">{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
