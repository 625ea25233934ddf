import type { Unit } from '@shared/domain/schemas';
import type { StopStatus } from '../../db/stop-status-repo';
import { formatDay } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';
import type { ItineraryDay } from './itinerary';
import { StopItem } from './StopItem';

export function ItineraryDaySection({
  tourId,
  day,
  unitsById,
  statuses,
  nextStopId,
}: {
  tourId: string;
  day: ItineraryDay;
  unitsById: ReadonlyMap<string, Unit>;
  statuses: ReadonlyMap<string, StopStatus> | undefined;
  nextStopId: string | null;
}) {
  const { t, locale } = useI18n();
  const headingId = `day-${day.day}`;
  return (
    <section className="itinerary-day" aria-labelledby={headingId} data-testid="itinerary-day">
      <h3 className="itinerary-day__title" id={headingId}>
        <span className="itinerary-day__number">{t('tour.dayTitle', { number: day.number })}</span>
        <span className="itinerary-day__date">{formatDay(day.day, locale)}</span>
        <span className="itinerary-day__count">{t('tour.dayStopCount', { count: day.stops.length })}</span>
      </h3>
      <ol className="stops">
        {day.stops.map((stop) => (
          <StopItem key={stop.id} tourId={tourId} stop={stop} unit={unitsById.get(stop.unitId)} status={statuses?.get(stop.id)} isNext={stop.id === nextStopId} />
        ))}
      </ol>
    </section>
  );
}
