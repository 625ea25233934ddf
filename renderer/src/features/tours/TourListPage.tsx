import { Link } from '../../app/Link';
import { useCurrentUser } from '../../app/current-user-context';
import { useAssignedTours } from '../../db/use-field-data';
import { useT } from '../../i18n/use-t';
import { TourCard } from './TourCard';
import './tours.css';

/** The tours the current user is assigned to (as scorer or observer). */
export function TourListPage() {
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
