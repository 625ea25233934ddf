import { Link } from '../../app/Link';
import { useCurrentUser } from '../../app/current-user-context';
import { useMyBallots } from '../../db/use-ballots';
import { useT } from '../../i18n/use-t';
import { ballotListName, ballotStateLabel } from './ballot-labels';
import './ballots.css';

/**
 * On the tour page of a rank-vote tour, for a scorer: the ranking lists to vote on, each with
 * its ballot's state and a link to the ballot page. Nothing for anyone else or other tours.
 */
export function TourBallotsSection({ tourId }: { tourId: string }) {
  const t = useT();
  const user = useCurrentUser();
  const lists = useMyBallots(tourId, user.userId);
  if (!lists || lists.length === 0) return null;
  return (
    <section className="panel tour-ballots" aria-labelledby="tour-ballots-title" data-testid="tour-ballots">
      <h2 className="section-title" id="tour-ballots-title">
        {t('ballots.title')}
      </h2>
      <p className="muted">{t('ballots.intro')}</p>
      <ul className="tour-ballots__lists">
        {lists.map(({ list, state, isRecused, placedCount, unitCount }) => (
          <li key={list.group ?? ''} className="tour-ballots__list">
            {/* a list of only the scorer's own unit: nothing to rank (回避) */}
            {isRecused ? (
              <span>{ballotListName(t, list)}</span>
            ) : (
              <Link to={{ name: 'ballot', tourId, group: list.group }} data-testid="ballot-link">
                {t('ballots.openList', { list: ballotListName(t, list) })}
              </Link>
            )}
            <span className="muted"> · {t('ballots.unitCount', { count: list.units.length })}</span>
            <span className={`ballot-state ballot-state--${isRecused ? 'recused' : state}`} data-testid="ballot-state" data-state={isRecused ? 'recused' : state}>
              {ballotStateLabel(t, isRecused ? 'recused' : state)}
            </span>
            {/* how far a ballot being built has got (a draft holds only what the scorer placed) */}
            {!isRecused && (state === 'draft' || state === 'reopened') && (
              <span className="muted ballot-state__progress" data-testid="ballot-state-progress">
                {t('ballots.stateProgress', { placed: placedCount, total: unitCount })}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
