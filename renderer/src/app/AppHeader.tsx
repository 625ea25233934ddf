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
  const section = activeSection(route, isDeskAllowed);
  return (
    <header className="app-header">
      <div className="app-header__inner">
        {/* the role's home: the desk for the secretariat, 我的观摩 for everyone else (landing.ts) */}
        <Link to={{ name: 'home' }} className="brand">
          <img className="brand__icon" src={iconUrl} alt="" width={28} height={28} />
          <span className="brand__name">{t('app.name')}</span>
          <span className="brand__latin">{t('app.latinName')}</span>
        </Link>
        <nav className="app-nav" aria-label={t('nav.main')}>
          {/* the secretariat's home first */}
          {isDeskAllowed && (
            <Link to={{ name: 'desk' }} className="app-nav__link" data-nav="desk" aria-current={section === 'desk' ? 'page' : undefined}>
              {t('nav.desk')}
            </Link>
          )}
          <Link to={{ name: 'tours' }} className="app-nav__link" data-nav="tours" aria-current={section === 'tours' ? 'page' : undefined}>
            {t('nav.tours')}
          </Link>
          <Link to={{ name: 'settings' }} className="app-nav__link" data-nav="settings" aria-current={section === 'settings' ? 'page' : undefined}>
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

/**
 * Which nav item the page belongs to: rankings and the bulletin are desk work for the secretariat
 * (everyone else reaches them from a tour); the sync page and an unknown address belong to none.
 */
function activeSection(route: Route, isDeskAllowed: boolean): 'tours' | 'desk' | 'settings' | null {
  switch (route.name) {
    case 'settings':
    case 'who':
      return 'settings';
    case 'desk':
    case 'deskTour':
    case 'deskBoard':
    case 'deskDevices':
      return 'desk';
    case 'rankings':
    case 'bulletin':
      return isDeskAllowed ? 'desk' : 'tours';
    case 'sync':
    case 'notFound':
    case 'home':
      return null;
    default:
      return 'tours';
  }
}
