/**
 * Unit scores: on-site score from the unit's projects (score method) and blending with the
 * imported indicator score (both methods).
 *
 * The rules (see README.md):
 * - On-site score = mean of the exact scores of the unit's scored projects (unscored projects
 *   are left out; each one already raised an 'unscoredProject' warning). Exact, not the
 *   displayed two decimals: rounding happens once, at the end.
 * - Investment-weighted: weight = Stop.totalInvestment (万元, read as the decimal typed). A
 *   project with 0 investment weighs nothing; a project with unknown (null) investment weighs
 *   nothing and raises a 'missingInvestment' warning. If no scored project of the unit has a
 *   positive investment, the plain mean is used ('noInvestmentWeights' warning) rather than
 *   leaving the unit unranked.
 * - Unit criterion means and the tie-break value are aggregated from the projects' ones with
 *   the same weights, so they stay consistent with the unit's on-site score.
 * - Blending: score = (1 − w)·onSite + w·indicator with w = rules.indicatorWeight. w = 0 ignores
 *   the indicator; w = 1 ignores the on-site score. A unit without an indicator score while
 *   0 < w is NOT ranked ('missingIndicator' error): treating it as 0, or ranking it on-site only,
 *   would both make its score incomparable with the others; the secretariat imports the missing
 *   figure and recompiles.
 */
import type { Unit } from '../domain/schemas';
import type { PreparedInput } from './prepare';
import type { ProjectResult } from './project-scores';
import { add, div, fromDecimal, fromInteger, isZero, mul, ONE, sub, sumOfProducts, ZERO, type Rational } from './rational';
import { toScore } from './score';
import type { CriterionSpec } from './sheet-values';
import type { UnitProject, UnitRanking, UnitVotes, UnrankedReason } from './types';

export interface OnSite {
  score: Rational | null;
  criterionMeans: Rational[] | null;
  tieBreak: Rational | null;
  projects: UnitProject[];
}

/** On-site score of every unit from its projects, by unit id. */
export function unitOnSiteFromProjects(
  prepared: PreparedInput,
  projects: readonly ProjectResult[],
  criterionCount: number,
): Map<string, OnSite> {
  const { rules, issues } = prepared;
  const isWeighted = rules.unitScore === 'investmentWeighted';
  const byUnit = new Map<string, ProjectResult[]>();
  for (const unit of prepared.units) byUnit.set(unit.id, []);
  for (const project of projects) byUnit.get(project.ranking.unitId)!.push(project);

  const result = new Map<string, OnSite>();
  for (const unit of prepared.units) {
    const own = byUnit.get(unit.id)!; // itinerary order, as prepared.stops
    const scored = own.filter((p) => p.ranking.score !== null);
    const weights = new Map<ProjectResult, Rational>();
    if (isWeighted) {
      for (const project of own) {
        const stop = prepared.stopsById.get(project.ranking.stopId)!;
        if (stop.totalInvestment === null) {
          issues.push({
            severity: 'warning',
            code: 'missingInvestment',
            message: `stop ${stop.id} (${stop.name}) has no total investment; it weighs nothing in the investment-weighted score of unit ${unit.id}`,
            recordId: stop.id,
            stopId: stop.id,
            unitId: unit.id,
          });
        }
        weights.set(project, stop.totalInvestment === null ? ZERO : fromDecimal(stop.totalInvestment));
      }
    }
    let totalWeight = ZERO;
    for (const project of scored) totalWeight = add(totalWeight, weights.get(project) ?? ZERO);
    const usePlainMean = !isWeighted || isZero(totalWeight);
    if (isWeighted && scored.length > 0 && isZero(totalWeight)) {
      issues.push({
        severity: 'warning',
        code: 'noInvestmentWeights',
        message: `no scored project of unit ${unit.id} (${unit.name}) has a total investment; its projects are averaged without weights`,
        recordId: unit.id,
        unitId: unit.id,
      });
    }
    // share of each scored project in the unit score
    const shares = new Map<ProjectResult, Rational>();
    for (const project of scored) {
      shares.set(
        project,
        usePlainMean ? div(ONE, fromInteger(scored.length)) : div(weights.get(project)!, totalWeight),
      );
    }
    const combine = (valueOf: (p: ProjectResult) => Rational): Rational =>
      sumOfProducts(scored.map((project) => [shares.get(project)!, valueOf(project)] as const));

    const hasScore = scored.length > 0;
    const criterionMeans = hasScore
      ? Array.from({ length: criterionCount }, (_, i) => combine((p) => p.criterionMeans![i]!))
      : null;
    const tieBreak = hasScore && scored.every((p) => p.tieBreak !== null) ? combine((p) => p.tieBreak!) : null;
    result.set(unit.id, {
      score: hasScore ? combine((p) => p.ranking.score!.exact) : null,
      criterionMeans,
      tieBreak,
      projects: own.map((project) => ({
        stopId: project.ranking.stopId,
        score: project.ranking.score,
        weight: isWeighted ? (weights.get(project) ?? null) : null,
        counted: shares.has(project) && !isZero(shares.get(project)!),
      })),
    });
    if (isWeighted) {
      // unknown investment is reported as null, not as the zero weight it was given
      for (const entry of result.get(unit.id)!.projects) {
        if (prepared.stopsById.get(entry.stopId)!.totalInvestment === null) entry.weight = null;
      }
    }
  }
  return result;
}

export interface UnitScore {
  ranking: UnitRanking;
  tieBreak: Rational | null;
}

/** Blends the on-site score with the indicator score; the rank is assigned later. */
export function finishUnit(
  prepared: PreparedInput,
  unit: Unit,
  onSite: OnSite,
  specs: readonly CriterionSpec[],
  votes: UnitVotes | null,
): UnitScore {
  const { rules, issues } = prepared;
  const weight = fromDecimal(rules.indicatorWeight);
  const indicator = unit.indicatorScore === null ? null : fromDecimal(unit.indicatorScore);
  const needsOnSite = !isZero(sub(ONE, weight));
  const needsIndicator = !isZero(weight);

  let score: Rational | null = null;
  let unrankedReason: UnrankedReason | null = null;
  if (needsOnSite && onSite.score === null) {
    unrankedReason = rules.method === 'rankVote' ? 'noBallots' : 'noScoredProjects';
    issues.push({
      severity: 'warning',
      code: 'unrankedUnit',
      message:
        rules.method === 'rankVote'
          ? `no ballot counts for unit ${unit.id} (${unit.name}) yet; it is not ranked`
          : `no project of unit ${unit.id} (${unit.name}) has a score yet; it is not ranked`,
      recordId: unit.id,
      unitId: unit.id,
    });
  } else if (needsIndicator && indicator === null) {
    unrankedReason = 'missingIndicator';
    issues.push({
      severity: 'error',
      code: 'missingIndicator',
      message: `unit ${unit.id} (${unit.name}) has no indicator score, but the rules blend it in with weight ${rules.indicatorWeight}; it is not ranked`,
      recordId: unit.id,
      unitId: unit.id,
    });
  } else {
    score = ZERO;
    if (needsOnSite) score = add(score, mul(sub(ONE, weight), onSite.score!));
    if (needsIndicator) score = add(score, mul(weight, indicator!));
  }

  const tieBreak = score === null ? null : onSite.tieBreak;
  return {
    tieBreak,
    ranking: {
      unitId: unit.id,
      group: unit.group,
      score: score === null ? null : toScore(score),
      rank: null,
      tieBreak: tieBreak === null ? null : toScore(tieBreak),
      unrankedReason,
      onSite: onSite.score === null ? null : toScore(onSite.score),
      indicator: indicator === null ? null : toScore(indicator),
      indicatorWeight: weight,
      projects: onSite.projects,
      criterionMeans: specs.map((spec, i) => ({
        key: spec.key,
        name: spec.name,
        mean: onSite.criterionMeans === null ? null : toScore(onSite.criterionMeans[i]!),
      })),
      votes,
    },
  };
}
