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
import { compareByOrdinal, trailingOrdinal } from '@shared/domain/tour-order';
import type { KnownPerson } from '../../db/current-user-repo';

export { trailingOrdinal };

const collator = new Intl.Collator('zh-CN');

export function comparePeople(a: KnownPerson, b: KnownPerson): number {
  const aScores = a.scoredTours > 0 ? 0 : 1;
  const bScores = b.scoredTours > 0 ? 0 : 1;
  if (aScores !== bScores) return aScores - bScores;
  return compareByOrdinal(a.name, b.name) || collator.compare(a.name, b.name) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
}

/** A sorted copy (see the rules above). */
export function inRosterOrder(people: readonly KnownPerson[]): KnownPerson[] {
  return [...people].sort(comparePeople);
}
