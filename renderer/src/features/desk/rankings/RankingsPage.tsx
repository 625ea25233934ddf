import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RankingRules } from '@shared/domain/schemas';
import { Link } from '../../../app/Link';
import { useOnlineStatus } from '../../../app/use-online-status';
import { useDb } from '../../../db/db-context';
import { putSynced } from '../../../db/outbox';
import { useSyncEngine } from '../../../sync/SyncProvider';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { tourStatusLabels } from '../desk-labels';
import { ExportWorkbookButton } from '../export/ExportWorkbookButton';
import { useDeskAccess } from '../use-desk-access';
import { AuditLogPanel } from './AuditLogPanel';
import { DeskApiError, deskApiMessages, fetchAuditLog, reopenSheetOnServer, type AuditEntry } from './desk-api';
import { ProjectSheets } from './ProjectSheets';
import { CriterionMeans, ProjectRankingTable, ScorerTable, UnitRankingTable } from './RankingTables';
import { RulesPanel } from './RulesPanel';
import { useComputedRankings, useTourRecords } from './use-rankings-data';
import './rankings.css';

/**
 * #/tours/:id/rankings — project and unit rankings per group, per-criterion means, each scorer's
 * sheets with the dropped highest/lowest marked, recusals, ties, scorers far from the others.
 * The secretariat previews rule changes (recomputed at once), saves them, reopens sheets
 * (online, audited), exports the workbook and publishes the results. Everyone else sees the
 * rankings read-only once the results are published.
 */
export function RankingsPage({ tourId }: { tourId: string }) {
  const db = useDb();
  const access = useDeskAccess();
  const records = useTourRecords(tourId);
  const isOnline = useOnlineStatus();
  const engine = useSyncEngine();
  const [previewRules, setPreviewRules] = useState<RankingRules | null>(null);
  const [selectedStopId, setSelectedStopId] = useState<string | null>(null);
  const [isSaving, setIsSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [isPublishOpen, setIsPublishOpen] = useState(false);
  const [publishError, setPublishError] = useState<string | null>(null);
  const [audit, setAudit] = useState<{ entries: AuditEntry[] | null; error: string | null; isLoading: boolean }>({ entries: null, error: null, isLoading: false });

  const tour = records?.tour ?? null;
  const rules = previewRules ?? tour?.rules ?? null;
  const computed = useComputedRankings(records, rules);
  const isStaff = access === 'allowed';

  const refreshAudit = useCallback(async () => {
    setAudit((a) => ({ ...a, isLoading: true }));
    try {
      const entries = await fetchAuditLog(db, tourId);
      setAudit({ entries, error: null, isLoading: false });
    } catch (e) {
      const message = e instanceof DeskApiError ? (e.failure === 'offline' ? '审计日志在服务器上：联网后可查看。' : deskApiMessages[e.failure]) : String(e);
      setAudit((a) => ({ ...a, error: message, isLoading: false }));
    }
  }, [db, tourId]);

  useEffect(() => {
    if (isStaff && isOnline) void refreshAudit();
  }, [isStaff, isOnline, refreshAudit]);

  // a saved (or synced) tour whose rules equal the preview ends the preview
  const savedRulesKey = tour ? JSON.stringify(tour.rules) : null;
  useEffect(() => {
    if (previewRules && savedRulesKey === JSON.stringify(previewRules)) setPreviewRules(null);
  }, [previewRules, savedRulesKey]);

  const weightGroups = useMemo(() => [...new Set((records?.scorers ?? []).map((s) => s.weightGroup).filter((g): g is string => g !== null))].sort(), [records]);
  const describeRecord = useCallback(
    (recordId: string | null) => {
      const row = computed?.tables.sheets.find((s) => s.sheetId === recordId);
      return row ? `${row.scorerName} · ${row.stopName}` : (recordId ?? '—');
    },
    [computed],
  );

  if (records === undefined || access === 'loading') {
    return (
      <p className="muted" role="status">
        正在加载…
      </p>
    );
  }
  if (records === null || !tour || !computed) {
    return (
      <section className="page">
        <h1 className="page__title" tabIndex={-1}>
          没有这个观摩活动
        </h1>
        <p>
          <Link to={{ name: 'tours' }}>← 返回</Link>
        </p>
      </section>
    );
  }
  const isPublished = tour.status === 'results_published';
  if (!isStaff && !isPublished) {
    return (
      <section className="page">
        <h1 className="page__title" tabIndex={-1}>
          {tour.name} · 排名
        </h1>
        <p className="empty" role="alert">
          排名在秘书处公布结果后可见。
        </p>
      </section>
    );
  }
  if (tour.kind !== 'scored' || !tour.template) {
    return (
      <section className="page">
        <h1 className="page__title" tabIndex={-1}>
          {tour.name} · 排名
        </h1>
        <p className="empty">这是考察学习活动，没有评分与排名。</p>
      </section>
    );
  }

  const { tables, rankings } = computed;
  // tables.sheets is built on first read (every sheet of the tour): only when a project is open
  const selectedRows = selectedStopId ? tables.sheets.filter((s) => s.stopId === selectedStopId) : [];
  const selectedName = selectedRows[0]?.stopName ?? '';

  async function saveRules() {
    if (!tour || !previewRules) return;
    setIsSaving(true);
    setSaveError(null);
    try {
      // the preview stays until the saved tour comes back through the live query (effect
      // above), so the tables never flash the old rules' figures in between
      await putSynced(db, 'tours', { ...tour, rules: previewRules }, ['rules']);
    } catch (e) {
      setSaveError(`规则未保存：${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setIsSaving(false);
    }
  }

  async function publish() {
    if (!tour) return;
    setPublishError(null);
    try {
      await putSynced(db, 'tours', { ...tour, status: 'results_published' }, ['status']);
      setIsPublishOpen(false);
    } catch (e) {
      setPublishError(e instanceof Error ? e.message : String(e));
    }
  }

  async function reopen(sheetId: string, reason: string) {
    try {
      await reopenSheetOnServer(db, sheetId, reason);
    } catch (e) {
      throw new Error(e instanceof DeskApiError ? deskApiMessages[e.failure] : String(e));
    }
    // the reopened status reaches this device through sync (the server is the one that changed it)
    void engine?.syncNow();
    void refreshAudit();
  }

  return (
    <section className="page rankings" data-testid="rankings-page">
      <header className="page__header">
        <h1 className="page__title" tabIndex={-1}>
          {tour.name} · 排名
        </h1>
        <p className="page__subtitle">
          状态：<span data-testid="tour-status">{tourStatusLabels[tour.status]}</span>
          {' · '}未交评分表 {tables.missingCount} 张{tables.flaggedScorers > 0 && ` · ${tables.flaggedScorers} 位评委打分明显偏离`}
        </p>
        <div className="rankings__actions">
          <Link to={{ name: 'bulletin', tourId }} className="button">
            通报（打印 / PDF）
          </Link>
          <ExportWorkbookButton tables={tables} />
          {isStaff && !isPublished && (
            <button type="button" className="button button--primary" onClick={() => setIsPublishOpen(true)}>
              公布结果
            </button>
          )}
        </div>
      </header>

      {rankings.hasErrors && (
        <div className="notice notice--warning" role="status" data-testid="ranking-issues">
          <p className="notice__title">数据有问题，公布前请先处理：</p>
          <ul>
            {rankings.issues
              .filter((i) => i.severity === 'error')
              .slice(0, 10)
              .map((i, n) => (
                <li key={n}>{i.message}</li>
              ))}
          </ul>
        </div>
      )}

      {isStaff && rules && (
        <RulesPanel
          tour={tour}
          rules={rules}
          weightGroups={weightGroups}
          isReadOnly={isPublished}
          isSaving={isSaving}
          saveError={saveError}
          onChange={setPreviewRules}
          onSave={() => void saveRules()}
          onReset={() => setPreviewRules(null)}
        />
      )}

      {tables.lists.map((list) => (
        <div className="rankings__list" key={`${list.isOverall}-${list.group ?? ''}`}>
          <ProjectRankingTable list={list} selectedStopId={selectedStopId} onSelect={isStaff ? (id) => setSelectedStopId((cur) => (cur === id ? null : id)) : undefined} />
          {isStaff && selectedStopId && list.projects.some((p) => p.stopId === selectedStopId) && (
            <ProjectSheets stopName={selectedName} rows={selectedRows} criteria={tables.criteria} onReopen={isPublished ? null : reopen} isOnline={isOnline} />
          )}
          <UnitRankingTable list={list} />
          <CriterionMeans list={list} criteria={tables.criteria} />
        </div>
      ))}

      {isStaff && <ScorerTable tables={tables} />}
      {isStaff && <AuditLogPanel entries={audit.entries} error={audit.error} isLoading={audit.isLoading} describeRecord={describeRecord} onRefresh={() => void refreshAudit()} />}

      <ConfirmDialog
        isOpen={isPublishOpen}
        title="公布排名结果"
        confirmLabel="公布"
        cancelLabel="取消"
        error={publishError}
        onConfirm={() => void publish()}
        onCancel={() => setIsPublishOpen(false)}
      >
        <p>公布后评委和观摩人员同步即可看到排名，规则不再修改。</p>
        {tables.missingCount > 0 && <p className="notice notice--warning">还有 {tables.missingCount} 张评分表未提交。</p>}
        {rankings.hasErrors && <p className="notice notice--warning">数据仍有问题（见页首）。</p>}
      </ConfirmDialog>
    </section>
  );
}
