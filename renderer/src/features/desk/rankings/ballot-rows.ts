/**
 * The rank-vote ballots unit by unit (投票明细): what each voter ranked, in which order, the
 * points each unit earned from it and what became of them — so the votes can be audited from
 * the workbook alone.
 *
 * What must stay true:
 * - Every ballot appears: counted ones, drafts, reopened ones, excluded ones and ballots for a
 *   list the tour no longer has (e.g. after the unit scope changed); a voter expected on a list
 *   without a ballot appears once as missing; a voter whose own unit is alone on a list appears
 *   once as recused.
 * - Points and fates are the engine's (TourRankings.units[].votes), never recomputed here.
 * - Order: unit lists in the engine's (tour) order, voters in assignment order, units in the
 *   order the voter put them; ballots outside every list last.
 */
import { ballotId, type RankBallot } from '@shared/domain/rank-vote';
import type { Scorer, Tour, Unit } from '@shared/domain/schemas';
import { compareScorers } from '@shared/domain/tour-order';
import { rankScopesOf, type BallotPoints, type TourRankings } from '@shared/ranking';
import { shownListScope } from './list-scope';
import type { ListScope } from './ranking-tables';

export type BallotEntryFate =
  | 'counted'
  | 'droppedHighest'
  | 'droppedLowest'
  /** the voter's own unit (recusal): skipped, the units below move up */
  | 'recused'
  /** the ballot does not count (incomplete, or the voter has no usable weight group) */
  | 'excluded'
  | 'draft'
  | 'reopened'
  /** no ballot from an expected voter */
  | 'missing'
  /** a ballot for a list the tour does not have (any more): ignored */
  | 'otherList';

export interface BallotRow {
  ballotId: string | null;
  scorerId: string;
  scorerName: string;
  /** the list ranked; null for a ballot outside every list */
  list: ListScope | null;
  /** the ballot's own `group` (what it says it ranks) */
  ballotGroup: string | null;
  /** position on the ballot as the voter ordered it (1 = first); null for rows without a unit */
  place: number | null;
  unitId: string | null;
  unitName: string | null;
  /** points the unit earned from this ballot (counted or dropped by trimming) */
  points: number | null;
  fate: BallotEntryFate;
  /** why an excluded ballot does not count: the engine's reason code */
  excludedReason: string | null;
  status: RankBallot['status'] | null;
  submittedAt: string | null;
}

export interface BallotRowsInput {
  tour: Tour;
  units: readonly Unit[];
  scorers: readonly Scorer[];
  ballots: readonly RankBallot[];
  rankings: TourRankings;
}

export function buildBallotRows({ tour, units, scorers, ballots, rankings }: BallotRowsInput): BallotRow[] {
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const voters = scorers.filter((s) => s.role === 'scorer' && s.tourId === tour.id).sort(compareScorers);
  const { recusal } = rankings.rules;
  const isOverTour = rankScopesOf(rankings.rules).unitScope === 'tour';

  // the engine's view, per (unit, voter)
  const key = (unitId: string, scorerId: string) => `${unitId}\u0000${scorerId}`;
  const points = new Map<string, BallotPoints>();
  const excluded = new Map<string, { ballotId: string; reason: string }>();
  for (const unit of rankings.units) {
    for (const b of unit.votes?.ballots ?? []) points.set(key(unit.unitId, b.scorerId), b);
    for (const e of unit.votes?.excluded ?? []) excluded.set(key(unit.unitId, e.scorerId), { ballotId: e.sheetId, reason: e.reason });
  }
  const engineBallotIds = new Set([...[...points.values()].map((p) => p.ballotId), ...[...excluded.values()].map((e) => e.ballotId)]);

  const ownBallots = ballots.filter((b) => b.tourId === tour.id);
  const used = new Set<RankBallot>();
  /** the ballot standing for (voter, list): the one the engine used, else the derived id, else the latest */
  const pick = (scorerId: string, group: string | null): RankBallot | null => {
    const candidates = ownBallots.filter((b) => b.scorerId === scorerId && (b.group ?? null) === group);
    return (
      candidates.find((b) => engineBallotIds.has(b.id)) ??
      candidates.find((b) => b.id === ballotId(tour.id, scorerId, group)) ??
      [...candidates].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0))[0] ??
      null
    );
  };

  const rows: BallotRow[] = [];
  for (const list of rankings.unitLists) {
    const scope: ListScope = shownListScope(list, rankings.unitLists);
    const group = isOverTour ? null : list.group;
    const onList = new Set(list.unitIds);
    for (const voter of voters) {
      const base = { scorerId: voter.id, scorerName: voter.name, list: scope, ballotGroup: group };
      const own = recusal && voter.homeUnitId !== null && onList.has(voter.homeUnitId) ? voter.homeUnitId : null;
      const unitRow = (unitId: string | null, place: number | null, fate: BallotEntryFate, ballot: RankBallot | null, extra: Partial<BallotRow> = {}): BallotRow => ({
        ...base,
        ballotId: ballot?.id ?? null,
        ballotGroup: ballot ? (ballot.group ?? null) : group,
        place,
        unitId,
        unitName: unitId === null ? null : (unitName.get(unitId) ?? unitId),
        points: null,
        fate,
        excludedReason: null,
        status: ballot?.status ?? null,
        submittedAt: ballot?.submittedAt ?? null,
        ...extra,
      });
      const ballot = pick(voter.id, group);
      if (own !== null && onList.size === 1) {
        // their own unit alone on the list: nothing to rank, never expected
        rows.push(unitRow(own, null, 'recused', ballot));
        if (ballot) used.add(ballot);
        continue;
      }
      if (!ballot) {
        rows.push(unitRow(null, null, 'missing', null));
        continue;
      }
      used.add(ballot);
      const isSubmitted = ballot.status === 'submitted';
      const exclusion = list.unitIds.map((u) => excluded.get(key(u, voter.id))).find((e) => e?.ballotId === ballot.id) ?? null;
      ballot.unitIds.forEach((unitId, i) => {
        const place = i + 1;
        if (unitId === own) return rows.push(unitRow(unitId, place, 'recused', ballot));
        if (!isSubmitted) return rows.push(unitRow(unitId, place, ballot.status === 'reopened' ? 'reopened' : 'draft', ballot));
        if (exclusion) return rows.push(unitRow(unitId, place, 'excluded', ballot, { excludedReason: exclusion.reason }));
        const earned = points.get(key(unitId, voter.id));
        if (earned && earned.ballotId === ballot.id) return rows.push(unitRow(unitId, place, earned.fate, ballot, { points: earned.points }));
        // a submitted ballot the engine neither counted nor excluded (a unit not on its list)
        return rows.push(unitRow(unitId, place, 'excluded', ballot, { excludedReason: 'incompleteBallot' }));
      });
      // recused, and left off the ballot: still say so
      if (own !== null && !ballot.unitIds.includes(own)) rows.push(unitRow(own, null, 'recused', ballot));
    }
  }

  // ballots outside every list (the unit scope changed, or a group no longer exists)
  const leftOver = ownBallots.filter((b) => !used.has(b));
  const voterOrder = new Map(voters.map((v, i) => [v.id, i]));
  leftOver.sort((a, b) => (voterOrder.get(a.scorerId) ?? Infinity) - (voterOrder.get(b.scorerId) ?? Infinity) || ((a.group ?? '') < (b.group ?? '') ? -1 : 1));
  for (const ballot of leftOver) {
    const voter = scorers.find((s) => s.id === ballot.scorerId);
    ballot.unitIds.forEach((unitId, i) =>
      rows.push({
        ballotId: ballot.id,
        scorerId: ballot.scorerId,
        scorerName: voter?.name ?? ballot.scorerId,
        list: null,
        ballotGroup: ballot.group ?? null,
        place: i + 1,
        unitId,
        unitName: unitName.get(unitId) ?? unitId,
        points: null,
        fate: 'otherList',
        excludedReason: null,
        status: ballot.status,
        submittedAt: ballot.submittedAt ?? null,
      }),
    );
  }
  return rows;
}
