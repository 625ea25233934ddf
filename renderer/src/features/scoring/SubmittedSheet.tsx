import { useEffect, useRef } from 'react';
import type { ScoreSheet, Template } from '@shared/domain/schemas';
import { formatHundredths, formatScoreValue, tallySheet } from '@shared/domain/score-input';
import { useCurrentUser } from '../../app/current-user-context';
import { Link } from '../../app/Link';
import { nextUnscoredStop } from '../../db/sheets-repo';
import { useStopStatuses } from '../../db/use-field-data';
import { useStops } from '../../db/use-tours';
import { formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';

/**
 * A sheet that can no longer change: submitted (locked until the secretariat reopens it), or
 * the tour's scoring has ended. Values read-only, the total, the submitted time, and the way on
 * to the next stop still to score.
 */
export function SubmittedSheet({ template, sheet, tourId, stopId, isClosed = false }: { template: Template; sheet: ScoreSheet | null; tourId: string; stopId: string; isClosed?: boolean }) {
  const { t, locale } = useI18n();
  const bannerRef = useRef<HTMLDivElement>(null);
  const texts = Object.fromEntries(template.criteria.map((c) => [c.key, formatScoreValue(sheet?.scores[c.key] ?? null)]));
  const tally = tallySheet(template, texts);

  // just submitted: the form (and the focus in it) is gone; put focus on the outcome
  useEffect(() => {
    if (document.activeElement === document.body || document.activeElement === null) bannerRef.current?.focus();
  }, []);

  return (
    <div className="sheet sheet--locked" data-testid="submitted-sheet">
      <div className={`notice ${isClosed && sheet?.status !== 'submitted' ? 'notice--info' : 'notice--success'} sheet__locked-banner`} ref={bannerRef} tabIndex={-1} role="status">
        {sheet?.status === 'submitted' && sheet.submittedAt ? (
          <>
            <span className="notice__title">{t('sheet.submittedTitle')}</span>
            <span data-testid="submitted-at">{t('sheet.submittedAt', { time: formatDateTime(sheet.submittedAt, locale) })}</span>
            <span className="sheet__locked-hint">{t('sheet.lockedHint')}</span>
          </>
        ) : (
          <span>{t('sheet.tourClosed')}</span>
        )}
      </div>
      <ol className="criteria criteria--readonly">
        {template.criteria.map((criterion, i) => (
          <li key={criterion.key} className="criterion" data-testid="criterion">
            <div className="criterion__head">
              <span className="criterion__name">
                <span className="criterion__index" aria-hidden="true">
                  {i + 1}
                </span>
                {criterion.name}
              </span>
              <span className="criterion__value" data-testid="criterion-value">
                {texts[criterion.key] || t('common.none')}
                <span className="criterion__max"> / {formatScoreValue(criterion.max)}</span>
              </span>
            </div>
          </li>
        ))}
      </ol>
      <div className="sheet__footer">
        <div className="sheet__total">
          <span className="sheet__total-label">{t('sheet.total')}</span>
          <span className="sheet__total-value" data-testid="sheet-total">
            {formatHundredths(tally.totalHundredths)}
          </span>
          <span className="sheet__total-max">/ {formatHundredths(tally.maxHundredths)}</span>
        </div>
        <NextUnscoredLink tourId={tourId} stopId={stopId} />
      </div>
    </div>
  );
}

function NextUnscoredLink({ tourId, stopId }: { tourId: string; stopId: string }) {
  const { t } = useI18n();
  const user = useCurrentUser();
  const stops = useStops(tourId);
  const statuses = useStopStatuses(tourId, user.userId);
  if (!stops || !statuses) return null;
  const next = nextUnscoredStop(stops, new Map([...statuses].map(([id, s]) => [id, s.sheet])), stopId);
  if (!next) return <p className="sheet__all-done">{t('next.allDoneShort')}</p>;
  return (
    <Link to={{ name: 'stop', tourId, stopId: next.id }} className="button button--primary button--large" data-testid="next-unscored">
      {t('next.goTo', { name: next.name })} →
    </Link>
  );
}
