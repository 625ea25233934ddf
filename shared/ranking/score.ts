/**
 * The Score value the engine outputs: exact, plus the rounded-half-up two-decimal form that
 * rankings compare and people read.
 */
import { formatScaled, fromQuotient, roundScaled, type Rational } from './rational';
import type { Score } from './types';

export function toScore(exact: Rational): Score {
  const scaled = roundScaled(exact, 2);
  return { exact, hundredths: Number(scaled), display: formatScaled(scaled, 2) };
}

/** A whole number of hundredths of a point (e.g. a sheet total) as a Score. */
export function scoreFromHundredths(hundredths: number): Score {
  return toScore(fromQuotient(hundredths, 100));
}

/**
 * A memo of `scoreFromHundredths` for one ranking run: sheet totals repeat a lot, and one Score
 * per sheet would be 24,000 BigInt normalisations for a large tour. The shared Scores are
 * frozen, so one consumer cannot change another's.
 */
export function hundredthsScoreMemo(): (hundredths: number) => Score {
  const memo = new Map<number, Score>();
  return (hundredths) => {
    let score = memo.get(hundredths);
    if (score === undefined) {
      const fresh = scoreFromHundredths(hundredths);
      Object.freeze(fresh.exact);
      score = Object.freeze(fresh);
      memo.set(hundredths, score);
    }
    return score;
  };
}
