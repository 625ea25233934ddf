import { useT } from '../i18n/use-t';
import { Link } from './Link';

export function NotFoundPage() {
  const t = useT();
  return (
    <section className="page page--narrow">
      <h1 className="page__title" tabIndex={-1}>
        {t('notFound.title')}
      </h1>
      <p>
        <Link to={{ name: 'tours' }}>{t('notFound.back')}</Link>
      </p>
    </section>
  );
}
