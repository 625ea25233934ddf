/**
 * The sheet-readings memo (./sheet-readings.ts) must be invisible: ranking the same records again
 * under other rules gives exactly what a cold ranking gives, and a changed sheet or template is
 * read again, never taken from the memo.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rankingRulesSchema, sheetId, type RankingRules, type Scorer, type ScoreSheet, type Tour } from '../domain/schemas';
import { computeRankings } from './compute-rankings';
import { sheetReadings } from './sheet-readings';
import { criterionSpecs } from './sheet-values';
import { syntheticTour } from './synthetic-tour';
import type { RankingInput } from './types';

const rulesArb: fc.Arbitrary<RankingRules> = fc
  .record({
    trim: fc.option(
      fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 3 })).map(([h, l, extra]) => ({
        dropHighest: h,
        dropLowest: l,
        minSheets: h + l + extra,
      })),
    ),
    // w3 is left out at times: its scorers then have no usable weight group
    groupWeights: fc.option(
      fc.oneof(
        fc.record({ w1: fc.constantFrom(0.5, 1, 2.5), w2: fc.constantFrom(0.3, 0.75) }),
        fc.record({ w1: fc.constantFrom(0.5, 0.6), w2: fc.constantFrom(0.3, 1), w3: fc.constantFrom(0.2, 0.1) }),
      ),
    ),
    recusal: fc.boolean(),
    unitScore: fc.constantFrom('mean' as const, 'investmentWeighted' as const),
    indicatorWeight: fc.constantFrom(0, 0.3, 1),
    projectScope: fc.constantFrom('tour' as const, 'group' as const),
    unitScope: fc.constantFrom('tour' as const, 'group' as const),
    tieBreakCriterion: fc.constantFrom(null, 'c1', 'c3', 'nope'),
  })
  .map((r) => rankingRulesSchema.parse(r));

/** What can be wrong (or unusual) with a sheet, so that every reading path is exercised. */
type Twist = 'none' | 'incomplete' | 'absent' | 'negative' | 'aboveMax' | 'offGrid' | 'notNumber' | 'offStep' | 'unknownKey' | 'draft';
const twistArb = fc.constantFrom<Twist>('none', 'none', 'incomplete', 'absent', 'negative', 'aboveMax', 'offGrid', 'notNumber', 'offStep', 'unknownKey', 'draft');

function twisted(sheet: ScoreSheet, twist: Twist): ScoreSheet {
  const scores: Record<string, unknown> = { ...sheet.scores };
  switch (twist) {
    case 'none':
      break;
    case 'incomplete':
      scores.c2 = null;
      break;
    case 'absent':
      delete scores.c1;
      break;
    case 'negative':
      scores.c3 = -1;
      break;
    case 'aboveMax':
      scores.c1 = 1000;
      break;
    case 'offGrid':
      scores.c2 = 1.005;
      break;
    case 'notNumber':
      scores.c3 = '7';
      break;
    case 'offStep':
      scores.c1 = 3.25;
      break;
    case 'unknownKey':
      scores.zz = 4;
      break;
    case 'draft':
      return { ...sheet, scores: scores as ScoreSheet['scores'], status: 'draft' };
  }
  return { ...sheet, scores: scores as ScoreSheet['scores'] };
}

/** A small generated tour whose sheets carry the given twists (cycled over the sheets). */
function tourWith(seed: number, twists: readonly Twist[]): RankingInput & { sheets: ScoreSheet[]; scorers: Scorer[] } {
  const tour = syntheticTour({ projects: 10, scorers: 9, criteria: 3, units: 4, unitGroups: 2, weightGroups: 3, homeUnitShare: 0.4, draftShare: 0.1, seed });
  const sheets = tour.sheets.map((sheet, i) => twisted(sheet, twists[i % twists.length] ?? 'none'));
  // a second, different sheet for one (stop, scorer) pair, and one of an unknown stop
  const first = tour.sheets[0]!;
  sheets.push({ ...first, id: `${first.id}-dup`, scores: { ...first.scores, c1: 0 }, updatedAt: '2021-12-09T09:30:00.000Z' });
  sheets.push({ ...first, id: 'stray', stopId: 'nowhere', scores: { ...first.scores } });
  return { tour: tour.tour, units: tour.units, stops: tour.stops, scorers: [...tour.scorers], sheets, ballots: [] };
}

/** The same records as fresh objects in fresh arrays: nothing of an earlier run can be reused. */
function coldCopy(input: RankingInput): RankingInput {
  return structuredClone(input);
}

describe('sheet readings memo', () => {
  it('rankings of the same records under changing rules equal cold rankings, also when sheets change between them', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(twistArb, { minLength: 1, maxLength: 12 }),
        fc.array(fc.record({ rules: rulesArb, change: fc.option(
              fc.record({
                at: fc.nat(),
                twist: twistArb,
                score: fc.integer({ min: 0, max: 66 }),
                // a changed record may also belong elsewhere now: which sheet stands for a pair changes
                move: fc.constantFrom('none', 'none', 'otherStop', 'otherTour', 'reopened'),
              }),
              { freq: 2 },
            ),
            observer: fc.option(fc.nat(), { freq: 3 }),
          }),
          {
          minLength: 2,
          maxLength: 6,
        }),
        (seed, twists, steps) => {
          const input = tourWith(seed, twists);
          for (const step of steps) {
            if (step.change !== null) {
              // a record changed: a new object in place of the old one (what a store hands out)
              const at = step.change.at % input.sheets.length;
              const old = input.sheets[at]!;
              const moved: ScoreSheet =
                step.change.move === 'otherStop'
                  ? { ...old, stopId: input.stops[(input.stops.findIndex((s) => s.id === old.stopId) + 1) % input.stops.length]!.id }
                  : step.change.move === 'otherTour'
                    ? { ...old, tourId: 'another-tour' }
                    : step.change.move === 'reopened'
                      ? { ...old, status: 'reopened' }
                      : old;
              input.sheets[at] = twisted({ ...moved, scores: { ...moved.scores, c2: step.change.score / 2 } }, step.change.twist);
            }
            if (step.observer !== null) {
              // a scorer record changed, the sheets did not: they now observe (a new scorers array, as a store gives)
              const who = step.observer % input.scorers.length;
              input.scorers = input.scorers.map((s, i) => (i === who ? { ...s, role: 'observer' as const } : s));
            }
            const warm = computeRankings({ ...input, rules: step.rules });
            const cold = computeRankings({ ...coldCopy(input), rules: step.rules });
            expect(warm).toEqual(cold);
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('a changed template reads the same sheets again', () => {
    const input = tourWith(7, ['none', 'offStep']);
    const before = computeRankings(input);
    // c1's max drops below some scores and its step becomes 0.25: validity and warnings change
    const template = input.tour.template!;
    const tour: Tour = {
      ...input.tour,
      template: { ...template, criteria: template.criteria.map((c) => (c.key === 'c1' ? { ...c, max: 20, step: 0.25 } : c)) },
    };
    const after = computeRankings({ ...input, tour });
    expect(after).toEqual(computeRankings({ ...coldCopy(input), tour: structuredClone(tour) }));
    expect(after).not.toEqual(before);
    expect(after.issues.some((i) => i.code === 'invalidScore')).toBe(true);
    // and back: the first template's readings are not confused with the second's
    expect(computeRankings(input)).toEqual(before);
  });

  it('keeps one memo per sheets array and template, and reads a replaced sheet again', () => {
    const input = tourWith(3, ['none']);
    const specs = criterionSpecs(input.tour.template!.criteria);
    const memo = sheetReadings(input.sheets, specs);
    expect(sheetReadings(input.sheets, criterionSpecs(input.tour.template!.criteria))).toBe(memo);
    expect(sheetReadings([...input.sheets], specs)).not.toBe(memo);
    expect(sheetReadings(input.sheets, specs.map((s) => (s.key === 'c2' ? { ...s, max: s.max - 1 } : s)))).not.toBe(memo);

    const at = 5;
    const sheet = input.sheets[at]!;
    const memo2 = sheetReadings(input.sheets, specs);
    const total = memo2.read(at, sheet);
    expect(total).toBe(Object.values(sheet.scores).reduce<number>((sum, v) => sum + Math.round((v ?? 0) * 100), 0));
    const changed: ScoreSheet = { ...sheet, scores: { ...sheet.scores, c1: 1.5, c2: 2, c3: 0.5 } };
    input.sheets[at] = changed;
    expect(memo2.read(at, changed)).toBe(400);
    expect(memo2.parts.slice(at * 3, at * 3 + 3)).toEqual(Int32Array.from([150, 200, 50]));
    const broken: ScoreSheet = { ...changed, scores: { ...changed.scores, c2: null, zz: 1 } };
    expect(memo2.read(at, broken)).toEqual({ reason: 'incomplete', detail: 'no score for c2' });
    expect(memo2.unknownKeysAt(at)).toEqual(['zz']);
    expect(memo2.read(at, changed)).toBe(400);
    expect(memo2.unknownKeysAt(at)).toBeUndefined();
  });

  it('a sheet id made from the pair keeps the duplicate test meaningful', () => {
    // guards tourWith: its extra sheet really collides with the first one
    const input = tourWith(11, ['none']);
    const first = input.sheets[0]!;
    expect(first.id).toBe(sheetId(input.tour.id, first.stopId, first.scorerId));
    expect(computeRankings(input).issues.some((i) => i.code === 'duplicateSheet')).toBe(true);
  });
});
