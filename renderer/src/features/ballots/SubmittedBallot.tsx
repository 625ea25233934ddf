import { pointsForPosition } from '@shared/ranking';
import type { RankBallot } from '@shared/domain/rank-vote';
import type { Unit } from '@shared/domain/schemas';
import { formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';

/**
 * A submitted ballot (locked until the secretariat reopens it): the order with ranks and points.
 */
export function SubmittedBallot({ order, unitsById, ballot }: { order: readonly string[]; unitsById: ReadonlyMap<string, Unit>; ballot: RankBallot }) {
  const { t, locale } = useI18n();
  return (
    <div className="ballot ballot--locked" data-testid="ballot-locked">
      <p className="notice notice--info" role="status">
        {ballot.submittedAt ? t('ballots.submittedAt', { time: formatDateTime(ballot.submittedAt, locale) }) : t('ballots.closed')}
      </p>
      <ol className="ballot__units" aria-label={t('ballots.orderLabel')}>
        {order.map((unitId, index) => (
          <li key={unitId} className="ballot-unit" data-testid="ballot-unit" data-unit-id={unitId}>
            <span className="ballot-unit__rank">{t('ballots.rank', { rank: index + 1 })}</span>
            <span className="ballot-unit__name">{unitsById.get(unitId)?.name ?? unitId}</span>
            <span className="ballot-unit__points">{t('ballots.points', { points: pointsForPosition(index + 1) })}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
