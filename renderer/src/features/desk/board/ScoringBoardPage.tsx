import { useLiveQuery } from 'dexie-react-hooks';
import type { CSSProperties } from 'react';
import { isRankVoteTour } from '../../../db/ballots-repo';
import { useDb } from '../../../db/db-context';
import type { MessageKey } from '../../../i18n/catalogs';
import { formatDay } from '../../../i18n/format';
import { useI18n } from '../../../i18n/use-t';
import { BallotBoard } from '../../ballots/BallotBoard';
import { buildBoard, cellKey, type BoardCount, type BoardModel, type CellState } from './board-model';
import { withNodes } from '../message-nodes';
import { LiveRefresh } from '../live/LiveRefresh';
import { useDeskSync } from '../live/use-desk-sync';
import '../desk.css';

const cellLabelKey: Record<CellState, MessageKey> = {
  submitted: 'desk.board.cell.submitted',
  draft: 'desk.board.cell.draft',
  notStarted: 'desk.board.cell.notStarted',
  recused: 'desk.board.cell.recused',
};
const cellSymbols: Record<CellState, string> = { submitted: '✔', draft: '✎', notStarted: '·', recused: '—' };

/** #/desk/tours/<id>/board: scorers × stops, live as laptops sync. */
export function ScoringBoardPage({ tourId }: { tourId: string }) {
  const db = useDb();
  const { t, locale } = useI18n();
  useDeskSync();
  const board = useLiveQuery(async () => {
    const tour = await db.tours.get(tourId);
    if (!tour) return null;
    const [units, stops, scorers, sheets] = await Promise.all([
      db.units.where('tourId').equals(tourId).toArray(),
      db.stops.where('tourId').equals(tourId).toArray(),
      db.scorers.where('tourId').equals(tourId).toArray(),
      db.sheets.where('[tourId+stopId]').between([tourId, ''], [tourId, '\uffff']).toArray(),
    ]);
    return { tour, model: buildBoard({ tour, units, stops, scorers, sheets }) };
  }, [db, tourId]);

  if (board === undefined) {
    return (
      <p className="muted" role="status">
        {t('common.loading')}
      </p>
    );
  }
  if (board === null) {
    return (
      <section className="page">
        <p className="empty" role="alert">
          {t('desk.common.tourNotFound')}
        </p>
      </section>
    );
  }
  const { tour, model } = board;
  // rank-vote tours: ballots per scorer and ranking list instead of sheets per stop (engineer H6, features/ballots)
  if (isRankVoteTour(tour)) return <BallotBoard tour={tour} />;
  const missing = model.stops.filter((s) => (model.missingByStop.get(s.id)?.length ?? 0) > 0);
  return (
    <section className="page desk">
      <header className="page__header">
        <h1 className="page__title" tabIndex={-1}>
          {t('desk.board.title')}
        </h1>
        <p className="page__subtitle">
          {withNodes(t('desk.board.summary', { tour: tour.name, expected: model.total.expected, draft: model.total.draft, notStarted: model.total.notStarted }), {
            submitted: <strong data-testid="board-total-submitted">{model.total.submitted}</strong>,
          })}
        </p>
        <LiveRefresh />
      </header>
      {model.scorers.length === 0 || model.stops.length === 0 ? (
        <p className="empty">{t('desk.board.empty')}</p>
      ) : (
        <>
          <p className="desk-legend">
            {(Object.keys(cellLabelKey) as CellState[]).map((s) => (
              <span key={s} className={`board-cell board-cell--${s}`}>
                {cellSymbols[s]} {t(cellLabelKey[s])}
              </span>
            ))}
            {model.groups.length > 1 &&
              model.groups.map((g) => (
                <span key={g.group ?? ''} className="board-group-progress" data-testid="board-group-progress">
                  {t('desk.board.groupProgress', { group: g.group ?? t('desk.board.noGroup'), submitted: g.count.submitted, expected: g.count.expected })}
                </span>
              ))}
          </p>
          <BoardTable model={model} />
          <section className="panel" aria-labelledby="board-missing-title" data-testid="board-missing">
            <h2 className="panel__title" id="board-missing-title">
              {t('desk.board.missingTitle')}
            </h2>
            {missing.length === 0 ? (
              <p>{t('desk.board.allSubmitted')}</p>
            ) : (
              <ul>
                {missing.map((stop) => (
                  <li key={stop.id}>
                    {t('desk.board.missingLine', {
                      stop: stop.name,
                      scorers: model.missingByStop
                        .get(stop.id)!
                        .map((s) => s.name)
                        .join(t('common.listSeparator')),
                    })}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </section>
  );
}

/**
 * The board itself: one row per stop (itinerary order, a heading row per day when the tour has
 * several), one column per scorer (assignment order, 职务 under the name). It scrolls inside a
 * box as tall as the window, so the header row, the first column and the totals row stay in view
 * (sticky); names stay on one line and show in full in their tooltip when cut.
 */
function BoardTable({ model }: { model: BoardModel }) {
  const { t, locale } = useI18n();
  const columns = model.scorers.length + 3;
  const style = { '--board-scorers': model.scorers.length } as CSSProperties;
  return (
    <div className="desk-scroll board-scroll" data-testid="board-scroll">
      <table className="desk-table board" data-testid="scoring-board" style={style}>
        <caption className="visually-hidden">{t('desk.board.caption')}</caption>
        <colgroup>
          <col className="board__col-stop" />
          <col className="board__col-unit" />
          {model.scorers.map((s) => (
            <col key={s.id} className="board__col-scorer" />
          ))}
          <col className="board__col-count" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col" className="board__stop">
              {t('desk.board.col.stop')}
            </th>
            <th scope="col" className="board__unit">
              {t('desk.board.col.unit')}
            </th>
            {model.scorers.map((s) => (
              <th scope="col" key={s.id} className="board__scorer" title={s.post ? `${s.name} · ${s.post}` : s.name} data-testid="board-scorer">
                <span className="board__scorer-name">{s.name}</span>
                {s.post && <span className="board__scorer-post">{s.post}</span>}
              </th>
            ))}
            <th scope="col" className="num board__count" title={t('desk.board.col.submitted')}>
              {t('desk.board.col.submitted')}
            </th>
          </tr>
        </thead>
        {model.days.map((day, i) => (
          <tbody key={day.day}>
            {model.days.length > 1 && (
              <tr className="board-day">
                <th scope="rowgroup" colSpan={columns}>
                  <span>{t('desk.board.dayRow', { number: i + 1, day: formatDay(day.day, locale) })}</span>
                </th>
              </tr>
            )}
            {day.stops.map((stop) => {
              const unitName = model.unitNames.get(stop.unitId) ?? '';
              return (
                <tr key={stop.id} data-testid="board-row" data-stop-name={stop.name}>
                  <th scope="row" className="board__stop" title={t('desk.board.stopTitle', { order: stop.order, stop: stop.name, unit: unitName })}>
                    <span className="board__order">{stop.order}</span>
                    {stop.name}
                  </th>
                  <td className="board__unit" title={unitName}>
                    {unitName}
                  </td>
                  {model.scorers.map((scorer) => {
                    const state = model.cells.get(cellKey(scorer.id, stop.id))!;
                    return (
                      <td key={scorer.id} className={`board-cell board-cell--${state}`} data-state={state} data-scorer={scorer.name} title={t('desk.board.cellTitle', { scorer: scorer.name, stop: stop.name, state: t(cellLabelKey[state]) })}>
                        <span aria-hidden="true">{cellSymbols[state]}</span>
                        <span className="visually-hidden">{t(cellLabelKey[state])}</span>
                      </td>
                    );
                  })}
                  <td className="num board__count">{formatCount(model.perStop.get(stop.id)!)}</td>
                </tr>
              );
            })}
          </tbody>
        ))}
        <tfoot>
          <tr>
            <th scope="row" className="board__stop" colSpan={2}>
              {t('desk.board.col.submitted')}
            </th>
            {model.scorers.map((s) => (
              <td key={s.id} className="num" data-testid="board-scorer-count">
                {formatCount(model.perScorer.get(s.id)!)}
              </td>
            ))}
            <td className="num board__count">{formatCount(model.total)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function formatCount(count: BoardCount): string {
  return `${count.submitted}/${count.expected}`;
}
