/**
 * Properties of the ranking engine over random small tours (fast-check): order independence,
 * trimmed means within the kept totals, ranks consistent with the displayed scores, criterion
 * means adding up, and agreement with a deliberately naive reference implementation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ballotId, type RankBallot } from '../domain/rank-vote';
import {
  rankingRulesSchema,
  sheetId,
  tourSchema,
  type RankingRules,
  type RankScope,
  type Scorer,
  type ScoreSheet,
  type Stop,
  type Unit,
} from '../domain/schemas';
import { groupsInTourOrder, scorersInAssignmentOrder, unitsInItineraryOrder } from '../domain/tour-order';
import { rankItems } from './competition-rank';
import { computeRankings } from './compute-rankings';
import { add, compare, div, fromDecimal, fromInteger, mul, rational, ZERO, type Rational } from './rational';
import { toScore } from './score';
import { seededRandom, syntheticTour } from './synthetic-tour';
import type { RankingInput, Score, TourRankings } from './types';

const AT = '2021-12-08T10:00:00.000Z';
const CRITERIA = [
  { key: 'a', name: 'A', max: 50, step: 0.5, guidance: '' },
  { key: 'b', name: 'B', max: 50, step: 0.01, guidance: '' },
];

const rulesArb: fc.Arbitrary<RankingRules> = fc
  .record({
    trim: fc.option(
      fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 4 })).map(([h, l, extra]) => ({
        dropHighest: h,
        dropLowest: l,
        minSheets: h + l + extra,
      })),
    ),
    groupWeights: fc.option(
      fc.record({ g1: fc.constantFrom(0.1, 0.25, 0.6, 1, 2.5), g2: fc.constantFrom(0.1, 0.4, 0.75, 3) }),
    ),
    recusal: fc.boolean(),
    unitScore: fc.constantFrom('mean' as const, 'investmentWeighted' as const),
    indicatorWeight: fc.constantFrom(0, 0.3, 1),
    projectScope: fc.constantFrom('tour' as const, 'group' as const),
    unitScope: fc.constantFrom('tour' as const, 'group' as const),
    tieBreakCriterion: fc.constantFrom(null, 'a', 'b'),
  })
  .map((r) => rankingRulesSchema.parse(r));

interface TourShape {
  units: Array<{ group: string | null; indicator: number | null }>;
  stops: Array<{ unit: number; investment: number | null }>;
  scorers: Array<{ home: number | null; group: string | null; isObserver: boolean; order: number | null }>;
  /** per (stop, scorer): null = no sheet */
  sheets: Array<{ status: 'submitted' | 'draft' | 'reopened'; a: number | null; b: number } | null>;
  ballots: Array<{ order: number[]; status: 'submitted' | 'draft' } | null>;
  rules: RankingRules;
}

const shapeArb: fc.Arbitrary<TourShape> = fc
  .record({
    unitCount: fc.integer({ min: 1, max: 5 }),
    stopCount: fc.integer({ min: 1, max: 8 }),
    scorerCount: fc.integer({ min: 1, max: 8 }),
  })
  .chain(({ unitCount, stopCount, scorerCount }) =>
    fc.record({
      units: fc.array(
        fc.record({
          group: fc.constantFrom(null, '县组', '区组'),
          indicator: fc.option(fc.integer({ min: 0, max: 10_000 }).map((x) => x / 100)),
        }),
        { minLength: unitCount, maxLength: unitCount },
      ),
      stops: fc.array(
        fc.record({
          unit: fc.integer({ min: 0, max: unitCount - 1 }),
          investment: fc.option(fc.integer({ min: 0, max: 100_000 }).map((x) => x / 10)),
        }),
        { minLength: stopCount, maxLength: stopCount },
      ),
      scorers: fc.array(
        fc.record({
          home: fc.option(fc.integer({ min: 0, max: unitCount - 1 })),
          group: fc.constantFrom(null, 'g1', 'g1', 'g2', 'g2', 'g3'),
          isObserver: fc.boolean().map((b) => b && Math.random() < 0.2),
          order: fc.option(fc.integer({ min: 0, max: 5 })),
        }),
        { minLength: scorerCount, maxLength: scorerCount },
      ),
      sheets: fc.array(
        fc.option(
          fc.record({
            status: fc.constantFrom('submitted' as const, 'submitted' as const, 'submitted' as const, 'draft' as const, 'reopened' as const),
            a: fc.option(fc.integer({ min: 0, max: 100 }).map((x) => x / 2), { freq: 20 }),
            b: fc.integer({ min: 0, max: 5000 }).map((x) => x / 100),
          }),
          { freq: 6 },
        ),
        { minLength: stopCount * scorerCount, maxLength: stopCount * scorerCount },
      ),
      ballots: fc.array(
        fc.option(
          fc.record({
            order: fc.shuffledSubarray([0, 1, 2, 3, 4].slice(0, unitCount), { minLength: Math.max(0, unitCount - 1) }),
            status: fc.constantFrom('submitted' as const, 'submitted' as const, 'draft' as const),
          }),
          { freq: 6 },
        ),
        { minLength: scorerCount, maxLength: scorerCount },
      ),
      rules: rulesArb,
    }),
  );

function buildInput(shape: TourShape, method: RankingRules['method'] = 'score'): RankingInput {
  const tourId = 't';
  const rules: RankingRules = { ...shape.rules, method };
  const tour = tourSchema.parse({
    id: tourId,
    name: 'T',
    kind: 'scored',
    startDate: '2021-12-08',
    endDate: '2021-12-09',
    template: { id: 'tpl', name: 'tpl', criteria: CRITERIA },
    rules,
  });
  const units: Unit[] = shape.units.map((u, i) => ({ id: `u${i}`, tourId, name: `U${i}`, group: u.group, indicatorScore: u.indicator }));
  const stops: Stop[] = shape.stops.map((s, i) => ({
    id: `p${i}`,
    tourId,
    unitId: `u${s.unit}`,
    day: i % 2 === 0 ? '2021-12-08' : '2021-12-09',
    order: i + 1,
    name: `P${i}`,
    category: '',
    totalInvestment: s.investment,
    completedInvestment: null,
    startDate: null,
    content: '',
    lat: null,
    lng: null,
    address: '',
    briefer: '',
  }));
  const scorers: Scorer[] = shape.scorers.map((s, i) => ({
    id: `s${i}`,
    tourId,
    userId: `user${i}`,
    name: `S${i}`,
    role: s.isObserver ? 'observer' : 'scorer',
    homeUnitId: s.home === null ? null : `u${s.home}`,
    weightGroup: s.group,
    ...(s.order === null ? {} : { order: s.order }),
  }));
  const sheets: ScoreSheet[] = [];
  shape.stops.forEach((_, p) => {
    shape.scorers.forEach((_, s) => {
      const sheet = shape.sheets[p * shape.scorers.length + s];
      if (!sheet) return;
      sheets.push({
        id: sheetId(tourId, `p${p}`, `s${s}`),
        tourId,
        stopId: `p${p}`,
        scorerId: `s${s}`,
        scores: { a: sheet.a, b: sheet.b },
        status: sheet.status,
        comment: '',
        submittedAt: null,
        updatedAt: AT,
      });
    });
  });
  // rank-vote ballots: one per scorer and unit list (rules.unitScope), each the scorer's order
  // restricted to the list's units (it may leave one unit out: an incomplete ballot then)
  const ballots: RankBallot[] = [];
  const listGroups = rules.unitScope === 'group' ? [...new Set(units.map((u) => u.group))] : [null];
  shape.ballots.forEach((ballot, s) => {
    if (!ballot) return;
    for (const group of listGroups) {
      const unitIds = ballot.order.map((u) => `u${u}`).filter((id) => rules.unitScope === 'tour' || units.find((u) => u.id === id)!.group === group);
      if (unitIds.length === 0) continue;
      ballots.push({
        id: ballotId(tourId, `s${s}`, group),
        tourId,
        scorerId: `s${s}`,
        group,
        unitIds,
        status: ballot.status,
        submittedAt: null,
        updatedAt: AT,
      });
    }
  });
  return { tour, units, stops, scorers, sheets, ballots };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

function shuffleInput(input: RankingInput, seed: number): RankingInput {
  const random = seededRandom(seed);
  return {
    tour: input.tour,
    units: shuffled(input.units, random),
    stops: shuffled(input.stops, random),
    scorers: shuffled(input.scorers, random),
    sheets: shuffled(input.sheets, random),
    ballots: shuffled(input.ballots ?? [], random),
  };
}

/** Every list: ranks follow the displayed scores (standard competition ranking). */
function expectRanksConsistent(
  items: ReadonlyArray<{ score: Score | null; rank: number | null; tieBreak: Score | null; group: string | null }>,
  result: TourRankings,
  scope: RankScope,
): void {
  const listKey = (group: string | null): string => (scope === 'group' ? `g:${group ?? ''}` : '*');
  const byTie = result.rules.tieBreakCriterion !== null && result.method === 'score';
  for (const item of items) {
    if (item.score === null) {
      expect(item.rank).toBeNull();
      continue;
    }
    const peers = items.filter((other) => other.score !== null && listKey(other.group) === listKey(item.group));
    const ahead = peers.filter((other) => {
      if (other.score!.hundredths !== item.score!.hundredths) return other.score!.hundredths > item.score!.hundredths;
      if (!byTie || other.tieBreak === null) return false;
      return item.tieBreak === null || compare(other.tieBreak.exact, item.tieBreak.exact) > 0;
    });
    expect(item.rank).toBe(ahead.length + 1);
    for (const other of peers) {
      if (other.score!.hundredths > item.score!.hundredths) expect(other.rank!).toBeLessThan(item.rank!);
      if (other.score!.hundredths === item.score!.hundredths && !byTie) expect(other.rank).toBe(item.rank);
    }
  }
}

/**
 * The project score written as plainly as possible, straight from the rules in README.md, to
 * cross-check the optimised engine.
 */
function referenceProjectScore(input: RankingInput, stopId: string): Rational | null {
  const rules = input.tour.rules;
  const stop = input.stops.find((s) => s.id === stopId)!;
  const weights = rules.groupWeights;
  const totals = new Map<string, Array<{ scorerId: string; total: number }>>();
  for (const sheet of input.sheets) {
    if (sheet.stopId !== stopId || sheet.status !== 'submitted') continue;
    const scorer = input.scorers.find((s) => s.id === sheet.scorerId)!;
    if (scorer.role !== 'scorer') continue;
    if (rules.recusal && scorer.homeUnitId === stop.unitId) continue;
    if (weights !== null && (scorer.weightGroup === null || !(scorer.weightGroup in weights))) continue;
    const a = sheet.scores['a'];
    const b = sheet.scores['b'];
    if (a === null || a === undefined || b === null || b === undefined) continue;
    const key = weights === null ? '' : scorer.weightGroup!;
    const list = totals.get(key) ?? [];
    list.push({ scorerId: scorer.id, total: Math.round(a * 100) + Math.round(b * 100) });
    totals.set(key, list);
  }
  if (totals.size === 0) return null;
  let num = ZERO;
  let den = ZERO;
  for (const [key, list] of totals) {
    list.sort((x, y) => x.total - y.total);
    const trim = rules.trim;
    const kept = trim !== null && list.length >= trim.minSheets ? list.slice(trim.dropLowest, list.length - trim.dropHighest) : list;
    const mean = rational(BigInt(kept.reduce((s, x) => s + x.total, 0)), BigInt(kept.length * 100));
    const weight = weights === null ? fromInteger(1) : fromDecimal(weights[key]!);
    num = add(num, mul(weight, mean));
    den = add(den, weight);
  }
  return div(num, den);
}

describe('ranking properties', () => {
  it('rank = 1 + items shown strictly higher: exact values that show alike share a rank', () => {
    // values 86.12 + m/(100·q): many differ exactly but show the same two decimals
    const itemArb = fc
      .record({
        q: fc.constantFrom(1, 2, 3, 4, 6, 8),
        m: fc.integer({ min: 0, max: 16 }),
        tie: fc.option(fc.integer({ min: 0, max: 3 })),
      })
      .map(({ q, m, tie }) => ({
        score: toScore(rational(BigInt(8612 * q + Math.min(m, 2 * q)), BigInt(100 * q))),
        tieBreak: tie === null ? null : fromInteger(tie),
      }));
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 12 }), fc.boolean(), (items, useTie) => {
        const key = (item: (typeof items)[number]) => ({ score: item.score, tieBreak: useTie ? item.tieBreak : null });
        const { sorted, ranks } = rankItems(items, key, () => 0);
        expect(sorted).toHaveLength(items.length);
        for (const item of items) {
          const ahead = items.filter((other) => {
            if (other.score.hundredths !== item.score.hundredths) return other.score.hundredths > item.score.hundredths;
            if (!useTie || other.tieBreak === null) return false;
            return item.tieBreak === null || compare(other.tieBreak, item.tieBreak) > 0;
          });
          expect(ranks.get(item)).toBe(ahead.length + 1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('output does not depend on the order of units, stops, scorers or sheets', () => {
    fc.assert(
      fc.property(shapeArb, fc.integer(), (shape, seed) => {
        const input = buildInput(shape);
        expect(computeRankings(shuffleInput(input, seed))).toEqual(computeRankings(input));
      }),
      { numRuns: 150 },
    );
  });

  it('rank-vote output does not depend on input order either', () => {
    fc.assert(
      fc.property(shapeArb, fc.integer(), (shape, seed) => {
        const input = buildInput(shape, 'rankVote');
        expect(computeRankings(shuffleInput(input, seed))).toEqual(computeRankings(input));
      }),
      { numRuns: 150 },
    );
  });

  it('a generated 40 × 15 tour ranks the same whatever the input order', () => {
    const tour = syntheticTour({ projects: 40, scorers: 15, criteria: 5, units: 8, unitGroups: 2, weightGroups: 2, homeUnitShare: 0.5, draftShare: 0.1, seed: 3 });
    const expected = computeRankings(tour);
    expect(expected.projects.filter((p) => p.rank !== null)).toHaveLength(40);
    expect(expected.projects.some((p) => p.droppedSheets.length > 0)).toBe(true);
    expect(expected.projects.some((p) => p.recusedScorers.length > 0)).toBe(true);
    expect(expected.projects.some((p) => p.missingScorers.length > 0)).toBe(true);
    for (const seed of [1, 2, 3]) expect(computeRankings({ ...shuffleInput(tour, seed), rules: tour.rules })).toEqual(expected);
  });

  it('a (trimmed) mean lies between the lowest and highest kept totals, overall and per group', () => {
    fc.assert(
      fc.property(shapeArb, (shape) => {
        const result = computeRankings(buildInput(shape));
        for (const project of result.projects) {
          const kept = project.sheets.filter((s) => s.fate === 'counted');
          expect(kept.length).toBe(project.sheetsCounted);
          if (project.score === null) {
            expect(kept).toEqual([]);
            continue;
          }
          const sorted = kept.map((s) => s.total.exact).sort(compare);
          expect(compare(project.score.exact, sorted[0]!)).toBeGreaterThanOrEqual(0);
          expect(compare(project.score.exact, sorted[sorted.length - 1]!)).toBeLessThanOrEqual(0);
          for (const group of project.groups) {
            const inGroup = kept.filter((s) => s.weightGroup === group.weightGroup).map((s) => s.total.exact).sort(compare);
            expect(inGroup.length).toBe(group.counted);
            expect(compare(group.mean.exact, inGroup[0]!)).toBeGreaterThanOrEqual(0);
            expect(compare(group.mean.exact, inGroup[inGroup.length - 1]!)).toBeLessThanOrEqual(0);
          }
          // every dropped-lowest total ≤ every kept total ≤ every dropped-highest total (per bucket)
          for (const dropped of project.droppedSheets) {
            const peers = kept.filter((s) => project.groups.length === 0 || s.weightGroup === dropped.weightGroup);
            for (const peer of peers) {
              const order = compare(dropped.total.exact, peer.total.exact);
              expect(dropped.side === 'lowest' ? order <= 0 : order >= 0).toBe(true);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('ranks are consistent with the displayed scores, for projects and units', () => {
    fc.assert(
      fc.property(shapeArb, (shape) => {
        const result = computeRankings(buildInput(shape));
        expectRanksConsistent(result.projects, result, shape.rules.projectScope);
        expectRanksConsistent(result.units, result, shape.rules.unitScope);
        const votes = computeRankings(buildInput(shape, 'rankVote'));
        expectRanksConsistent(votes.units, votes, shape.rules.unitScope);
      }),
      { numRuns: 200 },
    );
  });

  it('project scores equal a naive reference, and criterion means add up to them', () => {
    fc.assert(
      fc.property(shapeArb, (shape) => {
        const input = buildInput(shape);
        const result = computeRankings(input);
        for (const project of result.projects) {
          const reference = referenceProjectScore(input, project.stopId);
          expect(project.score?.exact ?? null).toEqual(reference);
          if (project.score === null) continue;
          const sum = project.criterionMeans.reduce((s, c) => add(s, c.mean!.exact), ZERO);
          expect(sum).toEqual(project.score.exact);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('every scorer of a stop is exactly one of recused, missing, excluded or in the sheets', () => {
    fc.assert(
      fc.property(shapeArb, (shape) => {
        const input = buildInput(shape);
        const result = computeRankings(input);
        const scorerIds = input.scorers.filter((s) => s.role === 'scorer').map((s) => s.id).sort();
        const weights = input.tour.rules.groupWeights;
        for (const project of result.projects) {
          const seen = [
            ...project.recusedScorers.map((r) => r.scorerId),
            ...project.missingScorers.map((m) => m.scorerId),
            ...project.excludedSheets.map((e) => e.scorerId),
            ...project.sheets.map((s) => s.scorerId),
          ];
          expect(new Set(seen).size).toBe(seen.length);
          // scorers without a usable group who did not submit are neither missing nor excluded
          const unusable = scorerIds.filter((id) => {
            const group = input.scorers.find((s) => s.id === id)!.weightGroup;
            return weights !== null && (group === null || !(group in weights)) && !seen.includes(id);
          });
          expect([...seen, ...unusable].sort()).toEqual(scorerIds);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('lists: every project and unit in exactly one list of its scope, lists in tour order, output in list order', () => {
    fc.assert(
      fc.property(shapeArb, fc.constantFrom('score' as const, 'rankVote' as const), (shape, method) => {
        const input = buildInput(shape, method);
        const result = computeRankings(input);
        const { projectScope, unitScope } = shape.rules;
        const groupOrder = groupsInTourOrder(input.units, input.stops);
        const groupOf = new Map(input.units.map((u) => [u.id, u.group]));
        const unitOfStop = new Map(input.stops.map((s) => [s.id, s.unitId]));
        const expectLists = (lists: readonly { scope: RankScope; group: string | null; ids: string[] }[], scope: RankScope, ids: string[], groupOfId: (id: string) => string | null) => {
          expect(lists.every((l) => l.scope === scope)).toBe(true);
          if (scope === 'tour') expect(lists.map((l) => l.group)).toEqual(ids.length === 0 ? [] : [null]);
          else expect(lists.map((l) => l.group)).toEqual(groupOrder.filter((g) => ids.some((id) => groupOfId(id) === g)));
          expect(lists.flatMap((l) => l.ids).sort()).toEqual([...ids].sort());
          for (const list of lists) if (scope === 'group') expect(list.ids.every((id) => groupOfId(id) === list.group)).toBe(true);
        };
        if (method === 'score') {
          const stopIds = input.stops.map((s) => s.id);
          expectLists(result.projectLists.map((l) => ({ ...l, ids: l.stopIds })), projectScope, stopIds, (id) => groupOf.get(unitOfStop.get(id)!)!);
          expect(result.projects.map((p) => p.stopId)).toEqual(result.projectLists.flatMap((l) => l.stopIds));
        } else {
          expect(result.projectLists).toEqual([]);
        }
        expectLists(result.unitLists.map((l) => ({ ...l, ids: l.unitIds })), unitScope, input.units.map((u) => u.id), (id) => groupOf.get(id)!);
        expect(result.units.map((u) => u.unitId)).toEqual(result.unitLists.flatMap((l) => l.unitIds));
        // ranks never go down a list; unranked last; equal ranks listed in itinerary order
        const unitPosition = new Map(unitsInItineraryOrder(input.units, input.stops).map((u, i) => [u.id, i]));
        for (const list of result.unitLists) {
          const rows = list.unitIds.map((id) => result.units.find((u) => u.unitId === id)!);
          for (let i = 1; i < rows.length; i++) {
            const [a, b] = [rows[i - 1]!, rows[i]!];
            if (b.rank !== null) expect(a.rank !== null && a.rank <= b.rank).toBe(true);
            if (a.rank === b.rank) expect(unitPosition.get(a.unitId)!).toBeLessThan(unitPosition.get(b.unitId)!);
          }
        }
        // scorer summaries in assignment order
        expect(result.scorers.map((s) => s.scorerId)).toEqual(scorersInAssignmentOrder(input.scorers.filter((s) => s.role === 'scorer')).map((s) => s.id));
      }),
      { numRuns: 200 },
    );
  });

  it('the project scope never changes a unit ranking, nor the unit scope a project score or the project ranking', () => {
    fc.assert(
      fc.property(shapeArb, (shape) => {
        const at = (projectScope: RankScope, unitScope: RankScope) => computeRankings(buildInput({ ...shape, rules: { ...shape.rules, projectScope, unitScope } }));
        const projectsOf = (r: TourRankings) => r.projects.map((p) => [p.stopId, p.score?.exact ?? null, p.rank]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
        const unitsOf = (r: TourRankings) => r.units.map((u) => [u.unitId, u.score?.exact ?? null, u.rank]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
        for (const scope of ['tour', 'group'] as const) {
          expect(unitsOf(at('tour', scope))).toEqual(unitsOf(at('group', scope)));
          expect(projectsOf(at(scope, 'tour'))).toEqual(projectsOf(at(scope, 'group')));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('rank vote: where a scorer puts their own unit changes nobody’s points', () => {
    fc.assert(
      fc.property(shapeArb, fc.integer(), (shape, seed) => {
        const rules = { ...shape.rules, recusal: true };
        const input = buildInput({ ...shape, rules }, 'rankVote');
        const random = seededRandom(seed);
        const scorerHome = new Map(input.scorers.map((s) => [s.id, s.homeUnitId]));
        // move each scorer's own unit to a random place on their ballot (or drop it)
        const moved = (input.ballots ?? []).map((ballot) => {
          const home = scorerHome.get(ballot.scorerId) ?? null;
          if (home === null || !ballot.unitIds.includes(home)) return ballot;
          const others = ballot.unitIds.filter((id) => id !== home);
          const at = Math.floor(random() * (others.length + 2));
          const unitIds = at > others.length ? others : [...others.slice(0, at), home, ...others.slice(at)];
          return { ...ballot, unitIds };
        });
        const strip = (r: TourRankings) => r.units.map((u) => [u.unitId, u.score?.exact ?? null, u.rank]);
        expect(strip(computeRankings({ ...input, ballots: moved }))).toEqual(strip(computeRankings(input)));
      }),
      { numRuns: 150 },
    );
  });
});
