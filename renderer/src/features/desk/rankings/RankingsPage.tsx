import { useCallback, useEffect, useMemo, useState } from 'react';
import { rulesKey, type RankScope } from '@shared/domain/schemas';
import { Link } from '../../../app/Link';
import { useOnlineStatus } from '../../../app/use-online-status';
import { useDb } from '../../../db/db-context';
import { putSynced } from '../../../db/outbox';
import { useT } from '../../../i18n/use-t';
import { useSyncEngine } from '../../../sync/SyncProvider';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { tourStatusKey } from '../desk-labels';
import { ExportWorkbookButton } from '../export/ExportWorkbookButton';
import { LiveRefresh } from '../live/LiveRefresh';
import { useDeskSync } from '../live/use-desk-sync';
import { useDeskAccess } from '../use-desk-access';
import { AuditLogPanel } from './AuditLogPanel';
import { DeskApiError, deskApiMessageKey, fetchAuditLog, reopenSheetOnServer, type AuditEntry } from './desk-api';
import { ProjectSheets } from './ProjectSheets';
import { CriterionMeans, ProjectRankingTable, ScorerTable, UnitRankingTable } from './RankingTables';
import { issueText, rankScopeKey, type RecordNames } from './rankings-labels';
import { RulesPanel } from './RulesPanel';
import { isTrialOf, useTrialRules } from './trial-rules';
import { useComputedRankings, useTourRecords, type TourRecords } from './use-rankings-data';
import type { ListScope } from './ranking-tables';
import './rankings.css';

/**
 * #/tours/:id/rankings — project and unit rankings per group, per-criterion means, each scorer's
 * sheets with the dropped highest/lowest marked, recusals, ties, scorers far from the others.
 * The secretariat previews rule changes (recomputed at once), saves them, reopens sheets
 * (online, audited), exports the workbook and publishes the results. Everyone else sees the
 * rankings read-only once the results are published. A rank-vote tour ranks units from the
 * scorers' ballots: it has unit tables only.
 *
 * What must stay true for the rule-change speed (see RankingTables.tsx): one recompute per rules
 * value (useComputedRankings), callbacks handed to memoised children are stable, and nothing on
 * the page reads `tables.sheets` (all 24,000 rows) on a render — one project's rows come from
 * `tables.sheetsOfStop`, the audit log's names from the records.
 */
export function RankingsPage({ tourId }: { tourId: string }) {
  const t = useT();
  const db = useDb();
  const access = useDeskAccess();
  const records = useTourRecords(tourId);
  const isOnline = useOnlineStatus();
  const engine = useSyncEngine();
  useDeskSync();
  // trial rules live in a small store (trial-rules.ts), so the export and the bulletin know of them
  const [trialRules, setTrialRules] = useTrialRules(tourId);
  const [selectedStopId, setSelectedStopId] = useState<string | null>(null);
  const [isSaving, setIsSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [isPublishOpen, setIsPublishOpen] = useState(false);
  const [publishError, setPublishError] = useState<string | null>(null);
  const [audit, setAudit] = useState<{ entries: AuditEntry[] | null; error: string | null; isLoading: boolean }>({ entries: null, error: null, isLoading: false });

  const tour = records?.tour ?? null;
  const isStaff = access === 'allowed';
  // only the secretariat tries rules; anyone else sees the saved ones
  const isTrial = isStaff && tour !== null && isTrialOf(trialRules, tour.rules);
  const rules = isTrial && trialRules ? trialRules : (tour?.rules ?? null);
  const computed = useComputedRankings(records, rules);

  const refreshAudit = useCallback(async () => {
    setAudit((a) => ({ ...a, isLoading: true }));
    try {
      const entries = await fetchAuditLog(db, tourId);
      setAudit({ entries, error: null, isLoading: false });
    } catch (e) {
      const message = e instanceof DeskApiError ? t(e.failure === 'offline' ? 'desk.rankings.auditOffline' : deskApiMessageKey[e.failure]) : String(e);
      setAudit((a) => ({ ...a, error: message, isLoading: false }));
    }
  }, [db, tourId, t]);

  useEffect(() => {
    if (isStaff && isOnline) void refreshAudit();
  }, [isStaff, isOnline, refreshAudit]);

  // a saved (or synced) tour whose rules equal the trial ends the trial (same figures:
  // useComputedRankings keys on the rules' value, so this does not recompute)
  const savedRulesKey = tour ? rulesKey(tour.rules) : null;
  useEffect(() => {
    if (trialRules && savedRulesKey === rulesKey(trialRules)) setTrialRules(null);
  }, [trialRules, savedRulesKey, setTrialRules]);

  const weightGroups = useMemo(() => [...new Set((records?.scorers ?? []).map((s) => s.weightGroup).filter((g): g is string => g !== null))].sort(), [records]);
  const describeRecord = useSheetNames(records);
  const recordNames = useRecordNames(records);
  const toggleSelected = useCallback((stopId: string) => setSelectedStopId((cur) => (cur === stopId ? null : stopId)), []);
  const resetRules = useCallback(() => setTrialRules(null), [setTrialRules]);
  const onRefreshAudit = useCallback(() => void refreshAudit(), [refreshAudit]);

  const saveRules = useCallback(async () => {
    if (!tour || !trialRules) return;
    setIsSaving(true);
    setSaveError(null);
    try {
      // the trial stays until the saved tour comes back through the live query (effect
      // above), so the tables never flash the old rules' figures in between
      await putSynced(db, 'tours', { ...tour, rules: trialRules }, ['rules']);
    } catch (e) {
      setSaveError(t('desk.rankings.rulesNotSaved', { reason: e instanceof Error ? e.message : String(e) }));
    } finally {
      setIsSaving(false);
    }
  }, [db, tour, trialRules, t]);
  const onSaveRules = useCallback(() => void saveRules(), [saveRules]);

  const reopen = useCallback(
    async (sheetId: string, reason: string) => {
      try {
        await reopenSheetOnServer(db, sheetId, reason);
      } catch (e) {
        throw new Error(e instanceof DeskApiError ? t(deskApiMessageKey[e.failure]) : String(e));
      }
      // the reopened status reaches this device through sync (the server is the one that changed it)
      void engine?.syncNow();
      void refreshAudit();
    },
    [db, engine, refreshAudit, t],
  );

  const tables = computed?.tables ?? null;
  // one project's rows, built for that project alone (not the tour's 24,000)
  const selectedRows = useMemo(() => (tables && selectedStopId ? tables.sheetsOfStop(selectedStopId) : []), [tables, selectedStopId]);

  if (records === undefined || access === 'loading') {
    return (
      <p className="muted" role="status">
        {t('common.loading')}
      </p>
    );
  }
  if (records === null || !tour || !computed || !tables) {
    return (
      <section className="page">
        <h1 className="page__title" tabIndex={-1}>
          {t('desk.rankings.notFound')}
        </h1>
        <p>
          <Link to={{ name: 'tours' }}>{t('desk.rankings.back')}</Link>
        </p>
      </section>
    );
  }
  const isPublished = tour.status === 'results_published';
  const title = t('desk.rankings.title', { tour: tour.name });
  const isRankVote = (rules ?? tour.rules).method === 'rankVote';
  const notice = !isStaff && !isPublished ? t('desk.rankings.notYetPublished') : tour.kind !== 'scored' ? t('desk.rankings.studyTour') : !isRankVote && !tour.template ? t('desk.rankings.noTemplate') : null;
  if (notice) {
    return (
      <section className="page">
        <h1 className="page__title" tabIndex={-1}>
          {title}
        </h1>
        <p className="empty" role={!isStaff && !isPublished ? 'alert' : undefined}>
          {notice}
        </p>
      </section>
    );
  }

  const { rankings } = computed;
  const selectedName = selectedRows[0]?.stopName ?? '';

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

  return (
    <section className="page rankings" data-testid="rankings-page" data-method={rankings.method}>
      <header className="page__header">
        <h1 className="page__title" tabIndex={-1}>
          {title}
        </h1>
        <p className="page__subtitle">
          {t('desk.rankings.statusLabel')}
          <span data-testid="tour-status" data-status={tour.status}>{t(tourStatusKey[tour.status])}</span>
          {' · '}
          {t(isRankVote ? 'desk.rankings.missingBallots' : 'desk.rankings.missingSheets', { count: tables.missingCount })}
          {tables.flaggedScorers > 0 && ` · ${t('desk.rankings.flaggedScorers', { count: tables.flaggedScorers })}`}
        </p>
        <LiveRefresh />
        <div className="rankings__actions">
          <Link to={{ name: 'bulletin', tourId }} className="button">
            {t('desk.rankings.bulletinLink')}
          </Link>
          <ExportWorkbookButton tables={tables} tourStatus={tour.status} computedAt={computed.computedAt} isTrial={isTrial} />
          {isStaff && !isPublished && (
            <button type="button" className="button button--primary" onClick={() => setIsPublishOpen(true)} data-testid="publish-results">
              {t('desk.rankings.publish')}
            </button>
          )}
        </div>
      </header>

      {rankings.hasErrors && (
        <div className="notice notice--warning" role="status" data-testid="ranking-issues">
          <p className="notice__title">{t('desk.rankings.issuesTitle')}</p>
          <ul>
            {rankings.issues
              .filter((i) => i.severity === 'error')
              .slice(0, 10)
              .map((i, n) => (
                <li key={n}>{issueText(i, recordNames, t)}</li>
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
          onChange={setTrialRules}
          onSave={onSaveRules}
          onReset={resetRules}
        />
      )}

      {isRankVote && (
        <p className="muted" data-testid="rank-vote-note">
          {t('desk.rankings.rankVoteNote')}
        </p>
      )}

      {tables.projectLists.length > 0 && (
        <section className="rankings__section" aria-labelledby="rankings-projects-heading">
          <h2 className="rankings__heading" id="rankings-projects-heading">
            {t('desk.rankings.projectsHeading', { scope: t(rankScopeKey[shownScope(tables.projectLists, tables.rules.projectScope)]) })}
          </h2>
          {tables.projectLists.map((list) => (
            <div className="rankings__list" key={`${list.scope}-${list.group ?? ''}`}>
              <div className="rankings__block">
                <ProjectRankingTable list={list} selectedStopId={selectedStopId} onSelect={isStaff ? toggleSelected : undefined} />
              </div>
              {isStaff && selectedStopId && list.projects.some((p) => p.stopId === selectedStopId) && (
                <ProjectSheets stopName={selectedName} rows={selectedRows} criteria={tables.criteria} onReopen={isPublished ? null : reopen} isOnline={isOnline} />
              )}
              <CriterionMeans list={list} criteria={tables.criteria} />
            </div>
          ))}
        </section>
      )}

      <section className="rankings__section" aria-labelledby="rankings-units-heading">
        <h2 className="rankings__heading" id="rankings-units-heading">
          {t('desk.rankings.unitsHeading', { scope: t(rankScopeKey[shownScope(tables.unitLists, tables.rules.unitScope)]) })}
        </h2>
        {tables.unitLists.map((list) => (
          <div className="rankings__list" key={`${list.scope}-${list.group ?? ''}`}>
            <div className="rankings__block rankings__block--units">
              <UnitRankingTable list={list} isRankVote={isRankVote} />
            </div>
          </div>
        ))}
      </section>

      {isStaff && (
        <div className="rankings__block">
          <ScorerTable tables={tables} />
        </div>
      )}
      {isStaff && <AuditLogPanel entries={audit.entries} error={audit.error} isLoading={audit.isLoading} describeRecord={describeRecord} onRefresh={onRefreshAudit} />}

      <ConfirmDialog
        isOpen={isPublishOpen}
        title={t('desk.rankings.publishDialog.title')}
        confirmLabel={t('desk.rankings.publishDialog.confirm')}
        cancelLabel={t('desk.rankings.publishDialog.cancel')}
        error={publishError}
        onConfirm={() => void publish()}
        onCancel={() => setIsPublishOpen(false)}
      >
        <p>{t('desk.rankings.publishDialog.body')}</p>
        {tables.missingCount > 0 && (
          <p className="notice notice--warning">{t(isRankVote ? 'desk.rankings.publishDialog.missingBallots' : 'desk.rankings.publishDialog.missing', { count: tables.missingCount })}</p>
        )}
        {rankings.hasErrors && <p className="notice notice--warning">{t('desk.rankings.publishDialog.hasErrors')}</p>}
        {isTrial && <p className="notice notice--warning">{t('desk.rankings.publishDialog.trial')}</p>}
      </ConfirmDialog>
    </section>
  );
}

/**
 * Sheet (or ballot) id → "评委甲 · 项目名" for the audit log. From the records, not the ranking
 * tables: names do not depend on the rules, so a rule change neither rebuilds this nor
 * re-renders the log; the lookup is built on the first call only (when the log has entries).
 */
function useSheetNames(records: TourRecords | null | undefined): (recordId: string | null) => string {
  const t = useT();
  return useMemo(() => {
    let names: Map<string, string> | null = null;
    const build = (): Map<string, string> => {
      const map = new Map<string, string>();
      if (!records) return map;
      const stopName = new Map(records.stops.map((s) => [s.id, s.name]));
      const scorerName = new Map(records.scorers.map((s) => [s.id, s.name]));
      for (const s of records.sheets) map.set(s.id, t('desk.rankings.audit.recordName', { scorer: scorerName.get(s.scorerId) ?? s.scorerId, stop: stopName.get(s.stopId) ?? s.stopId }));
      for (const b of records.ballots ?? []) map.set(b.id, `${scorerName.get(b.scorerId) ?? b.scorerId}${b.group ? ` · ${b.group}` : ''}`);
      return map;
    };
    return (recordId) => {
      if (recordId === null) return t('desk.rankings.none');
      names ??= build();
      return names.get(recordId) ?? recordId;
    };
  }, [records, t]);
}

/** Names of a tour's stops, units and scorers by id (the id itself for one that is not there). */
function useRecordNames(records: TourRecords | null | undefined): RecordNames {
  return useMemo(() => {
    const byId = (list: readonly { id: string; name: string }[] | undefined) => {
      const map = new Map((list ?? []).map((r) => [r.id, r.name]));
      return (id: string) => map.get(id) ?? id;
    };
    return { stop: byId(records?.stops), unit: byId(records?.units), scorer: byId(records?.scorers) };
  }, [records]);
}

/** The scope the lists show: one list over the whole tour reads as such (a tour without groups), whatever the rule says. */
function shownScope(lists: readonly ListScope[], ruled: RankScope): RankScope {
  return lists.length > 0 && lists.every((l) => l.scope === 'tour') ? 'tour' : ruled;
}
