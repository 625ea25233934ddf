/**
 * Standard competition ranking on the DISPLAYED score: 1, 2, 2, 4.
 *
 * What must stay true:
 * - Two items whose scores show the same two decimals are tied, even if their exact values
 *   differ (86.124 and 86.1249 both show 86.12): readers must never see two equal scores with
 *   different ranks.
 * - With a tie-break value (the mean of rules.tieBreakCriterion) a tie on the displayed score
 *   goes to the higher exact tie-break value; equal tie-break values stay tied. An item without
 *   a tie-break value (a unit scored on its indicator alone) is behind one with a value.
 * - rank = 1 + number of items strictly ahead. Unscored items get no rank and sort last.
 */
import { compare, type Rational } from './rational';
import type { Score } from './types';

export interface Rankable {
  score: Score | null;
  /** null = no tie-break (when tie-breaking is on: no value, behind any value) */
  tieBreak: Rational | null;
}

/** Negative when `a` is ahead of `b`, 0 when tied. Scored items are ahead of unscored ones. */
export function compareRankables(a: Rankable, b: Rankable): number {
  if (a.score === null || b.score === null) return (a.score === null ? 1 : 0) - (b.score === null ? 1 : 0);
  if (a.score.hundredths !== b.score.hundredths) return b.score.hundredths - a.score.hundredths;
  if (a.tieBreak !== null && b.tieBreak !== null) return compare(b.tieBreak, a.tieBreak);
  // a missing tie-break value (a unit ranked on its indicator alone) loses to any value, so
  // that "ahead of" stays transitive
  return (a.tieBreak === null ? 1 : 0) - (b.tieBreak === null ? 1 : 0);
}

/**
 * Sorts `items` in rank order (ties in `order`) and returns each item's rank.
 * `order` only orders tied items for listing; it never changes a rank.
 */
export function rankItems<T>(
  items: readonly T[],
  rankable: (item: T) => Rankable,
  order: (a: T, b: T) => number,
): { sorted: T[]; ranks: Map<T, number | null> } {
  const keyed = items.map((item) => ({ item, key: rankable(item) }));
  keyed.sort((a, b) => compareRankables(a.key, b.key) || order(a.item, b.item));
  const ranks = new Map<T, number | null>();
  let previous: Rankable | null = null;
  let previousRank = 0;
  keyed.forEach(({ item, key }, index) => {
    if (key.score === null) {
      ranks.set(item, null);
      return;
    }
    const rank = previous !== null && compareRankables(previous, key) === 0 ? previousRank : index + 1;
    ranks.set(item, rank);
    previous = key;
    previousRank = rank;
  });
  return { sorted: keyed.map((k) => k.item), ranks };
}
