import type { Stop } from '@shared/domain/schemas';
import { daysInclusive } from '../../i18n/format';

export interface ItineraryDay {
  /** YYYY-MM-DD */
  day: string;
  /** 1 for the tour's first day; counted from the start date, so a day without stops keeps its number */
  number: number;
  stops: Stop[];
}

/** Groups stops into days, each day in visiting order. */
export function groupStopsByDay(stops: readonly Stop[], tourStartDate: string): ItineraryDay[] {
  const sorted = [...stops].sort((a, b) => a.day.localeCompare(b.day) || a.order - b.order);
  const days: ItineraryDay[] = [];
  for (const stop of sorted) {
    const last = days[days.length - 1];
    if (last && last.day === stop.day) last.stops.push(stop);
    else days.push({ day: stop.day, number: dayNumber(tourStartDate, stop.day, days.length + 1), stops: [stop] });
  }
  return days;
}

function dayNumber(tourStartDate: string, day: string, fallback: number): number {
  const n = daysInclusive(tourStartDate, day);
  // a stop dated before the tour starts is a data error; keep a sensible number rather than 0 or less
  return n >= 1 ? n : fallback;
}
