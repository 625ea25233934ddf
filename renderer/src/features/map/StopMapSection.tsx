import { useLiveQuery } from 'dexie-react-hooks';
import { lazy, Suspense } from 'react';
import type { Stop } from '@shared/domain/schemas';
import { usableLatLng } from '@shared/photos/geo';
import { useDb } from '../../db/db-context';
import { listStopPhotos } from '../../db/photos-repo';
import { useT } from '../../i18n/use-t';
import { PackStatusLine } from './PackStatusLine';

const StopMap = lazy(() => import('./StopMap'));

/** The stop page's "location" panel: the map when the project or a photo has a position, a line saying so when none has. */
export function StopMapSection({ stop }: { stop: Stop }) {
  const t = useT();
  const db = useDb();
  const hasPhotoGps = useLiveQuery(async () => (await listStopPhotos(db, stop.id)).some((p) => usableLatLng(p.lat, p.lng) !== null), [db, stop.id]);
  if (hasPhotoGps === undefined) return null;
  const hasSite = usableLatLng(stop.lat, stop.lng) !== null;
  return (
    <section className="panel stop-map" aria-labelledby="stop-map-title" data-testid="stop-map-section">
      <h2 className="panel__title" id="stop-map-title">
        {t('map.stop.title')}
      </h2>
      {!hasSite && <p className="muted">{t('map.stop.noCoordinates')}</p>}
      {(hasSite || hasPhotoGps) && (
        <>
          <Suspense fallback={<div className="map-canvas map-canvas--small" aria-busy="true" />}>
            <StopMap stop={stop} />
          </Suspense>
          <PackStatusLine tourId={stop.tourId} />
        </>
      )}
    </section>
  );
}
