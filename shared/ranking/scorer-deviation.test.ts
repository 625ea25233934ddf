/**
 * Hand-worked deviations: every expected figure is computed in the comments.
 */
import { describe, expect, it } from 'vitest';
import { computeRankings } from './compute-rankings';
import { findScorerDeviations } from './scorer-deviation';
import { TourBuilder } from './tour-builder';

/*
 * One criterion (max 100). Five scorers, three projects, no trimming, no recusal.
 *        s1  s2  s3  s4  s5
 * P1     80  80  80  80  92
 * P2     70  70  70  70  82
 * P3     60  60  60  60  72
 * s5: others' mean 80/70/60 → deviation +12 on each → mean +12 (≥ 5 points: flagged, lenient).
 * s1..s4: others' mean on P1 = (80·3 + 92)/4 = 83 → deviation −3 on each project → −3 (not flagged).
 * Mean of means: (4·(−3) + 12)/5 = 0; SD = sqrt((4·9 + 144)/5) = 6; z(s5) = 2 (not > 2: the sd
 * rule alone would not flag; the threshold does).
 */
function table(): TourBuilder {
  const t = new TourBuilder([['a', 100, 1]], { recusal: false, trim: null });
  t.unit('U1');
  t.stop('P1', 'U1').stop('P2', 'U1').stop('P3', 'U1');
  for (const s of ['s1', 's2', 's3', 's4', 's5']) t.scorer(s);
  for (const [p, base] of [['P1', 80], ['P2', 70], ['P3', 60]] as const) {
    for (const s of ['s1', 's2', 's3', 's4']) t.sheet(p, s, [base]);
    t.sheet(p, 's5', [base + 12]);
  }
  return t;
}

describe('findScorerDeviations', () => {
  it('flags a lenient scorer by the absolute threshold and leaves the others', () => {
    const result = findScorerDeviations(computeRankings(table().input()));
    const s5 = result.find((r) => r.scorerId === 's5')!;
    expect(s5.meanDeviation).toBeCloseTo(12, 9);
    expect(s5.zScore).toBeCloseTo(2, 9);
    expect(s5).toMatchObject({ projects: 3, isFlagged: true, direction: 'lenient', reasons: ['threshold'] });
    for (const id of ['s1', 's2', 's3', 's4']) {
      const r = result.find((x) => x.scorerId === id)!;
      expect(r.meanDeviation).toBeCloseTo(-3, 9);
      expect(r.isFlagged).toBe(false);
      expect(r.direction).toBeNull();
    }
  });

  it('flags by standard deviations when many scorers agree closely', () => {
    // 12 scorers within ±1 point, one 4 points lower: under the 5-point threshold, but far
    // outside 2 SD of the others
    const t = new TourBuilder([['a', 100, 0.5]], { recusal: false, trim: null });
    t.unit('U1');
    t.stop('P1', 'U1').stop('P2', 'U1');
    const ids = Array.from({ length: 12 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    for (const id of [...ids, 'harsh']) t.scorer(id);
    for (const p of ['P1', 'P2']) {
      ids.forEach((id, i) => t.sheet(p, id, [80 + (i % 2 === 0 ? 0.5 : -0.5)]));
      t.sheet(p, 'harsh', [76]);
    }
    const result = findScorerDeviations(computeRankings(t.input()));
    const harsh = result.find((r) => r.scorerId === 'harsh')!;
    expect(harsh.isFlagged).toBe(true);
    expect(harsh.direction).toBe('harsh');
    expect(harsh.reasons).toEqual(['sd']);
    expect(result.filter((r) => r.isFlagged).map((r) => r.scorerId)).toEqual(['harsh']);
  });

  it('does not judge scorers with too few projects or projects with too few others', () => {
    const t = new TourBuilder([['a', 100, 1]], { recusal: false, trim: null });
    t.unit('U1');
    t.stop('P1', 'U1').stop('P2', 'U1');
    t.scorer('s1').scorer('s2').scorer('s3');
    t.sheet('P1', 's1', [90]).sheet('P1', 's2', [50]).sheet('P1', 's3', [50]);
    // P2 has only two totals: one other each, below minOthers 2
    t.sheet('P2', 's1', [90]).sheet('P2', 's2', [50]);
    const result = findScorerDeviations(computeRankings(t.input()));
    expect(result.map((r) => [r.scorerId, r.projects, r.meanDeviation, r.isFlagged])).toEqual([
      ['s1', 1, null, false],
      ['s2', 1, null, false],
      ['s3', 1, null, false],
    ]);
    // with minProjects 1, s1 is 40 points above the others on P1
    const loose = findScorerDeviations(computeRankings(t.input()), { minProjects: 1 });
    expect(loose.find((r) => r.scorerId === 's1')).toMatchObject({ meanDeviation: 40, isFlagged: true, direction: 'lenient' });
  });
});
