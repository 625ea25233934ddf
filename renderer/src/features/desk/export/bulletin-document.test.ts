import { describe, expect, it } from 'vitest';
import type { RankingRules } from '@shared/domain/schemas';
import { TourBuilder } from '@shared/ranking/tour-builder';
import { computeDeskRankings } from '../rankings/compute-desk-rankings';
import { handWorkedTour } from '../rankings/hand-worked-tour';
import { buildBulletinDocument, chineseNumeral, documentRank, photoPageStops, projectStanding, titlePieces } from './bulletin-document';

function documentOf(input: ReturnType<typeof handWorkedTour>, rules?: Partial<RankingRules>) {
  const tour = rules ? { ...input.tour, rules: { ...input.tour.rules, ...rules } } : input.tour;
  const records = { tour, units: [...input.units], stops: [...input.stops], scorers: [...input.scorers], sheets: [...input.sheets], ballots: [...(input.ballots ?? [])] };
  const { tables } = computeDeskRankings(records);
  return buildBulletinDocument({ tour, units: records.units, stops: records.stops, tables });
}

describe('the bulletin document', () => {
  it('lists units, then projects, groups in tour order (县组 is visited first, although 区 sorts before 县), the method last', () => {
    const doc = documentOf(handWorkedTour());
    expect(doc.title).toBe('关于测试观摩结果的通报');
    expect(doc.period).toBe('2021年12月8日');
    expect(doc.opening).toBe('测试观摩于2021年12月8日举行，共观摩3个参评单位的4个项目。现将评议结果通报如下。');
    expect(doc.units?.heading).toBe('一、参评单位排名');
    expect(doc.units?.tables.map((t) => t.heading)).toEqual(['（一）县组', '（二）区组']);
    expect(doc.units?.tables.map((t) => t.rows.map((r) => [documentRank(r.rank, r.isTie), r.name, r.score?.display]))).toEqual([
      [
        ['1（并列）', '单位U1', '82.50'],
        ['1（并列）', '单位U2', '82.50'],
      ],
      [['1', '单位U3', '77.83']],
    ]);
    expect(doc.projects?.heading).toBe('二、项目排名');
    expect(doc.projects?.tables.map((t) => [t.heading, t.rows.map((r) => [r.rank, r.name, r.score?.display])])).toEqual([
      ['（一）县组', [[1, '项目P1', '82.50'], [1, '项目P2', '82.50']]],
      ['（二）区组', [[1, '项目P4', '82.33'], [2, '项目P3', '73.33']]],
    ]);
    // one group per list: no 分组 column; no indicator, no ballots
    expect(doc.units?.tables.every((t) => !t.hasGroupColumn && !t.hasIndicatorColumns && !t.hasBallotColumn)).toBe(true);
    expect(doc.projects?.tables.every((t) => !t.hasGroupColumn)).toBe(true);
    expect(doc.method.heading).toBe('三、评议办法');
    expect(doc.method.sentence).toContain('项目和参评单位均在县组、区组各组分别排名');
    expect(doc.method.sentence).toContain('评分表达到4张的，先去掉1个最高分和1个最低分');
    expect(doc.notes).toEqual([]);
  });

  it('ranks over the whole tour in one list each, with a 分组 column', () => {
    const doc = documentOf(handWorkedTour(), { projectScope: 'tour', unitScope: 'tour' });
    expect(doc.units?.tables).toHaveLength(1);
    expect(doc.units?.tables[0]).toMatchObject({ heading: null, hasGroupColumn: true });
    expect(doc.projects?.tables[0]).toMatchObject({ heading: null, hasGroupColumn: true });
    expect(doc.projects?.tables[0]!.rows.map((r) => [r.name, r.group])).toEqual([
      ['项目P1', '县组'],
      ['项目P2', '县组'],
      ['项目P4', '区组'],
      ['项目P3', '区组'],
    ]);
    expect(doc.method.sentence).toContain('项目和参评单位均全部统一排名');
  });

  it('ranks projects over the whole tour and units within groups when the scopes differ', () => {
    const doc = documentOf(handWorkedTour(), { projectScope: 'tour', unitScope: 'group' });
    expect(doc.units?.tables.map((t) => t.heading)).toEqual(['（一）县组', '（二）区组']);
    expect(doc.projects?.tables).toHaveLength(1);
    expect(doc.projects?.tables[0]).toMatchObject({ heading: null, hasGroupColumn: true });
    // P1 and P2 82.50 tie at 1, then P4 82.33, then P3 73.33, over the whole tour
    expect(doc.projects?.tables[0]!.rows.map((r) => [r.rank, r.name])).toEqual([
      [1, '项目P1'],
      [1, '项目P2'],
      [3, '项目P4'],
      [4, '项目P3'],
    ]);
    expect(doc.method.sentence).toContain('项目全部统一排名，参评单位在县组、区组各组分别排名');
  });

  it('prints the indicator columns only when blended, and explains an unranked unit and an unscored project', () => {
    const t = new TourBuilder([['a', 100, 1]], { indicatorWeight: 0.2, recusal: false, projectScope: 'tour', unitScope: 'tour' });
    t.unit('A', { indicator: 90 }).unit('B', { indicator: null }).unit('C', { indicator: 70 });
    t.stop('P1', 'A').stop('P2', 'B').stop('P3', 'C');
    t.scorer('s1').sheet('P1', 's1', [80]).sheet('P2', 's1', [70]);
    const doc = documentOf(t.input());
    const units = doc.units!.tables[0]!;
    expect(units.hasIndicatorColumns).toBe(true);
    expect(units.rows.map((u) => [documentRank(u.rank, u.isTie), u.name, u.onSite?.display ?? '—', u.indicator?.display ?? '—', u.score?.display ?? '—'])).toEqual([
      ['1', '单位A', '80.00', '90.00', '82.00'],
      ['—', '单位B', '70.00', '—', '—'],
      ['—', '单位C', '—', '70.00', '—'],
    ]);
    expect(doc.notes).toEqual(['项目名次、得分为“—”的，没有有效评分表，不参加排名。', '单位C的项目没有有效评分表，不参加排名。', '单位B缺少指标得分，不参加排名。']);
  });

  it('prints no project tables for a rank vote, and a 有效排序票 column', () => {
    const t = new TourBuilder([['a', 100, 1]], { method: 'rankVote', recusal: false, projectScope: 'tour', unitScope: 'tour' });
    t.unit('A').unit('B');
    t.stop('P1', 'A').stop('P2', 'B');
    t.scorer('s1').scorer('s2').ballot('s1', ['A', 'B']).ballot('s2', ['B', 'A']);
    const doc = documentOf(t.input());
    expect(doc.projects).toBeNull();
    expect(doc.units?.heading).toBe('一、参评单位排名');
    expect(doc.method.heading).toBe('二、评议办法');
    expect(doc.units?.tables[0]).toMatchObject({ hasBallotColumn: true, hasIndicatorColumns: false });
    expect(doc.units?.tables[0]!.rows.map((u) => [documentRank(u.rank, u.isTie), u.name, u.ballots, u.score?.display])).toEqual([
      ['1（并列）', '单位A', 2, '98.50'],
      ['1（并列）', '单位B', 2, '98.50'],
    ]);
    expect(doc.method.sentence).toMatch(/^各评委对全部参评单位排序投票/);
  });

  it('gives photo pages only to projects with a photo, in itinerary order', () => {
    const stops = [
      { id: 'c', day: '2018-12-04', order: 1 },
      { id: 'a', day: '2018-12-03', order: 2 },
      { id: 'b', day: '2018-12-03', order: 1 },
    ];
    expect(photoPageStops(stops, (id) => id !== 'a').map((s) => s.id)).toEqual(['b', 'c']);
    expect(photoPageStops(stops, () => false)).toEqual([]);
  });

  it('words a standing, a rank and section numbers as a document does', () => {
    const score = { value: 86.5, display: '86.50' };
    expect(projectStanding({ score, rank: 2, isTie: true }, { group: '县组', scope: 'group' })).toBe('得分86.50，县组第2名（并列）');
    expect(projectStanding({ score, rank: 3, isTie: false }, { group: null, scope: 'tour' })).toBe('得分86.50，第3名');
    expect(projectStanding({ score: null, rank: null, isTie: false }, { group: '县组', scope: 'group' })).toBe('未计分（没有有效评分表）');
    expect(documentRank(null, false)).toBe('—');
    expect([1, 2, 9, 10, 11, 20, 21, 99].map(chineseNumeral)).toEqual(['一', '二', '九', '十', '十一', '二十', '二十一', '九十九']);
  });

  it('lets a long title break only between words, never inside a name or next to a number', () => {
    for (const title of ['关于聊城市2018年度重点项目现场观摩评议结果的通报', '关于崇川区2021年重点项目现场观摩评议（CSV导入）结果的通报', '关于测试观摩结果的通报']) {
      const pieces = titlePieces(title);
      expect(pieces.join('')).toBe(title);
      const cuts = pieces.slice(1).map((_, i) => pieces.slice(0, i + 1).join('').length);
      for (const cut of cuts) {
        const [before, after] = [title.slice(0, cut), title.slice(cut)];
        expect(before, `${title} cut after “${before}”`).toMatch(/\p{Script=Han}{2}$/u);
        expect(after).toMatch(/^\p{Script=Han}{2}/u);
        for (const word of ['观摩', '评议', '聊城', '崇川', '通报', '2018年', '2021年']) expect(before.endsWith(word.slice(0, 1)) && after.startsWith(word.slice(1))).toBe(false);
      }
    }
    // the title of the e2e tour can break at 重点 / 项目 / 现场, not inside 重点项目
    expect(titlePieces('关于聊城市2018年度重点项目现场观摩评议结果的通报').length).toBeGreaterThan(1);
  });
});
