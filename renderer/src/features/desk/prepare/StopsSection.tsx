import { tourCoordSystem, type TourCoordSystem } from '@shared/domain/schemas';
import { importTourTable, type TourTable } from '@shared/import';
import { useState } from 'react';
import type { Stop, Tour, Unit } from '../../../db/entities';
import { useDb } from '../../../db/db-context';
import { formatDateRange, formatMonthDay, formatNumber } from '../../../i18n/format';
import { useI18n } from '../../../i18n/use-t';
import { describeDeskError } from '../desk-error';
import { changedStops, moveStopBy, moveStopTo, sortItinerary } from './itinerary-order';
import { AddStopForm } from './AddStopForm';
import { removeStop, saveImportedItinerary, saveStopOrder } from './desk-repo';
import { TableImport } from './TableImport';
import { ImportCoordinates } from '../map/ImportCoordinates';
import { StopLocationEditor } from '../map/StopLocationEditor';

/**
 * The itinerary: import from the secretariat's table (asking the coordinate system of its
 * 经度/纬度, with the implausible ones named by row and the stops on a map), reorder by drag and
 * drop or the ↑/↓ buttons, place or correct each stop's location on a map ("位置").
 */
export function StopsSection({ tour, units, stops }: { tour: Tour; units: readonly Unit[]; stops: readonly Stop[] }) {
  const db = useDb();
  const { t, locale } = useI18n();
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const [dragId, setDragId] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const [removeError, setRemoveError] = useState<string | null>(null);
  // the table's coordinate system: the tour's declared one until the clerk picks another
  const [coordSystem, setCoordSystem] = useState<TourCoordSystem>(tourCoordSystem(tour));
  const [locatingId, setLocatingId] = useState<string | null>(null);
  const ordered = sortItinerary(stops);
  const locating = ordered.find((s) => s.id === locatingId) ?? null;

  async function apply(next: Stop[] | null, moved: Stop) {
    if (!next) return;
    await saveStopOrder(db, changedStops(stops, next));
    const now = next.find((s) => s.id === moved.id)!;
    setAnnounce(t('desk.stops.moved', { name: moved.name, day: formatMonthDay(now.day, locale), order: now.order }));
  }

  return (
    <section className="panel" aria-labelledby="desk-stops-title" data-testid="stops-section">
      <h2 className="panel__title" id="desk-stops-title">
        {t('desk.stops.title', { stopCount: t('desk.stops.titleStops', { count: stops.length }), unitCount: t('desk.stops.titleUnits', { count: units.length }) })}
      </h2>
      <TableImport<TourTable>
        label={t('desk.stops.importLabel')}
        testId="stops-import"
        parse={(rows) => importTourTable(rows, { tourId: tour.id, coordSystem })}
        parseKey={coordSystem}
        preview={(table) => (
          <>
            {stops.length > 0 && <p className="notice notice--warning">{t('desk.stops.replaceWarning', { count: stops.length })}</p>}
            <ImportCoordinates tourId={tour.id} table={table} onCoordSystemChange={setCoordSystem} />
            <TourTablePreview table={table} />
          </>
        )}
        onSave={(table) => saveImportedItinerary(db, tour, table)}
      />
      {ordered.length > 0 && (
        <>
          <p className="muted">{t('desk.stops.dragHint')}</p>
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
                  <span className="desk-stop__day">{formatMonthDay(stop.day, locale)}</span>
                  <span className="desk-stop__order">{t('desk.stops.order', { order: stop.order })}</span>
                  <span className="desk-stop__name">{stop.name}</span>
                  <span className="muted">{unitName.get(stop.unitId) ?? stop.unitId}</span>
                  {(stop.lat === null || stop.lng === null) && <span className="desk-stop__no-location">{t('deskMap.stops.noLocation')}</span>}
                  <span className="desk-stop__moves">
                    <button
                      type="button"
                      className="button button--ghost desk-stop__location"
                      aria-label={t('deskMap.stops.locationLabel', { name: stop.name })}
                      aria-expanded={locatingId === stop.id}
                      onClick={() => setLocatingId(locatingId === stop.id ? null : stop.id)}
                    >
                      {t('deskMap.stops.location')}
                    </button>
                    <button type="button" className="button button--ghost" aria-label={t('desk.stops.moveUpLabel', { name: stop.name })} disabled={index === 0} onClick={() => void apply(moveStopBy(stops, stop.id, 'up'), stop)}>
                      ↑ {t('desk.stops.moveUp')}
                    </button>
                    <button
                      type="button"
                      className="button button--ghost"
                      aria-label={t('desk.stops.moveDownLabel', { name: stop.name })}
                      disabled={index === ordered.length - 1}
                      onClick={() => void apply(moveStopBy(stops, stop.id, 'down'), stop)}
                    >
                      ↓ {t('desk.stops.moveDown')}
                    </button>
                    <button
                      type="button"
                      className="button button--ghost"
                      aria-label={t('desk.stops.deleteLabel', { name: stop.name })}
                      onClick={() => {
                        setRemoveError(null);
                        if (!window.confirm(t('desk.stops.confirmDelete', { name: stop.name }))) return;
                        removeStop(db, stop).catch((e: unknown) => setRemoveError(describeDeskError(e, t)));
                      }}
                    >
                      {t('desk.common.delete')}
                    </button>
                  </span>
                </li>
              );
            })}
          </ol>
          {/* outside the list: its rows are draggable, and a map's drag must not move a row */}
          {locating && <StopLocationEditor key={locating.id} tour={tour} stop={locating} stops={ordered} onClose={() => setLocatingId(null)} />}
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
  const { t, locale } = useI18n();
  const unitOf = new Map(table.units.map((u) => [u.id, u]));
  const none = t('common.none');
  return (
    <>
      <p>
        {t('desk.stops.previewSummary', {
          stopCount: t('desk.stops.previewStops', { count: table.stops.length }),
          unitCount: t('desk.stops.previewUnits', { count: table.units.length }),
          dates: formatDateRange(table.startDate, table.endDate, locale),
        })}
      </p>
      <div className="desk-scroll">
        <table className="desk-table">
          <thead>
            <tr>
              <th scope="col">{t('desk.stops.col.day')}</th>
              <th scope="col">{t('desk.stops.col.order')}</th>
              <th scope="col">{t('desk.stops.col.unit')}</th>
              <th scope="col">{t('desk.stops.col.group')}</th>
              <th scope="col">{t('desk.stops.col.name')}</th>
              <th scope="col">{t('desk.stops.col.category')}</th>
              <th scope="col">{t('desk.stops.col.total')}</th>
              <th scope="col">{t('desk.stops.col.completed')}</th>
            </tr>
          </thead>
          <tbody>
            {table.stops.map((stop) => (
              <tr key={stop.id}>
                <td className="desk-table__date">{formatMonthDay(stop.day, locale)}</td>
                <td>{stop.order}</td>
                <td>{unitOf.get(stop.unitId)?.name}</td>
                <td>{unitOf.get(stop.unitId)?.group ?? none}</td>
                <td>{stop.name}</td>
                <td>{stop.category}</td>
                <td className="num">{stop.totalInvestment === null ? none : formatNumber(stop.totalInvestment, locale)}</td>
                <td className="num">{stop.completedInvestment === null ? none : formatNumber(stop.completedInvestment, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
