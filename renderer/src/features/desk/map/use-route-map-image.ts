/**
 * The bulletin's route map, drawn from this computer's offline pack of the tour: `none` when
 * there is no pack here (the bulletin then has no route map: nothing is fetched for it), else
 * an object URL of the picture, redrawn when the stops or the pack change.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Stop } from '@shared/domain/schemas';
import { convertPoint } from '@shared/maps/coords';
import { useBasemap } from '../../map/use-basemap';
import { groupStopsByDay } from '../../tours/itinerary';
import { renderRouteMap, type RouteMapDay } from './render-route-map';

export type RouteMapImage =
  | { status: 'loading' }
  | { status: 'none' }
  | { status: 'drawing' }
  | { status: 'ready'; url: string; attribution: string; days: { number: number; day: string; colourIndex: number }[] };

export function useRouteMapImage(tourId: string, startDate: string, stops: readonly Stop[]): RouteMapImage {
  const basemap = useBasemap(tourId);
  const reader = basemap?.tiles.reader ?? null;
  const noMapText = basemap?.tiles.noMapText ?? '';
  const days = useMemo(() => groupStopsByDay(stops, startDate), [stops, startDate]);
  const [image, setImage] = useState<{ sha256: string; url: string } | null>(null);

  useEffect(() => {
    if (!reader) return;
    const display = reader.pack.coordSystem;
    const routeDays: RouteMapDay[] = days.map((d) => ({
      stops: d.stops.filter((s) => s.lat !== null && s.lng !== null).map((s) => ({ label: String(s.order), ...convertPoint({ lng: s.lng!, lat: s.lat! }, 'wgs84', display) })),
    }));
    if (routeDays.every((d) => d.stops.length === 0)) return;
    let isCurrent = true;
    let made: string | null = null;
    renderRouteMap(reader, routeDays, noMapText).then(
      (blob) => {
        if (!isCurrent || !blob) return;
        made = URL.createObjectURL(blob);
        setImage({ sha256: reader.sha256, url: made });
      },
      (error: unknown) => console.warn('the route map could not be drawn', error),
    );
    return () => {
      isCurrent = false;
      if (made) URL.revokeObjectURL(made);
      setImage(null);
    };
  }, [reader, days, noMapText]);

  if (basemap === undefined) return { status: 'loading' };
  if (!reader || !stops.some((s) => s.lat !== null && s.lng !== null)) return { status: 'none' };
  if (!image || image.sha256 !== reader.sha256) return { status: 'drawing' };
  return { status: 'ready', url: image.url, attribution: reader.pack.attribution, days: days.map((d, i) => ({ number: d.number, day: d.day, colourIndex: i })) };
}
