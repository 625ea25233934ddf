import { appVersion } from './app-version';
import { useEffect, useRef } from 'react';
import { BallotPage } from '../features/ballots/BallotPage';
import { DeskGate } from '../features/desk/DeskGate';
import { DeskHomePage } from '../features/desk/DeskHomePage';
import { TourDeskNav } from '../features/desk/TourDeskNav';
import { ScoringBoardPage } from '../features/desk/board/ScoringBoardPage';
import { CarryDevicesPage } from '../features/desk/devices/CarryDevicesPage';
import { TourEditorPage } from '../features/desk/prepare/TourEditorPage';
import { BulletinPage } from '../features/desk/export/BulletinPage';
import { RankingsPage } from '../features/desk/rankings/RankingsPage';
import { WhoAreYouPage } from '../features/people/WhoAreYouPage';
import { OfflineMapsSync } from '../features/map/OfflineMapsSync';
import { SettingsPage } from '../features/settings/SettingsPage';
import { SyncPage } from '../features/sign-in/SyncPage';
import { StopPage } from '../features/stop/StopPage';
import { TourDetailPage } from '../features/tours/TourDetailPage';
import { TourListPage } from '../features/tours/TourListPage';
import { useT } from '../i18n/use-t';
import { SyncProvider } from '../sync/SyncProvider';
import { AppHeader } from './AppHeader';
import { CurrentUserGate } from './CurrentUserGate';
import { DemoCleanupNotice } from './DemoCleanupNotice';
import { UpdateNotice } from '../features/update/UpdateNotice';
import { ErrorBoundary } from './ErrorBoundary';
import { HomeRedirect } from './HomeRedirect';
import { NotFoundPage } from './NotFoundPage';
import { routeHref, useRoute, type Route } from './router';
import './app-shell.css';

/** The shell: header, and the page of the current hash route. */
export function App() {
  const t = useT();
  const route = useRoute();
  const routeKey = routeHref(route);
  const mainRef = useRef<HTMLElement>(null);
  const isFirstRoute = useRef(true);

  // after navigating, start at the top and give keyboard/screen-reader focus to the new page
  useEffect(() => {
    if (isFirstRoute.current) {
      isFirstRoute.current = false;
      return;
    }
    window.scrollTo({ top: 0 });
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
  }, [routeKey]);

  return (
    // sync runs while the app is open (start on app start, see renderer/src/sync)
    <SyncProvider appVersion={appVersion}>
      {/* offline maps of this device's tours, fetched after each sync round (renderer/src/offline-maps) */}
      <OfflineMapsSync />
      <div className="app">
        {/* a button, not href="#main": the hash is the route */}
        <button type="button" className="skip-link" onClick={() => mainRef.current?.focus()}>
          {t('app.skipToContent')}
        </button>
        <AppHeader route={route} />
        <main id="main" className="app-main" ref={mainRef} tabIndex={-1}>
          <DemoCleanupNotice />
          <UpdateNotice route={route} />
          {/* keyed by route: a page that failed recovers when the user navigates away */}
          <ErrorBoundary key={routeKey}>
            <Page route={route} />
          </ErrorBoundary>
        </main>
      </div>
    </SyncProvider>
  );
}

/**
 * The page of a route. A tour's editor, board, rankings and bulletin carry the tour bar
 * (TourDeskNav: back to the desk or the itinerary, and tabs between those four pages) above them.
 */
function Page({ route }: { route: Route }) {
  switch (route.name) {
    case 'home':
      return <HomeRedirect />;
    // the field pages work for a known user: on first start the gate asks who that is
    case 'tours':
      return (
        <CurrentUserGate>
          <TourListPage />
        </CurrentUserGate>
      );
    case 'tour':
      return (
        <CurrentUserGate>
          <TourDetailPage tourId={route.tourId} />
        </CurrentUserGate>
      );
    case 'stop':
      return (
        <CurrentUserGate>
          <StopPage tourId={route.tourId} stopId={route.stopId} />
        </CurrentUserGate>
      );
    case 'ballot':
      return (
        <CurrentUserGate>
          <BallotPage tourId={route.tourId} group={route.group} />
        </CurrentUserGate>
      );
    case 'who':
      return <WhoAreYouPage />;
    case 'settings':
      return <SettingsPage />;
    case 'sync':
      return <SyncPage />;
    // the secretariat desk: only for a signed-in secretariat / admin account
    case 'desk':
      return (
        <DeskGate>
          <DeskHomePage />
        </DeskGate>
      );
    case 'deskTour':
      return (
        <DeskGate>
          <TourDeskNav tourId={route.tourId} current="editor" />
          <TourEditorPage tourId={route.tourId} />
        </DeskGate>
      );
    case 'deskBoard':
      return (
        <DeskGate>
          <TourDeskNav tourId={route.tourId} current="board" />
          <ScoringBoardPage tourId={route.tourId} />
        </DeskGate>
      );
    case 'deskDevices':
      return (
        <DeskGate>
          <TourDeskNav tourId={route.tourId} current="devices" />
          <CarryDevicesPage tourId={route.tourId} />
        </DeskGate>
      );
    // rankings and bulletin: the secretariat's, and everyone's (read-only) once results are published
    case 'rankings':
      return (
        <>
          <TourDeskNav tourId={route.tourId} current="rankings" />
          <RankingsPage tourId={route.tourId} />
        </>
      );
    case 'bulletin':
      return (
        <>
          <TourDeskNav tourId={route.tourId} current="bulletin" />
          <BulletinPage tourId={route.tourId} />
        </>
      );
    case 'notFound':
      return <NotFoundPage />;
  }
}
