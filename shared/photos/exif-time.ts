/**
 * EXIF date-times: "2021:12:08 10:30:15" is wall-clock time of the camera, with no zone; the
 * zone, when the camera knows it, is a separate tag (OffsetTimeOriginal, "+08:00").
 */

/** Wall-clock date and time, no zone: 'YYYY-MM-DDTHH:mm:ss'. */
export type LocalDateTime = string;

const exifDateTime = /^\s*(\d{4})[:\-](\d{2})[:\-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/;

/** Parses an EXIF date-time ("2021:12:08 10:30:15"); null for blanks, zeros and impossible dates. */
export function parseExifDateTime(value: unknown): LocalDateTime | null {
  if (typeof value !== 'string') return null;
  const m = exifDateTime.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '00'].map(Number) as [number, number, number, number, number, number];
  if (y < 1900 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${pad(s)}`;
}

/** Parses an EXIF offset ("+08:00", "-05:30", "+0800"); minutes east of UTC, or null. */
export function parseExifOffset(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = /^\s*([+-])(\d{2}):?(\d{2})\s*$/.exec(value);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (hours > 14 || minutes > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** The instant (ISO, UTC) of a wall-clock time at a known offset from UTC. */
export function localToInstant(local: LocalDateTime, offsetMinutes: number): string {
  const [datePart, timePart] = local.split('T') as [string, string];
  const [y, mo, d] = datePart.split('-').map(Number) as [number, number, number];
  const [h, mi, s] = timePart.split(':').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s) - offsetMinutes * 60_000).toISOString();
}

/** The calendar day ('YYYY-MM-DD') of a wall-clock time. */
export function dayOf(local: LocalDateTime): string {
  return local.slice(0, 10);
}

/** Minutes between two wall-clock times (b − a). */
export function minutesBetween(a: LocalDateTime, b: LocalDateTime): number {
  return (wallClockMs(b) - wallClockMs(a)) / 60_000;
}

function wallClockMs(local: LocalDateTime): number {
  return Date.parse(`${local}Z`);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
