import type { Scorer, Tour } from '@shared/domain/schemas';
import { Link } from '../../app/Link';
import { useCurrentUser } from '../../app/current-user-context';
import { useStopStatuses } from '../../db/use-field-data';
import { useTourCounts } from '../../db/use-tours';
import { daysInclusive, formatDateRange } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';
import { summarizeProgress } from './progress';
import { RoleChip } from './RoleChip';
import { TourBadges } from './TourBadges';

/** `scorer`: the user's assignment on the tour; null for a tour the secretariat sees without one. */
export function TourCard({ tour, scorer }: { tour: Tour; scorer: Scorer | null }) {
  const { t, locale } = useI18n();
  const user = useCurrentUser();
  const counts = useTourCounts(tour.id);
  const statuses = useStopStatuses(tour.id, user.userId);
  const progress = statuses ? summarizeProgress(statuses) : null;
  const days = daysInclusive(tour.startDate, tour.endDate);
  return (
    <article className="tour-card" data-testid="tour-card">
      <div className="tour-card__top">
        <TourBadges tour={tour} />
        {scorer && <RoleChip tour={tour} scorer={scorer} />}
      </div>
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
      {progress && progress.toScore > 0 && (
        <div className="tour-card__progress" data-testid="tour-progress">
          <span>{t('tours.submittedOf', { submitted: progress.submitted, total: progress.toScore })}</span>
          <div className="progress" aria-hidden="true">
            <div className="progress__bar" style={{ inlineSize: `${((progress.submitted / progress.toScore) * 100).toFixed(1)}%` }} />
          </div>
        </div>
      )}
    </article>
  );
}
