/**
 * The desk's recompute, pure: the shared engine over a tour's records (with the saved or the
 * previewed rules), then the desk's tables. What the page runs on every change, and what the
 * tests and `npm run bench:desk` measure — without React or Dexie.
 */
import type { RankBallot } from '@shared/domain/rank-vote';
import type { RankingRules, Scorer, ScoreSheet, Stop, Tour, Unit } from '@shared/domain/schemas';
import { computeRankings, type TourRankings } from '@shared/ranking';
import { buildDeskTables, type DeskTables } from './ranking-tables';

export interface TourRecords {
  tour: Tour;
  units: Unit[];
  stops: Stop[];
  scorers: Scorer[];
  sheets: ScoreSheet[];
  /** rank-vote ballots (rules.method 'rankVote'); computeRankings receives them through the spread below */
  ballots?: readonly RankBallot[];
}

export interface ComputedRankings {
  rankings: TourRankings;
  tables: DeskTables;
  /** when these figures were computed from the records (the workbook states it) */
  computedAt: Date;
}

export function computeDeskRankings(records: TourRecords, rules?: RankingRules): ComputedRankings {
  const rankings = computeRankings({ ...records, rules: rules ?? records.tour.rules });
  return { rankings, tables: buildDeskTables({ ...records, rankings }), computedAt: new Date() };
}
