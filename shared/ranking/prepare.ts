/**
 * First step of every ranking: index the records of one tour, leave out what cannot be used
 * and say why (see ./issues.ts), and put everything in a canonical order so that nothing
 * downstream depends on the order of the input arrays.
 */
import type { RankingRules, RankScope, Scorer, Stop, Tour, Unit } from '../domain/schemas';
import { compareStops } from '../domain/tour-order';
import { compareText, type RankingIssue } from './issues';
import { rankScopesOf, unitListsOf } from './ranking-lists';
import { fromDecimal, type Rational } from './rational';
import { newTally, type ScorerTally } from './scorer-tally';

export interface ScorerInfo {
  scorer: Scorer;
  id: string;
  /** role 'scorer' (observers never score) */
  isScorer: boolean;
  /**
   * When group weights are in use: whether the scorer's weightGroup is one the weights name.
   * Always true when they are not in use.
   */
  hasUsableGroup: boolean;
  /** this run's counts for the scorer summary */
  tally: ScorerTally;
}

/** A ranking list: over the whole tour, or of one unit group. `key` is internal (./ranking-lists.ts). */
export interface ListInfo {
  key: string;
  scope: RankScope;
  /** the unit group; null for the default group and for the list over the whole tour */
  group: string | null;
}

export interface PreparedInput {
  tour: Tour;
  rules: RankingRules;
  /** by id */
  units: Unit[];
  unitsById: Map<string, Unit>;
  /** itinerary order: day, order, id; only stops whose unit is known */
  stops: Stop[];
  stopsById: Map<string, Stop>;
  /** by id */
  scorers: ScorerInfo[];
  scorersById: Map<string, ScorerInfo>;
  /** position in `stops` / `scorers` by id */
  stopIndex: Map<string, number>;
  scorerIndex: Map<string, number>;
  /** rules.groupWeights read as exact decimals; null when not in use */
  weights: Map<string, Rational> | null;
  /** project lists (rules.projectScope) in tour order; only lists holding at least one stop */
  projectLists: ListInfo[];
  /** unit lists (rules.unitScope) in tour order: what units are ranked in and rank-vote ballots list */
  unitLists: ListInfo[];
  /** unit id → the list its projects are ranked in */
  projectListOfUnit: Map<string, ListInfo>;
  /** unit id → the list it is ranked in */
  unitListOfUnit: Map<string, ListInfo>;
  /** unit id → position in itinerary order (order of its first stop): how tied or unranked units are listed */
  unitOrder: Map<string, number>;
  issues: RankingIssue[];
}

export function prepareInput(
  tour: Tour,
  rules: RankingRules,
  units: readonly Unit[],
  stops: readonly Stop[],
  scorers: readonly Scorer[],
): PreparedInput {
  const issues: RankingIssue[] = [];

  const unitsById = indexOwnRecords(tour.id, 'unit', units, issues);
  const sortedUnits = [...unitsById.values()].sort((a, b) => compareText(a.id, b.id));

  const stopsById = indexOwnRecords(tour.id, 'stop', stops, issues);
  for (const stop of [...stopsById.values()]) {
    if (!unitsById.has(stop.unitId)) {
      stopsById.delete(stop.id);
      issues.push({
        severity: 'error',
        code: 'unknownUnit',
        message: `stop ${stop.id} (${stop.name}) belongs to unknown unit ${stop.unitId}; it is left out of the rankings`,
        recordId: stop.id,
        stopId: stop.id,
        unitId: stop.unitId,
      });
    }
  }
  const sortedStops = [...stopsById.values()].sort(compareStops);

  const weights = rules.groupWeights === null ? null : readWeights(rules.groupWeights);

  const scorerRecords = indexOwnRecords(tour.id, 'scorer', scorers, issues);
  const scorerInfos: ScorerInfo[] = [...scorerRecords.values()]
    .sort((a, b) => compareText(a.id, b.id))
    .map((scorer) => {
      const isScorer = scorer.role === 'scorer';
      const hasUsableGroup = weights === null || (scorer.weightGroup !== null && weights.has(scorer.weightGroup));
      if (isScorer && !hasUsableGroup) {
        issues.push({
          severity: 'error',
          code: 'noWeightGroup',
          message:
            scorer.weightGroup === null
              ? `scorer ${scorer.id} (${scorer.name}) has no weight group, but the rules weigh groups; their sheets and ballots do not count`
              : `scorer ${scorer.id} (${scorer.name}) is in weight group "${scorer.weightGroup}", which the rules give no weight; their sheets and ballots do not count`,
          recordId: scorer.id,
          scorerId: scorer.id,
        });
      }
      return { scorer, id: scorer.id, isScorer, hasUsableGroup, tally: newTally() };
    });
  const scorersById = new Map(scorerInfos.map((info) => [info.id, info]));

  const { projectScope, unitScope } = rankScopesOf(rules);
  const listsOf = (scope: RankScope) => {
    const lists: ListInfo[] = [];
    const listOfUnit = new Map<string, ListInfo>();
    for (const list of unitListsOf(sortedUnits, sortedStops, scope)) {
      const info: ListInfo = { key: list.key, scope: list.scope, group: list.group };
      lists.push(info);
      for (const unit of list.units) listOfUnit.set(unit.id, info);
    }
    return { lists, listOfUnit };
  };
  const unitSide = listsOf(unitScope);
  const projectSide = listsOf(projectScope);
  const listsWithStops = new Set(sortedStops.map((stop) => projectSide.listOfUnit.get(stop.unitId)!.key));
  const unitOrder = new Map<string, number>();
  for (const list of unitListsOf(sortedUnits, sortedStops, 'tour')) list.units.forEach((unit, i) => unitOrder.set(unit.id, i));

  return {
    tour,
    rules,
    units: sortedUnits,
    unitsById,
    stops: sortedStops,
    stopsById,
    scorers: scorerInfos,
    scorersById,
    stopIndex: new Map(sortedStops.map((stop, i) => [stop.id, i])),
    scorerIndex: new Map(scorerInfos.map((info, i) => [info.id, i])),
    weights,
    projectLists: projectSide.lists.filter((list) => listsWithStops.has(list.key)),
    unitLists: unitSide.lists,
    projectListOfUnit: projectSide.listOfUnit,
    unitListOfUnit: unitSide.listOfUnit,
    unitOrder,
    issues,
  };
}

export { compareStops };

function readWeights(groupWeights: Record<string, number>): Map<string, Rational> {
  const weights = new Map<string, Rational>();
  for (const [group, weight] of Object.entries(groupWeights)) weights.set(group, fromDecimal(weight));
  return weights;
}

/**
 * Records of this tour by id. Records of another tour are left out (warning). Two different
 * records with one id are an error; the one with the smallest JSON text is kept so that the
 * choice never depends on input order.
 */
function indexOwnRecords<T extends { id: string; tourId: string }>(
  tourId: string,
  kind: 'unit' | 'stop' | 'scorer',
  records: readonly T[],
  issues: RankingIssue[],
): Map<string, T> {
  const byId = new Map<string, T>();
  const duplicates = new Map<string, T[]>();
  for (const record of records) {
    if (record.tourId !== tourId) {
      issues.push({
        severity: 'warning',
        code: 'foreignTour',
        message: `${kind} ${record.id} belongs to tour ${record.tourId}, not ${tourId}; ignored`,
        recordId: record.id,
      });
      continue;
    }
    const existing = byId.get(record.id);
    if (existing === undefined) {
      byId.set(record.id, record);
    } else {
      const list = duplicates.get(record.id) ?? [existing];
      list.push(record);
      duplicates.set(record.id, list);
    }
  }
  for (const [id, list] of duplicates) {
    const texts = list.map((record) => JSON.stringify(record));
    const distinct = new Set(texts).size;
    let keep = 0;
    for (let i = 1; i < texts.length; i++) if (texts[i]! < texts[keep]!) keep = i;
    byId.set(id, list[keep]!);
    issues.push({
      severity: distinct > 1 ? 'error' : 'warning',
      code: 'duplicateId',
      message:
        distinct > 1
          ? `${list.length} different ${kind} records share the id ${id}; one was kept arbitrarily`
          : `the ${kind} record ${id} appears ${list.length} times`,
      recordId: id,
    });
  }
  return byId;
}
