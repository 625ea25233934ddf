import { useLiveQuery } from 'dexie-react-hooks';
import { Link } from '../../../app/Link';
import { useDb } from '../../../db/db-context';
import { useSyncEngineStatus } from '../../../sync/SyncProvider';
import { buildBoard, cellKey, type BoardCount, type CellState } from './board-model';
import { useFrequentSync } from './use-frequent-sync';
import '../desk.css';

const cellLabels: Record<CellState, string> = { submitted: '已提交', draft: '草稿', notStarted: '未开始', recused: '回避' };
const cellSymbols: Record<CellState, string> = { submitted: '✔', draft: '✎', notStarted: '·', recused: '—' };

/** #/desk/tours/<id>/board: scorers × stops, live as laptops sync. */
export function ScoringBoardPage({ tourId }: { tourId: string }) {
  const db = useDb();
  useFrequentSync();
  const sync = useSyncEngineStatus();
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
        正在加载…
      </p>
    );
  }
  if (board === null) {
    return (
      <section className="page">
        <p className="empty" role="alert">
          找不到这个观摩活动。
        </p>
      </section>
    );
  }
  const { tour, model } = board;
  const missing = model.stops.filter((s) => (model.missingByStop.get(s.id)?.length ?? 0) > 0);
  return (
    <section className="page desk">
      <p className="page__back">
        <Link to={{ name: 'deskTour', tourId }}>← {tour.name}</Link>
      </p>
      <header className="page__header">
        <h1 className="page__title" tabIndex={-1}>
          评分进度
        </h1>
        <p className="page__subtitle">
          {tour.name} · 已提交 <strong data-testid="board-total-submitted">{model.total.submitted}</strong> / {model.total.expected} 份，草稿 {model.total.draft}，未开始{' '}
          {model.total.notStarted}
          {sync.lastSuccessAt && <span className="muted"> · 最近同步 {new Date(sync.lastSuccessAt).toLocaleTimeString('zh-CN')}</span>}
        </p>
      </header>
      {model.scorers.length === 0 || model.stops.length === 0 ? (
        <p className="empty">还没有评委或点位。</p>
      ) : (
        <>
          <p className="desk-legend">
            {(Object.keys(cellLabels) as CellState[]).map((s) => (
              <span key={s} className={`board-cell board-cell--${s}`}>
                {cellSymbols[s]} {cellLabels[s]}
              </span>
            ))}
          </p>
          <div className="desk-scroll">
            <table className="desk-table board" data-testid="scoring-board">
              <caption className="visually-hidden">评委 × 点位 评分状态</caption>
              <thead>
                <tr>
                  <th scope="col">点位</th>
                  {model.scorers.map((s) => (
                    <th scope="col" key={s.id}>
                      {s.name}
                    </th>
                  ))}
                  <th scope="col">已提交</th>
                </tr>
              </thead>
              <tbody>
                {model.stops.map((stop) => (
                  <tr key={stop.id} data-testid="board-row" data-stop-name={stop.name}>
                    <th scope="row">
                      <span className="muted">
                        {stop.day} 第{stop.order}站
                      </span>{' '}
                      {stop.name}
                    </th>
                    {model.scorers.map((scorer) => {
                      const state = model.cells.get(cellKey(scorer.id, stop.id))!;
                      return (
                        <td key={scorer.id} className={`board-cell board-cell--${state}`} data-state={state} data-scorer={scorer.name} title={`${scorer.name} · ${stop.name}：${cellLabels[state]}`}>
                          <span aria-hidden="true">{cellSymbols[state]}</span>
                          <span className="visually-hidden">{cellLabels[state]}</span>
                        </td>
                      );
                    })}
                    <td className="num">{formatCount(model.perStop.get(stop.id)!)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">已提交</th>
                  {model.scorers.map((s) => (
                    <td key={s.id} className="num" data-testid="board-scorer-count">
                      {formatCount(model.perScorer.get(s.id)!)}
                    </td>
                  ))}
                  <td className="num">{formatCount(model.total)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
          <section className="panel" aria-labelledby="board-missing-title" data-testid="board-missing">
            <h2 className="panel__title" id="board-missing-title">
              尚未提交
            </h2>
            {missing.length === 0 ? (
              <p>全部评议表都已提交。</p>
            ) : (
              <ul>
                {missing.map((stop) => (
                  <li key={stop.id}>
                    {stop.name}：{model.missingByStop.get(stop.id)!.map((s) => s.name).join('、')}
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

function formatCount(count: BoardCount): string {
  return `${count.submitted}/${count.expected}`;
}
