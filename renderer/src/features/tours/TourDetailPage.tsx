import { useMemo } from 'react';
import type { Tour } from '@shared/domain/schemas';
import { Link } from '../../app/Link';
import { useStops, useTour, useUnits } from '../../db/use-tours';
import { daysInclusive, formatDateRange } from '../../i18n/format';
import { useI18n, useT } from '../../i18n/use-t';
import { ItineraryDaySection } from './ItineraryDaySection';
import { groupStopsByDay } from './itinerary';
import { TourBadges } from './TourBadges';
import './tours.css';

export function TourDetailPage({ tourId }: { tourId: string }) {
  const t = useT();
  const tour = useTour(tourId);
  return (
    <section className="page">
      <p className="page__back">
        <Link to={{ name: 'tours' }}>← {t('tour.backToList')}</Link>
      </p>
      {tour === undefined ? (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      ) : tour === null ? (
        <p className="empty" role="alert">
          {t('tour.notFound')}
        </p>
      ) : (
        <>
          <TourHeader tour={tour} />
          <Itinerary tour={tour} />
        </>
      )}
    </section>
  );
}

function TourHeader({ tour }: { tour: Tour }) {
  const { t, locale } = useI18n();
  return (
    <header className="page__header tour-header">
      <TourBadges tour={tour} />
      <h1 className="page__title" tabIndex={-1}>
        {tour.name}
      </h1>
      <p className="page__subtitle">
        {formatDateRange(tour.startDate, tour.endDate, locale)} · {t('tours.dayCount', { count: daysInclusive(tour.startDate, tour.endDate) })}
      </p>
    </header>
  );
}

function Itinerary({ tour }: { tour: Tour }) {
  const t = useT();
  const stops = useStops(tour.id);
  const units = useUnits(tour.id);
  const days = useMemo(() => (stops ? groupStopsByDay(stops, tour.startDate) : undefined), [stops, tour.startDate]);
  const unitsById = useMemo(() => new Map((units ?? []).map((u) => [u.id, u])), [units]);

  if (days === undefined || units === undefined) {
    return (
      <p className="muted" role="status">
        {t('common.loading')}
      </p>
    );
  }
  return (
    <div className="itinerary">
      <h2 className="section-title">{t('tour.itinerary')}</h2>
      {days.length === 0 ? <p className="empty">{t('tour.noStops')}</p> : days.map((day) => <ItineraryDaySection key={day.day} day={day} unitsById={unitsById} />)}
      <p className="itinerary__summary muted">
        {t('tours.stopCount', { count: stops?.length ?? 0 })} · {t('tours.unitCount', { count: units.length })}
      </p>
    </div>
  );
}
