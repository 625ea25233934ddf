import { importScorerTable, planScorerRows, readPastedTable, readTableFile, type ImportIssue, type ImportResult, type ScorerPlan, type ScorerTable } from '@shared/import';
import { useId, useMemo, useRef, useState } from 'react';
import type { UserListItem } from '@shared/sync/auth-protocol';
import type { Scorer, Tour, Unit } from '../../../../db/entities';
import { useDb } from '../../../../db/db-context';
import type { MessageKey } from '../../../../i18n/catalogs';
import { useI18n } from '../../../../i18n/use-t';
import { describeDeskError } from '../../desk-error';
import { saveBytes } from '../../export/save-file';
import { assignScorers, type ScorerDraft } from '../desk-repo';
import type { ServerAccounts } from '../use-server-accounts';
import { createAccounts, CreateAccountsError, type AccountOutcome, type AccountRequest } from './create-accounts';
import { newOneTimePassword } from './one-time-password';
import { PasswordSheet } from './PasswordSheet';
import { ScorerImportPreview } from './ScorerImportPreview';
import type { PasswordEntry } from './scorer-list-files';
import { useKnownPeople, useSessionRole, useSessionServer } from './use-desk-people';

type Source = { label: string; result: ImportResult<ScorerTable> };
type Message = { tone: 'success' | 'error' | 'info'; text: string; details?: string[] };

/**
 * Bulk assignment (批量分配): paste the list from Excel or pick its file → a preview of every row
 * (matched account, account to create, already in the tour, or what is wrong) → 「全部分配」
 * assigns every ready row in one transaction, in the list's order after the people already
 * assigned. Nothing is saved before that click.
 *
 * Rows without an account: an admin creates them here (one-time passwords, shown once on a
 * printable sheet); anyone else downloads them as a list for the administrator and assigns the
 * rest now. Offline, only people this desk knows can be matched; the rest wait.
 */
export function ScorerImport({
  tour,
  units,
  scorers,
  accounts,
  onAccountsCreated,
  onReloadAccounts,
}: {
  tour: Tour;
  units: readonly Unit[];
  scorers: readonly Scorer[];
  accounts: ServerAccounts;
  onAccountsCreated: (users: readonly UserListItem[]) => void;
  /** reads the server's accounts again (GET /api/users) */
  onReloadAccounts: () => void;
}) {
  const db = useDb();
  const { t, locale } = useI18n();
  const known = useKnownPeople();
  const role = useSessionRole();
  const serverUrl = useSessionServer();
  const textId = useId();
  const fileId = useId();
  const [text, setText] = useState('');
  const [source, setSource] = useState<Source | null>(null);
  const [isBusy, setIsBusy] = useState<'create' | 'assign' | 'download' | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [passwords, setPasswords] = useState<PasswordEntry[] | null>(null);
  // one-time passwords by user name, kept for a retry of the same accounts (create-accounts.ts)
  const pendingPasswords = useRef(new Map<string, string>());

  const assignedUserIds = useMemo(() => new Set(scorers.map((s) => s.userId)), [scorers]);
  const plan: ScorerPlan | null = useMemo(() => {
    // while the server's accounts are on their way, matching would wrongly fall back to the people known here
    if (!source?.result.ok || accounts.status === 'loading') return null;
    return planScorerRows(source.result.value, { accounts: accounts.status === 'ready' ? accounts.users : null, knownPeople: known ?? [], assignedUserIds });
  }, [source, accounts, known, assignedUserIds]);

  const say = (issue: ImportIssue) => (locale === 'zh-CN' ? issue.message : issue.messageEn);
  const read = (label: string, rows: ImportResult<string[][]>) => {
    setMessage(null);
    setSource({ label, result: rows.ok ? importScorerTable(rows.value, { units }) : rows });
    // the list is matched against the server's accounts as they are NOW: the usual way is to
    // hand the missing accounts to the administrator and import the same list again once they
    // exist, with this page still open (the preview waits for the fresh list, see `plan`)
    if (rows.ok) onReloadAccounts();
  };

  async function onFile(file: File | undefined) {
    if (!file) return;
    read(file.name, readTableFile(file.name, new Uint8Array(await file.arrayBuffer())));
  }

  const isAdmin = role === 'admin';
  const creates = plan?.rows.flatMap((p) => (p.kind === 'create' ? [p] : [])) ?? [];
  const ready = plan?.rows.flatMap((p) => (p.kind === 'assign' ? [p] : [])) ?? [];
  const problems = plan?.rows.filter((p) => p.kind === 'error' || p.kind === 'unchecked') ?? [];

  async function createMissing() {
    if (creates.length === 0) return;
    setIsBusy('create');
    setMessage(null);
    const requests: AccountRequest[] = creates.map((p) => {
      let password = pendingPasswords.current.get(p.username);
      if (!password) pendingPasswords.current.set(p.username, (password = newOneTimePassword()));
      return { row: p.row.row, username: p.username, displayName: p.name, role: p.accountRole, password };
    });
    let outcomes: AccountOutcome[];
    try {
      outcomes = await createAccounts(db, requests);
    } catch (e) {
      const reason = e instanceof CreateAccountsError ? t(`desk.scorers.create.failed.${e.reason}` as MessageKey) : describeDeskError(e, t);
      setMessage({ tone: 'error', text: t('desk.scorers.create.failedBecause', { reason }) });
      setIsBusy(null);
      return;
    }
    const postOf = new Map(creates.map((p) => [p.username, p.row.post]));
    const made = outcomes.flatMap((o) => (o.kind === 'created' ? [o] : []));
    const entries = made.map((o) => ({ name: o.request.displayName, username: o.user.username, password: o.request.password, post: postOf.get(o.request.username) ?? null }));
    for (const o of made) pendingPasswords.current.delete(o.request.username);
    onAccountsCreated(outcomes.flatMap((o) => (o.kind === 'invalid' ? [] : [o.user])));
    if (entries.length > 0) setPasswords((current) => [...(current ?? []), ...entries]);
    const others = outcomes.filter((o) => o.kind !== 'created');
    setMessage({
      tone: others.length > 0 ? 'error' : 'success',
      text: t('desk.scorers.create.done', { count: entries.length }),
      details: others.map((o) =>
        o.kind === 'exists'
          ? t('desk.scorers.create.existed', { row: o.request.row, username: o.user.username })
          : t('desk.scorers.create.invalid', { row: o.request.row, username: o.request.username, reason: o.kind === 'invalid' ? o.message : '' }),
      ),
    });
    setIsBusy(null);
  }

  async function assignAll() {
    if (!plan || ready.length === 0) return;
    setIsBusy('assign');
    setMessage(null);
    const drafts: ScorerDraft[] = ready.map((p) => ({
      userId: p.account.id,
      name: p.name,
      role: p.row.role,
      homeUnitId: p.row.homeUnitId,
      weightGroup: p.row.weightGroup,
      ...(p.row.post ? { post: p.row.post } : {}),
    }));
    try {
      const written = await assignScorers(db, tour.id, drafts);
      // what was left out, for the clerk to follow up: people without accounts in one line, then each problem
      const noAccount = plan.rows.flatMap((p) => (p.kind === 'create' ? [p.name] : []));
      const details = [
        ...(noAccount.length > 0 ? [t('desk.scorers.assign.leftNoAccounts', { count: noAccount.length, names: noAccount.join(t('desk.scorers.listSeparator')) })] : []),
        ...plan.rows.flatMap((p) => (p.kind === 'error' ? p.issues.map(say) : p.kind === 'unchecked' ? [say(p.message)] : [])),
      ];
      setMessage({ tone: details.length > 0 ? 'info' : 'success', text: t('desk.scorers.assign.done', { count: written.length }), details });
      setSource(null);
      setText('');
    } catch (e) {
      setMessage({ tone: 'error', text: t('desk.common.saveFailed', { reason: describeDeskError(e, t) }) });
    } finally {
      setIsBusy(null);
    }
  }

  async function downloadMissing() {
    setIsBusy('download');
    try {
      const { listFileName, missingAccountsWorkbook, XLSX_MIME } = await import('./scorer-list-files');
      const unitName = new Map(units.map((u) => [u.id, u.name]));
      const bytes = await missingAccountsWorkbook(
        creates.map((p) => ({ name: p.name, username: p.username, post: p.row.post, unit: p.row.homeUnitId ? (unitName.get(p.row.homeUnitId) ?? p.row.unitText) : p.row.unitText, weightGroup: p.row.weightGroup, role: p.accountRole })),
      );
      const outcome = await saveBytes(bytes, listFileName(tour.name, '待建账号名单'), XLSX_MIME, { name: t('desk.export.fileFilter'), extensions: ['xlsx'] });
      if (outcome.kind === 'failed') setMessage({ tone: 'error', text: t('desk.scorers.missing.downloadFailed', { reason: outcome.message }) });
    } catch (e) {
      setMessage({ tone: 'error', text: t('desk.scorers.missing.downloadFailed', { reason: describeDeskError(e, t) }) });
    } finally {
      setIsBusy(null);
    }
  }

  return (
    <div className="scorer-import" data-testid="scorer-import">
      <h3>{t('desk.scorers.import.title')}</h3>
      <p className="muted scorer-import__columns">{t('desk.scorers.import.columns')}</p>
      {message && (
        <div className={`notice notice--${message.tone}`} role={message.tone === 'error' ? 'alert' : 'status'} data-testid="scorer-import-message">
          <p className="notice__title">{message.text}</p>
          {message.details && message.details.length > 0 && (
            <ul>
              {message.details.map((d, i) => (
                <li key={i}>{d}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {passwords && passwords.length > 0 && <PasswordSheet tourName={tour.name} serverUrl={serverUrl ?? null} entries={passwords} onClose={() => setPasswords(null)} />}
      {!source && (
        <div className="scorer-import__inputs">
          <div className="desk-field scorer-import__paste">
            <label htmlFor={textId}>{t('desk.scorers.import.pasteLabel')}</label>
            <textarea
              id={textId}
              rows={4}
              value={text}
              spellCheck={false}
              onChange={(e) => setText(e.currentTarget.value)}
              onPaste={(e) => {
                // a paste into the empty box is the whole list: preview it at once
                const pasted = e.clipboardData.getData('text/plain');
                if (text.trim() === '' && pasted.trim() !== '') {
                  e.preventDefault();
                  setText(pasted);
                  read(t('desk.scorers.import.pastedSource'), readPastedTable(pasted));
                }
              }}
            />
          </div>
          <div className="desk-form__actions">
            <button type="button" className="button button--primary" disabled={text.trim() === ''} onClick={() => read(t('desk.scorers.import.pastedSource'), readPastedTable(text))}>
              {t('desk.scorers.import.preview')}
            </button>
            <span className="muted">{t('desk.scorers.import.or')}</span>
            <input
              id={fileId}
              type="file"
              className="visually-hidden"
              accept=".xlsx,.xlsm,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
              onChange={(e) => {
                void onFile(e.currentTarget.files?.[0]);
                e.currentTarget.value = '';
              }}
            />
            <label htmlFor={fileId} className="button">
              {t('desk.scorers.import.chooseFile')}
            </label>
          </div>
        </div>
      )}
      {source && !source.result.ok && (
        <div className="notice notice--error" role="alert" data-testid="scorer-import-errors">
          <p className="notice__title">{t('desk.scorers.import.unreadable', { source: source.label })}</p>
          <ul>
            {source.result.errors.map((issue, i) => (
              <li key={i}>{say(issue)}</li>
            ))}
          </ul>
          <button type="button" className="button" onClick={() => setSource(null)}>
            {t('desk.scorers.import.again')}
          </button>
        </div>
      )}
      {source?.result.ok && accounts.status === 'loading' && (
        <p className="muted" role="status">
          {t('desk.scorers.accounts.loading')}
        </p>
      )}
      {plan && source && (
        <div className="scorer-import__preview" data-testid="scorer-import-preview">
          <p className="scorer-import__summary" role="status" data-testid="scorer-import-summary">
            {t('desk.scorers.preview.summary', { source: source.label, count: plan.rows.length })}{' '}
            <strong>{t('desk.scorers.preview.countReady', { count: plan.counts.assign })}</strong>
            {plan.counts.create > 0 && <> · {t('desk.scorers.preview.countCreate', { count: plan.counts.create })}</>}
            {plan.counts.assigned > 0 && <> · {t('desk.scorers.preview.countAssigned', { count: plan.counts.assigned })}</>}
            {problems.length > 0 && <> · <span className="scorer-preview__problem">{t('desk.scorers.preview.countProblems', { count: problems.length })}</span></>}
          </p>
          {problems.length > 0 && (
            <div className="notice notice--error" data-testid="scorer-import-problems">
              <p className="notice__title">{t('desk.scorers.preview.problemsTitle', { count: problems.length })}</p>
              <ul>
                {problems.flatMap((p) => (p.kind === 'error' ? p.issues : p.kind === 'unchecked' ? [p.message] : [])).map((issue, i) => (
                  <li key={i}>{say(issue)}</li>
                ))}
              </ul>
            </div>
          )}
          {accounts.status !== 'ready' && accounts.status !== 'loading' && <p className="notice notice--warning">{t('desk.scorers.preview.offline')}</p>}
          {creates.length > 0 && accounts.status === 'ready' && (
            <div className={`notice ${isAdmin ? 'notice--info' : 'notice--warning'}`} data-testid="missing-accounts">
              <p>{isAdmin ? t('desk.scorers.missing.admin', { count: creates.length }) : t('desk.scorers.missing.secretariat', { count: creates.length })}</p>
              <div className="desk-form__actions">
                {isAdmin && (
                  <button type="button" className="button button--primary" onClick={() => void createMissing()} disabled={isBusy !== null}>
                    {isBusy === 'create' ? t('desk.scorers.create.busy') : t('desk.scorers.create.button', { count: creates.length })}
                  </button>
                )}
                <button type="button" className="button" onClick={() => void downloadMissing()} disabled={isBusy !== null} data-testid="download-missing">
                  {t('desk.scorers.missing.download', { count: creates.length })}
                </button>
              </div>
            </div>
          )}
          <div className="desk-form__actions">
            <button type="button" className="button button--primary" onClick={() => void assignAll()} disabled={isBusy !== null || ready.length === 0} data-testid="assign-all">
              {isBusy === 'assign' ? t('desk.scorers.assign.busy') : t('desk.scorers.assign.button', { count: ready.length })}
            </button>
            <button
              type="button"
              className="button button--ghost"
              onClick={() => {
                // the list is thrown away, box included: a new paste previews at once again
                setSource(null);
                setMessage(null);
                setText('');
              }}
              data-testid="discard-import"
            >
              {t('desk.scorers.import.discard')}
            </button>
          </div>
          <ScorerImportPreview plan={plan} units={units} />
        </div>
      )}
    </div>
  );
}
