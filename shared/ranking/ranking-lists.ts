/**
 * Which ranking lists a tour has, for projects and for units: one list over the whole tour
 * (scope 'tour'), or one list per unit group (scope 'group': 县组 / 区组 …, null = the units
 * without a group). The engine ranks within these lists, and the rank-vote ballots are these
 * unit lists (one ballot per scorer and unit list), so the app's ballot screens derive their
 * lists here too and can never disagree with the engine.
 *
 * What must stay true:
 * - Lists come in the tour's own order (groups in the order the itinerary first reaches them,
 *   shared/domain/tour-order.ts), never by name or pinyin.
 * - Pure and deterministic: the order of the input arrays never changes the output.
 */
import type { RankingRules, RankScope, Stop, Unit } from '../domain/schemas';
import { groupsInTourOrder, unitsInItineraryOrder } from '../domain/tour-order';

/** The scopes in force. Rules read from an older store may lack them: `rankWithinGroups` then stands for both. */
export function rankScopesOf(rules: RankingRules): { projectScope: RankScope; unitScope: RankScope } {
  const legacy: RankScope = (rules as { rankWithinGroups?: unknown }).rankWithinGroups === false ? 'tour' : 'group';
  return { projectScope: rules.projectScope ?? legacy, unitScope: rules.unitScope ?? legacy };
}

/** The list a unit (and its projects) falls in under `scope`: a key, internal to this code. */
export function listKey(scope: RankScope, group: string | null): string {
  return scope === 'tour' ? '*' : `g:${group ?? ''}`;
}

export interface UnitList<U extends Pick<Unit, 'id' | 'name' | 'group'> = Unit> {
  key: string;
  scope: RankScope;
  /** the unit group; null for the default group and for the list over the whole tour */
  group: string | null;
  /** in itinerary order (the order of their first stop) */
  units: U[];
}

/**
 * The unit lists under `scope`, in tour order, every unit in exactly one. Under 'group' a list
 * per group that has units; under 'tour' one list (none when there are no units).
 */
export function unitListsOf<U extends Pick<Unit, 'id' | 'name' | 'group'>>(
  units: readonly U[],
  stops: readonly Pick<Stop, 'day' | 'order' | 'id' | 'unitId'>[],
  scope: RankScope,
): UnitList<U>[] {
  const ordered = unitsInItineraryOrder(units, stops);
  if (scope === 'tour') return ordered.length === 0 ? [] : [{ key: listKey('tour', null), scope, group: null, units: ordered }];
  return groupsInTourOrder(units, stops).map((group) => ({
    key: listKey('group', group),
    scope,
    group,
    units: ordered.filter((unit) => unit.group === group),
  }));
}
