import type { Stop, Unit } from '@shared/domain/schemas';
import { formatInvestment, formatShare } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';

/** One project on the itinerary: where, who hosts it, what kind, how much is invested. */
export function StopItem({ stop, unit }: { stop: Stop; unit: Unit | undefined }) {
  const { t, locale } = useI18n();
  const share = formatShare(stop.completedInvestment, stop.totalInvestment, locale);
  const ratio = share && stop.completedInvestment !== null && stop.totalInvestment ? Math.min(1, stop.completedInvestment / stop.totalInvestment) : null;
  return (
    <li className="stop" data-testid="stop">
      <span className="stop__order" aria-label={t('stop.order', { order: stop.order })}>
        {stop.order}
      </span>
      <div className="stop__body">
        <div className="stop__heading">
          <h4 className="stop__name">{stop.name}</h4>
          {stop.category && (
            <span className="chip" title={t('stop.category')}>
              {stop.category}
            </span>
          )}
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
    </li>
  );
}
