import { importTourTable, type TourTable } from '@shared/import';
import { useState } from 'react';
import type { Stop, Tour, Unit } from '../../../db/entities';
import { useDb } from '../../../db/db-context';
import { changedStops, moveStopBy, moveStopTo, sortItinerary } from './itinerary-order';
import { AddStopForm } from './AddStopForm';
import { removeStop, saveImportedItinerary, saveStopOrder } from './desk-repo';
import { TableImport } from './TableImport';

/** The itinerary: import from the secretariat's table, reorder by drag and drop or the ↑/↓ buttons. */
export function StopsSection({ tour, units, stops }: { tour: Tour; units: readonly Unit[]; stops: readonly Stop[] }) {
  const db = useDb();
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const [dragId, setDragId] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const [removeError, setRemoveError] = useState<string | null>(null);
  const ordered = sortItinerary(stops);

  async function apply(next: Stop[] | null, moved: Stop) {
    if (!next) return;
    await saveStopOrder(db, changedStops(stops, next));
    const now = next.find((s) => s.id === moved.id)!;
    setAnnounce(`「${moved.name}」现在是 ${now.day} 第${now.order}站`);
  }

  return (
    <section className="panel" aria-labelledby="desk-stops-title" data-testid="stops-section">
      <h2 className="panel__title" id="desk-stops-title">
        观摩点位（{stops.length} 个，{units.length} 个参评单位）
      </h2>
      <TableImport<TourTable>
        label="导入点位表（.xlsx 或 .csv）"
        testId="stops-import"
        parse={(rows) => importTourTable(rows, { tourId: tour.id })}
        preview={(table) => (
          <>
            {stops.length > 0 && <p className="notice notice--warning">保存后，本活动现有的 {stops.length} 个点位将按此表替换（按序号对应；表中没有的点位会被删除，已有评议表的点位不会被删除）。</p>}
            <TourTablePreview table={table} />
          </>
        )}
        onSave={(table) => saveImportedItinerary(db, tour, table)}
      />
      {ordered.length > 0 && (
        <>
          <p className="muted">拖动行可调整顺序，也可用每行的“上移 / 下移”按钮（键盘可用）。</p>
          <ol className="desk-stops" data-testid="stop-list">
            {ordered.map((stop, index) => {
              const isNewDay = index === 0 || ordered[index - 1]!.day !== stop.day;
              return (
                <li
                  key={stop.id}
                  className={`desk-stop${dragId === stop.id ? ' desk-stop--dragging' : ''}${isNewDay ? ' desk-stop--new-day' : ''}`}
                  draggable
                  data-testid="desk-stop"
                  onDragStart={(e) => {
                    setDragId(stop.id);
                    e.dataTransfer.effectAllowed = 'move';
                    e.dataTransfer.setData('text/plain', stop.id);
                  }}
                  onDragEnd={() => setDragId(null)}
                  onDragOver={(e) => {
                    if (dragId && dragId !== stop.id) e.preventDefault();
                  }}
                  onDrop={(e) => {
                    e.preventDefault();
                    const moved = stops.find((s) => s.id === dragId);
                    setDragId(null);
                    if (moved) void apply(moveStopTo(stops, moved.id, stop.id), moved);
                  }}
                >
                  <span className="desk-stop__day">{stop.day}</span>
                  <span className="desk-stop__order">第{stop.order}站</span>
                  <span className="desk-stop__name">{stop.name}</span>
                  <span className="muted">{unitName.get(stop.unitId) ?? stop.unitId}</span>
                  <span className="desk-stop__moves">
                    <button type="button" className="button button--ghost" aria-label={`上移「${stop.name}」`} disabled={index === 0} onClick={() => void apply(moveStopBy(stops, stop.id, 'up'), stop)}>
                      ↑ 上移
                    </button>
                    <button
                      type="button"
                      className="button button--ghost"
                      aria-label={`下移「${stop.name}」`}
                      disabled={index === ordered.length - 1}
                      onClick={() => void apply(moveStopBy(stops, stop.id, 'down'), stop)}
                    >
                      ↓ 下移
                    </button>
                    <button
                      type="button"
                      className="button button--ghost"
                      aria-label={`删除「${stop.name}」`}
                      onClick={() => {
                        setRemoveError(null);
                        if (!window.confirm(`删除点位「${stop.name}」？`)) return;
                        removeStop(db, stop).catch((e: unknown) => setRemoveError(e instanceof Error ? e.message : String(e)));
                      }}
                    >
                      删除
                    </button>
                  </span>
                </li>
              );
            })}
          </ol>
          <p className="visually-hidden" role="status" aria-live="polite">
            {announce}
          </p>
          {removeError && (
            <p className="notice notice--error" role="alert">
              {removeError}
            </p>
          )}
        </>
      )}
      <AddStopForm tour={tour} units={units} />
    </section>
  );
}

function TourTablePreview({ table }: { table: TourTable }) {
  const unitOf = new Map(table.units.map((u) => [u.id, u]));
  return (
    <>
      <p>
        共 {table.stops.length} 个点位、{table.units.length} 个参评单位，日期 {table.startDate} ~ {table.endDate}。
      </p>
      <div className="desk-scroll">
        <table className="desk-table">
          <thead>
            <tr>
              <th scope="col">观摩日期</th>
              <th scope="col">顺序</th>
              <th scope="col">县市区</th>
              <th scope="col">分组</th>
              <th scope="col">项目名称</th>
              <th scope="col">项目类型</th>
              <th scope="col">总投资(万元)</th>
              <th scope="col">已完成投资(万元)</th>
            </tr>
          </thead>
          <tbody>
            {table.stops.map((stop) => (
              <tr key={stop.id}>
                <td>{stop.day}</td>
                <td>{stop.order}</td>
                <td>{unitOf.get(stop.unitId)?.name}</td>
                <td>{unitOf.get(stop.unitId)?.group ?? '—'}</td>
                <td>{stop.name}</td>
                <td>{stop.category}</td>
                <td className="num">{stop.totalInvestment ?? '—'}</td>
                <td className="num">{stop.completedInvestment ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
