/**
 * Hand-worked ranking tables. Every expected figure is worked out by hand in the comments; the
 * engine must reproduce them exactly.
 */
import { describe, expect, it } from 'vitest';
import { rankingRulesSchema, type RankingRules } from '../domain/schemas';
import { computeRankings } from './compute-rankings';
import { fromDecimal, rational, toFractionString } from './rational';
import { TourBuilder } from './tour-builder';
import type { ProjectRanking, TourRankings, UnitRanking } from './types';

function project(result: TourRankings, stopId: string): ProjectRanking {
  const found = result.projects.find((p) => p.stopId === stopId);
  if (!found) throw new Error(`no project ${stopId}`);
  return found;
}
function unit(result: TourRankings, unitId: string): UnitRanking {
  const found = result.units.find((u) => u.unitId === unitId);
  if (!found) throw new Error(`no unit ${unitId}`);
  return found;
}
/** stopId → [display, rank] */
function projectTable(result: TourRankings): Record<string, [string | null, number | null]> {
  return Object.fromEntries(result.projects.map((p) => [p.stopId, [p.score?.display ?? null, p.rank]]));
}
function unitTable(result: TourRankings): Record<string, [string | null, number | null]> {
  return Object.fromEntries(result.units.map((u) => [u.unitId, [u.score?.display ?? null, u.rank]]));
}
function codes(result: TourRankings): string[] {
  return result.issues.map((i) => `${i.severity}:${i.code}:${i.recordId ?? ''}`);
}

/*
 * Table 1 — four scorers, recusal, ties on the displayed score.
 * Criteria a (max 50, step 0.01) and b (max 50, step 0.5). No trimming.
 * s1 comes from U1, s4 from U3 (both recuse).
 *
 *        s1            s2          s3          s4             counted totals          mean
 * P1/U1  (50+50 rec.)  45+45=90    44+45=89    45+46=91       90, 89, 91              270/3 = 90       → 90.00
 * P2/U2  43+43.5=86.5  43+43=86    43+43=86    43+43=86       86.5, 86, 86, 86        344.5/4 = 86.125 → 86.13 (half up)
 * P3/U3  43.13+43      43.13+43    43.13+43    (50+50 rec.)   86.13 ×3                86.13            → 86.13
 * P4/U4  40+40=80      41+41=82    42+42=84    40+41=81       80, 82, 84, 81          327/4 = 81.75    → 81.75
 * P5/U5  as P2                                                                        86.125           → 86.13
 *
 * Displayed: 90.00, 86.13, 86.13, 86.13, 81.75 → ranks 1, 2, 2, 2, 5 although P3 (86.13) is
 * exactly above P2 and P5 (86.125): ranks follow the shown value.
 *
 * With tieBreakCriterion 'a': means of a — P2: (43+43+43+43)/4 = 43, P3: 43.13, P5: 43 →
 * P1 1, P3 2, P2 3, P5 3 (still equal: stay tied), P4 5.
 */
function table1(): TourBuilder {
  const t = new TourBuilder([['a', 50, 0.01], ['b', 50, 0.5]], { recusal: true, trim: null });
  for (const u of ['U1', 'U2', 'U3', 'U4', 'U5']) t.unit(u);
  t.stop('P1', 'U1').stop('P2', 'U2').stop('P3', 'U3').stop('P4', 'U4').stop('P5', 'U5');
  t.scorer('s1', { home: 'U1' }).scorer('s2').scorer('s3').scorer('s4', { home: 'U3' });
  t.sheet('P1', 's1', [50, 50]).sheet('P1', 's2', [45, 45]).sheet('P1', 's3', [44, 45]).sheet('P1', 's4', [45, 46]);
  for (const p of ['P2', 'P5']) {
    t.sheet(p, 's1', [43, 43.5]).sheet(p, 's2', [43, 43]).sheet(p, 's3', [43, 43]).sheet(p, 's4', [43, 43]);
  }
  t.sheet('P3', 's1', [43.13, 43]).sheet('P3', 's2', [43.13, 43]).sheet('P3', 's3', [43.13, 43]).sheet('P3', 's4', [50, 50]);
  t.sheet('P4', 's1', [40, 40]).sheet('P4', 's2', [41, 41]).sheet('P4', 's3', [42, 42]).sheet('P4', 's4', [40, 41]);
  return t;
}

describe('table 1: several scorers, recusal, ties', () => {
  it('scores exactly and ranks equal displayed scores together (1, 2, 2, 2, 5)', () => {
    const result = computeRankings(table1().input());
    expect(projectTable(result)).toEqual({
      P1: ['90.00', 1],
      P2: ['86.13', 2],
      P3: ['86.13', 2],
      P5: ['86.13', 2],
      P4: ['81.75', 5],
    });
    expect(project(result, 'P2').score!.exact).toEqual(rational(689n, 8n)); // 86.125
    expect(project(result, 'P3').score!.exact).toEqual(rational(8613n, 100n));
    // listing order of tied projects and units: itinerary order
    expect(result.projectLists).toEqual([{ scope: 'group', group: null, stopIds: ['P1', 'P2', 'P3', 'P5', 'P4'] }]);
    expect(result.unitLists).toEqual([{ scope: 'group', group: null, unitIds: ['U1', 'U2', 'U3', 'U5', 'U4'] }]);
    expect(result.hasErrors).toBe(false);
  });

  it('ignores the sheets of recused scorers and reports them', () => {
    const result = computeRankings(table1().input());
    expect(project(result, 'P1').recusedScorers).toEqual([{ scorerId: 's1', hadSheet: true }]);
    expect(project(result, 'P3').recusedScorers).toEqual([{ scorerId: 's4', hadSheet: true }]);
    expect(project(result, 'P1').sheetsCounted).toBe(3);
    expect(project(result, 'P1').sheets.map((s) => [s.scorerId, s.total.display, s.fate])).toEqual([
      ['s2', '90.00', 'counted'],
      ['s3', '89.00', 'counted'],
      ['s4', '91.00', 'counted'],
    ]);
    expect(codes(result)).toEqual(['info:recusedSheet:sheet:t1:P1:s1', 'info:recusedSheet:sheet:t1:P3:s4']);
    // recusal off: s1's 100 counts for P1 → (100+90+89+91)/4 = 92.5
    const open = computeRankings({ ...table1().input(), rules: { ...table1().input().tour.rules, recusal: false } });
    expect(project(open, 'P1').score!.display).toBe('92.50');
  });

  it('units with one project each take its exact score and rank the same way', () => {
    const result = computeRankings(table1().input());
    expect(unitTable(result)).toEqual({ U1: ['90.00', 1], U2: ['86.13', 2], U3: ['86.13', 2], U5: ['86.13', 2], U4: ['81.75', 5] });
  });

  it('breaks displayed ties by the higher mean of the tie-break criterion; equal stay tied', () => {
    const result = computeRankings(table1().rules({ tieBreakCriterion: 'a' }).input());
    expect(projectTable(result)).toEqual({
      P1: ['90.00', 1],
      P3: ['86.13', 2],
      P2: ['86.13', 3],
      P5: ['86.13', 3],
      P4: ['81.75', 5],
    });
    expect(project(result, 'P3').tieBreak!.display).toBe('43.13');
    expect(project(result, 'P2').tieBreak!.display).toBe('43.00');
    expect(unitTable(result)).toEqual({ U1: ['90.00', 1], U3: ['86.13', 2], U2: ['86.13', 3], U5: ['86.13', 3], U4: ['81.75', 5] });
  });

  it('exposes per-criterion means over the counted sheets, adding up to the score', () => {
    const p2 = project(computeRankings(table1().input()), 'P2');
    // a: (43·4)/4 = 43; b: (43.5+43+43+43)/4 = 172.5/4 = 43.125 → "43.13"; 43 + 43.125 = 86.125
    expect(p2.criterionMeans.map((c) => [c.key, c.mean!.display, toFractionString(c.mean!.exact)])).toEqual([
      ['a', '43.00', '43'],
      ['b', '43.13', '345/8'],
    ]);
  });

  it('warns about an unknown tie-break criterion and keeps ties', () => {
    const result = computeRankings(table1().rules({ tieBreakCriterion: 'zz' }).input());
    expect(project(result, 'P3').rank).toBe(2);
    expect(project(result, 'P2').rank).toBe(2);
    expect(codes(result)).toContain('warning:unknownTieBreakCriterion:zz');
  });
});

/*
 * Table 2 — rounding half up where binary floating point gets it wrong.
 * Criteria a (max 50, step 0.01), b (max 50, step 0.01).
 * Q1: totals 40.07+40 = 80.07 and 40.08+40 = 80.08 → mean 160.15/2 = 80.075 → "80.08".
 *     As floats: (80.07 + 80.08) / 2 = 80.07499999999999 → Math.round(×100)/100 = 80.07 (wrong).
 * Q2: totals 80.00 and 80.01 → mean 80.005 → "80.01"; float 80.005.toFixed(2) = "80.00" (wrong).
 * Q3: totals 86.12 and 86.13 → mean 86.125 → "86.13".
 */
describe('table 2: rounding half up at .xx5', () => {
  const t = new TourBuilder([['a', 50, 0.01], ['b', 50, 0.01]], { recusal: false });
  t.unit('U1').stop('Q1', 'U1').stop('Q2', 'U1').stop('Q3', 'U1').scorer('s1').scorer('s2');
  t.sheet('Q1', 's1', [40.07, 40]).sheet('Q1', 's2', [40.08, 40]);
  t.sheet('Q2', 's1', [40, 40]).sheet('Q2', 's2', [40.01, 40]);
  t.sheet('Q3', 's1', [46.12, 40]).sheet('Q3', 's2', [46.13, 40]);
  const result = computeRankings(t.input());

  it('shows 80.08, 80.01 and 86.13', () => {
    expect(project(result, 'Q1').score!.display).toBe('80.08');
    expect(project(result, 'Q2').score!.display).toBe('80.01');
    expect(project(result, 'Q3').score!.display).toBe('86.13');
    expect(project(result, 'Q1').score!.hundredths).toBe(8008);
  });

  it('where a float implementation is wrong (so this table can tell them apart)', () => {
    const floatMean = (40.07 + 40 + (40.08 + 40)) / 2;
    expect(Math.round(floatMean * 100) / 100).toBe(80.07);
    expect(((40 + 40 + (40.01 + 40)) / 2).toFixed(2)).toBe('80.00');
  });

  it('unit mean of 80.075, 80.005 and 86.125 is exact: 246.205/3 = 82.068333… → "82.07"', () => {
    expect(unit(result, 'U1').onSite!.exact).toEqual(rational(49241n, 600n));
    expect(unit(result, 'U1').score!.display).toBe('82.07');
  });
});

/*
 * Table 3 — trimmed vs plain mean. trim: drop 1 highest, 1 lowest when ≥ 5 sheets.
 * One criterion a (max 100, step 0.5). No recusal.
 *
 * T1 five sheets  s1 90, s2 85, s3 85, s4 80, s5 70 → drop 70 (s5) and 90 (s1) → (85+85+80)/3 = 250/3 = 83.333… → "83.33"
 *                                                    (plain mean would be 410/5 = 82.00)
 * T2 four sheets  s1 90, s2 80, s3 70, s4 60 (s5 draft 100) → too few to trim → 300/4 = 75.00
 * T3 boundary ties s1 90, s2 90, s3 80, s4 70, s5 70 → order (total, scorer id):
 *                 70 s4, 70 s5, 80 s3, 90 s1, 90 s2 → drop s4 (lowest) and s2 (highest)
 *                 → (70 + 80 + 90)/3 = 80.00
 */
describe('table 3: trimmed and plain means', () => {
  const build = (): TourBuilder => {
    const t = new TourBuilder([['a', 100, 0.5]], { recusal: false, trim: { dropHighest: 1, dropLowest: 1, minSheets: 5 } });
    t.unit('U1').stop('T1', 'U1').stop('T2', 'U1').stop('T3', 'U1');
    for (const s of ['s1', 's2', 's3', 's4', 's5']) t.scorer(s);
    [90, 85, 85, 80, 70].forEach((v, i) => t.sheet('T1', `s${i + 1}`, [v]));
    [90, 80, 70, 60].forEach((v, i) => t.sheet('T2', `s${i + 1}`, [v]));
    t.sheet('T2', 's5', [100], 'draft');
    [90, 90, 80, 70, 70].forEach((v, i) => t.sheet('T3', `s${i + 1}`, [v]));
    return t;
  };

  it('drops the k highest and k lowest when enough sheets exist, and says which', () => {
    const result = computeRankings(build().input());
    const t1 = project(result, 'T1');
    expect(t1.score!.display).toBe('83.33');
    expect(t1.score!.exact).toEqual(rational(250n, 3n));
    expect(t1.trimmed).toBe(true);
    expect(t1.sheetsCounted).toBe(3);
    expect(t1.droppedSheets.map((d) => [d.sheetId, d.scorerId, d.total.display, d.side])).toEqual([
      ['sheet:t1:T1:s1', 's1', '90.00', 'highest'],
      ['sheet:t1:T1:s5', 's5', '70.00', 'lowest'],
    ]);
  });

  it('uses the plain mean with too few sheets; drafts do not count', () => {
    const t2 = project(computeRankings(build().input()), 'T2');
    expect(t2.score!.display).toBe('75.00');
    expect(t2.trimmed).toBe(false);
    expect(t2.droppedSheets).toEqual([]);
    expect(t2.missingScorers).toEqual([{ scorerId: 's5', status: 'draft' }]);
  });

  it('drops tied totals at the boundary by scorer id, whatever the input order', () => {
    const input = build().input();
    const expected = [
      ['s2', '90.00', 'highest'],
      ['s4', '70.00', 'lowest'],
    ];
    const t3 = project(computeRankings(input), 'T3');
    expect(t3.score!.display).toBe('80.00');
    expect(t3.droppedSheets.map((d) => [d.scorerId, d.total.display, d.side])).toEqual(expected);
    const reversed = project(computeRankings({ ...input, sheets: [...input.sheets].reverse(), scorers: [...input.scorers].reverse() }), 'T3');
    expect(reversed).toEqual(t3);
  });

  it('ranks the three: T1 83.33, T3 80.00, T2 75.00', () => {
    expect(projectTable(computeRankings(build().input()))).toEqual({ T1: ['83.33', 1], T3: ['80.00', 2], T2: ['75.00', 3] });
  });

  it('without trimming the same sheets give plain means', () => {
    const result = computeRankings(build().rules({ trim: null }).input());
    // T1 410/5 = 82; T3 400/5 = 80
    expect(projectTable(result)).toEqual({ T1: ['82.00', 1], T3: ['80.00', 2], T2: ['75.00', 3] });
  });
});

/*
 * Table 4 — scorer-group weights {市领导: 0.6, 部门: 0.4}, trim 1/1 from 3 sheets, per group.
 * One criterion a (max 100, step 0.5). No recusal.
 * Scorers L1 L2 L3 in 市领导, D1 D2 in 部门, X1 without group, Y1 in 群众 (no weight).
 *
 * G1: 市领导 90, 80, 70 → 3 sheets ≥ 3: drop 90 and 70 → 80
 *     部门   86, 75     → 2 sheets < 3: plain mean 161/2 = 80.5
 *     score = 0.6·80 + 0.4·80.5 = 48 + 32.2 = 80.2 → "80.20"
 *     X1 (100) and Y1 (100) submitted: excluded, reason noWeightGroup
 * G2: 市领导 sheets are drafts; 部门 70, 71 → 70.5; only 部门 present → share 1 → "70.50"
 * G3: 市领导 81.5, 82, 83.5 → drop 81.5 and 83.5 → 82;  部门 77.5, 78 → 77.75
 *     score = 0.6·82 + 0.4·77.75 = 49.2 + 31.1 = 80.3 → "80.30"
 *     (per criterion: the only criterion's mean equals the score)
 */
describe('table 4: scorer-group weights', () => {
  const build = (): TourBuilder => {
    const t = new TourBuilder([['a', 100, 0.5]], {
      recusal: false,
      trim: { dropHighest: 1, dropLowest: 1, minSheets: 3 },
      groupWeights: { 市领导: 0.6, 部门: 0.4 },
    });
    t.unit('U1').unit('U2').stop('G1', 'U1').stop('G2', 'U1').stop('G3', 'U2');
    t.scorer('L1', { group: '市领导' }).scorer('L2', { group: '市领导' }).scorer('L3', { group: '市领导' });
    t.scorer('D1', { group: '部门' }).scorer('D2', { group: '部门' }).scorer('X1').scorer('Y1', { group: '群众' });
    t.sheet('G1', 'L1', [90]).sheet('G1', 'L2', [80]).sheet('G1', 'L3', [70]).sheet('G1', 'D1', [86]).sheet('G1', 'D2', [75]);
    t.sheet('G1', 'X1', [100]).sheet('G1', 'Y1', [100]);
    t.sheet('G2', 'L1', [90], 'draft').sheet('G2', 'L2', [90], 'reopened').sheet('G2', 'D1', [70]).sheet('G2', 'D2', [71]);
    t.sheet('G3', 'L1', [81.5]).sheet('G3', 'L2', [82]).sheet('G3', 'L3', [83.5]).sheet('G3', 'D1', [77.5]).sheet('G3', 'D2', [78]);
    return t;
  };

  it('weighs the groups’ trimmed means and renormalises when a group has no sheets', () => {
    const result = computeRankings(build().input());
    expect(projectTable(result)).toEqual({ G3: ['80.30', 1], G1: ['80.20', 2], G2: ['70.50', 3] });
    const g1 = project(result, 'G1');
    expect(g1.score!.exact).toEqual(rational(401n, 5n));
    expect(g1.groups.map((g) => [g.weightGroup, toFractionString(g.share), g.sheets, g.counted, g.trimmed, g.mean.display])).toEqual([
      ['市领导', '3/5', 3, 1, true, '80.00'],
      ['部门', '2/5', 2, 2, false, '80.50'],
    ]);
    const g2 = project(result, 'G2');
    expect(g2.groups.map((g) => [g.weightGroup, toFractionString(g.share)])).toEqual([['部门', '1']]);
    expect(g2.missingScorers).toEqual([
      { scorerId: 'L1', status: 'draft' },
      { scorerId: 'L2', status: 'reopened' },
      { scorerId: 'L3', status: 'none' },
    ]);
  });

  it('excludes scorers without a weighted group, as an error the secretariat must fix', () => {
    const result = computeRankings(build().input());
    expect(project(result, 'G1').excludedSheets.map((e) => [e.scorerId, e.reason])).toEqual([
      ['X1', 'noWeightGroup'],
      ['Y1', 'noWeightGroup'],
    ]);
    expect(codes(result).filter((c) => c.startsWith('error'))).toEqual(['error:noWeightGroup:X1', 'error:noWeightGroup:Y1']);
    expect(result.hasErrors).toBe(true);
  });

  it('ranks units on their projects', () => {
    const result = computeRankings(build().input());
    // U1 = (80.2 + 70.5)/2 = 75.35; U2 = 80.3
    expect(unitTable(result)).toEqual({ U2: ['80.30', 1], U1: ['75.35', 2] });
  });
});

/*
 * Table 5 — investment weighting, indicator blending, groups.
 * One criterion a (max 100, step 0.5), one scorer s1 (no home unit): score = the sheet total.
 *
 * unit (group, indicator)  project: investment 万元, score
 * A (县组, 90)             pA1: 30000, 80      pA2: 10000, 90
 * B (县组, 70)             pB1: null, 95       pB2: 20000, 85
 * C (区组, none)           pC1: 0, 88          pC2: null, 92
 * D (区组, 80)             pD1: 5000, 70
 *
 * mean:      A (80+90)/2 = 85, B (95+85)/2 = 90, C (88+92)/2 = 90, D 70
 * weighted:  A (80·30000 + 90·10000)/40000 = 82.5
 *            B pB1 unknown → weight 0 → 85 (warning missingInvestment pB1)
 *            C no positive investment → plain mean 90 (warnings noInvestmentWeights C, missingInvestment pC2)
 *            D 70
 * blend w = 0.3 on the weighted scores:
 *            A 0.7·82.5 + 0.3·90 = 57.75 + 27 = 84.75;  B 0.7·85 + 0.3·70 = 59.5 + 21 = 80.5
 *            C no indicator → not ranked (error missingIndicator);  D 0.7·70 + 0.3·80 = 49 + 24 = 73
 * ranks within groups: 县组 A 1, B 2;  区组 D 1, C —
 * projects within groups: 县组 pB1 95 (1), pA2 90 (2), pB2 85 (3), pA1 80 (4); 区组 pC2 92 (1), pC1 88 (2), pD1 70 (3)
 * one list over the tour, plain mean, no blend: B 90 and C 90 tie (1), A 85 (3), D 70 (4);
 * B is listed before C (its first stop pB1 comes before pC1 in the itinerary)
 */
describe('table 5: investment weighting, indicator blending, groups', () => {
  const build = (): TourBuilder => {
    const t = new TourBuilder([['a', 100, 0.5]], { recusal: true, projectScope: 'group', unitScope: 'group' });
    t.unit('A', { group: '县组', indicator: 90 }).unit('B', { group: '县组', indicator: 70 });
    t.unit('C', { group: '区组' }).unit('D', { group: '区组', indicator: 80 });
    t.stop('pA1', 'A', { investment: 30000 }).stop('pA2', 'A', { investment: 10000 });
    t.stop('pB1', 'B', { investment: null }).stop('pB2', 'B', { investment: 20000 });
    t.stop('pC1', 'C', { investment: 0 }).stop('pC2', 'C', { investment: null });
    t.stop('pD1', 'D', { investment: 5000 });
    t.scorer('s1');
    const scores: Record<string, number> = { pA1: 80, pA2: 90, pB1: 95, pB2: 85, pC1: 88, pC2: 92, pD1: 70 };
    for (const [stop, v] of Object.entries(scores)) t.sheet(stop, 's1', [v]);
    return t;
  };

  it('ranks projects within their unit’s group', () => {
    const result = computeRankings(build().input());
    expect(projectTable(result)).toEqual({
      pC2: ['92.00', 1],
      pC1: ['88.00', 2],
      pD1: ['70.00', 3],
      pB1: ['95.00', 1],
      pA2: ['90.00', 2],
      pB2: ['85.00', 3],
      pA1: ['80.00', 4],
    });
    // lists in tour order: the itinerary reaches 县组 (pA1) before 区组 (pC1), although by code
    // point 区 (U+533A) would sort before 县 (U+53BF)
    expect(result.projectLists.map((l) => [l.scope, l.group, l.stopIds])).toEqual([
      ['group', '县组', ['pB1', 'pA2', 'pB2', 'pA1']],
      ['group', '区组', ['pC2', 'pC1', 'pD1']],
    ]);
    expect(result.unitLists.map((l) => [l.group, l.unitIds])).toEqual([
      ['县组', ['B', 'A']],
      ['区组', ['C', 'D']],
    ]);
  });

  it('weights unit scores by investment, with defined fallbacks', () => {
    const result = computeRankings(build().rules({ unitScore: 'investmentWeighted' }).input());
    // 县组: B 85 ahead of A 82.5 (with the plain mean A 85 would trail B 90 too, by more)
    expect(unitTable(result)).toEqual({ C: ['90.00', 1], D: ['70.00', 2], B: ['85.00', 1], A: ['82.50', 2] });
    expect(unit(result, 'B').projects).toEqual([
      { stopId: 'pB1', score: project(result, 'pB1').score, weight: null, counted: false },
      { stopId: 'pB2', score: project(result, 'pB2').score, weight: fromDecimal(20000), counted: true },
    ]);
    expect(unit(result, 'C').projects.map((p) => p.counted)).toEqual([true, true]);
    expect(codes(result)).toEqual([
      'warning:missingInvestment:pB1',
      'warning:missingInvestment:pC2',
      'warning:noInvestmentWeights:C',
    ]);
  });

  it('blends with the indicator score; a unit without one is not ranked', () => {
    const result = computeRankings(build().rules({ unitScore: 'investmentWeighted', indicatorWeight: 0.3 }).input());
    expect(unitTable(result)).toEqual({ D: ['73.00', 1], C: [null, null], A: ['84.75', 1], B: ['80.50', 2] });
    expect(unit(result, 'C').unrankedReason).toBe('missingIndicator');
    expect(unit(result, 'C').onSite!.display).toBe('90.00');
    expect(unit(result, 'A').onSite!.display).toBe('82.50');
    expect(unit(result, 'A').indicator!.display).toBe('90.00');
    expect(unit(result, 'A').score!.exact).toEqual(rational(339n, 4n));
    expect(codes(result)).toContain('error:missingIndicator:C');
    expect(result.hasErrors).toBe(true);
  });

  it('indicator weight 1 ranks on the indicator alone', () => {
    const result = computeRankings(build().rules({ indicatorWeight: 1 }).input());
    expect(unitTable(result)).toEqual({ D: ['80.00', 1], C: [null, null], A: ['90.00', 1], B: ['70.00', 2] });
  });

  it('one list over the tour: equal scores share rank 1, next is 3', () => {
    const result = computeRankings(build().rules({ projectScope: 'tour', unitScope: 'tour' }).input());
    expect(unitTable(result)).toEqual({ B: ['90.00', 1], C: ['90.00', 1], A: ['85.00', 3], D: ['70.00', 4] });
    expect(result.unitLists).toEqual([{ scope: 'tour', group: null, unitIds: ['B', 'C', 'A', 'D'] }]);
    expect(result.projectLists).toEqual([{ scope: 'tour', group: null, stopIds: ['pB1', 'pC2', 'pA2', 'pC1', 'pB2', 'pA1', 'pD1'] }]);
    expect(project(result, 'pB1').rank).toBe(1);
    expect(project(result, 'pD1').rank).toBe(7);
  });
});

/*
 * Table 6 — rank votes. Units A B C D in one list. s1 from A, s3 from C (recusal on).
 * Points by position: 1 → 100, 2 → 97, 3 → 94, 4 → 91.
 *
 * s1 ballot A B C D → A skipped: B 1 (100), C 2 (97), D 3 (94)
 * s2 ballot B A D C →            B 100, A 97, D 94, C 91
 * s3 ballot C A B D → C skipped: A 1 (100), B 2 (97), D 3 (94)
 * s4 ballot B C     → misses A and D: not counted (error)
 * s5 draft          → missing
 *
 * A: s2 97, s3 100          → 197/2 = 98.50
 * B: s1 100, s2 100, s3 97  → 297/3 = 99.00
 * C: s1 97, s2 91           → 188/2 = 94.00
 * D: s1 94, s2 94, s3 94    → 94.00
 * ranks: B 1, A 2, C 3, D 3
 */
describe('table 6: rank votes', () => {
  const build = (): TourBuilder => {
    const t = new TourBuilder([['a', 100, 0.5]], { method: 'rankVote', recusal: true, unitScope: 'tour' });
    t.unit('A').unit('B').unit('C').unit('D');
    t.scorer('s1', { home: 'A' }).scorer('s2').scorer('s3', { home: 'C' }).scorer('s4').scorer('s5');
    t.ballot('s1', ['A', 'B', 'C', 'D']).ballot('s2', ['B', 'A', 'D', 'C']).ballot('s3', ['C', 'A', 'B', 'D']);
    t.ballot('s4', ['B', 'C']).ballot('s5', ['D', 'C', 'B', 'A'], { status: 'draft' });
    return t;
  };

  it('scores 100 − 3(r − 1) per position, skipping the scorer’s own unit', () => {
    const result = computeRankings(build().input());
    expect(unitTable(result)).toEqual({ B: ['99.00', 1], A: ['98.50', 2], C: ['94.00', 3], D: ['94.00', 3] });
    expect(unit(result, 'A').votes!.ballots.map((b) => [b.scorerId, b.position, b.points])).toEqual([
      ['s2', 2, 97],
      ['s3', 1, 100],
    ]);
    expect(unit(result, 'A').votes!.recusedScorers).toEqual([{ scorerId: 's1', hadSheet: true }]);
    expect(unit(result, 'C').votes!.recusedScorers).toEqual([{ scorerId: 's3', hadSheet: true }]);
    expect(result.projects).toEqual([]);
  });

  it('does not count an incomplete ballot, and lists drafts as missing', () => {
    const result = computeRankings(build().input());
    expect(unit(result, 'B').votes!.excluded.map((e) => [e.scorerId, e.reason])).toEqual([['s4', 'incompleteBallot']]);
    expect(unit(result, 'B').votes!.missingScorers).toEqual([{ scorerId: 's5', status: 'draft' }]);
    expect(codes(result).filter((c) => c.startsWith('error'))).toEqual(['error:incompleteBallot:ballot:t1:s4:']);
    expect(result.missingCount).toBe(1);
  });

  it('leaving one’s own unit off the ballot gives the same points as ranking it anywhere', () => {
    const off = build();
    const input = off.input();
    const s1Off = { ...input.ballots![0]!, unitIds: ['B', 'C', 'D'] };
    const s1Last = { ...input.ballots![0]!, unitIds: ['B', 'C', 'D', 'A'] };
    const base = computeRankings(input);
    for (const ballot of [s1Off, s1Last]) {
      const other = computeRankings({ ...input, ballots: [ballot, ...input.ballots!.slice(1)] });
      expect(unitTable(other)).toEqual(unitTable(base));
    }
  });

  it('without recusal the own unit earns points like any other', () => {
    const result = computeRankings(build().rules({ recusal: false }).input());
    // s1 A B C D: A 100, B 97, C 94, D 91;  s3 C A B D: C 100, A 97, B 94, D 91
    // A: 100, 97, 97 → 98;  B: 97, 100, 94 → 97;  C: 94, 91, 100 → 95;  D: 91, 94, 91 → 92
    expect(unitTable(result)).toEqual({ A: ['98.00', 1], B: ['97.00', 2], C: ['95.00', 3], D: ['92.00', 4] });
  });

  it('per-group ballots rank each group separately', () => {
    const t = new TourBuilder([['a', 100, 0.5]], { method: 'rankVote', recusal: true, unitScope: 'group' });
    t.unit('A', { group: '县组' }).unit('B', { group: '县组' }).unit('C', { group: '区组' }).unit('D', { group: '区组' });
    t.scorer('s1', { home: 'A' }).scorer('s2');
    // 县组: s1 skips A → B 100; s2 A 100, B 97 → A 100 (only s2), B (100+97)/2 = 98.5
    t.ballot('s1', ['B'], { group: '县组' }).ballot('s2', ['A', 'B'], { group: '县组' });
    // 区组: s1 D 100, C 97; s2 C 100, D 97 → both 98.5: tie
    t.ballot('s1', ['D', 'C'], { group: '区组' }).ballot('s2', ['C', 'D'], { group: '区组' });
    // a ballot for a list that does not exist
    t.ballot('s2', ['A', 'B', 'C', 'D']);
    const result = computeRankings(t.input());
    expect(unitTable(result)).toEqual({ C: ['98.50', 1], D: ['98.50', 1], A: ['100.00', 1], B: ['98.50', 2] });
    expect(codes(result).filter((c) => c.startsWith('error'))).toEqual(['error:unknownBallotList:ballot:t1:s2:']);
  });

  it('a scorer whose own unit is alone in its list is recused from that list, not missing', () => {
    const t = new TourBuilder([['a', 100, 0.5]], { method: 'rankVote', recusal: true, unitScope: 'group' });
    t.unit('A', { group: '县组' }).unit('C', { group: '区组' }).unit('D', { group: '区组' });
    t.scorer('s1', { home: 'A' }).scorer('s2');
    // 县组 holds only s1's own unit: s1 has nothing to rank there
    t.ballot('s2', ['A'], { group: '县组' });
    t.ballot('s1', ['D', 'C'], { group: '区组' }).ballot('s2', ['C', 'D'], { group: '区组' });
    const result = computeRankings(t.input());
    expect(result.missingCount).toBe(0);
    expect(unit(result, 'A').votes!.missingScorers).toEqual([]);
    expect(unit(result, 'A').votes!.recusedScorers).toEqual([{ scorerId: 's1', hadSheet: false }]);
    expect(unitTable(result)).toEqual({ A: ['100.00', 1], C: ['98.50', 1], D: ['98.50', 1] });
  });

  it('trimming applies to a unit’s points like to sheet totals', () => {
    // trim 1/1 from 3 ballots. B: 97 s3, 100 s1, 100 s2 → drop s3 (lowest) and s2 (highest) → 100
    // D: 94 s1, 94 s2, 94 s3 → drop s1 and s3 → 94;  A and C have 2 ballots: not trimmed
    const result = computeRankings(build().rules({ trim: { dropHighest: 1, dropLowest: 1, minSheets: 3 } }).input());
    expect(unitTable(result)).toEqual({ B: ['100.00', 1], A: ['98.50', 2], C: ['94.00', 3], D: ['94.00', 3] });
    expect(unit(result, 'B').votes!.droppedBallots.map((b) => [b.scorerId, b.points, b.fate])).toEqual([
      ['s2', 100, 'droppedHighest'],
      ['s3', 97, 'droppedLowest'],
    ]);
    expect(unit(result, 'D').votes!.ballots.map((b) => [b.scorerId, b.fate])).toEqual([
      ['s1', 'droppedLowest'],
      ['s2', 'counted'],
      ['s3', 'droppedHighest'],
    ]);
  });

  it('two ballots of one scorer for one list: the latest counts, reported as an error', () => {
    const input = build().input();
    const s2 = input.ballots!.find((b) => b.scorerId === 's2')!;
    // s2's later ballot D C B A gives D 100, C 97, B 94, A 91; with s1 (B 100, C 97, D 94) and
    // s3 (A 100, B 97, D 94): A (91+100)/2 = 95.5; B (100+94+97)/3 = 97; C (97+97)/2 = 97;
    // D (94+100+94)/3 = 96 → B 1, C 1, D 3, A 4
    const later = { ...s2, id: 'ballot-s2-again', unitIds: ['D', 'C', 'B', 'A'], updatedAt: '2021-12-09T00:00:00.000Z' };
    const result = computeRankings({ ...input, ballots: [later, ...input.ballots!] });
    expect(unitTable(result)).toEqual({ B: ['97.00', 1], C: ['97.00', 1], D: ['96.00', 3], A: ['95.50', 4] });
    expect(codes(result)).toContain('error:duplicateBallot:ballot-s2-again');
  });

  it('the tie-break criterion does not apply to ballots', () => {
    const result = computeRankings(build().rules({ tieBreakCriterion: 'a' }).input());
    expect(unit(result, 'C').rank).toBe(3);
    expect(unit(result, 'D').rank).toBe(3);
    expect(codes(result)).toContain('info:tieBreakNotApplicable:');
  });
});

/*
 * Table 7 — the two rank scopes, all four combinations (score method).
 * One criterion a (max 100, step 0.5), one scorer s1 (no home unit): a project's score is its
 * sheet total; a unit's score is the plain mean of its projects.
 *
 * itinerary  stop  unit (group)   score
 * 1          pA1   A (县组)        80
 * 2          pC1   C (区组)        90
 * 3          pB1   B (县组)        85
 * 4          pD1   D (区组)        70
 * 5          pC2   C (区组)        80
 * 6          pE1   E (no group)   75
 *
 * Tour order of the groups: 县组 (pA1), 区组 (pC1), then the default group (pE1) — not the code-point
 * order (区 U+533A < 县 U+53BF) and not "default group first".
 * Units: A 80, B 85, C (90 + 80)/2 = 85, D 70, E 75. Itinerary order of units (first stop):
 * A, C, B, D, E.
 *
 * projects over the tour:  pC1 90 (1), pB1 85 (2), pA1 80 (3), pC2 80 (3, after pA1 in the
 *                          itinerary), pE1 75 (5), pD1 70 (6)
 * projects within groups:  县组 pB1 85 (1), pA1 80 (2);  区组 pC1 90 (1), pC2 80 (2), pD1 70 (3);
 *                          default group pE1 75 (1)
 * units over the tour:     C 85 (1), B 85 (1; C first: its first stop pC1 comes before pB1),
 *                          A 80 (3), E 75 (4), D 70 (5)
 * units within groups:     县组 B 85 (1), A 80 (2);  区组 C 85 (1), D 70 (2);  default group E 75 (1)
 */
describe('table 7: project and unit rank scopes, each combination', () => {
  const build = (): TourBuilder => {
    const t = new TourBuilder([['a', 100, 0.5]], { recusal: false });
    t.unit('A', { group: '县组' }).unit('B', { group: '县组' }).unit('C', { group: '区组' }).unit('D', { group: '区组' }).unit('E');
    t.stop('pA1', 'A', { order: 1 }).stop('pC1', 'C', { order: 2 }).stop('pB1', 'B', { order: 3 });
    t.stop('pD1', 'D', { order: 4 }).stop('pC2', 'C', { order: 5 }).stop('pE1', 'E', { order: 6 });
    t.scorer('s1');
    const scores: Record<string, number> = { pA1: 80, pC1: 90, pB1: 85, pD1: 70, pC2: 80, pE1: 75 };
    for (const [stop, v] of Object.entries(scores)) t.sheet(stop, 's1', [v]);
    return t;
  };
  const projectsOverTour = [{ scope: 'tour', group: null, stopIds: ['pC1', 'pB1', 'pA1', 'pC2', 'pE1', 'pD1'] }];
  const projectsInGroups = [
    { scope: 'group', group: '县组', stopIds: ['pB1', 'pA1'] },
    { scope: 'group', group: '区组', stopIds: ['pC1', 'pC2', 'pD1'] },
    { scope: 'group', group: null, stopIds: ['pE1'] },
  ];
  const unitsOverTour = [{ scope: 'tour', group: null, unitIds: ['C', 'B', 'A', 'E', 'D'] }];
  const unitsInGroups = [
    { scope: 'group', group: '县组', unitIds: ['B', 'A'] },
    { scope: 'group', group: '区组', unitIds: ['C', 'D'] },
    { scope: 'group', group: null, unitIds: ['E'] },
  ];
  const projectRanksOverTour = { pC1: ['90.00', 1], pB1: ['85.00', 2], pA1: ['80.00', 3], pC2: ['80.00', 3], pE1: ['75.00', 5], pD1: ['70.00', 6] };
  const projectRanksInGroups = { pB1: ['85.00', 1], pA1: ['80.00', 2], pC1: ['90.00', 1], pC2: ['80.00', 2], pD1: ['70.00', 3], pE1: ['75.00', 1] };
  const unitRanksOverTour = { C: ['85.00', 1], B: ['85.00', 1], A: ['80.00', 3], E: ['75.00', 4], D: ['70.00', 5] };
  const unitRanksInGroups = { B: ['85.00', 1], A: ['80.00', 2], C: ['85.00', 1], D: ['70.00', 2], E: ['75.00', 1] };

  it.each([
    ['tour', 'tour', projectsOverTour, projectRanksOverTour, unitsOverTour, unitRanksOverTour],
    ['tour', 'group', projectsOverTour, projectRanksOverTour, unitsInGroups, unitRanksInGroups],
    ['group', 'tour', projectsInGroups, projectRanksInGroups, unitsOverTour, unitRanksOverTour],
    ['group', 'group', projectsInGroups, projectRanksInGroups, unitsInGroups, unitRanksInGroups],
  ] as const)('projects ranked per %s, units per %s', (projectScope, unitScope, projectLists, projectRanks, unitLists, unitRanks) => {
    const result = computeRankings(build().rules({ projectScope, unitScope }).input());
    expect(result.projectLists).toEqual(projectLists);
    expect(result.unitLists).toEqual(unitLists);
    expect(projectTable(result)).toEqual(projectRanks);
    expect(unitTable(result)).toEqual(unitRanks);
    // the output arrays follow the lists
    expect(result.projects.map((p) => p.stopId)).toEqual(projectLists.flatMap((l) => l.stopIds));
    expect(result.units.map((u) => u.unitId)).toEqual(unitLists.flatMap((l) => l.unitIds));
    // the scope never changes a score
    expect(unit(result, 'C').score!.display).toBe('85.00');
    expect(result.hasErrors).toBe(false);
  });

  it('reads the legacy rankWithinGroups switch as both scopes when a stored record has no scopes', () => {
    const input = build().input();
    const { projectScope: _p, unitScope: _u, ...legacy } = input.tour.rules as Record<string, unknown>;
    const parsedOff = rankingRulesSchema.parse({ ...legacy, rankWithinGroups: false });
    const parsedOn = rankingRulesSchema.parse({ ...legacy, rankWithinGroups: true });
    expect([parsedOff.projectScope, parsedOff.unitScope, parsedOn.projectScope, parsedOn.unitScope]).toEqual(['tour', 'tour', 'group', 'group']);
    // and the engine does the same with rules that were never parsed (a raw stored record)
    const raw = computeRankings({ ...input, rules: { ...legacy, rankWithinGroups: false } as unknown as RankingRules });
    expect(raw.projectLists).toEqual(projectsOverTour);
    expect(raw.unitLists).toEqual(unitsOverTour);
  });
});

/*
 * Table 8 — rank votes follow the unit scope. Units A B (县组), C D (区组), visited in the order
 * pA, pB, pC, pD (one stop each). s1 comes from A (recusal on), s2 from nowhere.
 * Points by position: 1 → 100, 2 → 97, 3 → 94, 4 → 91.
 *
 * Units over the tour (one ballot each, group null):
 *   s1 B C A D → A skipped: B 100, C 97, D 94      s2 C A B D → C 100, A 97, B 94, D 91
 *   A 97/1 = 97.00;  B (100 + 94)/2 = 97.00;  C (97 + 100)/2 = 98.50;  D (94 + 91)/2 = 92.50
 *   → C 1, A 2, B 2 (A listed first: itinerary), D 4
 *   s2's ballot for 县组 is for a list the tour does not have: ignored (error, it was submitted)
 * Units within groups (one ballot per group):
 *   县组: s1 B → B 100 (A skipped);  s2 A B → A 100, B 97  → A 100.00 (1), B (100 + 97)/2 = 98.50 (2)
 *   区组: s1 D C → D 100, C 97;      s2 C D → C 100, D 97  → C 98.50 (1), D 98.50 (1; C first)
 *   s2's ballot over all units (group null) names no list of this tour: ignored (error)
 * There are no project lists whatever the project scope: rank votes rank units only.
 */
describe('table 8: rank-vote ballots follow the unit scope', () => {
  const build = (): TourBuilder => {
    const t = new TourBuilder([['a', 100, 0.5]], { method: 'rankVote', recusal: true });
    t.unit('A', { group: '县组' }).unit('B', { group: '县组' }).unit('C', { group: '区组' }).unit('D', { group: '区组' });
    t.stop('pA', 'A').stop('pB', 'B').stop('pC', 'C').stop('pD', 'D');
    t.scorer('s1', { home: 'A' }).scorer('s2');
    t.ballot('s1', ['B', 'C', 'A', 'D']).ballot('s2', ['C', 'A', 'B', 'D']);
    t.ballot('s1', ['B'], { group: '县组' }).ballot('s2', ['A', 'B'], { group: '县组' });
    t.ballot('s1', ['D', 'C'], { group: '区组' }).ballot('s2', ['C', 'D'], { group: '区组' });
    return t;
  };

  it.each(['tour', 'group'] as const)('one ballot over all units (projects ranked per %s)', (projectScope) => {
    const result = computeRankings(build().rules({ projectScope, unitScope: 'tour' }).input());
    expect(unitTable(result)).toEqual({ C: ['98.50', 1], A: ['97.00', 2], B: ['97.00', 2], D: ['92.50', 4] });
    expect(result.unitLists).toEqual([{ scope: 'tour', group: null, unitIds: ['C', 'A', 'B', 'D'] }]);
    expect(result.projectLists).toEqual([]);
    expect(result.projects).toEqual([]);
    expect(codes(result).filter((c) => c.startsWith('error'))).toEqual(['error:unknownBallotList:ballot:t1:s1:区组', 'error:unknownBallotList:ballot:t1:s1:县组', 'error:unknownBallotList:ballot:t1:s2:区组', 'error:unknownBallotList:ballot:t1:s2:县组']);
    expect(result.missingCount).toBe(0);
  });

  it.each(['tour', 'group'] as const)('one ballot per group (projects ranked per %s)', (projectScope) => {
    const result = computeRankings(build().rules({ projectScope, unitScope: 'group' }).input());
    expect(unitTable(result)).toEqual({ A: ['100.00', 1], B: ['98.50', 2], C: ['98.50', 1], D: ['98.50', 1] });
    expect(result.unitLists).toEqual([
      { scope: 'group', group: '县组', unitIds: ['A', 'B'] },
      { scope: 'group', group: '区组', unitIds: ['C', 'D'] },
    ]);
    expect(result.projectLists).toEqual([]);
    expect(codes(result).filter((c) => c.startsWith('error'))).toEqual(['error:unknownBallotList:ballot:t1:s1:', 'error:unknownBallotList:ballot:t1:s2:']);
    // s1 is recused from A in 县组 (their own unit), not missing
    expect(unit(result, 'A').votes!.recusedScorers).toEqual([{ scorerId: 's1', hadSheet: false }]);
    expect(result.missingCount).toBe(0);
  });
});
