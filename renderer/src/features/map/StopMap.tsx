import { useLiveQuery } from 'dexie-react-hooks';
import * as L from 'leaflet';
import { useEffect } from 'react';
import type { Stop } from '@shared/domain/schemas';
import { distanceM, usableLatLng } from '@shared/photos/geo';
import { useDb } from '../../db/db-context';
import { listStopPhotos } from '../../db/photos-repo';
import { formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';
import { toDisplay } from './display-coords';
import { photoIcon, pinIcon } from './stop-pins';
import { useBasemap } from './use-basemap';
import { useLeafletMap } from './use-leaflet-map';

/**
 * The stop page's map: the project's location (its WGS-84 coordinates) and where each of its
 * photos that carries GPS was taken (EXIF, WGS-84), on the tour's offline pack. Shown only when
 * there is something to place.
 */
export default function StopMap({ stop }: { stop: Stop }) {
  const { t, locale } = useI18n();
  const db = useDb();
  const photos = useLiveQuery(() => listStopPhotos(db, stop.id), [db, stop.id]);
  const basemap = useBasemap(stop.tourId);
  const { containerRef, map } = useLeafletMap(basemap);
  const display = basemap?.display ?? 'wgs84';
  const site = usableLatLng(stop.lat, stop.lng);
  const located = (photos ?? []).flatMap((p) => {
    const at = usableLatLng(p.lat, p.lng);
    return at ? [{ photo: p, at }] : [];
  });

  useEffect(() => {
    if (!map) return;
    const layer = L.layerGroup().addTo(map);
    const points: L.LatLng[] = [];
    for (const { photo, at } of located) {
      const where = toDisplay(at, display);
      points.push(where);
      const parts = [photo.caption || t('map.stop.photo'), photo.takenAt ? formatDateTime(photo.takenAt, locale) : null, site ? t('map.stop.photoDistance', { metres: Math.round(distanceM(at, site)) }) : null];
      const marker = L.marker(where, { icon: photoIcon(), keyboard: false }).bindTooltip(parts.filter(Boolean).join(' · '), { direction: 'top' }).addTo(layer);
      marker.getElement()?.setAttribute('data-testid', 'stop-map-photo');
    }
    if (site) {
      const where = toDisplay(site, display);
      points.push(where);
      const marker = L.marker(where, { icon: pinIcon({ label: String(stop.order), dayIndex: null }), keyboard: false, zIndexOffset: 1000 }).bindTooltip(stop.name, { direction: 'top' }).addTo(layer);
      marker.getElement()?.setAttribute('data-testid', 'stop-map-site');
    }
    if (points.length === 1) map.setView(points[0]!, 15, { animate: false });
    else if (points.length > 1) map.fitBounds(L.latLngBounds(points), { padding: [32, 32], maxZoom: 17, animate: false });
    return () => {
      layer.remove();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map, display, stop.lat, stop.lng, stop.name, stop.order, photos, locale, t]);

  return (
    <>
      <div ref={containerRef} className="map-canvas map-canvas--small" data-testid="stop-map" data-display={display} role="region" aria-label={t('map.stop.canvasLabel', { name: stop.name })} />
      {located.length > 0 && <p className="map-note">{t('map.stop.photoCount', { count: located.length })}</p>}
    </>
  );
}
