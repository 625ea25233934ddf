import { useMemo } from 'react';
import { Link } from '../../app/Link';
import { useCurrentUser } from '../../app/current-user-context';
import { useAssignedTours } from '../../db/use-field-data';
import { useTours } from '../../db/use-tours';
import { useT } from '../../i18n/use-t';
import { withNodes } from '../desk/message-nodes';
import { useDeskAccess } from '../desk/use-desk-access';
import { TourCard } from './TourCard';
import '../../ui/ui.css';
import './tours.css';

/**
 * 观摩活动: the tours the current user is assigned to (as scorer or observer). The secretariat,
 * assigned to few tours or none, sees every tour on this computer instead, with the way to the desk.
 */
export function TourListPage() {
  const access = useDeskAccess();
  if (access === 'loading') return null;
  return access === 'allowed' ? <AllToursForDesk /> : <AssignedTours />;
}

function AssignedTours() {
  const t = useT();
  const user = useCurrentUser();
  const assigned = useAssignedTours(user.userId);
  return (
    <section className="page">
      <header className="page__header">
        <h1 className="page__title" tabIndex={-1}>
          {t('tours.title')}
        </h1>
        <p className="page__subtitle">{t('tours.subtitleFor', { name: user.name })}</p>
      </header>
      {assigned === undefined ? (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      ) : assigned.length === 0 ? (
        <div className="empty">
          <p>{t('tours.emptyFor', { name: user.name })}</p>
          <p>
            <Link to={{ name: 'who' }}>{t('tours.switchUser')}</Link>
          </p>
        </div>
      ) : (
        <div className="tour-grid">
          {assigned.map(({ tour, scorer }) => (
            <TourCard key={tour.id} tour={tour} scorer={scorer} />
          ))}
        </div>
      )}
    </section>
  );
}

/** Every tour this computer holds (the secretariat syncs them all), its own assignments marked. */
function AllToursForDesk() {
  const t = useT();
  const user = useCurrentUser();
  const tours = useTours();
  const assigned = useAssignedTours(user.userId);
  const scorerOf = useMemo(() => new Map((assigned ?? []).map(({ tour, scorer }) => [tour.id, scorer])), [assigned]);
  const deskLink = <Link to={{ name: 'desk' }}>{t('tours.deskLink')}</Link>;
  return (
    <section className="page">
      <header className="page__header">
        <h1 className="page__title" tabIndex={-1}>
          {t('tours.title')}
        </h1>
        <p className="page__subtitle">{t('tours.deskSubtitle')}</p>
      </header>
      {tours === undefined || assigned === undefined ? (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      ) : tours.length === 0 ? (
        <p className="empty">{withNodes(t('tours.deskEmpty'), { deskLink })}</p>
      ) : (
        <>
          <p className="notice notice--info tours-desk-callout" data-testid="tours-desk-callout">
            {withNodes(t('tours.deskCallout'), { deskLink })}
          </p>
          <div className="tour-grid">
            {tours.map((tour) => (
              <TourCard key={tour.id} tour={tour} scorer={scorerOf.get(tour.id) ?? null} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
