/**
 * Problems the engine finds in its input. Inconsistent records never make the engine throw: a
 * secretariat compiling results late at night needs the ranking *and* a list of what to fix,
 * not a stack trace. Records that cannot be used are left out and reported here.
 *
 * Severity:
 * - error: the ranking is not trustworthy until this is fixed (a submitted sheet was left out
 *   because it is invalid, a unit cannot be ranked …). `TourRankings.hasErrors` is then true and
 *   the desk should not publish.
 * - warning: something was ignored or assumed, the ranking stands (a sheet for an unknown stop,
 *   an observer's sheet, a project without investment …).
 * - info: worth knowing, nothing lost (a recused scorer's sheet was ignored …).
 *
 * `code` is stable (the renderer translates by code); `message` is English, for logs.
 */

export type IssueSeverity = 'error' | 'warning' | 'info';

export type RankingIssueCode =
  // input records
  | 'invalidRecord'
  | 'foreignTour'
  | 'duplicateId'
  | 'unknownUnit'
  | 'unknownStop'
  | 'unknownScorer'
  | 'observerSheet'
  | 'duplicateSheet'
  // rules and template
  | 'studyTour'
  | 'noTemplate'
  | 'unknownTieBreakCriterion'
  | 'tieBreakNotApplicable'
  | 'noWeightGroup'
  // sheets
  | 'incompleteSheet'
  | 'invalidScore'
  | 'offStepScore'
  | 'unknownCriterion'
  | 'recusedSheet'
  // projects and units
  | 'unscoredProject'
  | 'missingInvestment'
  | 'noInvestmentWeights'
  | 'unrankedUnit'
  | 'missingIndicator'
  // rank vote
  | 'unknownBallotList'
  | 'incompleteBallot'
  | 'duplicateBallot'
  | 'recusedBallotEntry';

export interface RankingIssue {
  severity: IssueSeverity;
  code: RankingIssueCode;
  message: string;
  /** the record concerned (sheet, ballot, stop, unit or scorer id) */
  recordId?: string;
  stopId?: string;
  unitId?: string;
  scorerId?: string;
}

const severityOrder: Record<IssueSeverity, number> = { error: 0, warning: 1, info: 2 };

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Errors first, then by code, record and message: the same input always lists the same way. */
export function sortIssues(issues: RankingIssue[]): RankingIssue[] {
  return issues.sort(
    (a, b) =>
      severityOrder[a.severity] - severityOrder[b.severity] ||
      compareText(a.code, b.code) ||
      compareText(a.recordId ?? '', b.recordId ?? '') ||
      compareText(a.message, b.message),
  );
}
