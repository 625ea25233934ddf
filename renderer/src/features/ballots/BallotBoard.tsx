import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import type { RankBallot } from '@shared/domain/rank-vote';
import type { Scorer, Tour } from '@shared/domain/schemas';
import { Link } from '../../app/Link';
import type { BallotList } from '../../db/ballots-repo';
import { useDb } from '../../db/db-context';
import { useI18n } from '../../i18n/use-t';
import { useSyncEngine } from '../../sync/SyncProvider';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { LiveRefresh } from '../desk/live/LiveRefresh';
import { DeskApiError, reopenSheetOnServer } from '../desk/rankings/desk-api';
import { ballotCellKey, buildBallotBoard, type BallotCellState, type BallotCount } from './ballot-board-model';
import { ballotListName, ballotStateLabel } from './ballot-labels';
import '../desk/desk.css';
import './ballots.css';

const cellSymbols: Record<BallotCellState, string> = { submitted: '✔', draft: '✎', reopened: '↺', todo: '·', recused: '—' };
// the desk board's cell colours: a reopened ballot is a draft again
const cellClass: Record<BallotCellState, string> = { submitted: 'submitted', draft: 'draft', reopened: 'draft', todo: 'notStarted', recused: 'recused' };

interface ReopenTarget {
  ballot: RankBallot;
  scorer: Scorer;
  list: BallotList;
}

/**
 * The scoring board of a rank-vote tour (#/desk/tours/<id>/board): scorers × ranking lists with
 * each ballot's state, live as laptops sync, counts, who is missing, and the audited reopen of
 * a submitted ballot (needs the server; the reopened state comes back through sync).
 */
export function BallotBoard({ tour }: { tour: Tour }) {
  const { t } = useI18n();
  const db = useDb();
  const engine = useSyncEngine();
  const [target, setTarget] = useState<ReopenTarget | null>(null);
  const [reason, setReason] = useState('');
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const model = useLiveQuery(async () => {
    const [units, stops, scorers, ballots] = await Promise.all([
      db.units.where('tourId').equals(tour.id).toArray(),
      db.stops.where('tourId').equals(tour.id).toArray(),
      db.scorers.where('tourId').equals(tour.id).toArray(),
      db.ballots.where('tourId').equals(tour.id).toArray(),
    ]);
    return buildBallotBoard({ tour, units, stops, scorers, ballots });
  }, [db, tour]);

  async function confirmReopen() {
    if (!target) return;
    if (!reason.trim()) {
      setError(t('ballots.board.reopenNeedReason'));
      return;
    }
    setIsBusy(true);
    setError(null);
    try {
      await reopenSheetOnServer(db, target.ballot.id, reason.trim());
      setTarget(null);
      setReason('');
      // the reopened state reaches this device through sync (the server is the one that changed it)
      void engine?.syncNow();
    } catch (e) {
      setError(
        e instanceof DeskApiError
          ? e.failure === 'offline'
            ? t('ballots.board.reopenOffline')
            : e.failure === 'notSubmitted'
              ? t('ballots.board.reopenNotSubmitted')
              : e.failure === 'signedOut'
                ? t('ballots.board.reopenSignedOut')
                : t('ballots.board.reopenFailed', { message: e.message })
          : t('ballots.board.reopenFailed', { message: e instanceof Error ? e.message : String(e) }),
      );
    } finally {
      setIsBusy(false);
    }
  }

  const listName = (list: BallotList) => ballotListName(t, list);
  const count = (c: BallotCount) => `${c.submitted}/${c.expected}`;
  return (
    <section className="page desk" data-testid="ballot-board-page">
      <header className="page__header">
        <h1 className="page__title" tabIndex={-1}>
          {t('ballots.board.title')}
        </h1>
        {model && (
          <p className="page__subtitle">
            {tour.name} · <span data-testid="ballot-board-summary">{t('ballots.board.summary', { ...model.total })}</span>
            {' · '}
            <Link to={{ name: 'rankings', tourId: tour.id }}>{t('ballots.board.rankingsLink')}</Link>
          </p>
        )}
        <LiveRefresh />
      </header>
      {model === undefined ? (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      ) : model.scorers.length === 0 || model.lists.length === 0 ? (
        <p className="empty">{t('ballots.board.noScorers')}</p>
      ) : (
        <>
          <p className="desk-legend">
            {(['submitted', 'draft', 'reopened', 'todo', 'recused'] as const).map((s) => (
              <span key={s} className={`board-cell board-cell--${cellClass[s]}`}>
                {cellSymbols[s]} {ballotStateLabel(t, s)}
              </span>
            ))}
          </p>
          <div className="desk-scroll">
            <table className="desk-table board" data-testid="ballot-board">
              <caption className="visually-hidden">{t('ballots.board.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('ballots.board.scorer')}</th>
                  {model.lists.map((list) => (
                    <th scope="col" key={list.group ?? ''}>
                      {listName(list)}
                    </th>
                  ))}
                  <th scope="col">{t('ballots.board.submittedColumn')}</th>
                </tr>
              </thead>
              <tbody>
                {model.scorers.map((scorer) => (
                  <tr key={scorer.id} data-testid="ballot-board-row" data-scorer={scorer.name}>
                    <th scope="row">{scorer.name}</th>
                    {model.lists.map((list) => {
                      const cell = model.cells.get(ballotCellKey(scorer.id, list.group))!;
                      const label = ballotStateLabel(t, cell.state);
                      const order = cell.ballot?.unitIds.map((id) => list.units.find((u) => u.id === id)?.name ?? id).join(' › ');
                      return (
                        <td
                          key={list.group ?? ''}
                          className={`board-cell board-cell--${cellClass[cell.state]}`}
                          data-state={cell.state}
                          title={`${scorer.name} · ${listName(list)}：${label}${order ? ` · ${t('ballots.board.order', { order })}` : ''}`}
                        >
                          <span aria-hidden="true">{cellSymbols[cell.state]}</span>
                          <span className="visually-hidden">{label}</span>
                          {/* a ballot being built holds only what the voter placed: how far they got */}
                          {(cell.state === 'draft' || cell.state === 'reopened') && (
                            <span className="ballot-board__progress" data-testid="ballot-board-progress">
                              {' '}
                              {t('ballots.stateProgress', { placed: cell.placed, total: cell.total })}
                            </span>
                          )}
                          {cell.state === 'submitted' && cell.ballot && tour.status !== 'results_published' && (
                            <button
                              type="button"
                              className="button button--ghost ballot-board__reopen"
                              aria-label={t('ballots.board.reopenLabel', { scorer: scorer.name, list: listName(list) })}
                              onClick={() => {
                                setError(null);
                                setReason('');
                                setTarget({ ballot: cell.ballot!, scorer, list });
                              }}
                            >
                              {t('ballots.board.reopen')}
                            </button>
                          )}
                        </td>
                      );
                    })}
                    <td className="num" data-testid="ballot-board-scorer-count">
                      {count(model.perScorer.get(scorer.id)!)}
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('ballots.board.submittedColumn')}</th>
                  {model.perList.map((c, i) => (
                    <td key={model.lists[i]!.group ?? ''} className="num">
                      {count(c)}
                    </td>
                  ))}
                  <td className="num" data-testid="ballot-board-total">
                    {count(model.total)}
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>
          <section className="panel" aria-labelledby="ballot-missing-title" data-testid="ballot-board-missing">
            <h2 className="panel__title" id="ballot-missing-title">
              {t('ballots.board.missingTitle')}
            </h2>
            {model.missing.length === 0 ? (
              <p>{t('ballots.board.allIn')}</p>
            ) : (
              <ul>
                {model.missing.map(({ scorer, list, state, placed, total }) => (
                  <li key={ballotCellKey(scorer.id, list.group)}>
                    {scorer.name} · {listName(list)}：{ballotStateLabel(t, state)}
                    {state === 'draft' || state === 'reopened' ? t('ballots.board.missingProgress', { placed, total }) : ''}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
      <ConfirmDialog
        isOpen={target !== null}
        title={t('ballots.board.reopenTitle')}
        confirmLabel={t('ballots.board.reopenConfirm')}
        cancelLabel={t('ballots.board.reopenCancel')}
        isDestructive
        isBusy={isBusy}
        error={error}
        onConfirm={() => void confirmReopen()}
        onCancel={() => {
          setTarget(null);
          setError(null);
        }}
      >
        {target && <p>{t('ballots.board.reopenText', { scorer: target.scorer.name, list: listName(target.list) })}</p>}
        <label className="reopen-reason">
          {t('ballots.board.reopenReason')}
          <textarea value={reason} maxLength={1000} rows={3} onChange={(e) => setReason(e.target.value)} data-testid="ballot-reopen-reason" />
        </label>
      </ConfirmDialog>
    </section>
  );
}
