import type { Tour } from '@shared/domain/schemas';
import { Link } from '../../app/Link';
import type { Route } from '../../app/router';
import { useTour } from '../../db/use-tours';
import type { MessageKey } from '../../i18n/catalogs';
import { useT } from '../../i18n/use-t';
import { DemoBadge } from './DemoBadge';
import { useDeskAccess } from './use-desk-access';
import './tour-desk-nav.css';

/** The tour pages a tab can lead to. */
export type TourDeskTab = 'editor' | 'board' | 'rankings' | 'bulletin' | 'devices';

const tabLabel: Record<TourDeskTab, MessageKey> = {
  editor: 'tourNav.editor',
  board: 'tourNav.board',
  rankings: 'tourNav.rankings',
  bulletin: 'tourNav.bulletin',
  devices: 'carry.desk.tab',
};

/**
 * Which tabs a user sees on a tour: the secretariat all of them (a study tour has no scoring, so
 * no board, rankings or bulletin, but laptops may hold its unsynced photos and notes); everyone else the rankings and the bulletin, which they may
 * read once the results are published (the pages themselves say so before).
 */
export function tourDeskTabs(tour: Pick<Tour, 'kind'> | null, isStaff: boolean): TourDeskTab[] {
  const isScored = tour?.kind !== 'study';
  // 未同步的笔记本 last: a study tour's photos and notes wait on laptops too
  if (isStaff) return isScored ? ['editor', 'board', 'rankings', 'bulletin', 'devices'] : ['editor', 'devices'];
  return isScored ? ['rankings', 'bulletin'] : [];
}

function tabRoute(tab: TourDeskTab, tourId: string): Route {
  switch (tab) {
    case 'editor':
      return { name: 'deskTour', tourId };
    case 'board':
      return { name: 'deskBoard', tourId };
    case 'rankings':
      return { name: 'rankings', tourId };
    case 'bulletin':
      return { name: 'bulletin', tourId };
    case 'devices':
      return { name: 'deskDevices', tourId };
  }
}

/**
 * The bar at the top of a tour's editor, board, rankings and bulletin: the way back (the desk for
 * the secretariat, the tour's itinerary for everyone else), the tour's name, and tabs between
 * those pages. Never printed (the bulletin prints without it).
 */
export function TourDeskNav({ tourId, current }: { tourId: string; current: TourDeskTab }) {
  const t = useT();
  const access = useDeskAccess();
  const tour = useTour(tourId);
  if (access === 'loading' || tour === undefined) return null;
  const isStaff = access === 'allowed';
  const tabs = tourDeskTabs(tour, isStaff);
  return (
    <nav className="tour-desk-nav no-print" aria-label={t('tourNav.label')} data-testid="tour-desk-nav">
      {/* a breadcrumb: where this tour sits (the desk, or the tour's itinerary), then the tour */}
      <div className="tour-desk-nav__top">
        {isStaff ? (
          <Link to={{ name: 'desk' }} className="tour-desk-nav__back">
            {t('desk.home.title')}
          </Link>
        ) : (
          tour && (
            <Link to={{ name: 'tour', tourId }} className="tour-desk-nav__back">
              {t('tourNav.itinerary')}
            </Link>
          )
        )}
        {tour && (
          <>
            <span className="tour-desk-nav__sep" aria-hidden="true">
              ›
            </span>
            <span className="tour-desk-nav__tour" data-testid="tour-desk-nav-tour">
              {tour.name}
              <DemoBadge tourId={tour.id} />
            </span>
          </>
        )}
      </div>
      {tour && tabs.length > 1 && (
        <ul className="tour-desk-nav__tabs">
          {tabs.map((tab) => (
            <li key={tab}>
              <Link to={tabRoute(tab, tourId)} className="tour-desk-nav__tab" aria-current={tab === current ? 'page' : undefined} data-tab={tab}>
                {/* a rank vote's board follows ballots, not score sheets */}
                {t(tab === 'board' && tour.kind === 'scored' && tour.rules.method === 'rankVote' ? 'tourNav.boardRankVote' : tabLabel[tab])}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
