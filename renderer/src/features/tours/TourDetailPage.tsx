import { useMemo } from 'react';
import type { Scorer, Stop, Tour } from '@shared/domain/schemas';
import { Link } from '../../app/Link';
import { useCurrentUser } from '../../app/current-user-context';
import { nextUnscoredStop } from '../../db/sheets-repo';
import type { StopStatus } from '../../db/stop-status-repo';
import { useScorer, useStopStatuses } from '../../db/use-field-data';
import { useStops, useTour, useUnits } from '../../db/use-tours';
import { daysInclusive, formatDateRange } from '../../i18n/format';
import { useI18n, useT } from '../../i18n/use-t';
import { useDeskAccess } from '../desk/use-desk-access';
import { TourBallotsSection } from '../ballots/TourBallotsSection';
import { TourPhotoImport } from '../photos/TourPhotoImport';
import { TourMapSection } from '../map/TourMapSection';
import { ItineraryDaySection } from './ItineraryDaySection';
import { groupStopsByDay } from './itinerary';
import { NextStopCallout } from './NextStopCallout';
import { RoleChip } from './RoleChip';
import { TourBadges } from './TourBadges';
import { TourResultsLinks } from './TourResultsLinks';
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
        <TourContent tour={tour} />
      )}
    </section>
  );
}

function TourContent({ tour }: { tour: Tour }) {
  const user = useCurrentUser();
  const scorer = useScorer(tour.id, user.userId);
  const stops = useStops(tour.id);
  const statuses = useStopStatuses(tour.id, user.userId);
  const next = stops && statuses ? nextUnscoredStop(stops, new Map([...statuses].map(([id, s]) => [id, s.sheet]))) : null;
  return (
    <>
      <TourHeader tour={tour} scorer={scorer ?? null} />
      {stops && statuses && <NextStopCallout tour={tour} stops={stops} statuses={statuses} />}
      {/* photos from a camera card, matched to their stops (engineer 3B, features/photos) */}
      <TourPhotoImport tourId={tour.id} authorId={user.userId} />
      {/* rank-vote tours: the scorer's ballots (engineer H6, features/ballots) */}
      <TourBallotsSection tourId={tour.id} />
      {/* the tour on a map, from the offline pack (features/map); collapsed on a narrow window */}
      {stops && <TourMapSection tour={tour} stops={stops} statuses={statuses} nextStopId={next?.id ?? null} />}
      <Itinerary tour={tour} stops={stops} statuses={statuses} />
    </>
  );
}

function TourHeader({ tour, scorer }: { tour: Tour; scorer: Scorer | null }) {
  const { t, locale } = useI18n();
  const isDeskAllowed = useDeskAccess() === 'allowed';
  return (
    <header className="page__header tour-header">
      <div className="tour-header__badges">
        <TourBadges tour={tour} />
        {scorer && <RoleChip tour={tour} scorer={scorer} />}
      </div>
      <h1 className="page__title" tabIndex={-1}>
        {tour.name}
      </h1>
      <p className="page__subtitle">
        {formatDateRange(tour.startDate, tour.endDate, locale)} · {t('tours.dayCount', { count: daysInclusive(tour.startDate, tour.endDate) })}
      </p>
      <TourResultsLinks tour={tour} isDeskAllowed={isDeskAllowed} />
    </header>
  );
}

function Itinerary({ tour, stops, statuses }: { tour: Tour; stops: Stop[] | undefined; statuses: Map<string, StopStatus> | undefined }) {
  const t = useT();
  const units = useUnits(tour.id);
  const days = useMemo(() => (stops ? groupStopsByDay(stops, tour.startDate) : undefined), [stops, tour.startDate]);
  const unitsById = useMemo(() => new Map((units ?? []).map((u) => [u.id, u])), [units]);
  const next = stops && statuses ? nextUnscoredStop(stops, new Map([...statuses].map(([id, s]) => [id, s.sheet]))) : null;

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
      {days.length === 0 ? (
        <p className="empty">{t('tour.noStops')}</p>
      ) : (
        days.map((day) => <ItineraryDaySection key={day.day} tourId={tour.id} day={day} unitsById={unitsById} statuses={statuses} nextStopId={next?.id ?? null} />)
      )}
      <p className="itinerary__summary muted">
        {t('tours.stopCount', { count: stops?.length ?? 0 })} · {t('tours.unitCount', { count: units.length })}
      </p>
    </div>
  );
}
