/** User-facing wording of import outcomes and stop proposals (through i18n). */
import type { MatchReason, NoMatchReason } from '@shared/photos/match-stop';
import type { Locale, Translate } from '../../i18n/catalogs';
import type { ImportFailure } from './import-photos';

export function describeFailure(t: Translate, failure: ImportFailure): string {
  switch (failure.kind) {
    case 'unsupported-format':
      return failure.format === 'heic' ? t('photos.failure.heic') : t('photos.failure.unsupportedFormat', { format: failure.format.toUpperCase() });
    case 'not-an-image':
      return t('photos.failure.notAnImage');
    case 'undecodable':
      return t('photos.failure.undecodable');
    case 'empty':
      return t('photos.failure.empty');
    case 'unreadable':
      return t('photos.failure.unreadable');
    case 'processing-failed':
      return t('photos.failure.processingFailed', { detail: failure.detail });
    case 'save-failed':
      return t('photos.failure.saveFailed', { detail: failure.detail });
  }
}

/** "120 米" / "1.2 公里" */
export function formatDistance(t: Translate, metres: number, locale: Locale): string {
  if (metres < 1000) return t('photos.distance.m', { value: Math.round(metres) });
  const km = new Intl.NumberFormat(locale, { maximumFractionDigits: metres < 10_000 ? 1 : 0 }).format(metres / 1000);
  return t('photos.distance.km', { value: km });
}

export function describeReason(t: Translate, locale: Locale, reason: MatchReason | NoMatchReason, stopName: (id: string) => string, formatDay: (day: string) => string): string {
  switch (reason.kind) {
    case 'distance': {
      const distance = formatDistance(t, reason.distanceM, locale);
      return reason.dayMatches === false ? t('photos.reason.distanceOtherDay', { distance }) : t('photos.reason.distance', { distance });
    }
    case 'distance-tie': {
      const params = { distance: formatDistance(t, reason.distanceM, locale), count: reason.tiedStops };
      if (reason.decidedBy === 'day') return t('photos.reason.distanceTieDay', params);
      if (reason.decidedBy === 'neighbours') return t('photos.reason.distanceTieNeighbours', params);
      return t('photos.reason.distanceTieOrder', params);
    }
    case 'between-neighbours':
      return t('photos.reason.betweenNeighbours');
    case 'near-neighbour':
      return t('photos.reason.nearNeighbour', { minutes: reason.minutes });
    case 'only-stop-that-day':
      return t('photos.reason.onlyStopThatDay');
    case 'too-far':
      return t('photos.reason.tooFar', { stop: stopName(reason.nearestStopId), distance: formatDistance(t, reason.distanceM, locale) });
    case 'day-not-on-itinerary':
      return t('photos.reason.dayNotOnItinerary', { day: formatDay(reason.day) });
    case 'several-stops-that-day':
      return t('photos.reason.severalStopsThatDay', { count: reason.stops });
    case 'no-evidence':
      return t('photos.reason.noEvidence');
  }
}

/** Date and time a photo was taken, in this device's zone: "2021年12月8日 10:30". */
export function formatTakenAt(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** "32.02751° N, 120.87891° E" */
export function formatLatLng(lat: number, lng: number): string {
  return `${Math.abs(lat).toFixed(5)}° ${lat >= 0 ? 'N' : 'S'}, ${Math.abs(lng).toFixed(5)}° ${lng >= 0 ? 'E' : 'W'}`;
}

/** An instant as wall-clock time in this device's zone ('YYYY-MM-DDTHH:mm:ss'). */
export function instantToDeviceLocal(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
