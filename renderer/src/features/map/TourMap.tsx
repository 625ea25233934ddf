import * as L from 'leaflet';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Stop, Tour } from '@shared/domain/schemas';
import { routeHref } from '../../app/router';
import type { StopStatus } from '../../db/stop-status-repo';
import { formatMonthDay } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';
import type { MessageKey } from '../../i18n/catalogs';
import { groupStopsByDay } from '../tours/itinerary';
import { toDisplay } from './display-coords';
import { pinIcon, pinStateOf, DAY_COLOURS, type PinState } from './stop-pins';
import { useBasemap } from './use-basemap';
import { useLeafletMap } from './use-leaflet-map';

const stateLabel: Record<PinState, MessageKey | null> = { toScore: 'map.state.toScore', draft: 'map.state.draft', scored: 'map.state.scored', recused: 'map.state.recused', none: null };

/** The tour's stops on a map with day lines, state badges and day buttons (TourMapSection holds it). */
export default function TourMap({ tour, stops, statuses, nextStopId }: { tour: Tour; stops: readonly Stop[]; statuses: ReadonlyMap<string, StopStatus> | undefined; nextStopId: string | null }) {
  const { t, locale } = useI18n();
  const basemap = useBasemap(tour.id);
  const { containerRef, map } = useLeafletMap(basemap);
  const days = useMemo(() => groupStopsByDay(stops, tour.startDate), [stops, tour.startDate]);
  const [shownDay, setShownDay] = useState<string | null>(null);
  const display = basemap?.display ?? 'wgs84';
  // what the view was last fitted to, on which map (a map made anew, e.g. for another language, is fitted again)
  const hasFitted = useRef<{ map: L.Map; key: string } | null>(null);

  // pins and day lines, made anew when anything they show changes
  useEffect(() => {
    if (!map) return;
    // on the map first: a marker added then gets its element at once (marked for tests and the benchmark)
    const layer = L.layerGroup().addTo(map);
    days.forEach((day, dayIndex) => {
      const isDimmed = shownDay !== null && shownDay !== day.day;
      const points = day.stops.filter((s) => s.lat !== null && s.lng !== null).map((s) => ({ stop: s, at: toDisplay({ lat: s.lat!, lng: s.lng! }, display) }));
      if (points.length > 1) {
        L.polyline(
          points.map((p) => p.at),
          { className: `map-route map-route--day-${dayIndex % DAY_COLOURS}`, color: routeColour(dayIndex), weight: 4, opacity: isDimmed ? 0.2 : 0.75, interactive: false },
        ).addTo(layer);
      }
      for (const { stop, at } of points) {
        const state = pinStateOf(statuses?.get(stop.id)?.sheet);
        const label = stateLabel[state];
        const title = [t('map.pin.title', { day: day.number, order: stop.order, name: stop.name }), label ? t(label) : ''].filter(Boolean).join(' · ');
        const marker = L.marker(at, {
          icon: pinIcon({ label: String(stop.order), dayIndex, state, isNext: stop.id === nextStopId, isDimmed }),
          keyboard: true,
          riseOnHover: true,
          zIndexOffset: isDimmed ? -1000 : 0,
        });
        marker.bindTooltip(title, { direction: 'top' });
        marker.on('click', () => {
          window.location.hash = routeHref({ name: 'stop', tourId: tour.id, stopId: stop.id });
        });
        marker.addTo(layer);
        const element = marker.getElement();
        // the accessible name (a title attribute would show a second tooltip beside Leaflet's)
        element?.setAttribute('aria-label', title);
        element?.setAttribute('data-testid', 'tour-map-pin');
        element?.setAttribute('data-stop-id', stop.id);
      }
    });
    return () => {
      layer.remove();
    };
  }, [map, days, statuses, shownDay, display, nextStopId, tour.id, t]);

  // fit to the chosen day (or the whole tour) when it changes, and once when the map first has its pins
  useEffect(() => {
    if (!map) return;
    const fitKey = `${shownDay ?? 'all'}|${display}`;
    if (hasFitted.current?.map === map && hasFitted.current.key === fitKey) return;
    const chosen = stops.filter((s) => s.lat !== null && s.lng !== null && (shownDay === null || s.day === shownDay));
    if (chosen.length === 0) return;
    hasFitted.current = { map, key: fitKey };
    const bounds = L.latLngBounds(chosen.map((s) => toDisplay({ lat: s.lat!, lng: s.lng! }, display)));
    map.fitBounds(bounds, { padding: [36, 36], maxZoom: 15, animate: false });
  }, [map, stops, shownDay, display]);

  return (
    <>
      <div className="tour-map__days" role="group" aria-label={t('map.tour.fitLabel')}>
        <button type="button" className="button tour-map__day" aria-pressed={shownDay === null} onClick={() => setShownDay(null)}>
          {t('map.tour.wholeTour')}
        </button>
        {days.map((day, i) => (
          <button
            key={day.day}
            type="button"
            className={`button tour-map__day map-day-${i % DAY_COLOURS}`}
            aria-pressed={shownDay === day.day}
            onClick={() => setShownDay(day.day)}
            data-testid="tour-map-day"
          >
            <span className="map-swatch" aria-hidden="true" />
            {t('map.tour.day', { number: day.number, date: formatMonthDay(day.day, locale) })}
          </button>
        ))}
      </div>
      <div ref={containerRef} className="map-canvas" data-testid="tour-map" data-display={display} aria-label={t('map.tour.canvasLabel', { name: tour.name })} role="region" />
      <MapLegend />
    </>
  );
}

/** The route line's colour: the day's pin colour (Leaflet draws SVG with a stroke attribute, not CSS variables). */
function routeColour(dayIndex: number): string {
  return ['#1a4a8a', '#c2410c', '#0c6b63', '#7e3fa0', '#a16207', '#be185d', '#3f6212', '#475569'][dayIndex % DAY_COLOURS]!;
}

function MapLegend() {
  const { t } = useI18n();
  const items: { state: PinState; badge: string | null; label: MessageKey }[] = [
    { state: 'toScore', badge: null, label: 'map.state.toScore' },
    { state: 'draft', badge: '✎', label: 'map.state.draft' },
    { state: 'scored', badge: '✓', label: 'map.state.scored' },
    { state: 'recused', badge: '—', label: 'map.state.recused' },
  ];
  return (
    <div className="map-legend" aria-label={t('map.legend')}>
      {items.map((item) => (
        <span key={item.state} className="map-legend__item">
          <span className={`map-pin map-day-0 map-pin--${item.state}`} aria-hidden="true">
            1{item.badge && <span className="map-pin__badge">{item.badge}</span>}
          </span>
          {t(item.label)}
        </span>
      ))}
      <span className="map-legend__item">{t('map.legend.lines')}</span>
    </div>
  );
}
