/**
 * Reading one cell's text as a number, a whole number or a date, accepting what people type in
 * Chinese Excel and what Excel writes back into CSV, and saying precisely what is wrong
 * otherwise. Problems are phrased to follow the quoted value: “北纬35” 不是数字.
 */
import { serialDayText } from './excel-values';
import type { Problem } from './issues';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: Problem };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (zh: string, en: string): Parsed<never> => ({ ok: false, problem: { zh, en } });

export const EMPTY: Problem = { zh: '不能为空', en: 'must not be empty' };

/** Full-width digits, signs and points (typed with a Chinese IME) become ASCII. */
function fold(text: string): string {
  return text.normalize('NFKC').trim();
}

const PLAIN = /^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$/;
const LEADING_POINT = /^[+-]?\.\d+$/;
const SCIENTIFIC = /^[+-]?\d+(?:\.\d+)?e[+-]?\d+$/i;

/** A decimal number: 120.87891, -3, 100,000 (thousands separators), 1.2E+5. Not 北纬35 or 1,5. */
export function parseNumber(text: string): Parsed<number> {
  const s = fold(text);
  if (PLAIN.test(s) || LEADING_POINT.test(s) || SCIENTIFIC.test(s)) {
    const n = Number(s.replace(/,/g, ''));
    if (Number.isFinite(n)) return ok(n === 0 ? 0 : n); // no -0
  }
  return bad('不是数字', 'is not a number');
}

/** A number ≥ 0, multiplied by `scale` (亿元 → 万元) without binary noise. */
export function parseAmount(text: string, scale = 1): Parsed<number> {
  const n = parseNumber(text);
  if (!n.ok) return n;
  if (n.value < 0) return bad('不能是负数', 'must not be negative');
  return ok(scale === 1 ? n.value : Number((n.value * scale).toPrecision(15)));
}

/** A whole number from 1 to max ("3", "3.0", "０３"). */
export function parsePositiveInt(text: string, max: number): Parsed<number> {
  const n = parseNumber(text);
  if (!n.ok || !Number.isInteger(n.value) || n.value < 1) return bad('不是正整数', 'is not a positive whole number');
  if (n.value > max) return bad(`不能大于${max}`, `must not be greater than ${max}`);
  return ok(n.value);
}

/**
 * Excel serials accepted in a date column whose date format was lost (e.g. a CSV of a cell
 * formatted as General): 1950-01-01 … 2099-12-31. Wider ranges would read a year or a count as
 * a date.
 */
const SERIAL_MIN = 18_264;
const SERIAL_MAX = 73_050;

const DATE_YMD = /^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?(?:\s*(?:T|\s)\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
const DATE_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const SERIAL = /^(\d{5})(?:\.\d+)?$/;

/**
 * A calendar date → 'YYYY-MM-DD'. Accepts 2021-12-08, 2021-12-8, 2021/12/8 (what Chinese Excel
 * writes into CSV), 2021.12.8, 2021年12月8日, 20211208, a time after the date (ignored), and
 * an Excel serial number such as 44538.
 */
export function parseDate(text: string): Parsed<string> {
  const s = fold(text);
  const invalid = bad('不是有效日期，请写成 2021-12-08 这样的日期', 'is not a valid date; write it like 2021-12-08');
  const m = DATE_YMD.exec(s) ?? DATE_COMPACT.exec(s);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return isRealDate(y, mo, d) ? ok(`${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`) : invalid;
  }
  const serial = SERIAL.exec(s);
  if (serial) {
    const days = Number(serial[1]);
    if (days >= SERIAL_MIN && days <= SERIAL_MAX) return ok(serialDayText(days, false));
  }
  return invalid;
}

function isRealDate(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
