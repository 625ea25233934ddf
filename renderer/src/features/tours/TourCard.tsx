import type { Tour } from '@shared/domain/schemas';
import { Link } from '../../app/Link';
import { useTourCounts } from '../../db/use-tours';
import { daysInclusive, formatDateRange } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';
import { TourBadges } from './TourBadges';

export function TourCard({ tour }: { tour: Tour }) {
  const { t, locale } = useI18n();
  const counts = useTourCounts(tour.id);
  const days = daysInclusive(tour.startDate, tour.endDate);
  return (
    <article className="tour-card" data-testid="tour-card">
      <TourBadges tour={tour} />
      <h2 className="tour-card__name">
        {/* the link covers the whole card (see .tour-card__link::after) */}
        <Link to={{ name: 'tour', tourId: tour.id }} className="tour-card__link" aria-label={t('tours.open', { name: tour.name })}>
          {tour.name}
        </Link>
      </h2>
      <p className="tour-card__dates">
        {formatDateRange(tour.startDate, tour.endDate, locale)}
        <span className="tour-card__sep" aria-hidden="true">
          ·
        </span>
        {t('tours.dayCount', { count: days })}
      </p>
      <p className="tour-card__counts">
        {counts ? (
          <>
            <span>{t('tours.stopCount', { count: counts.stops })}</span>
            <span>{t('tours.unitCount', { count: counts.units })}</span>
          </>
        ) : (
          <span className="muted">{t('common.loading')}</span>
        )}
      </p>
    </article>
  );
}
