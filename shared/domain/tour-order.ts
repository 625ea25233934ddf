/**
 * The tour's own order, which every list a person reads follows (board, rankings, workbook,
 * bulletin, scorer lists): never pinyin.
 *
 * - stops: itinerary order (day, order on that day, id);
 * - units: the order of their first stop in the itinerary (units without stops last, by name);
 * - unit groups (县组 / 区组 …): the order in which the itinerary first reaches one of their
 *   units; the default group (null) where its first unit falls;
 * - scorers: assignment order (`order`, the position on the secretariat's list); records
 *   without it after the ordered ones, by the ordinal their name ends with (评委甲 < 评委乙,
 *   市领导2 < 市领导10), then by name and id.
 *
 * What must stay true: pure and deterministic (no locale collation: the same records sort the
 * same on every machine), and the order of the input arrays never changes the output.
 */
import type { Scorer, Stop, Unit } from './schemas';

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Itinerary order: day, order on that day, id. */
export function compareStops(a: Pick<Stop, 'day' | 'order' | 'id'>, b: Pick<Stop, 'day' | 'order' | 'id'>): number {
  return compareText(a.day, b.day) || a.order - b.order || compareText(a.id, b.id);
}

export function stopsInItineraryOrder<S extends Pick<Stop, 'day' | 'order' | 'id'>>(stops: readonly S[]): S[] {
  return [...stops].sort(compareStops);
}

/** unit id → position of its first stop in the itinerary (units without stops are absent). */
export function unitItineraryPositions(stops: readonly Pick<Stop, 'day' | 'order' | 'id' | 'unitId'>[]): Map<string, number> {
  const positions = new Map<string, number>();
  stopsInItineraryOrder(stops).forEach((stop, index) => {
    if (!positions.has(stop.unitId)) positions.set(stop.unitId, index);
  });
  return positions;
}

/** A comparator of units in itinerary order, for the given stops. */
export function unitComparator(
  stops: readonly Pick<Stop, 'day' | 'order' | 'id' | 'unitId'>[],
): (a: Pick<Unit, 'id' | 'name'>, b: Pick<Unit, 'id' | 'name'>) => number {
  const positions = unitItineraryPositions(stops);
  return (a, b) => {
    const pa = positions.get(a.id) ?? Number.POSITIVE_INFINITY;
    const pb = positions.get(b.id) ?? Number.POSITIVE_INFINITY;
    if (pa !== pb) return pa < pb ? -1 : 1;
    return compareText(a.name, b.name) || compareText(a.id, b.id);
  };
}

export function unitsInItineraryOrder<U extends Pick<Unit, 'id' | 'name'>>(
  units: readonly U[],
  stops: readonly Pick<Stop, 'day' | 'order' | 'id' | 'unitId'>[],
): U[] {
  return [...units].sort(unitComparator(stops));
}

/**
 * Unit groups in the order the itinerary first reaches them (null = units without a group), each
 * once. Groups whose units have no stops follow, in unit order.
 */
export function groupsInTourOrder(
  units: readonly Pick<Unit, 'id' | 'name' | 'group'>[],
  stops: readonly Pick<Stop, 'day' | 'order' | 'id' | 'unitId'>[],
): (string | null)[] {
  const groups: (string | null)[] = [];
  for (const unit of unitsInItineraryOrder(units, stops)) {
    if (!groups.includes(unit.group)) groups.push(unit.group);
  }
  return groups;
}

/** A comparator of groups (null included) in tour order; groups not in the tour sort last, by name. */
export function groupComparator(
  units: readonly Pick<Unit, 'id' | 'name' | 'group'>[],
  stops: readonly Pick<Stop, 'day' | 'order' | 'id' | 'unitId'>[],
): (a: string | null, b: string | null) => number {
  const order = groupsInTourOrder(units, stops);
  const position = (g: string | null) => {
    const i = order.indexOf(g);
    return i < 0 ? Number.POSITIVE_INFINITY : i;
  };
  return (a, b) => {
    const pa = position(a);
    const pb = position(b);
    if (pa !== pb) return pa < pb ? -1 : 1;
    return compareText(a ?? '', b ?? '');
  };
}

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

/**
 * The stem and the ordinal at the end of a name ("评委丙" → {stem: "评委", rank: 3},
 * "市领导10" → {stem: "市领导", rank: 10}), or null. Rosters number people this way, and the
 * ordinal's value, not pinyin, is their order (丙 bǐng would sort before 甲 jiǎ by pinyin).
 */
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

/** Two names of one stem compare by their ordinals (评委乙 < 评委丙); 0 when that does not apply. */
export function compareByOrdinal(a: string, b: string): number {
  const ao = trailingOrdinal(a);
  const bo = trailingOrdinal(b);
  if (ao && bo && ao.stem === bo.stem && ao.rank !== bo.rank) return ao.rank - bo.rank;
  return 0;
}

/** Assignment order (see the header). */
export function compareScorers(a: Pick<Scorer, 'id' | 'name' | 'order'>, b: Pick<Scorer, 'id' | 'name' | 'order'>): number {
  const oa = a.order ?? Number.POSITIVE_INFINITY;
  const ob = b.order ?? Number.POSITIVE_INFINITY;
  if (oa !== ob) return oa < ob ? -1 : 1;
  return compareByOrdinal(a.name, b.name) || compareText(a.name, b.name) || compareText(a.id, b.id);
}

export function scorersInAssignmentOrder<S extends Pick<Scorer, 'id' | 'name' | 'order'>>(scorers: readonly S[]): S[] {
  return [...scorers].sort(compareScorers);
}
