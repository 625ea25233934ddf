import { describe, expect, it } from 'vitest';
import { computeRankings } from '@shared/ranking';
import { buildDeskTables, notesByKind } from './ranking-tables';
import { handWorkedTour } from './hand-worked-tour';
import { computeDeskRankings } from './compute-desk-rankings';

function tables() {
  const input = handWorkedTour();
  return buildDeskTables({ ...input, rankings: computeRankings(input) });
}

describe('buildDeskTables (hand-worked tour, see hand-worked-tour.ts)', () => {
  it('lists projects and units per group, in tour order, with ranks, ties and two-decimal figures', () => {
    const t = tables();
    expect(t.projectLists.map((l) => [l.scope, l.group])).toEqual([
      ['group', '县组'],
      ['group', '区组'],
    ]);
    expect(t.unitLists.map((l) => [l.scope, l.group])).toEqual([
      ['group', '县组'],
      ['group', '区组'],
    ]);
    expect(t.groups).toEqual(['县组', '区组']);
    const [county, district] = t.projectLists;
    expect(district!.projects.map((p) => [p.stopId, p.rank, p.isTie, p.score?.display, p.score?.value, p.sheetsCounted, p.trimmed, p.missing])).toEqual([
      ['P4', 1, false, '82.33', 82.33, 3, false, 2],
      ['P3', 2, false, '73.33', 73.33, 3, true, 0],
    ]);
    expect(county!.projects.map((p) => [p.stopId, p.rank, p.isTie, p.score?.display, p.sheetsCounted, p.trimmed, p.missing])).toEqual([
      ['P1', 1, true, '82.50', 2, true, 0],
      ['P2', 1, true, '82.50', 2, true, 1],
    ]);
    const [countyUnits, districtUnits] = t.unitLists;
    expect(districtUnits!.units.map((u) => [u.unitId, u.rank, u.isTie, u.score?.display, u.projects])).toEqual([['U3', 1, false, '77.83', 2]]);
    expect(countyUnits!.units.map((u) => [u.unitId, u.rank, u.isTie, u.score?.display, u.name])).toEqual([
      ['U1', 1, true, '82.50', '单位U1'],
      ['U2', 1, true, '82.50', '单位U2'],
    ]);
  });

  it('ranks projects and units each in their own scope', () => {
    const input = handWorkedTour();
    const records = { ...input, units: [...input.units], stops: [...input.stops], scorers: [...input.scorers], sheets: [...input.sheets] };
    const { tables: t } = computeDeskRankings(records, { ...input.tour.rules, projectScope: 'tour', unitScope: 'group' });
    expect(t.projectLists).toHaveLength(1);
    expect(t.projectLists[0]!.scope).toBe('tour');
    expect(t.projectLists[0]!.projects.map((p) => [p.stopId, p.rank, p.isTie])).toEqual([
      ['P1', 1, true],
      ['P2', 1, true],
      ['P4', 3, false],
      ['P3', 4, false],
    ]);
    expect(t.unitLists.map((l) => [l.group, l.units.map((u) => [u.unitId, u.rank])])).toEqual([
      ['县组', [['U1', 1], ['U2', 1]]],
      ['区组', [['U3', 1]]],
    ]);
    const reverse = computeDeskRankings(records, { ...input.tour.rules, projectScope: 'group', unitScope: 'tour' }).tables;
    expect(reverse.projectLists.map((l) => l.group)).toEqual(['县组', '区组']);
    expect(reverse.unitLists).toEqual([{ scope: 'tour', group: null, units: expect.any(Array) }]);
    expect(reverse.unitLists[0]!.units.map((u) => [u.unitId, u.rank, u.isTie])).toEqual([
      ['U1', 1, true],
      ['U2', 1, true],
      ['U3', 3, false],
    ]);
  });

  it('lists scorers, and each project’s sheets, in assignment order (not by name)', () => {
    const input = handWorkedTour();
    // the secretariat's list puts s5 first, s1 last; s3 has a post
    const order: Record<string, number> = { s5: 0, s4: 1, s3: 2, s2: 3, s1: 4 };
    const scorers = input.scorers.map((s) => ({ ...s, order: order[s.id]!, ...(s.id === 's3' ? { post: '市委书记' } : {}) }));
    const { tables: t } = computeDeskRankings({ ...input, units: [...input.units], stops: [...input.stops], scorers, sheets: [...input.sheets] });
    expect(t.scorers.map((s) => s.scorerId)).toEqual(['s5', 's4', 's3', 's2', 's1']);
    expect(t.scorers.find((s) => s.scorerId === 's3')!.post).toBe('市委书记');
    expect(t.sheetsOfStop('P1').map((r) => r.scorerId)).toEqual(['s5', 's4', 's3', 's2', 's1']);
    // the tour's rows: stops in itinerary order, then scorers in assignment order
    expect(t.sheets.slice(0, 6).map((r) => [r.stopId, r.scorerId])).toEqual([
      ['P1', 's5'],
      ['P1', 's4'],
      ['P1', 's3'],
      ['P1', 's2'],
      ['P1', 's1'],
      ['P2', 's5'],
    ]);
  });

  it('gives per-criterion means that add up to the score', () => {
    const t = tables();
    const row = (id: string) => t.projectLists.flatMap((l) => l.projects).find((p) => p.stopId === id)!;
    const means = (id: string) => Object.fromEntries(Object.entries(row(id).criterionMeans).map(([k, f]) => [k, f?.display]));
    expect(means('P1')).toEqual({ a: '51.00', b: '31.50' });
    expect(means('P2')).toEqual({ a: '51.25', b: '31.25' });
    expect(means('P3')).toEqual({ a: '43.00', b: '30.33' });
    expect(means('P4')).toEqual({ a: '48.33', b: '34.00' });
    expect(t.criteria).toEqual([
      { key: 'a', name: '指标a', max: 60 },
      { key: 'b', name: '指标b', max: 40 },
    ]);
  });

  it("marks each scorer's sheet as counted, dropped highest/lowest, recused or missing", () => {
    const t = tables();
    const fates = (stopId: string) => t.sheets.filter((s) => s.stopId === stopId).map((s) => [s.scorerId, s.fate, s.total?.display ?? null]);
    expect(fates('P1')).toEqual([
      ['s1', 'recused', null],
      ['s2', 'counted', '80.00'],
      ['s3', 'counted', '85.00'],
      ['s4', 'droppedLowest', '78.00'],
      ['s5', 'droppedHighest', '90.00'],
    ]);
    expect(fates('P2')).toEqual([
      ['s1', 'droppedLowest', '80.00'],
      ['s2', 'droppedHighest', '85.00'],
      ['s3', 'counted', '82.50'],
      ['s4', 'counted', '82.50'],
      ['s5', 'draft', null],
    ]);
    expect(fates('P4').map(([id, fate]) => [id, fate])).toEqual([
      ['s1', 'counted'],
      ['s2', 'counted'],
      ['s3', 'counted'],
      ['s4', 'draft'],
      ['s5', 'draft'],
    ]);
    // the recused scorer's sheet is listed with its scores but never counted
    expect(t.sheets.find((s) => s.stopId === 'P1' && s.scorerId === 's1')!.scores).toEqual({ a: 60, b: 40 });
    expect(t.sheets).toHaveLength(20);
    expect(t.missingCount).toBe(3);
  });

  it("gives one project's sheet rows alone, the same as the tour's rows for that project", () => {
    const alone = tables();
    const all = tables();
    for (const stopId of ['P1', 'P2', 'P3', 'P4']) {
      // built for the project alone (before the tour's rows exist), then from the tour's rows
      expect(alone.sheetsOfStop(stopId)).toEqual(all.sheets.filter((r) => r.stopId === stopId));
      expect(all.sheetsOfStop(stopId)).toEqual(all.sheets.filter((r) => r.stopId === stopId));
    }
    expect(alone.sheetsOfStop('P1').map((r) => [r.scorerId, r.fate])).toEqual([
      ['s1', 'recused'],
      ['s2', 'counted'],
      ['s3', 'counted'],
      ['s4', 'droppedLowest'],
      ['s5', 'droppedHighest'],
    ]);
    expect(alone.sheetsOfStop('nope')).toEqual([]);
    expect(alone.method).toBe('score');
  });

  it('tallies scorers and flags the one far from the others', () => {
    const t = tables();
    const s1 = t.scorers.find((s) => s.scorerId === 's1')!;
    expect([s1.submitted, s1.counted, s1.dropped, s1.recused, s1.missing]).toEqual([3, 2, 1, 1, 0]);
    expect(s1.homeUnitName).toBe('单位U1');
    expect(t.scorers.filter((s) => s.deviation?.isFlagged).map((s) => s.scorerId)).toEqual(['s5']);
    const s5 = t.scorers.find((s) => s.scorerId === 's5')!;
    expect(s5.deviation!.meanDeviation).toBeCloseTo(-7.75, 9);
    expect(s5.deviation!.direction).toBe('harsh');
    expect(t.flaggedScorers).toBe(1);
  });

  it('recomputes with other rules (a preview) without touching the records', () => {
    const input = handWorkedTour();
    // no trimming: P1 = (80+85+78+90)/4 = 83.25, P2 = (80+85+82.5+82.5)/4 = 82.50 → the tie is broken
    const { tables: t } = computeDeskRankings({ ...input, units: [...input.units], stops: [...input.stops], scorers: [...input.scorers], sheets: [...input.sheets] }, { ...input.tour.rules, trim: null });
    const county = t.projectLists.find((l) => l.group === '县组')!;
    expect(county.projects.map((p) => [p.stopId, p.rank, p.isTie, p.score?.display])).toEqual([
      ['P1', 1, false, '83.25'],
      ['P2', 2, false, '82.50'],
    ]);
    expect(input.tour.rules.trim).not.toBeNull();
  });
});

describe('notesByKind', () => {
  it('groups live notes by kind in the secretariat’s order, oldest first', () => {
    const base = { tourId: 't', stopId: 'P1', authorId: 'u', updatedAt: '2021-12-08T10:00:00.000Z', deletedAt: null };
    const groups = notesByKind([
      { ...base, id: '1', kind: 'problem', text: '进度偏慢', createdAt: '2021-12-08T10:02:00.000Z' },
      { ...base, id: '2', kind: 'highlight', text: '智能化产线', createdAt: '2021-12-08T10:03:00.000Z' },
      { ...base, id: '3', kind: 'highlight', text: '投资强度大', createdAt: '2021-12-08T10:01:00.000Z' },
      { ...base, id: '4', kind: 'problem', text: '已删除', createdAt: '2021-12-08T10:00:00.000Z', deletedAt: '2021-12-08T11:00:00.000Z' },
    ]);
    expect(groups).toEqual([
      { kind: 'highlight', label: '亮点', texts: ['投资强度大', '智能化产线'] },
      { kind: 'problem', label: '问题', texts: ['进度偏慢'] },
    ]);
  });
});
