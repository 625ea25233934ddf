import type { Stop, Unit } from '@shared/domain/schemas';
import { Link } from '../../app/Link';
import type { StopStatus } from '../../db/stop-status-repo';
import { formatInvestment, formatShare } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';
import { SheetStateChip } from './SheetStateChip';

/** One project on the itinerary: where, who hosts it, what kind, how much is invested, and where the user stands with it. */
export function StopItem({ tourId, stop, unit, status, isNext = false }: { tourId: string; stop: Stop; unit: Unit | undefined; status?: StopStatus; isNext?: boolean }) {
  const { t, locale } = useI18n();
  const share = formatShare(stop.completedInvestment, stop.totalInvestment, locale);
  const ratio = share && stop.completedInvestment !== null && stop.totalInvestment ? Math.min(1, stop.completedInvestment / stop.totalInvestment) : null;
  return (
    <li className={`stop${isNext ? ' is-next' : ''}`} data-testid="stop">
      <span className="stop__order" aria-label={t('stop.order', { order: stop.order })}>
        {stop.order}
      </span>
      <div className="stop__body">
        <div className="stop__heading">
          <h4 className="stop__name">
            {/* the link covers the whole row (see .stop__link::after) */}
            <Link to={{ name: 'stop', tourId, stopId: stop.id }} className="stop__link">
              {stop.name}
            </Link>
          </h4>
          {stop.category && (
            <span className="chip" title={t('stop.category')}>
              {stop.category}
            </span>
          )}
          {isNext && <span className="stop__next">{t('next.badge')}</span>}
        </div>
        <p className="stop__unit">
          <span className="visually-hidden">{t('stop.hostUnit')}: </span>
          {unit?.name ?? t('stop.unknownUnit')}
          {unit?.group && <span className="stop__group">{unit.group}</span>}
        </p>
        <dl className="stop__facts">
          <div>
            <dt>{t('stop.totalInvestment')}</dt>
            <dd>{stop.totalInvestment === null ? t('common.none') : formatInvestment(stop.totalInvestment, locale)}</dd>
          </div>
          <div>
            <dt>{t('stop.completedInvestment')}</dt>
            <dd>
              {stop.completedInvestment === null ? t('common.none') : formatInvestment(stop.completedInvestment, locale)}
              {share && <span className="stop__share">{t('stop.completedShare', { percent: share })}</span>}
            </dd>
          </div>
          {stop.address && (
            <div>
              <dt>{t('stop.address')}</dt>
              <dd>{stop.address}</dd>
            </div>
          )}
        </dl>
        {ratio !== null && (
          <div className="progress" aria-hidden="true">
            <div className="progress__bar" style={{ inlineSize: `${(ratio * 100).toFixed(1)}%` }} />
          </div>
        )}
      </div>
      {status && (
        <div className="stop__status" data-testid="stop-status">
          <SheetStateChip state={status.sheet} />
          <span className={`stop__count${status.photos ? '' : ' is-zero'}`}>{t('stop.photoCount', { count: status.photos })}</span>
          <span className={`stop__count${status.notes ? '' : ' is-zero'}`}>{t('stop.noteCount', { count: status.notes })}</span>
        </div>
      )}
    </li>
  );
}
