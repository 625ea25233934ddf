// inlined (data: URL): the header must not depend on a fetch that can fail offline
import iconUrl from '../../../assets/icons/guanmo.svg?inline';
import { SyncIndicator } from '../features/sign-in/SyncIndicator';
import { useT } from '../i18n/use-t';
import { CurrentUserBadge } from './CurrentUserBadge';
import { Link } from './Link';
import { useDeskAccess } from '../features/desk/use-desk-access';
import { NetworkIndicator } from './NetworkIndicator';
import type { Route } from './router';

export function AppHeader({ route }: { route: Route }) {
  const t = useT();
  const isDeskAllowed = useDeskAccess() === 'allowed';
  const section = route.name === 'settings' || route.name === 'who' ? 'settings' : route.name.startsWith('desk') ? 'desk' : 'tours';
  return (
    <header className="app-header">
      <div className="app-header__inner">
        <Link to={{ name: 'tours' }} className="brand">
          <img className="brand__icon" src={iconUrl} alt="" width={28} height={28} />
          <span className="brand__name">{t('app.name')}</span>
          <span className="brand__latin">{t('app.latinName')}</span>
        </Link>
        <nav className="app-nav" aria-label={t('nav.main')}>
          <Link to={{ name: 'tours' }} className="app-nav__link" aria-current={section === 'tours' ? 'page' : undefined}>
            {t('nav.tours')}
          </Link>
          {isDeskAllowed && (
            <Link to={{ name: 'desk' }} className="app-nav__link" aria-current={section === 'desk' ? 'page' : undefined}>
              {t('nav.desk')}
            </Link>
          )}
          <Link to={{ name: 'settings' }} className="app-nav__link" aria-current={section === 'settings' ? 'page' : undefined}>
            {t('nav.settings')}
          </Link>
        </nav>
        <CurrentUserBadge />
        <NetworkIndicator />
        <SyncIndicator />
      </div>
    </header>
  );
}
