/**
 * Turning Excel's stored cell values back into the text the user typed.
 *
 * - Numbers are stored as binary doubles written with up to 17 significant digits
 *   (120.87891 may be stored as 120.87891000000001). Excel itself never shows more than 15
 *   significant digits, so rounding to 15 and printing the shortest form gives back what the
 *   user typed and sees.
 * - Dates are numbers ("serials": days since 1899-12-30 in the 1900 date system, since
 *   1904-01-01 in the 1904 system) shown through a date number format. Only the format tells a
 *   date from a number, so the format of each cell is looked at.
 */

/** Shortest decimal text of a stored number, at Excel's 15-significant-digit precision. */
export function excelNumberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  return String(Number(value.toPrecision(15)));
}

export type SerialKind = 'date' | 'time' | 'datetime';

/**
 * Text for a serial shown through a date/time format: 'YYYY-MM-DD', 'HH:mm' / 'HH:mm:ss', or
 * 'YYYY-MM-DD HH:mm[:ss]'. A date format whose value has a time part keeps only the date (what
 * the cell shows); a datetime format drops a time of exactly midnight.
 */
export function excelSerialText(serial: number, kind: SerialKind, date1904: boolean): string | null {
  if (!Number.isFinite(serial) || serial < 0 || serial > 2_958_465.99999) return null;
  // Work in whole seconds so 44538.99999999 (float noise) becomes the next midnight.
  const totalSeconds = Math.round(serial * 86_400);
  const days = Math.floor(totalSeconds / 86_400);
  const secondsOfDay = totalSeconds - days * 86_400;
  const time = timeText(secondsOfDay);
  if (kind === 'time') return time;
  const date = serialDayText(days, date1904);
  if (kind === 'date' || secondsOfDay === 0) return date;
  return `${date} ${time}`;
}

/** 'YYYY-MM-DD' of a whole-day serial. */
export function serialDayText(days: number, date1904: boolean): string {
  let base: number;
  if (date1904) base = Date.UTC(1904, 0, 1);
  // The 1900 system counts the non-existent 1900-02-29 as day 60 (Lotus compatibility):
  // from day 61 on the epoch is effectively 1899-12-30, before it 1899-12-31.
  else if (days >= 61) base = Date.UTC(1899, 11, 30);
  else if (days === 60) return '1900-02-29';
  else base = Date.UTC(1899, 11, 31);
  const d = new Date(base + days * 86_400_000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** The 1900-system serial of a calendar date (inverse of serialDayText for days ≥ 61). */
export function dateToSerial(year: number, month: number, day: number): number {
  return Math.round((Date.UTC(year, month - 1, day) - Date.UTC(1899, 11, 30)) / 86_400_000);
}

/**
 * Built-in number formats (ids below 164) that show a date or time. Ids 27–36 and 50–58 are the
 * East Asian date formats (e.g. 31 = yyyy"年"m"月"d"日" in zh-CN, 32 = h"时"mm"分").
 */
const BUILTIN_SERIAL_KINDS: Record<number, SerialKind> = {
  14: 'date', 15: 'date', 16: 'date', 17: 'date', 18: 'time', 19: 'time', 20: 'time', 21: 'time', 22: 'datetime',
  27: 'date', 28: 'date', 29: 'date', 30: 'date', 31: 'date', 32: 'time', 33: 'time', 34: 'time', 35: 'time', 36: 'date',
  45: 'time', 46: 'time', 47: 'time',
  50: 'date', 51: 'date', 52: 'date', 53: 'date', 54: 'date', 55: 'time', 56: 'time', 57: 'date', 58: 'date',
};

/** Whether a number format shows its number as a date/time, and which. null = a plain number. */
export function serialKindOfFormat(numFmtId: number, formatCode: string | undefined): SerialKind | null {
  if (formatCode === undefined) return BUILTIN_SERIAL_KINDS[numFmtId] ?? null;
  return serialKindOfCode(formatCode);
}

export function serialKindOfCode(formatCode: string): SerialKind | null {
  // Only the first section (positive numbers) matters for the kind.
  const section = splitSections(formatCode)[0] ?? '';
  const stripped = section
    .replace(/"[^"]*"/g, '') // literal text
    .replace(/\\./g, '') // escaped characters
    .replace(/_./g, '') // spacing as wide as a character
    .replace(/\*./g, '') // fill characters
    .replace(/\[(?:h+|m+|s+)\]/gi, 'h') // elapsed time [h]:mm: a duration, counted as time
    .replace(/\[[^\]]*\]/g, '') // colours, conditions, locales like [$-804]
    .replace(/E[+-]/gi, '') // scientific notation, not the era year 'e'
    .toLowerCase();
  if (stripped === '' || stripped === 'general' || stripped === '@') return null;
  const hasDate = /[yde]/.test(stripped) || (/m/.test(stripped) && !/[hs]/.test(stripped));
  const hasTime = /[hs]/.test(stripped) || /am\/pm|a\/p|上午\/下午/.test(section.toLowerCase());
  if (hasDate && hasTime) return 'datetime';
  if (hasDate) return 'date';
  if (hasTime) return 'time';
  return null;
}

function splitSections(code: string): string[] {
  const sections: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (c === '"') quoted = !quoted;
    if (c === '\\' && !quoted && i + 1 < code.length) {
      current += c + code[++i];
      continue;
    }
    if (c === ';' && !quoted) {
      sections.push(current);
      current = '';
    } else current += c;
  }
  sections.push(current);
  return sections;
}

function timeText(secondsOfDay: number): string {
  const h = Math.floor(secondsOfDay / 3600);
  const m = Math.floor((secondsOfDay % 3600) / 60);
  const s = secondsOfDay % 60;
  return s === 0 ? `${pad(h, 2)}:${pad(m, 2)}` : `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
