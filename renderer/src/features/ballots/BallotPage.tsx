import { useMemo } from 'react';
import { Link } from '../../app/Link';
import { useCurrentUser } from '../../app/current-user-context';
import { isTourOpenForScoring } from '../../db/sheets-repo';
import { eligibleUnitIds } from '../../db/ballots-repo';
import { useBallotContext } from '../../db/use-ballots';
import { useT } from '../../i18n/use-t';
import { BallotForm } from './BallotForm';
import { ballotListName } from './ballot-labels';
import { SubmittedBallot } from './SubmittedBallot';
import '../scoring/scoring.css';
import './ballots.css';

/**
 * #/tours/<id>/ballot[/<group>]: the scorer's rank-vote ballot (排序投票) for one ranking list
 * (a unit group, or all units). The form while it may change (the scorer places the units one by
 * one: nothing is pre-filled), the locked order once submitted; when voting has ended without a
 * submitted ballot, only that (a draft is not shown as if it were a vote); 回避 shown for the
 * scorer's own unit.
 */
export function BallotPage({ tourId, group }: { tourId: string; group: string | null }) {
  const t = useT();
  const user = useCurrentUser();
  const ctx = useBallotContext({ tourId, group, userId: user.userId });
  const unitsById = useMemo(() => new Map((ctx?.list?.units ?? []).map((u) => [u.id, u])), [ctx?.list]);

  return (
    <section className="page ballot-page">
      <p className="page__back">
        <Link to={{ name: 'tour', tourId }}>← {t('ballots.back')}</Link>
      </p>
      {ctx === undefined ? (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      ) : ctx === null ? (
        <p className="empty" role="alert">
          {t('ballots.notFound')}
        </p>
      ) : (
        <>
          <header className="page__header">
            <h1 className="page__title" tabIndex={-1}>
              {t('ballots.title')}
              {ctx.list && ` · ${ballotListName(t, ctx.list)}`}
            </h1>
            <p className="page__subtitle">{ctx.tour.name}</p>
          </header>
          {ctx.role.kind === 'noBallot' ? (
            <p className="notice notice--info">{t('ballots.noBallotText')}</p>
          ) : ctx.role.kind === 'observer' ? (
            <p className="notice notice--info">{t('ballots.observerText')}</p>
          ) : ctx.role.kind === 'unassigned' ? (
            <p className="notice notice--info">{t('ballots.unassignedText')}</p>
          ) : ctx.list === null ? (
            <p className="empty" role="alert">
              {t('ballots.unknownList')}
            </p>
          ) : (
            <section className="panel" aria-labelledby="ballot-intro">
              <p id="ballot-intro">{t('ballots.intro')}</p>
              {ctx.recused && (
                <div className="recused ballot__recused" data-testid="ballot-recused">
                  <span className="recused__mark">{t('ballots.recusedMark')}</span>
                  <p>{t('ballots.recusedText', { unit: ctx.recused.name })}</p>
                </div>
              )}
              {ctx.ballot?.status === 'submitted' ? (
                <SubmittedBallot order={ctx.ballot.unitIds.filter((id) => id !== ctx.recused?.id)} unitsById={unitsById} ballot={ctx.ballot} />
              ) : !isTourOpenForScoring(ctx.tour) && ctx.ballot?.status !== 'reopened' ? (
                <p className="notice notice--info ballot ballot--locked" data-testid="ballot-locked">
                  {t('ballots.closedNotSubmitted')}
                </p>
              ) : (
                <BallotForm
                  // a new form only when the secretariat reopens the ballot: autosaving must never remount it
                  key={`${ctx.role.scorer.id}:${group ?? ''}:${ctx.ballot?.status === 'reopened' ? 'reopened' : 'open'}`}
                  target={{ tourId, group, userId: user.userId }}
                  unitsById={unitsById}
                  eligible={eligibleUnitIds(ctx.list, ctx.recused)}
                  storedPlaced={ctx.placement.placed}
                  isReopened={ctx.ballot?.status === 'reopened'}
                  reopenReason={ctx.ballot?.reopenReason}
                />
              )}
            </section>
          )}
        </>
      )}
    </section>
  );
}
