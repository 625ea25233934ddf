/**
 * The secretariat's rank-vote board (pure): scorers × ranking lists with each ballot's state,
 * counts per scorer and per list, and who is missing. Computed from what is in IndexedDB; the
 * board re-runs it on every change the sync client stores.
 *
 * What must stay true: only scorers (not observers) have cells; 'reopened' is not in (it counts
 * as missing until submitted again, like the engine) and is counted as reopened (已退回) wherever
 * its cell says so, never as a draft; a list holding nothing but the scorer's own unit under
 * recusal has nothing for them to rank ('recused', not expected). Scorers come in assignment
 * order (compareScorers), lists in the tour's order (ballotListsOf): never by name.
 */
import type { RankBallot } from '@shared/domain/rank-vote';
import type { Scorer, Stop, Tour, Unit } from '@shared/domain/schemas';
import { compareScorers } from '@shared/domain/tour-order';
import { ballotListsOf, ballotStateOf, recusedUnitOf, type BallotList, type BallotState } from '../../db/ballots-repo';

export type BallotCellState = BallotState | 'recused';

export interface BallotCell {
  state: BallotCellState;
  ballot: RankBallot | null;
  /** units the voter has placed on this list so far, and how many they rank in all */
  placed: number;
  total: number;
}

export interface BallotCount {
  submitted: number;
  draft: number;
  /** reopened by the secretariat and not submitted again yet */
  reopened: number;
  todo: number;
  expected: number;
}

export interface BallotBoardModel {
  lists: BallotList[];
  scorers: Scorer[];
  /** `${scorerId}|${group}` → cell */
  cells: Map<string, BallotCell>;
  perScorer: Map<string, BallotCount>;
  /** by list index */
  perList: BallotCount[];
  total: BallotCount;
  /** (scorer, list) pairs whose ballot is not submitted, in board order */
  missing: Array<{ scorer: Scorer; list: BallotList; state: BallotState; placed: number; total: number }>;
}

export const ballotCellKey = (scorerId: string, group: string | null) => `${scorerId}|${group ?? ''}`;

export function buildBallotBoard(input: { tour: Tour; units: readonly Unit[]; stops: readonly Stop[]; scorers: readonly Scorer[]; ballots: readonly RankBallot[] }): BallotBoardModel {
  const lists = ballotListsOf(input.tour, input.units, input.stops);
  const scorers = input.scorers.filter((s) => s.role === 'scorer').sort(compareScorers);
  const byCell = new Map(input.ballots.filter((b) => b.tourId === input.tour.id).map((b) => [ballotCellKey(b.scorerId, b.group), b]));
  const empty = (): BallotCount => ({ submitted: 0, draft: 0, reopened: 0, todo: 0, expected: 0 });
  const cells = new Map<string, BallotCell>();
  const perScorer = new Map(scorers.map((s) => [s.id, empty()]));
  const perList = lists.map(empty);
  const total = empty();
  const missing: BallotBoardModel['missing'] = [];

  for (const scorer of scorers) {
    lists.forEach((list, index) => {
      const key = ballotCellKey(scorer.id, list.group);
      const recused = recusedUnitOf(input.tour, list, scorer);
      if (recused !== null && list.units.length === 1) {
        cells.set(key, { state: 'recused', ballot: null, placed: 0, total: 0 });
        return;
      }
      const ballot = byCell.get(key) ?? null;
      const state = ballotStateOf(ballot);
      const eligible = new Set(list.units.filter((u) => u.id !== recused?.id).map((u) => u.id));
      const placed = ballot ? ballot.unitIds.filter((id) => eligible.has(id)).length : 0;
      cells.set(key, { state, ballot, placed, total: eligible.size });
      for (const count of [perScorer.get(scorer.id)!, perList[index]!, total]) {
        count.expected++;
        count[state]++;
      }
      if (state !== 'submitted') missing.push({ scorer, list, state, placed, total: eligible.size });
    });
  }
  return { lists, scorers, cells, perScorer, perList, total, missing };
}
