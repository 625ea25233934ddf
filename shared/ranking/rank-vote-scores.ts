/**
 * Rank-vote method (排序投票): each scorer ranks the units of a unit ranking list on a ballot
 * (rules.unitScope: one ballot over all units, or one per unit group; ./ranking-lists.ts); the
 * unit at position p earns 100 − 3(p − 1) points; a unit's on-site score is the mean of its
 * points over the counted ballots (then blended with the indicator score like any unit score).
 *
 * The rules (see README.md):
 * - Recusal: the scorer's own unit is skipped on their ballot — it gets no points from them and
 *   the units below it move up one position. So a scorer who ranked their own unit first still
 *   gives 100 points to their best other unit, and where they put their own unit changes
 *   nobody's points (no tactical voting through one's own unit). It may also be left off.
 * - A ballot must rank every unit of its list except (under recusal) the scorer's own; a ballot
 *   that misses units, names units of another list or unknown units, or repeats a unit does
 *   not count at all ('incompleteBallot' error): a partial order cannot be turned into points
 *   fairly. The secretariat reopens it.
 * - Only submitted ballots count; one per (scorer, list), chosen like sheets (./collect.ts).
 * - Trimming and group weights apply to a unit's points exactly as to a project's sheet totals
 *   (with the defaults, none: a plain mean).
 * - Positions beyond 34 would earn negative points; they earn 0 instead (a list that long is
 *   not what the method is for, but the score must stay within 0..100).
 */
import type { RankBallot } from '../domain/rank-vote';
import { aggregate, type Entry } from './aggregate';
import { PairGrid } from './collect';
import { compareText, type RankingIssue } from './issues';
import type { ListInfo, PreparedInput } from './prepare';
import { listKey, rankScopesOf } from './ranking-lists';
import { toScore } from './score';
import type { OnSite } from './unit-scores';
import type { BallotPoints, ExcludedSheet, MissingScorer, RecusedScorer, UnitVotes } from './types';

/** Points for position p (1 = best) on a ballot: 100 − 3(p − 1), never below 0. */
export function pointsForPosition(position: number): number {
  return Math.max(0, 100 - 3 * (position - 1));
}

interface UnitCollector {
  entries: Entry[];
  positions: Map<Entry, number>;
  excluded: ExcludedSheet[];
  recused: RecusedScorer[];
  missing: MissingScorer[];
}

export function scoreRankVotes(
  prepared: PreparedInput,
  ballots: readonly RankBallot[],
): Map<string, { onSite: OnSite; votes: UnitVotes }> {
  const { rules, issues } = prepared;
  const picker = collectBallots(prepared, ballots);

  const collectors = new Map<string, UnitCollector>();
  for (const unit of prepared.units) {
    collectors.set(unit.id, { entries: [], positions: new Map(), excluded: [], recused: [], missing: [] });
  }
  const unitsOfList = new Map<string, string[]>();
  for (const unit of prepared.units) {
    const key = prepared.unitListOfUnit.get(unit.id)!.key;
    const list = unitsOfList.get(key);
    if (list) list.push(unit.id);
    else unitsOfList.set(key, [unit.id]);
  }

  for (const list of prepared.unitLists) {
    const listUnits = unitsOfList.get(list.key)!;
    const listUnitSet = new Set(listUnits);
    for (const info of prepared.scorers) {
      if (!info.isScorer) continue;
      const tally = info.tally;
      const ballot = picker.get(list.key, info.id);
      const isSubmitted = ballot !== undefined && ballot.status === 'submitted';
      const own = rules.recusal && info.scorer.homeUnitId !== null && listUnitSet.has(info.scorer.homeUnitId)
        ? info.scorer.homeUnitId
        : null;
      if (own !== null) {
        collectors.get(own)!.recused.push({ scorerId: info.id, hadSheet: isSubmitted && ballot.unitIds.includes(own) });
        tally.recused++;
      }
      const others = own === null ? listUnits : listUnits.filter((id) => id !== own);
      // A list holding only the scorer's own unit leaves them nothing to rank (a ballot needs at
      // least one unit), so they are recused from the whole list, never "missing" from it.
      if (others.length === 0) continue;

      if (!isSubmitted) {
        if (info.hasUsableGroup) {
          const status = ballot === undefined ? 'none' : (ballot.status as 'draft' | 'reopened');
          for (const unitId of others) collectors.get(unitId)!.missing.push({ scorerId: info.id, status });
          tally.missing++;
        }
        continue;
      }
      tally.submitted++;
      const problem = info.hasUsableGroup ? ballotProblem(ballot, listUnitSet, own) : null;
      if (!info.hasUsableGroup || problem !== null) {
        const excluded: ExcludedSheet = info.hasUsableGroup
          ? { sheetId: ballot.id, scorerId: info.id, reason: 'incompleteBallot', detail: problem! }
          : {
              sheetId: ballot.id,
              scorerId: info.id,
              reason: 'noWeightGroup',
              detail: `weight group ${info.scorer.weightGroup === null ? '(none)' : `"${info.scorer.weightGroup}"`} has no weight`,
            };
        for (const unitId of others) collectors.get(unitId)!.excluded.push(excluded);
        tally.excluded++;
        if (problem !== null) {
          issues.push({
            severity: 'error',
            code: 'incompleteBallot',
            message: `submitted ballot ${ballot.id} of scorer ${info.id} does not count: ${problem}`,
            recordId: ballot.id,
            scorerId: info.id,
          });
        }
        continue;
      }
      if (own !== null && ballot.unitIds.includes(own)) {
        issues.push({
          severity: 'info',
          code: 'recusedBallotEntry',
          message: `ballot ${ballot.id}: scorer ${info.id} ranked their own unit ${own}; it is skipped and the units below move up`,
          recordId: ballot.id,
          unitId: own,
          scorerId: info.id,
        });
      }
      let position = 0;
      for (const unitId of ballot.unitIds) {
        if (unitId === own) continue;
        position++;
        const points = pointsForPosition(position);
        const entry: Entry = {
          id: ballot.id,
          scorerId: info.id,
          order: prepared.scorerIndex.get(info.id)!,
          weightGroup: info.scorer.weightGroup,
          value: points * 100,
          partsAt: -1,
          fate: 'counted',
        };
        const collector = collectors.get(unitId)!;
        collector.entries.push(entry);
        collector.positions.set(entry, position);
        tally.givenSum += points * 100;
        tally.givenCount++;
      }
    }
  }

  const result = new Map<string, { onSite: OnSite; votes: UnitVotes }>();
  for (const unit of prepared.units) {
    const collector = collectors.get(unit.id)!;
    const aggregation = aggregate(collector.entries, rules.trim, prepared.weights);
    const ballotsOut: BallotPoints[] = [];
    const dropped: BallotPoints[] = [];
    // entries are in scorer-id order: lists are walked scorer by scorer, and a unit is on one list
    for (const entry of collector.entries) {
      const fate = entry.fate;
      const points: BallotPoints = {
        ballotId: entry.id,
        scorerId: entry.scorerId,
        weightGroup: entry.weightGroup,
        position: collector.positions.get(entry)!,
        points: entry.value / 100,
        fate,
      };
      ballotsOut.push(points);
      const tally = prepared.scorersById.get(entry.scorerId)!.tally;
      if (fate === 'counted') tally.counted++;
      else {
        tally.dropped++;
        dropped.push(points);
      }
    }
    result.set(unit.id, {
      onSite: {
        score: aggregation.mean,
        criterionMeans: null,
        tieBreak: null,
        projects: prepared.stops
          .filter((stop) => stop.unitId === unit.id)
          .map((stop) => ({ stopId: stop.id, score: null, weight: null, counted: false })),
      },
      votes: {
        ballotsCounted: aggregation.keptCount,
        trimmed: aggregation.trimmed,
        ballots: ballotsOut,
        droppedBallots: dropped,
        excluded: collector.excluded,
        recusedScorers: collector.recused,
        missingScorers: collector.missing,
        groups:
          prepared.weights === null
            ? []
            : aggregation.buckets.map((bucket) => ({
                weightGroup: bucket.weightGroup!,
                weight: bucket.weight,
                share: bucket.share,
                sheets: bucket.size,
                counted: bucket.kept.length,
                trimmed: bucket.trimmed,
                mean: toScore(bucket.mean),
              })),
      },
    });
  }
  return result;
}

/** Why a ballot cannot be turned into points, or null when it can. */
function ballotProblem(ballot: RankBallot, listUnits: ReadonlySet<string>, own: string | null): string | null {
  const seen = new Set<string>();
  const repeated: string[] = [];
  const foreign: string[] = [];
  for (const unitId of ballot.unitIds) {
    if (seen.has(unitId)) repeated.push(unitId);
    seen.add(unitId);
    if (!listUnits.has(unitId)) foreign.push(unitId);
  }
  const missing = [...listUnits].filter((id) => id !== own && !seen.has(id)).sort(compareText);
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`does not rank ${missing.join(', ')}`);
  if (foreign.length > 0) problems.push(`ranks ${foreign.join(', ')}, not in its list`);
  if (repeated.length > 0) problems.push(`ranks ${repeated.join(', ')} twice`);
  return problems.length === 0 ? null : problems.join('; ');
}

/**
 * The unit list a ballot ranks, by its `group`: under the 'group' unit scope the list of that
 * group (null = units without a group); under 'tour' the one list, named by null. Null when the
 * tour has no such list.
 */
function listKeyOf(prepared: PreparedInput, group: string | null): string | null {
  const scope = rankScopesOf(prepared.rules).unitScope;
  if (scope === 'tour' && group !== null) return null;
  const key = listKey(scope, group);
  return prepared.unitLists.some((list: ListInfo) => list.key === key) ? key : null;
}

function collectBallots(prepared: PreparedInput, ballots: readonly RankBallot[]): PairGrid<RankBallot> {
  const { issues, tour } = prepared;
  const picker = new PairGrid<RankBallot>(new Map(prepared.unitLists.map((list, i) => [list.key, i])), prepared.scorerIndex);
  for (const ballot of ballots) {
    const at = { recordId: ballot.id, scorerId: ballot.scorerId };
    let issue: RankingIssue | null = null;
    const info = prepared.scorersById.get(ballot.scorerId);
    const key = listKeyOf(prepared, ballot.group);
    if (ballot.tourId !== tour.id) {
      issue = { severity: 'warning', code: 'foreignTour', message: `ballot ${ballot.id} belongs to tour ${ballot.tourId}, not ${tour.id}; ignored`, ...at };
    } else if (info === undefined) {
      issue = { severity: 'warning', code: 'unknownScorer', message: `ballot ${ballot.id} is by ${ballot.scorerId}, who is not a scorer of this tour; ignored`, ...at };
    } else if (!info.isScorer) {
      issue = { severity: 'warning', code: 'observerSheet', message: `ballot ${ballot.id} is by observer ${ballot.scorerId}; observers do not vote, ignored`, ...at };
    } else if (key === null) {
      const list = ballot.group === null ? 'the overall list' : `group "${ballot.group}"`;
      issue = {
        severity: ballot.status === 'submitted' ? 'error' : 'warning',
        code: 'unknownBallotList',
        message:
          rankScopesOf(prepared.rules).unitScope === 'tour'
            ? `ballot ${ballot.id} ranks ${list}, but the tour ranks all units in one list; ignored`
            : `ballot ${ballot.id} ranks ${list}, which has no units; ignored`,
        ...at,
      };
    }
    if (issue !== null) {
      issues.push(issue);
      continue;
    }
    picker.add(key!, ballot.scorerId, ballot);
  }
  for (const [key, scorerId, records] of picker.collided()) {
    const kept = picker.get(key, scorerId)!;
    issues.push({
      severity: 'error',
      code: 'duplicateBallot',
      message: `${records.length} ballots (${records.map((r) => r.id).sort().join(', ')}) by scorer ${scorerId} for one list; using ${kept.id} (${kept.status}, updated ${kept.updatedAt})`,
      recordId: kept.id,
      scorerId,
    });
  }
  return picker;
}
