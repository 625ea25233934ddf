import { describe, expect, it } from 'vitest';
import { ballotId } from '@shared/domain/rank-vote';
import { defaultRankingRules, type Scorer, type Tour, type Unit } from '@shared/domain/schemas';
import { ballotCellKey, buildBallotBoard } from './ballot-board-model';

const tour: Tour = {
  id: 't',
  name: '排序投票观摩',
  kind: 'scored',
  status: 'scoring',
  startDate: '2021-12-08',
  endDate: '2021-12-08',
  template: null,
  rules: { ...defaultRankingRules, method: 'rankVote', unitScope: 'group' },
};
const unit = (id: string, group: string | null): Unit => ({ id, tourId: 't', name: id, group, indicatorScore: null });
const units = [unit('a', '县组'), unit('b', '县组'), unit('c', '区组')];
const scorer = (id: string, name: string, homeUnitId: string | null = null, role: Scorer['role'] = 'scorer', order?: number): Scorer => ({
  id,
  tourId: 't',
  userId: `u-${id}`,
  name,
  role,
  homeUnitId,
  weightGroup: null,
  ...(order === undefined ? {} : { order }),
});
const scorers = [scorer('p1', '评委甲'), scorer('p2', '评委乙', 'c'), scorer('o1', '观摩', null, 'observer')];
const ballot = (scorerId: string, group: string, unitIds: string[], status: 'draft' | 'submitted' | 'reopened') => ({
  id: ballotId('t', scorerId, group),
  tourId: 't',
  scorerId,
  group,
  unitIds,
  status,
  submittedAt: status === 'draft' ? null : '2021-12-08T08:00:00.000Z',
  updatedAt: '2021-12-08T08:00:00.000Z',
});

describe('rank-vote board', () => {
  it('gives each scorer a cell per ranking list, counts what is in and lists who is missing', () => {
    const board = buildBallotBoard({
      tour,
      units,
      stops: [],
      scorers,
      ballots: [ballot('p1', '县组', ['b', 'a'], 'submitted'), ballot('p1', '区组', ['c'], 'reopened'), ballot('p2', '县组', ['a', 'b'], 'draft')],
    });
    // lists in tour order (no stops here: units by name, so 县组's a and b come before 区组's c)
    expect(board.lists.map((l) => l.group)).toEqual(['县组', '区组']);
    expect(board.scorers.map((s) => s.id)).toEqual(['p1', 'p2']);
    expect(board.cells.get(ballotCellKey('p1', '县组'))?.state).toBe('submitted');
    expect(board.cells.get(ballotCellKey('p1', '区组'))?.state).toBe('reopened');
    expect(board.cells.get(ballotCellKey('p2', '县组'))?.state).toBe('draft');
    // p2's home unit is the only unit of 区组: nothing to rank there
    expect(board.cells.get(ballotCellKey('p2', '区组'))?.state).toBe('recused');
    // the reopened ballot counts as 已退回, as its cell says, not as a draft
    expect(board.total).toEqual({ submitted: 1, draft: 1, reopened: 1, todo: 0, expected: 3 });
    expect(board.perScorer.get('p1')).toEqual({ submitted: 1, draft: 0, reopened: 1, todo: 0, expected: 2 });
    expect(board.perList).toEqual([
      { submitted: 1, draft: 1, reopened: 0, todo: 0, expected: 2 },
      { submitted: 0, draft: 0, reopened: 1, todo: 0, expected: 1 },
    ]);
    expect(board.missing.map((m) => [m.scorer.id, m.list.group, m.state, m.placed, m.total])).toEqual([
      ['p1', '区组', 'reopened', 1, 1],
      ['p2', '县组', 'draft', 2, 2],
    ]);
    // how far a ballot being built has got: only what the voter placed counts
    const partial = buildBallotBoard({ tour, units, stops: [], scorers, ballots: [ballot('p1', '县组', ['b'], 'draft')] });
    expect(partial.cells.get(ballotCellKey('p1', '县组'))).toMatchObject({ state: 'draft', placed: 1, total: 2 });
    expect(partial.cells.get(ballotCellKey('p1', '区组'))).toMatchObject({ state: 'todo', placed: 0, total: 1 });
  });

  it('counts a scorer with no ballot as not started, and ignores other tours’ ballots', () => {
    const board = buildBallotBoard({ tour: { ...tour, rules: { ...tour.rules, unitScope: 'tour' } }, units, stops: [], scorers, ballots: [{ ...ballot('p1', '县组', ['a'], 'submitted'), tourId: 'other', group: null }] });
    expect(board.lists).toHaveLength(1);
    expect(board.total).toEqual({ submitted: 0, draft: 0, reopened: 0, todo: 2, expected: 2 });
  });

  it('lists voters in assignment order (not by name) and lists in the order the itinerary reaches their groups', () => {
    const stop = (id: string, unitId: string, order: number) => ({ id, tourId: 't', unitId, day: '2021-12-08', order, name: id, category: '', totalInvestment: null, completedInvestment: null, startDate: null, content: '', lat: null, lng: null, address: '', briefer: '' });
    // 区组's unit c is visited first; the secretariat's list: 市领导2, 市领导10, 阳谷县书记, 东阿县书记
    const board = buildBallotBoard({
      tour,
      units,
      stops: [stop('s1', 'c', 1), stop('s2', 'b', 2), stop('s3', 'a', 3)],
      scorers: [scorer('d', '东阿县书记', 'a', 'scorer', 3), scorer('y', '阳谷县书记', 'b', 'scorer', 2), scorer('l10', '市领导10', null, 'scorer', 1), scorer('l2', '市领导2', null, 'scorer', 0)],
      ballots: [],
    });
    expect(board.scorers.map((s) => s.name)).toEqual(['市领导2', '市领导10', '阳谷县书记', '东阿县书记']);
    expect(board.lists.map((l) => l.group)).toEqual(['区组', '县组']);
    expect(board.lists[1]!.units.map((u) => u.id)).toEqual(['b', 'a']);
    expect(board.missing.map((m) => `${m.scorer.name}·${m.list.group}`).slice(0, 4)).toEqual(['市领导2·区组', '市领导2·县组', '市领导10·区组', '市领导10·县组']);
  });
});
