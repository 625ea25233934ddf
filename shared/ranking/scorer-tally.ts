/**
 * Per-scorer counts across a tour, for the desk (who is missing sheets, who scores far above or
 * below the others).
 */
import { compareScorers } from '../domain/tour-order';
import type { ScorerInfo } from './prepare';
import { fromQuotient } from './rational';
import { toScore } from './score';
import type { ScorerSummary } from './types';

export interface ScorerTally {
  submitted: number;
  counted: number;
  dropped: number;
  excluded: number;
  recused: number;
  missing: number;
  /** hundredths given on valid sheets (or ballot entries), counted or dropped */
  givenSum: number;
  givenCount: number;
}

export function newTally(): ScorerTally {
  return { submitted: 0, counted: 0, dropped: 0, excluded: 0, recused: 0, missing: 0, givenSum: 0, givenCount: 0 };
}

/** Summaries of the scorers with role 'scorer', in assignment order (shared/domain/tour-order.ts). */
export function summarise(scorers: readonly ScorerInfo[]): ScorerSummary[] {
  const summaries: ScorerSummary[] = [];
  for (const info of [...scorers].sort((a, b) => compareScorers(a.scorer, b.scorer))) {
    if (!info.isScorer) continue;
    const tally = info.tally;
    summaries.push({
      scorerId: info.id,
      weightGroup: info.scorer.weightGroup,
      homeUnitId: info.scorer.homeUnitId,
      submitted: tally.submitted,
      counted: tally.counted,
      dropped: tally.dropped,
      excluded: tally.excluded,
      recused: tally.recused,
      missing: tally.missing,
      meanGiven: tally.givenCount === 0 ? null : toScore(fromQuotient(tally.givenSum, tally.givenCount * 100)),
    });
  }
  return summaries;
}
