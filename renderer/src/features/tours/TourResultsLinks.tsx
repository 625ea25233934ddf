import type { Tour } from '@shared/domain/schemas';
import { Link } from '../../app/Link';
import { useT } from '../../i18n/use-t';

/**
 * Under a tour's title: its rankings and bulletin — the secretariat's at any time, everyone's
 * once the results are published (a study tour has neither) — and, for the secretariat, the
 * way to the tour on the desk.
 */
export function TourResultsLinks({ tour, isDeskAllowed }: { tour: Tour; isDeskAllowed: boolean }) {
  const t = useT();
  const hasResults = tour.kind === 'scored' && (tour.status === 'results_published' || isDeskAllowed);
  if (!hasResults && !isDeskAllowed) return null;
  return (
    <p className="tour-results-links" data-testid="tour-results-links">
      {hasResults && (
        <>
          <Link to={{ name: 'rankings', tourId: tour.id }} className="button">
            {t('tour.results.rankings')}
          </Link>
          <Link to={{ name: 'bulletin', tourId: tour.id }} className="button">
            {t('tour.results.bulletin')}
          </Link>
        </>
      )}
      {isDeskAllowed && <Link to={{ name: 'deskTour', tourId: tour.id }}>{t('tour.results.desk')}</Link>}
    </p>
  );
}
