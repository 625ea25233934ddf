import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add,
  compare,
  div,
  formatFixed,
  fromDecimal,
  mul,
  parseFraction,
  rational,
  roundScaled,
  sub,
  toFractionString,
  weightedMean,
} from './rational';
import { computeRankings } from './compute-rankings';
import { rankingJsonReplacer } from './serialize';
import { syntheticTour } from './synthetic-tour';

describe('rational', () => {
  it('normalises sign and common factors', () => {
    expect(rational(6n, -4n)).toEqual({ n: -3n, d: 2n });
    expect(rational(0n, 7n)).toEqual({ n: 0n, d: 1n });
    expect(() => rational(1n, 0n)).toThrow(RangeError);
  });

  it('reads numbers as the decimals they print as', () => {
    expect(fromDecimal(0.6)).toEqual({ n: 3n, d: 5n });
    expect(fromDecimal(12345.6)).toEqual({ n: 61728n, d: 5n });
    expect(fromDecimal(1e-7)).toEqual({ n: 1n, d: 10000000n });
    expect(fromDecimal(1.5e21)).toEqual({ n: 1500000000000000000000n, d: 1n });
    expect(fromDecimal(-0.25)).toEqual({ n: -1n, d: 4n });
    expect(() => fromDecimal(Number.NaN)).toThrow(RangeError);
  });

  it('0.1 + 0.2 is 0.3 and 0.6·a + 0.4·b is exact', () => {
    expect(add(fromDecimal(0.1), fromDecimal(0.2))).toEqual(fromDecimal(0.3));
    // 0.6·80.075 + 0.4·80.005 = 48.045 + 32.002 = 80.047
    const value = add(mul(fromDecimal(0.6), fromDecimal(80.075)), mul(fromDecimal(0.4), fromDecimal(80.005)));
    expect(value).toEqual(fromDecimal(80.047));
    expect(weightedMean([{ value: fromDecimal(90), weight: fromDecimal(0.6) }, { value: fromDecimal(80), weight: fromDecimal(0.4) }])).toEqual(fromDecimal(86));
  });

  it('rounds half up (away from zero) to two decimals', () => {
    expect(formatFixed(fromDecimal(86.125))).toBe('86.13');
    expect(formatFixed(fromDecimal(86.124))).toBe('86.12');
    expect(formatFixed(fromDecimal(80.005))).toBe('80.01');
    expect(formatFixed(rational(1n, 3n))).toBe('0.33');
    expect(formatFixed(rational(2n, 3n))).toBe('0.67');
    expect(formatFixed(fromDecimal(100))).toBe('100.00');
    expect(formatFixed(fromDecimal(0.005))).toBe('0.01');
    expect(formatFixed(fromDecimal(-0.005))).toBe('-0.01');
    expect(formatFixed(fromDecimal(-1.234))).toBe('-1.23');
    expect(roundScaled(fromDecimal(99.995))).toBe(10000n);
    expect(formatFixed(fromDecimal(2.5), 0)).toBe('3');
  });

  it('round-trips through fraction strings', () => {
    expect(toFractionString(rational(689n, 8n))).toBe('689/8');
    expect(toFractionString(rational(-4n, 2n))).toBe('-2');
    expect(parseFraction('689/8')).toEqual(rational(689n, 8n));
    expect(() => parseFraction('1.5')).toThrow(RangeError);
  });

  const small = fc.tuple(fc.bigInt(-1000n, 1000n), fc.bigInt(1n, 1000n)).map(([n, d]) => rational(n, d));

  it('obeys field laws (property)', () => {
    fc.assert(
      fc.property(small, small, small, (a, b, c) => {
        expect(add(a, b)).toEqual(add(b, a));
        expect(mul(a, add(b, c))).toEqual(add(mul(a, b), mul(a, c)));
        expect(sub(add(a, b), b)).toEqual(a);
        if (b.n !== 0n) expect(mul(div(a, b), b)).toEqual(a);
        expect(compare(a, b) + compare(b, a)).toBe(0);
      }),
    );
  });

  it('rounds like exact decimal arithmetic on x.xx5 boundaries (property)', () => {
    // any thousandths value: half up means floor((k + 5) / 10) hundredths for k ≥ 0
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (thousandths) => {
        const value = rational(BigInt(thousandths), 1000n);
        expect(roundScaled(value)).toBe(BigInt(Math.floor((thousandths + 5) / 10)));
      }),
    );
  });
});

describe('rankings as JSON', () => {
  it('writes exact values as fraction strings', () => {
    const text = JSON.stringify({ score: { exact: rational(689n, 8n), display: '86.13' }, weight: fromDecimal(20000) }, rankingJsonReplacer);
    expect(text).toBe('{"score":{"exact":"689/8","display":"86.13"},"weight":"20000"}');
  });

  it('serialises a whole ranking', () => {
    const tour = syntheticTour({ projects: 6, scorers: 5, criteria: 3, units: 3, seed: 7 });
    const rankings = computeRankings(tour);
    const parsed = JSON.parse(JSON.stringify(rankings, rankingJsonReplacer)) as { projects: Array<{ score: { exact: string } }> };
    expect(parsed.projects[0]!.score.exact).toMatch(/^\d+(\/\d+)?$/);
    expect(parseFraction(parsed.projects[0]!.score.exact)).toEqual(rankings.projects[0]!.score!.exact);
  });
});
