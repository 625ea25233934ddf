import type { Stop } from '@shared/domain/schemas';
import { Link } from '../../app/Link';
import { useT } from '../../i18n/use-t';

/** Previous and next stop in visiting order (the bus goes from one to the next). */
export function StopNav({ tourId, stops, index }: { tourId: string; stops: readonly Stop[]; index: number }) {
  const t = useT();
  const previous = index > 0 ? stops[index - 1] : undefined;
  const next = index >= 0 && index + 1 < stops.length ? stops[index + 1] : undefined;
  return (
    <nav className="stop-nav" aria-label={t('stopPage.nav')}>
      {previous ? (
        <Link to={{ name: 'stop', tourId, stopId: previous.id }} className="stop-nav__link" rel="prev">
          <span className="stop-nav__dir">← {t('stopPage.previous')}</span>
          <span className="stop-nav__name">{previous.name}</span>
        </Link>
      ) : (
        <span />
      )}
      {next && (
        <Link to={{ name: 'stop', tourId, stopId: next.id }} className="stop-nav__link stop-nav__link--next" rel="next" data-testid="next-stop-nav">
          <span className="stop-nav__dir">{t('stopPage.next')} →</span>
          <span className="stop-nav__name">{next.name}</span>
        </Link>
      )}
    </nav>
  );
}
