/**
 * The tour's local time. Tours are held in China, which keeps one time zone all year (UTC+8, no
 * daylight saving), and tour records carry no zone of their own; a laptop's own zone is not a
 * good source (a clerk's laptop may be set to UTC, or travel). So times the secretariat reads in
 * official outputs (the workbook's 提交时间, 计算时间) are shown in Asia/Shanghai.
 *
 * What must stay true: pure (Intl only, no clock): the same instant gives the same wall-clock
 * time on every machine, whatever its own time zone.
 */
export const TOUR_TIME_ZONE = 'Asia/Shanghai';

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock time of an instant in a time zone (the tour's by default). */
export function wallClock(instant: Date, timeZone: string = TOUR_TIME_ZONE): WallClock {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/**
 * An instant as a "floating" date whose UTC fields are the tour's wall-clock time: what a
 * spreadsheet cell holds (spreadsheet dates have no zone; exceljs writes a Date by its UTC
 * fields), so the cell shows the local time in Excel and WPS on any machine.
 */
export function wallClockAsUtcDate(instant: Date, timeZone: string = TOUR_TIME_ZONE): Date {
  const w = wallClock(instant, timeZone);
  return new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second));
}

/** "2021-12-08 17:30" in the tour's time zone. */
export function formatTourDateTime(instant: Date, timeZone: string = TOUR_TIME_ZONE): string {
  const w = wallClock(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}
