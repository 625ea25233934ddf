import * as L from 'leaflet';
import { useEffect, useId, useRef, useState } from 'react';
import { tourCoordSystem, type TourCoordSystem } from '@shared/domain/schemas';
import type { Stop, Tour } from '../../../db/entities';
import { useDb } from '../../../db/db-context';
import { useI18n } from '../../../i18n/use-t';
import { fromDisplay, toDisplay } from '../../map/display-coords';
import { pinIcon } from '../../map/stop-pins';
import { useBasemap } from '../../map/use-basemap';
import { CHINA_VIEW, useLeafletMap } from '../../map/use-leaflet-map';
import { describeDeskError } from '../desk-error';
import { CoordSystemSelect, coordSystemShort } from './CoordSystemSelect';
import { locationFields, parseLocationFields, type WgsPoint } from './stop-location';
import { saveStopLocation } from './stop-location-repo';
import './desk-map.css';

type Status = { tone: 'success' | 'error' | 'warning'; text: string; undo?: WgsPoint | null } | null;

/**
 * The stop's location on the desk: a map with the stop's pin (drag it, or click the map, and the
 * new place is saved at once, with an undo), and 经度/纬度 fields in a coordinate system the clerk
 * picks (the tour's declared one by default). The map is drawn in its basemap's system; what is
 * stored is WGS-84 (display-coords.ts converts both ways). Other stops of the tour are shown as
 * small grey dots, so a pin dropped in the wrong district is obvious.
 */
export function StopLocationEditor({ tour, stop, stops, onClose }: { tour: Tour; stop: Stop; stops: readonly Stop[]; onClose: () => void }) {
  const db = useDb();
  const { t } = useI18n();
  const titleId = useId();
  const basemap = useBasemap(tour.id);
  const { containerRef, map } = useLeafletMap(basemap);
  const display = basemap?.display ?? 'wgs84';
  const [system, setSystem] = useState<TourCoordSystem>(tourCoordSystem(tour));
  const [fields, setFields] = useState(() => locationFields(stop, system));
  const [status, setStatus] = useState<Status>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const sectionRef = useRef<HTMLElement | null>(null);
  const hasLocation = stop.lat !== null && stop.lng !== null;

  // the fields show the stored place (after a drag, a click, an undo, or a sync from elsewhere)
  useEffect(() => {
    setFields(locationFields(stop, system));
    setFieldError(null);
  }, [stop.lat, stop.lng, system]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    sectionRef.current?.scrollIntoView({ block: 'nearest' });
  }, [stop.id]);

  async function save(point: WgsPoint | null) {
    const before: WgsPoint | null = stop.lat !== null && stop.lng !== null ? { lat: stop.lat, lng: stop.lng } : null;
    try {
      const saved = await saveStopLocation(db, stop.id, point);
      if (saved.lat === null || saved.lng === null) {
        setStatus({ tone: 'success', text: t('deskMap.editor.cleared', { name: stop.name }), undo: before });
        return;
      }
      const shown = locationFields(saved, system);
      setStatus({ tone: 'success', text: t('deskMap.editor.saved', { name: stop.name, lng: shown.lng, lat: shown.lat, system: t(coordSystemShort[system]) }), undo: before });
    } catch (e) {
      setStatus({ tone: 'error', text: t('desk.common.saveFailed', { reason: describeDeskError(e, t) }) });
    }
  }

  async function undo(point: WgsPoint | null) {
    try {
      await saveStopLocation(db, stop.id, point);
      setStatus({ tone: 'success', text: t('deskMap.editor.undone', { name: stop.name }) });
    } catch (e) {
      setStatus({ tone: 'error', text: t('desk.common.saveFailed', { reason: describeDeskError(e, t) }) });
    }
  }

  // the pin (draggable) and the other stops; a click on the map places the pin there
  const saveRef = useRef(save);
  saveRef.current = save;
  useEffect(() => {
    if (!map) return;
    const layer = L.layerGroup().addTo(map);
    for (const other of stops) {
      if (other.id === stop.id || other.lat === null || other.lng === null) continue;
      const dot = L.marker(toDisplay({ lat: other.lat, lng: other.lng }, display), { icon: contextIcon(), interactive: true, keyboard: false });
      dot.bindTooltip(other.name, { direction: 'top' }).addTo(layer);
    }
    if (stop.lat !== null && stop.lng !== null) {
      const pin = L.marker(toDisplay({ lat: stop.lat, lng: stop.lng }, display), {
        icon: pinIcon({ label: String(stop.order), dayIndex: null }),
        draggable: true,
        autoPan: true,
        keyboard: false,
        zIndexOffset: 1000,
      }).addTo(layer);
      pin.on('dragend', () => void saveRef.current(fromDisplay(pin.getLatLng(), display)));
      const element = pin.getElement();
      element?.setAttribute('data-testid', 'location-pin');
      element?.setAttribute('aria-label', t('deskMap.editor.pinLabel', { name: stop.name }));
    }
    const onClick = (e: L.LeafletMouseEvent) => void saveRef.current(fromDisplay(e.latlng, display));
    map.on('click', onClick);
    return () => {
      map.off('click', onClick);
      layer.remove();
    };
  }, [map, display, stop.id, stop.lat, stop.lng, stop.order, stop.name, stops, t]);

  // the view: on the stop when it has a place, else over the other stops, else all of China;
  // set when the editor opens on a stop (not after each drag: the map must not jump under the hand)
  const viewFor = useRef<string | null>(null);
  useEffect(() => {
    if (!map) return;
    const key = `${stop.id}|${display}`;
    if (viewFor.current === key) return;
    viewFor.current = key;
    if (stop.lat !== null && stop.lng !== null) {
      map.setView(toDisplay({ lat: stop.lat, lng: stop.lng }, display), 15, { animate: false });
      return;
    }
    const others = stops.filter((s) => s.lat !== null && s.lng !== null).map((s) => toDisplay({ lat: s.lat!, lng: s.lng! }, display));
    if (others.length > 0) map.fitBounds(L.latLngBounds(others), { padding: [32, 32], maxZoom: 14, animate: false });
    else map.setView(CHINA_VIEW.center, CHINA_VIEW.zoom, { animate: false });
  }, [map, display, stop.id, stop.lat, stop.lng, stops]);

  function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    const parsed = parseLocationFields(fields.lng, fields.lat, system);
    if (!parsed.ok) {
      setStatus(null);
      setFieldError(t(parsed.field === 'lng' ? 'deskMap.editor.invalidLng' : parsed.field === 'lat' ? 'deskMap.editor.invalidLat' : 'deskMap.editor.invalidBoth'));
      return;
    }
    setFieldError(null);
    void save(parsed.point).then(() => {
      if (parsed.point && !parsed.isInChina) setStatus((s) => (s && s.tone === 'success' ? { ...s, tone: 'warning', text: `${s.text} ${t('deskMap.editor.outsideChina')}` } : s));
    });
  }

  const lngId = `${titleId}-lng`;
  const latId = `${titleId}-lat`;
  const errorId = `${titleId}-error`;
  return (
    <section className="desk-location" aria-labelledby={titleId} data-testid="stop-location-editor" ref={sectionRef}>
      <h3 className="desk-location__title" id={titleId}>
        {t('deskMap.editor.title', { name: stop.name })}
      </h3>
      <p className="muted">{hasLocation ? t('deskMap.editor.hint') : t('deskMap.editor.hintNone')}</p>
      <div ref={containerRef} className="map-canvas" data-testid="location-map" data-display={display} role="region" aria-label={t('deskMap.editor.mapLabel', { name: stop.name })} />
      {stops.some((s) => s.id !== stop.id && s.lat !== null) && <p className="map-note muted">{t('deskMap.editor.otherStops')}</p>}
      {status && (
        <div className={`notice notice--${status.tone} desk-location__status`} role={status.tone === 'error' ? 'alert' : 'status'} data-testid="location-status">
          <span>{status.text}</span>
          {status.undo !== undefined && (
            <button type="button" className="button button--ghost" onClick={() => void undo(status.undo ?? null)}>
              {t('deskMap.editor.undo')}
            </button>
          )}
        </div>
      )}
      <form className="desk-location__fields" onSubmit={onSubmit} noValidate>
        <CoordSystemSelect label={t('deskMap.editor.fieldsSystem')} value={system} onChange={setSystem} />
        <div className="desk-field">
          <label htmlFor={lngId}>{t('deskMap.editor.lng')}</label>
          <input id={lngId} className="num" inputMode="decimal" value={fields.lng} aria-invalid={!!fieldError} aria-describedby={fieldError ? errorId : undefined} onChange={(e) => setFields({ ...fields, lng: e.currentTarget.value })} />
        </div>
        <div className="desk-field">
          <label htmlFor={latId}>{t('deskMap.editor.lat')}</label>
          <input id={latId} className="num" inputMode="decimal" value={fields.lat} aria-invalid={!!fieldError} aria-describedby={fieldError ? errorId : undefined} onChange={(e) => setFields({ ...fields, lat: e.currentTarget.value })} />
        </div>
        <button type="submit" className="button button--primary">
          {t('deskMap.editor.save')}
        </button>
        {hasLocation && (
          <button type="button" className="button button--ghost" onClick={() => void save(null)}>
            {t('deskMap.editor.clear')}
          </button>
        )}
        <button type="button" className="button button--ghost" onClick={onClose}>
          {t('deskMap.editor.close')}
        </button>
      </form>
      {fieldError && (
        <p className="desk-field__error" id={errorId} role="alert">
          {fieldError}
        </p>
      )}
    </section>
  );
}

/** Another stop of the tour: a small grey dot (context, not editable here). */
function contextIcon(): L.DivIcon {
  const dot = document.createElement('span');
  dot.className = 'map-pin map-pin--context';
  return L.divIcon({ html: dot, className: 'map-pin-icon', iconSize: [12, 12], iconAnchor: [6, 6], tooltipAnchor: [0, -6] });
}
