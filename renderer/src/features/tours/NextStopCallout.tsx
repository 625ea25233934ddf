import type { Stop, Tour } from '@shared/domain/schemas';
import { Link } from '../../app/Link';
import { nextUnscoredStop } from '../../db/sheets-repo';
import type { StopStatus } from '../../db/stop-status-repo';
import { useT } from '../../i18n/use-t';
import { summarizeProgress } from './progress';

/**
 * "Next unscored stop" in one action, above the itinerary: the first stop in visiting order the
 * user still has to score. Nothing for observers and study tours; a done message when all are in.
 */
export function NextStopCallout({ tour, stops, statuses }: { tour: Tour; stops: readonly Stop[]; statuses: ReadonlyMap<string, StopStatus> }) {
  const t = useT();
  const progress = summarizeProgress(statuses);
  if (tour.kind !== 'scored' || progress.toScore === 0) return null;
  const next = nextUnscoredStop(stops, new Map([...statuses].map(([id, s]) => [id, s.sheet])));
  if (!next) {
    return (
      <div className="next-stop next-stop--done" role="status" data-testid="next-stop">
        <span className="next-stop__label">{t('next.allDone', { count: progress.submitted })}</span>
      </div>
    );
  }
  return (
    <div className="next-stop" data-testid="next-stop">
      <div className="next-stop__text">
        <span className="next-stop__label">{t('next.label')}</span>
        <span className="next-stop__name">{next.name}</span>
        <span className="next-stop__progress">{t('tours.submittedOf', { submitted: progress.submitted, total: progress.toScore })}</span>
      </div>
      <Link to={{ name: 'stop', tourId: tour.id, stopId: next.id }} className="button button--primary button--large" data-testid="next-stop-link">
        {t('next.go')} →
      </Link>
    </div>
  );
}
