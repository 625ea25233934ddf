/**
 * The ranking engine's entry point for already-validated records: project and unit rankings as
 * a pure function of (tour, units, stops, scorers, sheets or ballots, rules). The renderer, the
 * server and the export all call this, so they can never disagree.
 *
 * What must stay true:
 * - Pure and deterministic: no clock, no randomness, no I/O, and the order of the input arrays
 *   never changes the output (everything is put in canonical order first).
 * - Exact: scores are rationals; rounding half up to two decimals happens only for display and
 *   ranking (./rational.ts, ./competition-rank.ts).
 * - Never throws on inconsistent records: they are left out and reported in `issues`.
 */
import { sortIssues } from './issues';
import { compareStops, prepareInput, type PreparedInput } from './prepare';
import { scoreProjects, type ProjectResult } from './project-scores';
import { rankItems } from './competition-rank';
import { scoreRankVotes } from './rank-vote-scores';
import { summarise } from './scorer-tally';
import { criterionSpecs, type CriterionSpec } from './sheet-values';
import type { ProjectRanking, ProjectRankingList, RankingInput, TourRankings, UnitRanking, UnitRankingList } from './types';
import { finishUnit, unitOnSiteFromProjects, type UnitScore } from './unit-scores';

export function computeRankings(input: RankingInput): TourRankings {
  const { tour } = input;
  const rules = input.rules ?? tour.rules;
  const prepared = prepareInput(tour, rules, input.units, input.stops, input.scorers);

  if (tour.kind === 'study') {
    prepared.issues.push({ severity: 'info', code: 'studyTour', message: `tour ${tour.id} is a study tour; nothing is ranked`, recordId: tour.id });
    return finish(prepared, [], []);
  }

  if (rules.method === 'rankVote') {
    if (rules.tieBreakCriterion !== null) {
      prepared.issues.push({
        severity: 'info',
        code: 'tieBreakNotApplicable',
        message: `ballots have no criteria: the tie-break criterion "${rules.tieBreakCriterion}" does not apply, ties share a rank`,
      });
    }
    const votes = scoreRankVotes(prepared, input.ballots ?? []);
    const units = prepared.units.map((unit) => {
      const { onSite, votes: unitVotes } = votes.get(unit.id)!;
      return finishUnit(prepared, unit, onSite, [], unitVotes);
    });
    return finish(prepared, [], units);
  }

  const template = tour.template;
  if (template === null) {
    prepared.issues.push({
      severity: 'error',
      code: 'noTemplate',
      message: `tour ${tour.id} has no score sheet template; nothing can be scored`,
      recordId: tour.id,
    });
    return finish(prepared, [], []);
  }
  const specs: CriterionSpec[] = criterionSpecs(template.criteria);
  let tieBreakIndex: number | null = null;
  if (rules.tieBreakCriterion !== null) {
    const index = specs.findIndex((spec) => spec.key === rules.tieBreakCriterion);
    if (index < 0) {
      prepared.issues.push({
        severity: 'warning',
        code: 'unknownTieBreakCriterion',
        message: `tie-break criterion "${rules.tieBreakCriterion}" is not in the template; ties share a rank`,
        recordId: rules.tieBreakCriterion,
      });
    } else {
      tieBreakIndex = index;
    }
  }

  const projects = scoreProjects(prepared, input.sheets, specs, tieBreakIndex);
  const onSite = unitOnSiteFromProjects(prepared, projects, specs.length);
  const units = prepared.units.map((unit) => finishUnit(prepared, unit, onSite.get(unit.id)!, specs, null));
  return finish(prepared, projects, units);
}

/** Ranks per list, orders the output (the tour's order) and collects the summaries. */
function finish(
  prepared: PreparedInput,
  projects: readonly ProjectResult[],
  units: readonly UnitScore[],
): TourRankings {
  const { rules } = prepared;
  const isTieBroken = rules.tieBreakCriterion !== null;

  const projectsByList = groupBy(projects, (p) => prepared.projectListOfUnit.get(p.ranking.unitId)!.key);
  const unitsByList = groupBy(units, (u) => prepared.unitListOfUnit.get(u.ranking.unitId)!.key);

  const projectLists: ProjectRankingList[] = [];
  const projectRankings: ProjectRanking[] = [];
  for (const list of projects.length === 0 ? [] : prepared.projectLists) {
    const ranked = rankItems(
      projectsByList.get(list.key) ?? [],
      (p) => ({ score: p.ranking.score, tieBreak: isTieBroken ? p.tieBreak : null }),
      (a, b) => compareStops(prepared.stopsById.get(a.ranking.stopId)!, prepared.stopsById.get(b.ranking.stopId)!),
    );
    for (const project of ranked.sorted) {
      project.ranking.rank = ranked.ranks.get(project) ?? null;
      projectRankings.push(project.ranking);
    }
    projectLists.push({ scope: list.scope, group: list.group, stopIds: ranked.sorted.map((p) => p.ranking.stopId) });
  }

  const unitLists: UnitRankingList[] = [];
  const unitRankings: UnitRanking[] = [];
  for (const list of units.length === 0 ? [] : prepared.unitLists) {
    const ranked = rankItems(
      unitsByList.get(list.key) ?? [],
      (u) => ({ score: u.ranking.score, tieBreak: isTieBroken ? u.tieBreak : null }),
      (a, b) => prepared.unitOrder.get(a.ranking.unitId)! - prepared.unitOrder.get(b.ranking.unitId)!,
    );
    for (const unit of ranked.sorted) {
      unit.ranking.rank = ranked.ranks.get(unit) ?? null;
      unitRankings.push(unit.ranking);
    }
    unitLists.push({ scope: list.scope, group: list.group, unitIds: ranked.sorted.map((u) => u.ranking.unitId) });
  }

  const scorers = summarise(prepared.scorers);
  const issues = sortIssues(prepared.issues);
  return {
    tourId: prepared.tour.id,
    method: rules.method,
    rules,
    projectLists,
    unitLists,
    projects: projectRankings,
    units: unitRankings,
    scorers,
    issues,
    hasErrors: issues.some((issue) => issue.severity === 'error'),
    missingCount: scorers.reduce((n, s) => n + s.missing, 0),
  };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
