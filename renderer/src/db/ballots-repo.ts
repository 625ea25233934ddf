import { ballotId as deriveBallotId, rankBallotSchema, type RankBallot } from '@shared/domain/rank-vote';
import type { Scorer, Stop, Tour, Unit } from '@shared/domain/schemas';
import { rankScopesOf, unitListsOf } from '@shared/ranking/ranking-lists';
import type { GuanmoDb } from './guanmo-db';
import { appendToOutbox, outboxTables } from './outbox';
import { findScorer, isTourOpenForScoring } from './sheets-repo';

/**
 * Rank-vote ballots (排序投票) of the current user: on a tour whose rules say
 * `method: 'rankVote'`, each scorer orders the units of every ranking list, best first.
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
  /** true when the tour ranks all units in one list (rules.unitScope 'tour') */
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
  return unitListsOf(units, stops, unitScope).map((list) => ({ group: list.group, isOverall: list.scope === 'tour', units: list.units }));
}

/** The unit a scorer does not rank on this list (their home unit, under recusal), or null. */
export function recusedUnitOf(tour: Tour, list: BallotList, scorer: Scorer | null): Unit | null {
  if (!tour.rules.recusal || scorer?.homeUnitId == null) return null;
  return list.units.find((u) => u.id === scorer.homeUnitId) ?? null;
}

/**
 * The order the scorer sees: the stored ballot's order for the units still on the list, then
 * units added since (in list order); the recused unit and units no longer on the list left out.
 */
export function ballotOrder(list: BallotList, ballot: RankBallot | null, recused: Unit | null): string[] {
  const eligible = list.units.filter((u) => u.id !== recused?.id).map((u) => u.id);
  const eligibleSet = new Set(eligible);
  const kept = (ballot?.unitIds ?? []).filter((id) => eligibleSet.has(id));
  const keptSet = new Set(kept);
  return [...kept, ...eligible.filter((id) => !keptSet.has(id))];
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

export type BallotRefusal = 'unknownTour' | 'noBallot' | 'unassigned' | 'observer' | 'unknownList' | 'tourClosed' | 'submitted' | 'invalidOrder';

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
  /** the stored ballot, null until the scorer changed or submitted anything */
  ballot: RankBallot | null;
  /** what the scorer sees, best first (ballotOrder) */
  order: string[];
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
    return { tour, role, list, recused, ballot, order: list ? ballotOrder(list, ballot, recused) : [] };
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
      return { list, ballot, state: ballotStateOf(ballot), isRecused: recused !== null && list.units.length === 1 };
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
  /** the units the ballot must rank exactly (the list minus the recused unit) */
  eligible: Set<string>;
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
  const eligible = new Set(list.units.filter((u) => u.id !== recused?.id).map((u) => u.id));
  return { tour, scorer: role.scorer, id, existing, eligible };
}

/** The order must name each eligible unit exactly once and nothing else. */
function checkOrder(unitIds: readonly string[], eligible: ReadonlySet<string>): void {
  const seen = new Set<string>();
  for (const id of unitIds) {
    if (!eligible.has(id)) throw new BallotWriteRefused('invalidOrder', `unit ${id} is not on this list`);
    if (seen.has(id)) throw new BallotWriteRefused('invalidOrder', `unit ${id} appears twice`);
    seen.add(id);
  }
  if (seen.size !== eligible.size) throw new BallotWriteRefused('invalidOrder', `${eligible.size - seen.size} unit(s) not ranked`);
}

const sameOrder = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id, i) => id === b[i]);

export interface SavedBallot {
  ballot: RankBallot;
  /** true when the stored ballot changed (and an outbox entry was written) */
  isChanged: boolean;
  savedAt: string;
}

/**
 * Saves the scorer's current order as a draft ballot (created on the first save), with an outbox
 * entry when the order changed. A reopened ballot stays 'reopened' until submitted again.
 */
export async function saveBallotDraft(db: GuanmoDb, target: BallotTarget, unitIds: readonly string[]): Promise<SavedBallot> {
  return db.transaction('rw', ballotTables(db), async () => {
    const { scorer, id, existing, eligible } = await loadWriteContext(db, target);
    checkOrder(unitIds, eligible);
    const savedAt = new Date().toISOString();
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

/** Submits the ballot in this order and locks it (status 'submitted', submittedAt). */
export async function submitBallot(db: GuanmoDb, target: BallotTarget, unitIds: readonly string[]): Promise<RankBallot> {
  return db.transaction('rw', ballotTables(db), async () => {
    const { scorer, id, existing, eligible } = await loadWriteContext(db, target);
    checkOrder(unitIds, eligible);
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
