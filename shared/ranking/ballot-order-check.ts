/**
 * What a rank-vote ballot's order may hold, checked the same way by the app before it saves a
 * ballot and by the server before it stores one (and matching what the engine counts,
 * ./rank-vote-scores.ts):
 * - a ballot ranks one unit list (./ranking-lists.ts): under the 'tour' unit scope every unit
 *   (group null), under 'group' the units of its group (null = units without a group);
 * - a draft holds the units the voter has placed so far, best first: any of the list's units,
 *   each once (an empty draft is a ballot the voter has not started ordering);
 * - a submitted ballot ranks every unit of its list, each once and nothing else, except the
 *   voter's own unit under recusal, which may be left out (the engine skips it anyway).
 *
 * The app never fills in an order for the voter (an untouched default is not a vote), so a
 * complete order is one the voter placed unit by unit; requiring it at submission is what keeps
 * a ballot the voter never ordered from counting.
 *
 * Pure: no I/O, the order of the input arrays never changes the answer.
 */
import type { RankingRules, Unit } from '../domain/schemas';
import { rankScopesOf } from './ranking-lists';

/** The unit ids of the list a ballot for `group` ranks, or null when the tour has no such list. */
export function ballotListUnitIds(rules: RankingRules, units: readonly Pick<Unit, 'id' | 'group'>[], group: string | null): string[] | null {
  const { unitScope } = rankScopesOf(rules);
  if (unitScope === 'tour') return group === null && units.length > 0 ? units.map((u) => u.id) : null;
  const ids = units.filter((u) => u.group === group).map((u) => u.id);
  return ids.length > 0 ? ids : null;
}

export type BallotOrderProblem =
  /** the tour has no such list (scope or groups changed) */
  | { kind: 'unknownList' }
  /** units that are not on the list */
  | { kind: 'foreign'; unitIds: string[] }
  /** units placed twice */
  | { kind: 'repeated'; unitIds: string[] }
  /** units of the list the (submitted) ballot does not rank */
  | { kind: 'unranked'; unitIds: string[] };

/**
 * Why `order` cannot be stored as a ballot of this list (a draft when `isSubmitted` is false),
 * or null when it can. `ownUnitId`: the voter's home unit when recusal applies, else null.
 */
export function ballotOrderProblem(order: readonly string[], listUnitIds: readonly string[] | null, ownUnitId: string | null, isSubmitted: boolean): BallotOrderProblem | null {
  if (listUnitIds === null) return { kind: 'unknownList' };
  const onList = new Set(listUnitIds);
  const seen = new Set<string>();
  const repeated: string[] = [];
  const foreign: string[] = [];
  for (const id of order) {
    if (seen.has(id)) repeated.push(id);
    else if (!onList.has(id)) foreign.push(id);
    seen.add(id);
  }
  if (foreign.length > 0) return { kind: 'foreign', unitIds: foreign };
  if (repeated.length > 0) return { kind: 'repeated', unitIds: [...new Set(repeated)] };
  if (!isSubmitted) return null;
  const unranked = listUnitIds.filter((id) => id !== ownUnitId && !seen.has(id));
  // a ballot must rank something: a list holding only the voter's own unit has no ballot at all
  if (unranked.length > 0 || order.filter((id) => id !== ownUnitId).length === 0) return { kind: 'unranked', unitIds: unranked };
  return null;
}

/** The problem in plain words (server rejection reasons, logs). */
export function describeBallotOrderProblem(problem: BallotOrderProblem): string {
  switch (problem.kind) {
    case 'unknownList':
      return "the tour has no such ranking list (its unit scope or groups changed); the ballot's units are not on it";
    case 'foreign':
      return `units not on this ballot's list: ${problem.unitIds.join(', ')}`;
    case 'repeated':
      return `units placed twice: ${problem.unitIds.join(', ')}`;
    case 'unranked':
      return problem.unitIds.length > 0
        ? `a submitted ballot must rank every unit of its list; not ranked by the voter: ${problem.unitIds.join(', ')}`
        : 'a submitted ballot must rank at least one unit';
  }
}
