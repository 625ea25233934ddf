import { describe, expect, it } from 'vitest';
import { defaultRankingRules, type RankingRules } from '../domain/schemas';
import { ballotListUnitIds, ballotOrderProblem, describeBallotOrderProblem } from './ballot-order-check';

const units = [
  { id: 'a', group: '县组' },
  { id: 'b', group: '县组' },
  { id: 'c', group: '区组' },
  { id: 'd', group: null },
];
const rules = (unitScope: RankingRules['unitScope']): RankingRules => ({ ...defaultRankingRules, method: 'rankVote', unitScope });

describe('ballot order check', () => {
  it('finds the list a ballot ranks, as the engine forms it', () => {
    expect(ballotListUnitIds(rules('tour'), units, null)).toEqual(['a', 'b', 'c', 'd']);
    expect(ballotListUnitIds(rules('tour'), units, '县组')).toBeNull();
    expect(ballotListUnitIds(rules('group'), units, '县组')).toEqual(['a', 'b']);
    expect(ballotListUnitIds(rules('group'), units, null)).toEqual(['d']);
    expect(ballotListUnitIds(rules('group'), units, '市直组')).toBeNull();
    expect(ballotListUnitIds(rules('tour'), [], null)).toBeNull();
  });

  it('lets a draft hold any part of the order, nothing at all included', () => {
    expect(ballotOrderProblem([], ['a', 'b', 'c'], null, false)).toBeNull();
    expect(ballotOrderProblem(['c'], ['a', 'b', 'c'], null, false)).toBeNull();
    expect(ballotOrderProblem(['c', 'x'], ['a', 'b', 'c'], null, false)).toEqual({ kind: 'foreign', unitIds: ['x'] });
    expect(ballotOrderProblem(['c', 'c'], ['a', 'b', 'c'], null, false)).toEqual({ kind: 'repeated', unitIds: ['c'] });
    expect(ballotOrderProblem(['a'], null, null, false)).toEqual({ kind: 'unknownList' });
  });

  it('submits only an order of every unit of the list; the voter’s own unit may be left out or ranked', () => {
    expect(ballotOrderProblem(['b', 'a', 'c'], ['a', 'b', 'c'], null, true)).toBeNull();
    expect(ballotOrderProblem([], ['a', 'b', 'c'], null, true)).toEqual({ kind: 'unranked', unitIds: ['a', 'b', 'c'] });
    expect(ballotOrderProblem(['c', 'a'], ['a', 'b', 'c'], null, true)).toEqual({ kind: 'unranked', unitIds: ['b'] });
    expect(ballotOrderProblem(['c', 'a'], ['a', 'b', 'c'], 'b', true)).toBeNull();
    expect(ballotOrderProblem(['c', 'b', 'a'], ['a', 'b', 'c'], 'b', true)).toBeNull();
    // a list of only the voter's own unit has nothing to rank: no ballot can be submitted for it
    expect(ballotOrderProblem(['b'], ['b'], 'b', true)).toEqual({ kind: 'unranked', unitIds: [] });
    expect(describeBallotOrderProblem({ kind: 'unranked', unitIds: ['b'] })).toBe('a submitted ballot must rank every unit of its list; not ranked by the voter: b');
  });
});
