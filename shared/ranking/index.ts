/**
 * Guanmo ranking engine (排名): public API. The rules it applies — and every choice it makes
 * where the issue left one open — are in ./README.md.
 *
 * - `computeRankings(input)`: records already validated (Dexie, server) → rankings.
 * - `rankTour(raw)`: validates raw records with the shared zod schemas first.
 * - Scores are exact (`Rational`); `Score.display` is rounded half up to two decimals and is what
 *   ranks compare.
 */
export { computeRankings } from './compute-rankings';
export { parseRankingInput, rankTour, RankingInputError, type RawRankingInput } from './validate-input';
export { pointsForPosition } from './rank-vote-scores';
export { toScore, scoreFromHundredths } from './score';
export { rankingJsonReplacer } from './serialize';
export { listKey, rankScopesOf, unitListsOf, type UnitList } from './ranking-lists';
export {
  add,
  compare,
  div,
  formatFixed,
  fromDecimal,
  fromInteger,
  mul,
  parseFraction,
  rational,
  roundScaled,
  formatScaled,
  sub,
  toFractionString,
  toNumber,
  ONE,
  ZERO,
  type Rational,
} from './rational';
export type { IssueSeverity, RankingIssue, RankingIssueCode } from './issues';
export type {
  BallotExclusionReason,
  BallotPoints,
  CriterionMean,
  DroppedSheet,
  EntryFate,
  ExcludedSheet,
  ExclusionReason,
  GroupMean,
  MissingScorer,
  ProjectRanking,
  RankingInput,
  ProjectRankingList,
  UnitRankingList,
  RecusedScorer,
  Score,
  ScorerSummary,
  SheetTotal,
  TourRankings,
  UnitProject,
  UnitRanking,
  UnitVotes,
  UnrankedReason,
} from './types';
export { ballotId, rankBallotSchema, type RankBallot } from '../domain/rank-vote';
