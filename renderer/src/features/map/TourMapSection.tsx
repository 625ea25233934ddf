import { lazy, Suspense, useState } from 'react';
import type { Stop, Tour } from '@shared/domain/schemas';
import type { StopStatus } from '../../db/stop-status-repo';
import { useI18n } from '../../i18n/use-t';
import { PackStatusLine } from './PackStatusLine';

// Leaflet and the map code load when a map is first shown, not with the app
const TourMap = lazy(() => import('./TourMap'));

const OPEN_KEY = 'guanmo.tourMapOpen';

/** Open on a laptop, closed on a narrow window (the itinerary comes first there); the user's choice is kept. */
function initiallyOpen(): boolean {
  try {
    const kept = globalThis.localStorage?.getItem(OPEN_KEY);
    if (kept === '1' || kept === '0') return kept === '1';
  } catch {
    // no storage
  }
  return globalThis.matchMedia?.('(min-width: 900px)').matches ?? true;
}

/**
 * The tour on a map (the tour page): every stop numbered as on the itinerary and coloured by day,
 * a line per day in visiting order, each stop's state for this user; a pin opens its stop. The
 * buttons above fit the map to one day or the whole tour. Collapsible: on a narrow window it
 * starts closed so the itinerary stays first.
 */
export function TourMapSection({ tour, stops, statuses, nextStopId }: { tour: Tour; stops: readonly Stop[]; statuses: ReadonlyMap<string, StopStatus> | undefined; nextStopId: string | null }) {
  const { t } = useI18n();
  const [isOpen, setOpen] = useState(initiallyOpen);
  const located = stops.filter((s) => s.lat !== null && s.lng !== null).length;
  const toggle = () => {
    setOpen((open) => {
      try {
        globalThis.localStorage?.setItem(OPEN_KEY, open ? '0' : '1');
      } catch {
        // not kept
      }
      return !open;
    });
  };
  if (stops.length === 0) return null;
  return (
    <section className="panel tour-map" aria-labelledby="tour-map-title" data-testid="tour-map-section">
      <div className="tour-map__head">
        <h2 className="panel__title" id="tour-map-title">
          {t('map.tour.title')}
        </h2>
        <button type="button" className="button button--ghost" aria-expanded={isOpen} aria-controls="tour-map-body" onClick={toggle} data-testid="tour-map-toggle">
          {isOpen ? t('map.tour.hide') : t('map.tour.show')}
        </button>
      </div>
      {isOpen && (
        <div id="tour-map-body">
          {located === 0 ? (
            <p className="muted">{t('map.tour.noCoordinates')}</p>
          ) : (
            <Suspense fallback={<div className="map-canvas" aria-busy="true" />}>
              <TourMap tour={tour} stops={stops} statuses={statuses} nextStopId={nextStopId} />
            </Suspense>
          )}
          {located > 0 && located < stops.length && <p className="map-note">{t('map.tour.someWithout', { count: stops.length - located })}</p>}
          <PackStatusLine tourId={tour.id} />
        </div>
      )}
    </section>
  );
}

