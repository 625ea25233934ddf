import { ballotId as deriveBallotId, rankBallotSchema, type RankBallot } from '@shared/domain/rank-vote';
import type { Scorer, Stop, Tour, Unit } from '@shared/domain/schemas';
import { ballotOrderProblem, describeBallotOrderProblem } from '@shared/ranking/ballot-order-check';
import { rankScopesOf, unitListsOf } from '@shared/ranking/ranking-lists';
import type { GuanmoDb } from './guanmo-db';
import { appendToOutbox, outboxTables } from './outbox';
import { findScorer, isTourOpenForScoring } from './sheets-repo';

/**
 * Rank-vote ballots (排序投票) of the current user: on a tour whose rules say
 * `method: 'rankVote'`, each scorer orders the units of every ranking list, best first.
 *
 * The scorer builds the order: the ballot starts with no unit placed and holds only the units the
 * scorer placed (an untouched default is not a vote). A draft may be partial; submitting needs
 * every unit of the list placed.
 *
 * What must stay true:
 * - One ballot per (tour, scorer, ranking list), id `ballotId(tour, scorer, group)`: two laptops
 *   of one scorer, or two tabs, always write the same record (the server checks the id too).
 * - The lists are the ranking engine's unit lists (`unitListsOf`, shared/ranking/ranking-lists.ts):
 *   one per unit group (null = units without a group) when `rules.unitScope` is 'group', else one
 *   list of every unit with group null; in the tour's order, units in itinerary order.
 * - Under `rules.recusal` the scorer's home unit is left off their ballot (the engine skips it
 *   anyway; leaving it off means nothing the scorer does with it can look like a vote).
 * - Every write runs in ONE `rw` transaction that re-checks the rules (rank-vote tour, assigned
 *   scorer, tour open, ballot not submitted, only units of the list) against what is stored at
 *   that moment, then writes the ballot, its outbox entry and the HLC clock together.
 * - A submitted ballot never changes here: only the secretariat's audited reopen (server) makes
 *   it editable again (status 'reopened', which a draft save keeps until the next submit).
 */

/** One ranking list the scorer votes on: its units (all of them, the recused one included). */
export interface BallotList {
  /** the ballot's `group`: a unit group, or null (units without a group / the overall list) */
  group: string | null;
  /** true when the tour ranks all units in one list (rules.unitScope 'tour', or no unit has a group) */
  isOverall: boolean;
  /** in itinerary order (the order the delegation visited them), then by name */
  units: Unit[];
}

/** Whether a tour is voted on with ballots rather than scored with sheets. */
export function isRankVoteTour(tour: Tour): boolean {
  return tour.kind === 'scored' && tour.rules.method === 'rankVote';
}

/** The ranking lists of a tour, exactly as the shared engine forms them (tour order; units in itinerary order). */
export function ballotListsOf(tour: Tour, units: readonly Unit[], stops: readonly Stop[]): BallotList[] {
  const { unitScope } = rankScopesOf(tour.rules);
  const lists = unitListsOf(units, stops, unitScope);
  // a tour without unit groups has one list whatever the scope: it holds all units, not "未分组"
  const isOnlyDefaultGroup = lists.length === 1 && lists[0]!.group === null;
  return lists.map((list) => ({ group: list.group, isOverall: list.scope === 'tour' || isOnlyDefaultGroup, units: list.units }));
}

/** The unit a scorer does not rank on this list (their home unit, under recusal), or null. */
export function recusedUnitOf(tour: Tour, list: BallotList, scorer: Scorer | null): Unit | null {
  if (!tour.rules.recusal || scorer?.homeUnitId == null) return null;
  return list.units.find((u) => u.id === scorer.homeUnitId) ?? null;
}

/** What the scorer has placed and what is left to place. */
export interface BallotPlacement {
  /** the stored ballot's order for the units still on the list, best first */
  placed: string[];
  /** the list's units not placed yet (added since, or never placed), in list (itinerary) order */
  unplaced: string[];
}

/** The units the scorer ranks on a list: all of it but the recused unit, in list order. */
export function eligibleUnitIds(list: BallotList, recused: Unit | null): string[] {
  return list.units.filter((u) => u.id !== recused?.id).map((u) => u.id);
}

/** The stored order split into placed and unplaced units; the recused unit and units no longer on the list left out. */
export function ballotPlacement(list: BallotList, ballot: RankBallot | null, recused: Unit | null): BallotPlacement {
  const eligible = eligibleUnitIds(list, recused);
  const eligibleSet = new Set(eligible);
  const placed = (ballot?.unitIds ?? []).filter((id) => eligibleSet.has(id));
  const placedSet = new Set(placed);
  return { placed, unplaced: eligible.filter((id) => !placedSet.has(id)) };
}

export type BallotRole =
  /** may vote */
  | { kind: 'scorer'; scorer: Scorer }
  /** on the tour, but takes photos and notes only */
  | { kind: 'observer'; scorer: Scorer }
  /** not on this tour */
  | { kind: 'unassigned' }
  /** the tour is not voted on with ballots */
  | { kind: 'noBallot'; scorer: Scorer | null };

export function ballotRoleOf(tour: Tour, scorer: Scorer | null): BallotRole {
  if (!isRankVoteTour(tour)) return { kind: 'noBallot', scorer };
  if (scorer === null) return { kind: 'unassigned' };
  if (scorer.role === 'observer') return { kind: 'observer', scorer };
  return { kind: 'scorer', scorer };
}

export function isBallotLocked(ballot: RankBallot | null | undefined): boolean {
  return ballot?.status === 'submitted';
}

export type BallotRefusal =
  | 'unknownTour'
  | 'noBallot'
  | 'unassigned'
  | 'observer'
  | 'unknownList'
  | 'tourClosed'
  | 'submitted'
  | 'invalidOrder'
  /** submitting before every unit of the list is placed (`detail`: how many are left) */
  | 'unranked';

/** A ballot write the rules do not allow; nothing was written. */
export class BallotWriteRefused extends Error {
  override readonly name = 'BallotWriteRefused';
  constructor(
    readonly reason: BallotRefusal,
    readonly detail = '',
  ) {
    super(`ballot not saved: ${reason}${detail ? ` (${detail})` : ''}`);
  }
}

export interface BallotTarget {
  tourId: string;
  /** the ranking list (BallotList.group) */
  group: string | null;
  /** the current user (not the scorer record id) */
  userId: string;
}

export interface BallotContext {
  tour: Tour;
  role: BallotRole;
  /** null when the tour has no such list (any more) */
  list: BallotList | null;
  /** the unit the scorer does not rank (recusal), or null */
  recused: Unit | null;
  /** the stored ballot, null until the scorer placed a unit */
  ballot: RankBallot | null;
  /** what the scorer placed (best first) and what is left (ballotPlacement) */
  placement: BallotPlacement;
}

async function loadTourParts(db: GuanmoDb, tourId: string) {
  const [units, stops] = await Promise.all([db.units.where('tourId').equals(tourId).toArray(), db.stops.where('tourId').equals(tourId).toArray()]);
  return { units, stops };
}

const sameGroup = (a: string | null, b: string | null) => (a ?? null) === (b ?? null);

/** Everything the ballot page of one list needs; null when the tour does not exist. */
export function getBallotContext(db: GuanmoDb, { tourId, group, userId }: BallotTarget): Promise<BallotContext | null> {
  return db.transaction('r', [db.tours, db.units, db.stops, db.scorers, db.ballots], async () => {
    const [tour, scorer] = await Promise.all([db.tours.get(tourId), findScorer(db, tourId, userId)]);
    if (!tour) return null;
    const { units, stops } = await loadTourParts(db, tourId);
    const role = ballotRoleOf(tour, scorer);
    const list = ballotListsOf(tour, units, stops).find((l) => sameGroup(l.group, group)) ?? null;
    const recused = list ? recusedUnitOf(tour, list, scorer) : null;
    const ballot = role.kind === 'scorer' ? ((await db.ballots.get(deriveBallotId(tourId, role.scorer.id, group))) ?? null) : null;
    return { tour, role, list, recused, ballot, placement: list ? ballotPlacement(list, ballot, recused) : { placed: [], unplaced: [] } };
  });
}

/** The state of one list's ballot for the current user, as the tour page shows it. */
export type BallotState = 'todo' | 'draft' | 'submitted' | 'reopened';

export interface BallotListSummary {
  list: BallotList;
  state: BallotState;
  ballot: RankBallot | null;
  /** under recusal the list holds only the scorer's own unit: there is nothing for them to rank */
  isRecused: boolean;
  /** units the scorer has placed on this list so far, and how many they rank in all */
  placedCount: number;
  unitCount: number;
}

/** The user's ballot lists on a tour with their state; null when the user does not vote there. */
export function listMyBallots(db: GuanmoDb, tourId: string, userId: string): Promise<BallotListSummary[] | null> {
  return db.transaction('r', [db.tours, db.units, db.stops, db.scorers, db.ballots], async () => {
    const [tour, scorer] = await Promise.all([db.tours.get(tourId), findScorer(db, tourId, userId)]);
    if (!tour) return null;
    const role = ballotRoleOf(tour, scorer);
    if (role.kind !== 'scorer') return null;
    const { units, stops } = await loadTourParts(db, tourId);
    const ballots = await db.ballots.where('[tourId+scorerId]').equals([tourId, role.scorer.id]).toArray();
    return ballotListsOf(tour, units, stops).map((list) => {
      const ballot = ballots.find((b) => sameGroup(b.group, list.group)) ?? null;
      const recused = recusedUnitOf(tour, list, role.scorer);
      const { placed, unplaced } = ballotPlacement(list, ballot, recused);
      return {
        list,
        ballot,
        state: ballotStateOf(ballot),
        isRecused: recused !== null && list.units.length === 1,
        placedCount: placed.length,
        unitCount: placed.length + unplaced.length,
      };
    });
  });
}

export function ballotStateOf(ballot: RankBallot | null | undefined): BallotState {
  if (!ballot) return 'todo';
  return ballot.status === 'submitted' ? 'submitted' : ballot.status === 'reopened' ? 'reopened' : 'draft';
}

/** Every ballot of a tour (the desk: board and rankings). */
export function listTourBallots(db: GuanmoDb, tourId: string): Promise<RankBallot[]> {
  return db.ballots.where('tourId').equals(tourId).toArray();
}

interface WriteContext {
  tour: Tour;
  scorer: Scorer;
  id: string;
  existing: RankBallot | null;
  /** the units the ballot ranks (the list minus the recused unit), in list order */
  eligible: string[];
}

function ballotTables(db: GuanmoDb) {
  return [db.tours, db.units, db.stops, db.scorers, db.ballots, ...outboxTables(db)];
}

/** Re-checks every rule inside the caller's transaction; throws BallotWriteRefused. */
async function loadWriteContext(db: GuanmoDb, { tourId, group, userId }: BallotTarget): Promise<WriteContext> {
  const [tour, scorer] = await Promise.all([db.tours.get(tourId), findScorer(db, tourId, userId)]);
  if (!tour) throw new BallotWriteRefused('unknownTour');
  const role = ballotRoleOf(tour, scorer);
  if (role.kind !== 'scorer') throw new BallotWriteRefused(role.kind);
  const { units, stops } = await loadTourParts(db, tourId);
  const list = ballotListsOf(tour, units, stops).find((l) => sameGroup(l.group, group));
  if (!list) throw new BallotWriteRefused('unknownList', group ?? '(default)');
  const id = deriveBallotId(tourId, role.scorer.id, group);
  const existing = (await db.ballots.get(id)) ?? null;
  if (isBallotLocked(existing)) throw new BallotWriteRefused('submitted');
  if (!isTourOpenForScoring(tour) && existing?.status !== 'reopened') throw new BallotWriteRefused('tourClosed');
  const recused = recusedUnitOf(tour, list, role.scorer);
  return { tour, scorer: role.scorer, id, existing, eligible: eligibleUnitIds(list, recused) };
}

/**
 * A draft names eligible units, each once (any number of them); a submitted order names every
 * one (the shared check the server applies too, stricter here: the recused unit is never placed).
 */
function checkOrder(unitIds: readonly string[], eligible: readonly string[], isSubmitted: boolean): void {
  const problem = ballotOrderProblem(unitIds, eligible, null, isSubmitted);
  if (problem === null) return;
  if (problem.kind === 'unranked') throw new BallotWriteRefused('unranked', String(problem.unitIds.length));
  throw new BallotWriteRefused('invalidOrder', describeBallotOrderProblem(problem));
}

const sameOrder = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id, i) => id === b[i]);

export interface SavedBallot {
  /** null while nothing was ever placed (no ballot is stored for an empty order) */
  ballot: RankBallot | null;
  /** true when the stored ballot changed (and an outbox entry was written) */
  isChanged: boolean;
  savedAt: string;
}

/**
 * Saves the units the scorer has placed so far, best first, as a draft ballot (created when the
 * first unit is placed), with an outbox entry when the order changed. A reopened ballot stays
 * 'reopened' until submitted again.
 */
export async function saveBallotDraft(db: GuanmoDb, target: BallotTarget, unitIds: readonly string[]): Promise<SavedBallot> {
  return db.transaction('rw', ballotTables(db), async () => {
    const { scorer, id, existing, eligible } = await loadWriteContext(db, target);
    checkOrder(unitIds, eligible, false);
    const savedAt = new Date().toISOString();
    if (existing === null && unitIds.length === 0) return { ballot: null, isChanged: false, savedAt };
    if (existing !== null && sameOrder(existing.unitIds, unitIds)) return { ballot: existing, isChanged: false, savedAt };
    const ballot = rankBallotSchema.parse(
      existing === null
        ? { id, tourId: target.tourId, scorerId: scorer.id, group: target.group, unitIds: [...unitIds], status: 'draft', submittedAt: null, updatedAt: savedAt }
        : { ...existing, unitIds: [...unitIds], updatedAt: savedAt },
    );
    await db.ballots.put(ballot);
    await appendToOutbox(db, { collection: 'ballots', recordId: id, changedFields: existing === null ? Object.keys(ballot) : ['unitIds', 'updatedAt'] });
    return { ballot, isChanged: true, savedAt };
  });
}

/**
 * Submits the ballot in this order and locks it (status 'submitted', submittedAt). Refused
 * ('unranked') unless the scorer has placed every unit of the list.
 */
export async function submitBallot(db: GuanmoDb, target: BallotTarget, unitIds: readonly string[]): Promise<RankBallot> {
  return db.transaction('rw', ballotTables(db), async () => {
    const { scorer, id, existing, eligible } = await loadWriteContext(db, target);
    checkOrder(unitIds, eligible, true);
    const now = new Date().toISOString();
    const ballot = rankBallotSchema.parse({
      ...(existing ?? { id, tourId: target.tourId, scorerId: scorer.id, group: target.group }),
      unitIds: [...unitIds],
      status: 'submitted',
      submittedAt: now,
      updatedAt: now,
    });
    await db.ballots.put(ballot);
    await appendToOutbox(db, {
      collection: 'ballots',
      recordId: id,
      changedFields: existing === null ? Object.keys(ballot) : ['unitIds', 'status', 'submittedAt', 'updatedAt'],
    });
    return ballot;
  });
}
