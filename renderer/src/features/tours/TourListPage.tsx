import { useTours } from '../../db/use-tours';
import { useT } from '../../i18n/use-t';
import { TourCard } from './TourCard';
import './tours.css';

export function TourListPage() {
  const t = useT();
  const tours = useTours();
  return (
    <section className="page">
      <header className="page__header">
        <h1 className="page__title" tabIndex={-1}>
          {t('tours.title')}
        </h1>
        <p className="page__subtitle">{t('tours.subtitle')}</p>
      </header>
      {tours === undefined ? (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      ) : tours.length === 0 ? (
        <p className="empty">{t('tours.empty')}</p>
      ) : (
        <div className="tour-grid">
          {tours.map((tour) => (
            <TourCard key={tour.id} tour={tour} />
          ))}
        </div>
      )}
    </section>
  );
}
