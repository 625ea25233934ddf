import { useMemo } from 'react';
import type { Stop, Tour, Unit } from '@shared/domain/schemas';
import { useCurrentUser } from '../../app/current-user-context';
import { Link } from '../../app/Link';
import { useStop } from '../../db/use-field-data';
import { useStops, useTour, useUnits } from '../../db/use-tours';
import { daysInclusive, formatDay } from '../../i18n/format';
import { useI18n, useT } from '../../i18n/use-t';
import { StopMapSection } from '../map/StopMapSection';
import { NotesSection } from '../notes/NotesSection';
import { StopPhotosSection } from '../photos/StopPhotosSection';
import { ScoreSheetSection } from '../scoring/ScoreSheetSection';
import { StopFacts } from './StopFacts';
import { StopNav } from './StopNav';
import './stop.css';

/**
 * One stop of a tour, everything the user does there: the project facts, photos, notes and the
 * score sheet. Two columns on a laptop (facts, photos and notes; the sheet beside them), one
 * column on a narrow window, in that order.
 */
export function StopPage({ tourId, stopId }: { tourId: string; stopId: string }) {
  const t = useT();
  const tour = useTour(tourId);
  const stop = useStop(tourId, stopId);
  if (tour === undefined || stop === undefined) {
    return (
      <p className="muted" role="status">
        {t('common.loading')}
      </p>
    );
  }
  if (tour === null || stop === null) {
    return (
      <section className="page">
        <p className="page__back">
          <Link to={tour ? { name: 'tour', tourId } : { name: 'tours' }}>← {t(tour ? 'stopPage.backToItinerary' : 'tour.backToList')}</Link>
        </p>
        <p className="empty" role="alert">
          {t('stopPage.notFound')}
        </p>
      </section>
    );
  }
  return <StopContent tour={tour} stop={stop} />;
}

function StopContent({ tour, stop }: { tour: Tour; stop: Stop }) {
  const { t, locale } = useI18n();
  const user = useCurrentUser();
  const stops = useStops(tour.id);
  const units = useUnits(tour.id);
  const unit: Unit | undefined = useMemo(() => units?.find((u) => u.id === stop.unitId), [units, stop.unitId]);
  const index = stops?.findIndex((s) => s.id === stop.id) ?? -1;
  const dayNumber = Math.max(1, daysInclusive(tour.startDate, stop.day));
  // study tours have no score sheet: photos and notes take the whole width
  const hasSheet = tour.kind === 'scored' && tour.template !== null;

  return (
    <article className="page stop-page" data-testid="stop-page">
      <p className="page__back">
        <Link to={{ name: 'tour', tourId: tour.id }}>
          ← {t('stopPage.backTo', { name: tour.name })}
        </Link>
      </p>
      <header className="stop-header">
        <p className="stop-header__where">
          <span className="stop-header__day">{t('tour.dayTitle', { number: dayNumber })}</span>
          <span>{formatDay(stop.day, locale)}</span>
          <span className="stop-header__order">{t('stop.order', { order: stop.order })}</span>
          {stops && index >= 0 && <span className="muted">{t('stopPage.position', { index: index + 1, total: stops.length })}</span>}
        </p>
        <h1 className="page__title stop-header__name" tabIndex={-1}>
          {stop.name}
        </h1>
        <p className="stop-header__unit">
          {unit?.name ?? t('stop.unknownUnit')}
          {unit?.group && <span className="stop__group">{unit.group}</span>}
          {stop.category && <span className="chip">{stop.category}</span>}
        </p>
        {stops && <StopNav tourId={tour.id} stops={stops} index={index} />}
      </header>
      <div className={`stop-layout${hasSheet ? ' stop-layout--with-sheet' : ''}`}>
        {/* the sheet comes first in the document (stop.css puts it in the right column): scoring is
            the job at a stop, and Tab reaches it without passing every photo and note first */}
        {hasSheet && (
          <aside className="stop-layout__side" aria-label={t('sheet.title')}>
            <ScoreSheetSection tourId={tour.id} stopId={stop.id} />
          </aside>
        )}
        <div className="stop-layout__main">
          <StopFacts stop={stop} unit={unit} />
          <StopMapSection stop={stop} />
          {/* ── Photos (engineer 3B, renderer/src/features/photos) ── */}
          <StopPhotosSection tourId={tour.id} stopId={stop.id} authorId={user.userId} />
          <NotesSection tourId={tour.id} stopId={stop.id} />
        </div>
      </div>
    </article>
  );
}
