import * as L from 'leaflet';
import { useEffect } from 'react';
import type { TourCoordSystem } from '@shared/domain/schemas';
import type { TourTable } from '@shared/import';
import { isInChina } from '@shared/maps/china-outline';
import { useI18n } from '../../../i18n/use-t';
import { toDisplay } from '../../map/display-coords';
import { pinIcon } from '../../map/stop-pins';
import { useBasemap } from '../../map/use-basemap';
import { useLeafletMap } from '../../map/use-leaflet-map';
import { CoordSystemSelect } from './CoordSystemSelect';
import './desk-map.css';

/**
 * The coordinates of an itinerary table being imported: the system they are written in (asked,
 * WGS-84 by default; changing it reads the table again), the implausible ones named by row (in
 * the user's language; they warn, they do not block), and the stops on a map before anything is
 * saved.
 */
export function ImportCoordinates({ tourId, table, onCoordSystemChange }: { tourId: string; table: TourTable; onCoordSystemChange: (system: TourCoordSystem) => void }) {
  const { t, locale } = useI18n();
  const located = table.stops.filter((s) => s.lat !== null && s.lng !== null);
  return (
    <div className="desk-coords" data-testid="import-coordinates">
      {located.length === 0 ? (
        <p className="muted">{t('deskMap.preview.noCoordinates')}</p>
      ) : (
        <>
          <CoordSystemSelect label={t('deskMap.coordSystem.label')} value={table.coordSystem} onChange={onCoordSystemChange} hint={t('deskMap.coordSystem.hint')} testId="import-coord-system" />
          {table.warnings.length > 0 ? (
            <div className="notice notice--warning desk-coords__warnings" role="status" data-testid="coordinate-warnings">
              <p className="notice__title">{t('deskMap.warnings.title', { count: table.warnings.length })}</p>
              <ul>
                {table.warnings.map((w) => (
                  <li key={`${w.row}-${w.kind}`}>{locale === 'zh-CN' ? w.message : w.messageEn}</li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="muted" data-testid="coordinate-warnings-none">
              {t('deskMap.warnings.none')}
            </p>
          )}
          <h3 className="desk-coords__map-title">{t('deskMap.preview.mapTitle')}</h3>
          <ImportPreviewMap tourId={tourId} table={table} />
          {table.warnings.length > 0 && <p className="map-note muted">{t('deskMap.preview.flaggedNote')}</p>}
        </>
      )}
    </div>
  );
}

/** The table's stops on the tour's basemap, numbered by order in their day, the flagged ones marked. */
function ImportPreviewMap({ tourId, table }: { tourId: string; table: TourTable }) {
  const { t } = useI18n();
  const basemap = useBasemap(tourId);
  const { containerRef, map } = useLeafletMap(basemap);
  const display = basemap?.display ?? 'wgs84';

  useEffect(() => {
    if (!map) return;
    const flagged = new Map(table.warnings.map((w) => [w.stopId, w.row]));
    const days = [...new Set(table.stops.map((s) => s.day))].sort();
    const layer = L.layerGroup().addTo(map);
    const inView: L.LatLng[] = [];
    for (const stop of table.stops) {
      if (stop.lat === null || stop.lng === null) continue;
      const at = toDisplay({ lat: stop.lat, lng: stop.lng }, display);
      const isFlagged = flagged.has(stop.id);
      const marker = L.marker(at, { icon: pinIcon({ label: String(stop.order), dayIndex: days.indexOf(stop.day), isFlagged }), keyboard: false, zIndexOffset: isFlagged ? 1000 : 0 });
      const row = flagged.get(stop.id);
      marker.bindTooltip(row === undefined ? stop.name : t('deskMap.preview.pinTitle', { row, name: stop.name }), { direction: 'top' }).addTo(layer);
      marker.getElement()?.setAttribute('data-testid', isFlagged ? 'preview-pin-flagged' : 'preview-pin');
      // the view is the plausible points: a point in the sea would zoom the map out to the world
      if (!isFlagged && isInChina(stop.lng, stop.lat)) inView.push(at);
    }
    const fitTo = inView.length > 0 ? inView : table.stops.flatMap((s) => (s.lat !== null && s.lng !== null ? [toDisplay({ lat: s.lat, lng: s.lng }, display)] : []));
    if (fitTo.length === 1) map.setView(fitTo[0]!, 14, { animate: false });
    else if (fitTo.length > 1) map.fitBounds(L.latLngBounds(fitTo), { padding: [32, 32], maxZoom: 15, animate: false });
    return () => {
      layer.remove();
    };
  }, [map, table, display, t]);

  return <div ref={containerRef} className="map-canvas" data-testid="import-preview-map" data-display={display} role="region" aria-label={t('deskMap.preview.mapLabel')} />;
}
