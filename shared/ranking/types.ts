/**
 * Input and output shapes of the ranking engine. The full rules (what is counted, how ties and
 * missing data are handled) are written down in ./README.md; the comments here say what each
 * field means.
 */
import type { RankBallot } from '../domain/rank-vote';
import type { RankingRules, RankScope, Scorer, ScoreSheet, Stop, Tour, Unit } from '../domain/schemas';
import type { RankingIssue } from './issues';
import type { Rational } from './rational';

/**
 * Everything a ranking depends on. Records are the parsed domain types (as stored by Dexie or
 * the server, both of which validate with the shared zod schemas); use `rankTour` to validate
 * raw records first. Order of the arrays never matters.
 */
export interface RankingInput {
  tour: Tour;
  units: readonly Unit[];
  stops: readonly Stop[];
  scorers: readonly Scorer[];
  sheets: readonly ScoreSheet[];
  /** rank-vote ballots (method 'rankVote'); ignored by the 'score' method */
  ballots?: readonly RankBallot[];
  /** rules to apply; defaults to tour.rules (pass others to preview "what if" rules) */
  rules?: RankingRules;
}

/** A score: exact value, and its rounded-half-up two-decimal form that rankings use. */
export interface Score {
  exact: Rational;
  /** round half up to hundredths, as an integer: 87.125 → 8713 */
  hundredths: number;
  /** "87.13" */
  display: string;
}

/** What happened to a counted-or-trimmed sheet (or ballot) of a project (or unit). */
export type EntryFate = 'counted' | 'droppedHighest' | 'droppedLowest';

/** One scorer's total on one project: what the secretariat desk lists per project. */
export interface SheetTotal {
  sheetId: string;
  scorerId: string;
  /** the scorer's weight group as recorded (shown even when group weights are not used) */
  weightGroup: string | null;
  total: Score;
  fate: EntryFate;
}

export interface DroppedSheet {
  sheetId: string;
  scorerId: string;
  weightGroup: string | null;
  total: Score;
  side: 'highest' | 'lowest';
}

export type ExclusionReason =
  /** a criterion of the template has no score */
  | 'incomplete'
  /** a score above the criterion's max, negative, not a number or not on the 0.01 grid */
  | 'invalidScore'
  /** group weights are in use and the scorer has no group, or one the weights do not name */
  | 'noWeightGroup';

/** A submitted sheet (or ballot) that does not count, and why. */
export interface ExcludedSheet {
  sheetId: string;
  scorerId: string;
  reason: ExclusionReason | BallotExclusionReason;
  detail: string;
}

export interface RecusedScorer {
  scorerId: string;
  /** true when the scorer nevertheless submitted a sheet (or ranked their unit): it was ignored */
  hadSheet: boolean;
}

/** A scorer expected to score (role scorer, not recused, usable weight group) without a submitted sheet. */
export interface MissingScorer {
  scorerId: string;
  /** the state of their sheet (or ballot), if any */
  status: 'none' | 'draft' | 'reopened';
}

export interface CriterionMean {
  key: string;
  name: string;
  /** computed from the counted sheets exactly like the score (same trimming, same group weights), so the means add up to the score */
  mean: Score | null;
}

/** One scorer weight group's part of a project (or unit) score, when group weights are in use. */
export interface GroupMean {
  weightGroup: string;
  /** the configured weight, read as the decimal the secretariat typed */
  weight: Rational;
  /** the weight after leaving out groups with nothing counted: the groups present add up to 1 */
  share: Rational;
  /** sheets considered (before trimming) */
  sheets: number;
  counted: number;
  trimmed: boolean;
  mean: Score;
}

export interface ProjectRanking {
  stopId: string;
  unitId: string;
  /** the unit's group (Unit.group), whichever scope the project is ranked in */
  group: string | null;
  /** null when no sheet counts */
  score: Score | null;
  /** 1-based; equal displayed scores share a rank (1, 2, 2, 4) unless the tie-break criterion separates them; null when unscored */
  rank: number | null;
  /** mean of rules.tieBreakCriterion over the counted sheets; null when not configured */
  tieBreak: Score | null;
  /** sheets that make up the score (after trimming) */
  sheetsCounted: number;
  /** whether trimming applied (overall, or in at least one weight group) */
  trimmed: boolean;
  /** every counted or trimmed sheet with its total, by scorer id */
  sheets: SheetTotal[];
  droppedSheets: DroppedSheet[];
  excludedSheets: ExcludedSheet[];
  recusedScorers: RecusedScorer[];
  missingScorers: MissingScorer[];
  criterionMeans: CriterionMean[];
  /** per weight group; empty when group weights are not used */
  groups: GroupMean[];
}

export interface UnitProject {
  stopId: string;
  score: Score | null;
  /** investment weight (万元) when the unit score is investment-weighted; null otherwise or unknown */
  weight: Rational | null;
  /** whether the project enters the unit score */
  counted: boolean;
}

export type BallotExclusionReason =
  /** the ballot leaves out units of its list, or names units that are not on it */
  | 'incompleteBallot'
  | 'noWeightGroup';

/** One ballot's contribution to a unit (rank-vote method). */
export interface BallotPoints {
  ballotId: string;
  scorerId: string;
  weightGroup: string | null;
  /** position on the ballot after the scorer's own unit was skipped (recusal), 1 = best */
  position: number;
  points: number;
  fate: EntryFate;
}

export interface UnitVotes {
  ballotsCounted: number;
  trimmed: boolean;
  ballots: BallotPoints[];
  droppedBallots: BallotPoints[];
  /** submitted ballots of the unit's list that do not count (incomplete, no usable weight group) */
  excluded: ExcludedSheet[];
  recusedScorers: RecusedScorer[];
  missingScorers: MissingScorer[];
  groups: GroupMean[];
}

export type UnrankedReason =
  /** score method: no project of the unit has a score */
  | 'noScoredProjects'
  /** rank-vote method: no ballot counts for the unit */
  | 'noBallots'
  /** indicatorWeight > 0 and the unit has no imported indicator score */
  | 'missingIndicator';

export interface UnitRanking {
  unitId: string;
  /** the unit's group (Unit.group), whichever scope it is ranked in */
  group: string | null;
  /** final score: on-site (or rank-vote) score, blended with the indicator score if configured */
  score: Score | null;
  rank: number | null;
  tieBreak: Score | null;
  unrankedReason: UnrankedReason | null;
  /** from the projects (score method) or the ballots (rank-vote method), before blending */
  onSite: Score | null;
  /** the imported indicator score (0..100), whether or not it is blended in */
  indicator: Score | null;
  indicatorWeight: Rational;
  /** the unit's projects, in itinerary order */
  projects: UnitProject[];
  /** score method: the unit's criterion means, aggregated from its projects like the score */
  criterionMeans: CriterionMean[];
  /** rank-vote method only */
  votes: UnitVotes | null;
}

/**
 * A list projects are ranked in (rules.projectScope): every project of the tour, or the projects
 * of one unit group's units.
 */
export interface ProjectRankingList {
  scope: RankScope;
  /** the unit group; null for the default group (units without a group) and for the list over the whole tour */
  group: string | null;
  /** in rank order, then (ties, unscored last) itinerary order */
  stopIds: string[];
}

/** A list units are ranked in (rules.unitScope): every unit, or one unit group. Rank-vote ballots rank these lists. */
export interface UnitRankingList {
  scope: RankScope;
  /** the unit group; null for the default group (units without a group) and for the list over the whole tour */
  group: string | null;
  /** in rank order, then (ties, unranked last) itinerary order of their first stop */
  unitIds: string[];
}

/**
 * Per scorer (role 'scorer'), across the tour: what the desk uses to chase missing sheets and
 * spot lenient or harsh scorers. Score method: counts are of sheets, one per project.
 * Rank-vote method: submitted / excluded / missing count ballots (one per list), counted /
 * dropped / recused count units.
 */
export interface ScorerSummary {
  scorerId: string;
  weightGroup: string | null;
  homeUnitId: string | null;
  /** submitted sheets (ballots) not ignored by recusal */
  submitted: number;
  counted: number;
  dropped: number;
  excluded: number;
  recused: number;
  missing: number;
  /** mean of the scorer's valid sheet totals (score method) or given points (rank-vote) */
  meanGiven: Score | null;
}

export interface TourRankings {
  tourId: string;
  method: RankingRules['method'];
  /** the rules that were applied */
  rules: RankingRules;
  /**
   * Lists in the tour's order (groups in the order the itinerary first reaches them). Project
   * and unit lists are separate: a city may rank projects over the whole tour and units within
   * 县组 / 区组, or the reverse. Rank-vote and study tours have no project lists.
   */
  projectLists: ProjectRankingList[];
  unitLists: UnitRankingList[];
  /** in the order of `projectLists`: by list, then rank (unscored last), then itinerary order */
  projects: ProjectRanking[];
  /** in the order of `unitLists`: by list, then rank (unranked last), then itinerary order */
  units: UnitRanking[];
  /** in assignment order (Scorer.order, see shared/domain/tour-order.ts) */
  scorers: ScorerSummary[];
  /** problems found in the input, errors first; see ./issues.ts */
  issues: RankingIssue[];
  /** true when an issue of severity 'error' exists: do not publish such a ranking */
  hasErrors: boolean;
  /** expected sheets (or ballots) not yet submitted */
  missingCount: number;
}
