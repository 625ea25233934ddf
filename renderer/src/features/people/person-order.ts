/**
 * The order of names in "who uses this computer".
 *
 * A secretariat lists scorers in roster order, and rosters name them 评委甲, 评委乙, 评委丙… (or
 * 评委一/二/三, 评委1/2/3): the order of the 天干 or of the numbers, not of pinyin (by pinyin
 * 丙 bǐng comes before 甲 jiǎ, which nobody on a tour would expect). The roster order itself is
 * not kept on the device (scorer records have no position, and sync delivers them in any
 * order), so the ordinal at the end of a name stands in for it:
 *   1. people who score on some tour come before those who only observe (as on the roster);
 *   2. names with the same stem and an ordinal at the end (甲…癸, 一…九十九, 1, 2, … 10) follow
 *      the ordinal's value: 评委甲 < 评委乙 < 评委丙, 评委2 < 评委10;
 *   3. everything else by Chinese collation (pinyin), then by user id, so the order is stable.
 */
import type { KnownPerson } from '../../db/current-user-repo';

const HEAVENLY_STEMS = '甲乙丙丁戊己庚辛壬癸';
const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 九十九 → 99; null for anything else. */
function chineseNumber(text: string): number | null {
  const chars = Array.from(text);
  if (chars.length === 0 || chars.length > 3) return null;
  const ten = chars.indexOf('十');
  if (ten === -1) return chars.length === 1 && chars[0]! in DIGITS ? DIGITS[chars[0]!]! : null;
  const tens = ten === 0 ? 1 : ten === 1 && chars[0]! in DIGITS ? DIGITS[chars[0]!]! : null;
  const rest = chars.slice(ten + 1);
  const ones = rest.length === 0 ? 0 : rest.length === 1 && rest[0]! in DIGITS ? DIGITS[rest[0]!]! : null;
  return tens === null || ones === null ? null : tens * 10 + ones;
}

/** The stem and the ordinal at the end of a name ("评委丙" → {stem: "评委", rank: 3}), or null. */
export function trailingOrdinal(name: string): { stem: string; rank: number } | null {
  const text = name.trim();
  const digits = /^(.*?)(\d+)号?$/.exec(text);
  if (digits && digits[1]) return { stem: digits[1], rank: Number(digits[2]) };
  const stem = /^(.+?)([甲乙丙丁戊己庚辛壬癸])号?$/u.exec(text);
  if (stem) return { stem: stem[1]!, rank: HEAVENLY_STEMS.indexOf(stem[2]!) + 1 };
  const numeral = /^(.+?)([零〇一二两三四五六七八九十]{1,3})号?$/u.exec(text);
  if (numeral) {
    const rank = chineseNumber(numeral[2]!);
    if (rank !== null) return { stem: numeral[1]!, rank };
  }
  return null;
}

const collator = new Intl.Collator('zh-CN');

export function comparePeople(a: KnownPerson, b: KnownPerson): number {
  const aScores = a.scoredTours > 0 ? 0 : 1;
  const bScores = b.scoredTours > 0 ? 0 : 1;
  if (aScores !== bScores) return aScores - bScores;
  const ao = trailingOrdinal(a.name);
  const bo = trailingOrdinal(b.name);
  if (ao && bo && ao.stem === bo.stem && ao.rank !== bo.rank) return ao.rank - bo.rank;
  return collator.compare(a.name, b.name) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
}

/** A sorted copy (see the rules above). */
export function inRosterOrder(people: readonly KnownPerson[]): KnownPerson[] {
  return [...people].sort(comparePeople);
}
