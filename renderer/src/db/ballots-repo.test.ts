import { ballotId } from '@shared/domain/rank-vote';
import type { RankingRules } from '@shared/domain/schemas';
import { computeRankings } from '@shared/ranking';
import { parseHlc } from '@shared/sync/hlc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../test-support/test-db';
import { loadFixtureTours } from '../test-support/tour-fixtures';
import {
  ballotListsOf,
  ballotPlacement,
  BallotWriteRefused,
  getBallotContext,
  listMyBallots,
  listTourBallots,
  saveBallotDraft,
  submitBallot,
} from './ballots-repo';
import type { GuanmoDb } from './guanmo-db';
import { seedDemo } from './seed-demo';
import { getScoringContext } from './sheets-repo';

// The fixture's scored tour, turned into a rank-vote tour with three units in one overall list:
// u1 高新区 (visited first), u2 文峰街道 (bob's home unit), u3 港闸区 (no stop, listed last).
let db: GuanmoDb;
async function useRankVote(rules: Partial<RankingRules> = {}) {
  const tour = (await db.tours.get('fx-scored'))!;
  await db.tours.put({ ...tour, rules: { ...tour.rules, method: 'rankVote', unitScope: 'tour', ...rules } });
}
beforeEach(async () => {
  db = createTestDb();
  await seedDemo(db, loadFixtureTours);
  await db.units.put({ id: 'fx-scored:u3', tourId: 'fx-scored', name: '港闸区', group: '园区组', indicatorScore: null });
  await useRankVote();
});
afterEach(() => db.close());

const alice = { tourId: 'fx-scored', group: null, userId: 'u-alice' };
const bob = { tourId: 'fx-scored', group: null, userId: 'u-bob' };
const aliceBallotId = ballotId('fx-scored', 'fx-scored:alice', null);

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BallotWriteRefused) return error.reason;
    throw error;
  }
  throw new Error('expected the write to be refused');
}

describe('ballot lists', () => {
  it('form one list of all units, or one list per unit group in tour order, like the ranking engine', async () => {
    const tour = (await db.tours.get('fx-scored'))!;
    const units = await db.units.where('tourId').equals('fx-scored').toArray();
    const stops = await db.stops.where('tourId').equals('fx-scored').toArray();
    const overall = ballotListsOf(tour, units, stops);
    expect(overall.map((l) => [l.group, l.isOverall, l.units.map((u) => u.id)])).toEqual([[null, true, ['fx-scored:u1', 'fx-scored:u2', 'fx-scored:u3']]]);

    // units in groups: 园区组 first (its u1 is visited first), then 街道组, then the units without a
    // group (no stop: last); the project scope does not matter to ballots
    const grouped = { ...tour, rules: { ...tour.rules, unitScope: 'group' as const, projectScope: 'tour' as const } };
    const withDefault = [...units, { id: 'fx-scored:u4', tourId: 'fx-scored', name: '未分组', group: null, indicatorScore: null }];
    expect(ballotListsOf(grouped, withDefault, stops).map((l) => [l.group, l.isOverall, l.units.map((u) => u.id)])).toEqual([
      ['园区组', false, ['fx-scored:u1', 'fx-scored:u3']],
      ['街道组', false, ['fx-scored:u2']],
      [null, false, ['fx-scored:u4']],
    ]);
    // no unit has a group: one list of all units whatever the scope (not "未分组")
    const ungrouped = units.map((u) => ({ ...u, group: null }));
    expect(ballotListsOf(grouped, ungrouped, stops).map((l) => [l.group, l.isOverall])).toEqual([[null, true]]);
    // the engine forms the same lists
    const rankings = computeRankings({ tour: grouped, units: withDefault, stops, scorers: [], sheets: [] });
    expect(rankings.unitLists.map((l) => [l.group, l.unitIds])).toEqual([
      ['园区组', ['fx-scored:u1', 'fx-scored:u3']],
      ['街道组', ['fx-scored:u2']],
      [null, ['fx-scored:u4']],
    ]);
  });

  it('keeps the stored order for units still listed, leaves new ones to place (never placed for the scorer) and the recused unit out', () => {
    const unit = (id: string) => ({ id, tourId: 't', name: id, group: null, indicatorScore: null });
    const list = { group: null, isOverall: true, units: [unit('a'), unit('b'), unit('c'), unit('d')] };
    const ballot = { id: 'x', tourId: 't', scorerId: 's', group: null, unitIds: ['c', 'gone', 'a'], status: 'draft' as const, submittedAt: null, updatedAt: '2021-12-08T00:00:00.000Z' };
    expect(ballotPlacement(list, ballot, unit('b'))).toEqual({ placed: ['c', 'a'], unplaced: ['d'] });
    // an untouched ballot: nothing placed, every unit waits in list order
    expect(ballotPlacement(list, null, null)).toEqual({ placed: [], unplaced: ['a', 'b', 'c', 'd'] });
  });
});

describe('getBallotContext', () => {
  it('gives the scorer the units to place in itinerary order (none placed), and bob (from 文峰街道) his list without his own unit', async () => {
    const ctx = await getBallotContext(db, alice);
    expect(ctx).toMatchObject({ role: { kind: 'scorer' }, recused: null, ballot: null, placement: { placed: [], unplaced: ['fx-scored:u1', 'fx-scored:u2', 'fx-scored:u3'] } });
    const bobs = await getBallotContext(db, bob);
    expect(bobs?.recused?.id).toBe('fx-scored:u2');
    expect(bobs?.placement.unplaced).toEqual(['fx-scored:u1', 'fx-scored:u3']);
    // without recusal bob ranks every unit
    await useRankVote({ recusal: false });
    expect((await getBallotContext(db, bob))?.placement.unplaced).toEqual(['fx-scored:u1', 'fx-scored:u2', 'fx-scored:u3']);
  });

  it('knows observers, strangers, score-method tours and unknown tours', async () => {
    expect((await getBallotContext(db, { ...alice, userId: 'u-olga' }))?.role.kind).toBe('observer');
    expect(await listMyBallots(db, 'fx-scored', 'u-olga')).toBeNull();
    expect((await listMyBallots(db, 'fx-scored', 'u-alice'))?.map((l) => [l.list.group, l.state, l.isRecused, l.placedCount, l.unitCount])).toEqual([[null, 'todo', false, 0, 3]]);
    // ranking within groups: 街道组 holds only bob's own unit, nothing for him to rank there
    await useRankVote({ unitScope: 'group' });
    expect((await listMyBallots(db, 'fx-scored', 'u-bob'))?.map((l) => [l.list.group, l.isRecused])).toEqual([
      ['园区组', false],
      ['街道组', true],
    ]);
    await useRankVote();
    expect((await getBallotContext(db, { ...alice, userId: 'u-nobody' }))?.role.kind).toBe('unassigned');
    expect(await getBallotContext(db, { ...alice, tourId: 'nope' })).toBeNull();
    // no score sheet on a rank-vote tour (the server refuses them): the stop page shows none
    expect((await getScoringContext(db, { tourId: 'fx-scored', stopId: 'fx-scored:s1', userId: 'u-alice' }))?.role.kind).toBe('noSheet');
    await useRankVote({ method: 'score' });
    expect((await getBallotContext(db, alice))?.role.kind).toBe('noBallot');
    expect((await getScoringContext(db, { tourId: 'fx-scored', stopId: 'fx-scored:s1', userId: 'u-alice' }))?.role.kind).toBe('scorer');
    expect(await listMyBallots(db, 'fx-scored', 'u-alice')).toBeNull();
  });
});

describe('saveBallotDraft', () => {
  it('creates the ballot with its deterministic id and an outbox entry in the same transaction', async () => {
    const saved = await saveBallotDraft(db, alice, ['fx-scored:u3', 'fx-scored:u1', 'fx-scored:u2']);
    expect(saved.isChanged).toBe(true);
    expect(saved.ballot).toMatchObject({ id: aliceBallotId, tourId: 'fx-scored', scorerId: 'fx-scored:alice', group: null, status: 'draft', submittedAt: null });
    expect(await db.ballots.get(aliceBallotId)).toEqual(saved.ballot);
    const [entry, ...rest] = await db.outbox.toArray();
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ collection: 'ballots', recordId: aliceBallotId });
    expect(entry!.changedFields.sort()).toEqual(['group', 'id', 'scorerId', 'status', 'submittedAt', 'tourId', 'unitIds', 'updatedAt']);
    expect(parseHlc(entry!.hlc!).millis).toBeGreaterThan(0);
    expect((await getBallotContext(db, alice))?.placement).toEqual({ placed: ['fx-scored:u3', 'fx-scored:u1', 'fx-scored:u2'], unplaced: [] });
  });

  it('keeps a partial order as the scorer builds it, down to nothing placed; no ballot before the first unit is placed', async () => {
    expect(await saveBallotDraft(db, alice, [])).toMatchObject({ ballot: null, isChanged: false });
    expect({ ballots: await db.ballots.count(), outbox: await db.outbox.count() }).toEqual({ ballots: 0, outbox: 0 });
    await saveBallotDraft(db, alice, ['fx-scored:u3']);
    await saveBallotDraft(db, alice, ['fx-scored:u3', 'fx-scored:u1']);
    expect((await getBallotContext(db, alice))?.placement).toEqual({ placed: ['fx-scored:u3', 'fx-scored:u1'], unplaced: ['fx-scored:u2'] });
    expect((await listMyBallots(db, 'fx-scored', 'u-alice'))?.map((l) => [l.state, l.placedCount, l.unitCount])).toEqual([['draft', 2, 3]]);
    // taken back out one by one: an empty draft (the scorer has not ordered anything)
    await saveBallotDraft(db, alice, ['fx-scored:u1']);
    const emptied = await saveBallotDraft(db, alice, []);
    expect(emptied.ballot).toMatchObject({ status: 'draft', unitIds: [] });
    expect((await getBallotContext(db, alice))?.placement.placed).toEqual([]);
  });

  it('writes an outbox entry only when the order changes', async () => {
    await saveBallotDraft(db, alice, ['fx-scored:u3', 'fx-scored:u1', 'fx-scored:u2']);
    expect((await saveBallotDraft(db, alice, ['fx-scored:u3', 'fx-scored:u1', 'fx-scored:u2'])).isChanged).toBe(false);
    await saveBallotDraft(db, alice, ['fx-scored:u1', 'fx-scored:u3', 'fx-scored:u2']);
    const entries = await db.outbox.toArray();
    expect(entries.map((e) => e.changedFields)).toEqual([expect.any(Array), ['unitIds', 'updatedAt']]);
    expect(await db.ballots.count()).toBe(1);
  });

  it('refuses orders that repeat or add units, the recused unit included, writing nothing', async () => {
    expect(await refusal(saveBallotDraft(db, alice, ['fx-scored:u1', 'fx-scored:u1', 'fx-scored:u2', 'fx-scored:u3']))).toBe('invalidOrder');
    expect(await refusal(saveBallotDraft(db, alice, ['fx-scored:u1', 'fx-scored:u2', 'fx-scored:u3', 'fx-study:u1']))).toBe('invalidOrder');
    expect(await refusal(saveBallotDraft(db, bob, ['fx-scored:u1', 'fx-scored:u2', 'fx-scored:u3']))).toBe('invalidOrder');
    expect(await refusal(saveBallotDraft(db, { ...alice, group: '园区组' }, ['fx-scored:u1']))).toBe('unknownList');
    expect(await refusal(saveBallotDraft(db, { ...alice, userId: 'u-olga' }, ['fx-scored:u1', 'fx-scored:u2', 'fx-scored:u3']))).toBe('observer');
    expect({ ballots: await db.ballots.count(), outbox: await db.outbox.count() }).toEqual({ ballots: 0, outbox: 0 });
  });
});

describe('submitBallot', () => {
  it('locks the ballot: later drafts and submits are refused until a reopen, which a draft save keeps', async () => {
    await saveBallotDraft(db, alice, ['fx-scored:u2', 'fx-scored:u1', 'fx-scored:u3']);
    const submitted = await submitBallot(db, alice, ['fx-scored:u2', 'fx-scored:u3', 'fx-scored:u1']);
    expect(submitted).toMatchObject({ status: 'submitted', unitIds: ['fx-scored:u2', 'fx-scored:u3', 'fx-scored:u1'] });
    expect(submitted.submittedAt).not.toBeNull();
    expect((await db.outbox.toArray()).at(-1)?.changedFields).toEqual(['unitIds', 'status', 'submittedAt', 'updatedAt']);
    expect(await refusal(saveBallotDraft(db, alice, ['fx-scored:u1', 'fx-scored:u2', 'fx-scored:u3']))).toBe('submitted');
    expect(await refusal(submitBallot(db, alice, ['fx-scored:u1', 'fx-scored:u2', 'fx-scored:u3']))).toBe('submitted');
    expect(await db.outbox.count()).toBe(2);
    expect((await listMyBallots(db, 'fx-scored', 'u-alice'))?.map((s) => s.state)).toEqual(['submitted']);

    // the secretariat's reopen arrives through sync
    await db.ballots.update(aliceBallotId, { status: 'reopened' });
    const redraft = await saveBallotDraft(db, alice, ['fx-scored:u1', 'fx-scored:u2', 'fx-scored:u3']);
    expect(redraft.ballot?.status).toBe('reopened');
    expect((await listMyBallots(db, 'fx-scored', 'u-alice'))?.map((s) => s.state)).toEqual(['reopened']);
    expect((await submitBallot(db, alice, ['fx-scored:u1', 'fx-scored:u2', 'fx-scored:u3'])).status).toBe('submitted');
  });

  it('refuses once the tour is closed, and refuses an order the scorer has not finished (or not begun) placing', async () => {
    expect(await refusal(submitBallot(db, alice, []))).toBe('unranked');
    await saveBallotDraft(db, alice, ['fx-scored:u1']);
    expect(await refusal(submitBallot(db, alice, ['fx-scored:u1']))).toBe('unranked');
    expect(await refusal(submitBallot(db, alice, ['fx-scored:u1', 'fx-scored:u1', 'fx-scored:u2']))).toBe('invalidOrder');
    expect((await db.ballots.get(aliceBallotId))?.status).toBe('draft');
    const tour = (await db.tours.get('fx-scored'))!;
    await db.tours.put({ ...tour, status: 'closed' });
    expect(await refusal(submitBallot(db, alice, ['fx-scored:u1', 'fx-scored:u2', 'fx-scored:u3']))).toBe('tourClosed');
  });

  it('gives ballots the ranking engine counts: rank r earns 100 − 3(r − 1), the recused unit skipped', async () => {
    await submitBallot(db, alice, ['fx-scored:u3', 'fx-scored:u1', 'fx-scored:u2']);
    await submitBallot(db, bob, ['fx-scored:u1', 'fx-scored:u3']);
    const [tour, units, stops, scorers] = await Promise.all([
      db.tours.get('fx-scored'),
      db.units.where('tourId').equals('fx-scored').toArray(),
      db.stops.where('tourId').equals('fx-scored').toArray(),
      db.scorers.where('tourId').equals('fx-scored').toArray(),
    ]);
    const rankings = computeRankings({ tour: tour!, units, stops, scorers, sheets: [], ballots: await listTourBallots(db, 'fx-scored') });
    expect(rankings.issues.filter((i) => i.severity === 'error')).toEqual([]);
    // u3: 100 (alice) + 97 (bob) → 98.5; u1: 97 + 100 → 98.5; u2: 94 (alice only)
    expect(rankings.units.map((u) => [u.unitId, u.score?.display, u.rank])).toEqual([
      ['fx-scored:u1', '98.50', 1],
      ['fx-scored:u3', '98.50', 1],
      ['fx-scored:u2', '94.00', 3],
    ]);
    expect(rankings.missingCount).toBe(0);
  });
});
