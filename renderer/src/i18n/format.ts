import type { Locale } from './catalogs';

/**
 * Display formatting that depends on the language. Dates are calendar dates (YYYY-MM-DD, no
 * time zone), so they are formatted in UTC: the day must not shift with the laptop's zone.
 */

const wanPerYi = 10_000; // 1 亿元 = 10,000 万元

/** Investment given in 万元 (as on the secretariat's tables): "8500万元", "5.4亿元" / "¥85 million", "¥540 million", "¥1.2 billion". */
export function formatInvestment(wan: number, locale: Locale): string {
  if (locale === 'zh-CN') {
    if (Math.abs(wan) >= wanPerYi) return `${number(locale, wan / wanPerYi, 2)}亿元`;
    return `${number(locale, wan, 2)}万元`;
  }
  const yuan = wan * 10_000;
  if (Math.abs(yuan) >= 1e9) return `¥${number(locale, yuan / 1e9, 2)} billion`;
  return `¥${number(locale, yuan / 1e6, 2)} million`;
}

/** Share as a whole percent ("54%"); null when the total is unknown or zero. */
export function formatShare(part: number | null, total: number | null, locale: Locale): string | null {
  if (part === null || total === null || total <= 0) return null;
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(part / total);
}

/**
 * "2021年12月8日至10日" / "December 8–10, 2021". Written out rather than Intl's formatRange,
 * whose Chinese output differs between ICU builds (Node prints "2021/12/8 – 2021/12/10").
 */
export function formatDateRange(start: string, end: string, locale: Locale): string {
  const [sy, sm, sd] = parts(start);
  const [ey, em, ed] = parts(end);
  if (locale === 'zh-CN') {
    const from = `${sy}年${sm}月${sd}日`;
    if (start === end) return from;
    if (sy === ey && sm === em) return `${from}至${ed}日`;
    if (sy === ey) return `${from}至${em}月${ed}日`;
    return `${from}至${ey}年${em}月${ed}日`;
  }
  const monthDay = new Intl.DateTimeFormat(locale, { month: 'long', day: 'numeric', timeZone: 'UTC' });
  const full = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
  if (start === end) return full.format(utcDate(start));
  if (sy === ey && sm === em) return `${monthDay.format(utcDate(start))}–${ed}, ${sy}`;
  if (sy === ey) return `${monthDay.format(utcDate(start))} – ${monthDay.format(utcDate(end))}, ${sy}`;
  return `${full.format(utcDate(start))} – ${full.format(utcDate(end))}`;
}

/** Itinerary day heading: "12月8日 星期三" / "Wednesday, December 8". */
export function formatDay(day: string, locale: Locale): string {
  const date = utcDate(day);
  if (locale === 'zh-CN') {
    // ICU runs the two together ("12月8日星期三"); a space reads better in a heading
    const monthDay = new Intl.DateTimeFormat(locale, { month: 'long', day: 'numeric', timeZone: 'UTC' }).format(date);
    const weekday = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(date);
    return `${monthDay} ${weekday}`;
  }
  return new Intl.DateTimeFormat(locale, { month: 'long', day: 'numeric', weekday: 'long', timeZone: 'UTC' }).format(date);
}

/** An amount in 万元 as the secretariat's tables write it: "100000万元" / "100,000 wan (万元)". */
export function formatWan(wan: number, locale: Locale): string {
  if (locale === 'zh-CN') return `${number(locale, wan, 2)}万元`;
  return `${number(locale, wan, 2)} wan (万元)`;
}

/** A calendar date (YYYY-MM-DD): "2021年3月1日" / "March 1, 2021". */
export function formatCalendarDate(isoDate: string, locale: Locale): string {
  return formatDateRange(isoDate, isoDate, locale);
}

/** A calendar date without the year, for compact tables: "12月8日" / "Dec 8". */
export function formatMonthDay(isoDate: string, locale: Locale): string {
  if (locale === 'zh-CN') {
    const [, m, d] = parts(isoDate);
    return `${m}月${d}日`;
  }
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(utcDate(isoDate));
}

/** A plain figure as the language writes it (up to two decimals): "8500" / "8,500" (Chinese tables use no separators). */
export function formatNumber(value: number, locale: Locale): string {
  return number(locale, value, 2);
}

/**
 * An instant in the laptop's time zone, to the minute: "12月8日 10:32" / "Dec 8, 10:32"; with
 * the year when it is not the current one.
 */
export function formatDateTime(isoInstant: string, locale: Locale, now: Date = new Date()): string {
  const date = new Date(isoInstant);
  const withYear = date.getFullYear() !== now.getFullYear();
  const options: Intl.DateTimeFormatOptions = { month: locale === 'zh-CN' ? 'long' : 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  if (withYear) options.year = 'numeric';
  return new Intl.DateTimeFormat(locale, options).format(date).replace(/(\d)日\s*/, '$1日 ');
}

/** Time of day to the second, for "saved at": "10:32:05". */
export function formatTimeOfDay(isoInstant: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(isoInstant));
}

/** Bytes as "850 MB" / "12.4 GB" (decimal units, as operating systems show disk space). */
export function formatBytes(bytes: number, locale: Locale): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0 }).format(value)} ${units[unit]}`;
}

/** Whole days from start to end, both included. */
export function daysInclusive(start: string, end: string): number {
  return Math.round((utcDate(end).getTime() - utcDate(start).getTime()) / 86_400_000) + 1;
}

function parts(isoDate: string): [year: number, month: number, day: number] {
  return isoDate.split('-').map(Number) as [number, number, number];
}

function utcDate(isoDate: string): Date {
  const [y, m, d] = parts(isoDate);
  return new Date(Date.UTC(y, m - 1, d));
}

function number(locale: Locale, value: number, maxFractionDigits: number): string {
  // Chinese tables write 8500万元 / 12.5亿元 without thousands separators
  return new Intl.NumberFormat(locale, { maximumFractionDigits: maxFractionDigits, useGrouping: locale !== 'zh-CN' }).format(value);
}
