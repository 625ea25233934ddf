import type { Stop, Unit } from '@shared/domain/schemas';
import { formatCalendarDate, formatInvestment, formatShare, formatWan } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';

/** The project as the secretariat's table describes it. Investment in 亿元 (or 万元) with the table's 万元 beside it. */
export function StopFacts({ stop, unit }: { stop: Stop; unit: Unit | undefined }) {
  const { t, locale } = useI18n();
  const share = formatShare(stop.completedInvestment, stop.totalInvestment, locale);
  const ratio = share && stop.completedInvestment !== null && stop.totalInvestment ? Math.min(1, stop.completedInvestment / stop.totalInvestment) : null;
  const none = t('common.none');
  return (
    <section className="panel stop-facts" aria-labelledby="facts-title" data-testid="stop-facts">
      <h2 className="panel__title" id="facts-title">
        {t('stopPage.facts')}
      </h2>
      <dl className="fact-list">
        <div className="fact">
          <dt>{t('stop.hostUnit')}</dt>
          <dd>
            {unit?.name ?? t('stop.unknownUnit')}
            {unit?.group && <span className="fact__aside">{unit.group}</span>}
          </dd>
        </div>
        <div className="fact">
          <dt>{t('stop.category')}</dt>
          <dd>{stop.category || none}</dd>
        </div>
        <div className="fact">
          <dt>{t('stop.totalInvestment')}</dt>
          <dd>
            {stop.totalInvestment === null ? (
              none
            ) : (
              <>
                <span className="fact__money">{formatInvestment(stop.totalInvestment, locale)}</span>
                <span className="fact__aside">{formatWan(stop.totalInvestment, locale)}</span>
              </>
            )}
          </dd>
        </div>
        <div className="fact">
          <dt>{t('stop.completedInvestment')}</dt>
          <dd>
            {stop.completedInvestment === null ? (
              none
            ) : (
              <>
                <span className="fact__money">{formatInvestment(stop.completedInvestment, locale)}</span>
                <span className="fact__aside">{formatWan(stop.completedInvestment, locale)}</span>
                {share && <span className="fact__share">{t('stop.completedShare', { percent: share })}</span>}
              </>
            )}
            {ratio !== null && (
              <div className="progress" aria-hidden="true">
                <div className="progress__bar" style={{ inlineSize: `${(ratio * 100).toFixed(1)}%` }} />
              </div>
            )}
          </dd>
        </div>
        <div className="fact">
          <dt>{t('stopPage.startDate')}</dt>
          <dd>{stop.startDate ? formatCalendarDate(stop.startDate, locale) : none}</dd>
        </div>
        {stop.briefer && (
          <div className="fact">
            <dt>{t('stopPage.briefer')}</dt>
            <dd>{stop.briefer}</dd>
          </div>
        )}
        <div className="fact fact--wide">
          <dt>{t('stopPage.content')}</dt>
          <dd className="fact__text">{stop.content || none}</dd>
        </div>
        <div className="fact fact--wide">
          <dt>{t('stop.address')}</dt>
          <dd>{stop.address || none}</dd>
        </div>
      </dl>
    </section>
  );
}
