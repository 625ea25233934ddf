/**
 * The 投票明细 rows of a hand-worked rank-vote tour: every ballot unit by unit, with the engine's
 * points and fates, drafts, excluded and missing ballots, recusals and a ballot of another list.
 */
import { describe, expect, it } from 'vitest';
import { computeRankings } from '@shared/ranking';
import { TourBuilder } from '@shared/ranking/tour-builder';
import { buildDeskTables } from './ranking-tables';

/*
 * Units A B C D in one list (unitScope 'tour'), visited in that order; recusal on.
 * Points by position: 1 → 100, 2 → 97, 3 → 94, 4 → 91.
 *
 * s1 (from A)  A B C D submitted → A skipped: B 100, C 97, D 94
 * s2           B A D C submitted → B 100, A 97, D 94, C 91; also a ballot for 县组 (no such list)
 * s3 (from C)  A B D   submitted → A 100, B 97, D 94; C (own, left off) recused
 * s4           B C     submitted → misses A and D: excluded
 * s5           D C B A draft     → not counted
 * s6           —                 → missing
 */
function rankVoteTour() {
  const t = new TourBuilder([['a', 100, 0.5]], { method: 'rankVote', recusal: true, unitScope: 'tour', trim: null });
  t.unit('A', { group: '县组' }).unit('B', { group: '县组' }).unit('C', { group: '区组' }).unit('D', { group: '区组' });
  t.stop('pA', 'A').stop('pB', 'B').stop('pC', 'C').stop('pD', 'D');
  t.scorer('s1', { home: 'A' }).scorer('s2').scorer('s3', { home: 'C' }).scorer('s4').scorer('s5').scorer('s6');
  t.ballot('s1', ['A', 'B', 'C', 'D']).ballot('s2', ['B', 'A', 'D', 'C']).ballot('s3', ['A', 'B', 'D']).ballot('s4', ['B', 'C']);
  t.ballot('s5', ['D', 'C', 'B', 'A'], { status: 'draft' });
  t.ballot('s2', ['A', 'B'], { group: '县组' });
  const input = t.input();
  return buildDeskTables({ ...input, rankings: computeRankings(input) });
}

describe('ballot rows (投票明细)', () => {
  it('lists every ballot unit by unit with the engine’s points and fates', () => {
    const tables = rankVoteTour();
    expect(tables.ballots.map((r) => [r.scorerId, r.place, r.unitId, r.points, r.fate])).toEqual([
      ['s1', 1, 'A', null, 'recused'],
      ['s1', 2, 'B', 100, 'counted'],
      ['s1', 3, 'C', 97, 'counted'],
      ['s1', 4, 'D', 94, 'counted'],
      ['s2', 1, 'B', 100, 'counted'],
      ['s2', 2, 'A', 97, 'counted'],
      ['s2', 3, 'D', 94, 'counted'],
      ['s2', 4, 'C', 91, 'counted'],
      ['s3', 1, 'A', 100, 'counted'],
      ['s3', 2, 'B', 97, 'counted'],
      ['s3', 3, 'D', 94, 'counted'],
      ['s3', null, 'C', null, 'recused'],
      ['s4', 1, 'B', null, 'excluded'],
      ['s4', 2, 'C', null, 'excluded'],
      ['s5', 1, 'D', null, 'draft'],
      ['s5', 2, 'C', null, 'draft'],
      ['s5', 3, 'B', null, 'draft'],
      ['s5', 4, 'A', null, 'draft'],
      ['s6', null, null, null, 'missing'],
      ['s2', 1, 'A', null, 'otherList'],
      ['s2', 2, 'B', null, 'otherList'],
    ]);
    const excluded = tables.ballots.find((r) => r.scorerId === 's4')!;
    expect([excluded.excludedReason, excluded.status, excluded.list, excluded.unitName]).toEqual(['incompleteBallot', 'submitted', { scope: 'tour', group: null }, '单位B']);
    expect(tables.ballots.find((r) => r.fate === 'otherList')!.ballotGroup).toBe('县组');
    expect(tables.ballots.find((r) => r.scorerId === 's1')!.submittedAt).toBe('2021-12-08T10:00:00.000Z');
    // the unit table's figures come from the same points: A (97 + 100)/2, B (100 + 100 + 97)/3
    expect(tables.unitLists[0]!.units.map((u) => [u.unitId, u.score?.display, u.ballots])).toEqual([
      ['B', '99.00', 3],
      ['A', '98.50', 2],
      ['C', '94.00', 2],
      ['D', '94.00', 3],
    ]);
    // ballots have no criteria
    expect(tables.criteria).toEqual([]);
    expect(tables.projectLists).toEqual([]);
  });

  it('a score-method tour has no ballot rows', () => {
    const t = new TourBuilder([['a', 100, 0.5]]);
    t.unit('A').stop('pA', 'A').scorer('s1').sheet('pA', 's1', [80]);
    const input = t.input();
    expect(buildDeskTables({ ...input, rankings: computeRankings(input) }).ballots).toEqual([]);
  });
});
