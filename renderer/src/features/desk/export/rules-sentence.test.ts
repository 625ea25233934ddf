import { describe, expect, it } from 'vitest';
import { defaultRankingRules, rankingRulesSchema, type RankingRules, type RankScope, type Template } from '@shared/domain/schemas';
import { rulesSentence } from './rules-sentence';

const template: Template = {
  id: 'tpl',
  name: '观摩评议表',
  criteria: [
    { key: 'scale', name: '项目规模', max: 40, step: 1, guidance: '' },
    { key: 'progress', name: '建设进度', max: 59.5, step: 0.5, guidance: '' },
    { key: 'report', name: '现场汇报', max: 0.5, step: 0.5, guidance: '' },
  ],
};
const tour = { template };
const groups = ['县组', '区组'];
const rules = (patch: Partial<RankingRules>): RankingRules => rankingRulesSchema.parse({ ...defaultRankingRules, ...patch });

describe('the bulletin rules sentence', () => {
  it('words the default rules of a score tour in full', () => {
    expect(rulesSentence(tour, defaultRankingRules, { groups })).toBe(
      '各评委按《观摩评议表》（满分100分）对项目现场打分，评委回避本单位项目；项目得分取各评委总分的平均分；单位得分取其各项目得分的平均分；' +
        '项目和参评单位均在县组、区组各组分别排名；得分四舍五入保留两位小数，按保留后的得分排名，得分相同的名次并列。',
    );
  });

  it('words trimming with its threshold, split scopes and a tie-break criterion', () => {
    const sentence = rulesSentence(tour, rules({ trim: { dropHighest: 1, dropLowest: 1, minSheets: 5 }, projectScope: 'tour', unitScope: 'group', tieBreakCriterion: 'progress' }), { groups });
    expect(sentence).toBe(
      '各评委按《观摩评议表》（满分100分）对项目现场打分，评委回避本单位项目；项目得分取各评委总分的平均分（评分表达到5张的，先去掉1个最高分和1个最低分）；' +
        '单位得分取其各项目得分的平均分；项目全部统一排名，参评单位在县组、区组各组分别排名；' +
        '得分四舍五入保留两位小数，按保留后的得分排名，得分相同的，“建设进度”平均分高者名次在前，仍相同的名次并列。',
    );
  });

  it('words group weights (trimmed per group), no recusal, investment weighting and the indicator blend', () => {
    const sentence = rulesSentence(
      tour,
      rules({ trim: { dropHighest: 2, dropLowest: 1, minSheets: 7 }, groupWeights: { 市领导: 0.6, 部门: 0.4 }, recusal: false, unitScore: 'investmentWeighted', indicatorWeight: 0.3, projectScope: 'group', unitScope: 'tour' }),
      { groups },
    );
    expect(sentence).toBe(
      '各评委按《观摩评议表》（满分100分）对项目现场打分，本单位项目同样打分（不回避）；' +
        '项目得分按权重组加权（权重：市领导0.6、部门0.4），先取各组评委总分的平均分（各组评分表达到7张的，组内先去掉2个最高分和1个最低分；某组没有评分表的，按其余各组权重折算），再按权重加权平均；' +
        '单位现场得分取其各项目得分按总投资加权的平均分，单位综合得分＝现场得分×70%＋指标得分×30%；项目在县组、区组各组分别排名，参评单位全部统一排名；' +
        '得分四舍五入保留两位小数，按保留后的得分排名，得分相同的名次并列。',
    );
  });

  it('words the rank vote: what a ballot lists, the points, recusal, trimming, no projects and no tie-break', () => {
    const sentence = rulesSentence(tour, rules({ method: 'rankVote', trim: { dropHighest: 1, dropLowest: 0, minSheets: 5 }, tieBreakCriterion: 'scale', unitScore: 'investmentWeighted' }), { groups });
    expect(sentence).toBe(
      '各评委在县组、区组各组内分别排序投票，第1名得100分，每后一名减3分（第r名得100−3(r−1)分），评委回避本单位（本单位不计分，其后各单位依次前移）；' +
        '单位得分取各评委所给分数的平均分（排序票达到5张的，先去掉1个最高分）；参评单位在县组、区组各组分别排名；' +
        '得分四舍五入保留两位小数，按保留后的得分排名，得分相同的名次并列。',
    );
    expect(sentence).not.toMatch(/项目|总投资|项目规模|评分表/);
    expect(rulesSentence(tour, rules({ method: 'rankVote', unitScope: 'tour', recusal: false, indicatorWeight: 1 }), { groups })).toBe(
      '各评委对全部参评单位排序投票，第1名得100分，每后一名减3分（第r名得100−3(r−1)分），本单位同样排序计分（不回避）；单位综合得分按指标得分计（排序得分不计入）；' +
        '参评单位全部统一排名；得分四舍五入保留两位小数，按保留后的得分排名，得分相同的名次并列。',
    );
  });

  it('says "one list" when the tour has fewer than two groups, and names an unnamed group', () => {
    expect(rulesSentence(tour, defaultRankingRules, { groups: [null] })).toContain('；项目和参评单位均全部统一排名；');
    expect(rulesSentence(tour, defaultRankingRules, { groups: ['县组', null] })).toContain('；项目和参评单位均在县组、未分组各组分别排名；');
    // groups unknown: the scope as set, the groups not named
    expect(rulesSentence(tour, defaultRankingRules)).toContain('；项目和参评单位均各组分别排名；');
  });

  it('survives a tour without a template, a template name in 《》, an unknown tie-break key and trimming that drops nothing', () => {
    expect(rulesSentence({ template: null }, defaultRankingRules, { groups })).toMatch(/^各评委按评分表对项目现场打分，/);
    expect(rulesSentence({ template: { ...template, name: '《评分表》' } }, defaultRankingRules, { groups })).toMatch(/^各评委按《评分表》（满分100分）/);
    expect(rulesSentence(tour, rules({ tieBreakCriterion: 'gone' }), { groups })).toMatch(/得分相同的名次并列。$/);
    expect(rulesSentence(tour, rules({ trim: { dropHighest: 0, dropLowest: 0, minSheets: 3 } }), { groups })).toContain('；项目得分取各评委总分的平均分；');
    expect(rulesSentence(tour, rules({ indicatorWeight: 1 / 3 }), { groups })).toContain('单位综合得分＝现场得分×66.67%＋指标得分×33.33%');
  });

  describe('every combination states every rule in force, and nothing that does not apply', () => {
    const trims = [null, { dropHighest: 1, dropLowest: 1, minSheets: 5 }, { dropHighest: 2, dropLowest: 0, minSheets: 6 }, { dropHighest: 0, dropLowest: 1, minSheets: 4 }];
    const scopes: RankScope[] = ['tour', 'group'];
    const combos: RankingRules[] = [];
    for (const method of ['score', 'rankVote'] as const)
      for (const trim of trims)
        for (const groupWeights of [null, { 市领导: 0.6, 部门: 0.4 }])
          for (const recusal of [true, false])
            for (const unitScore of ['mean', 'investmentWeighted'] as const)
              for (const indicatorWeight of [0, 0.25, 1])
                for (const projectScope of scopes)
                  for (const unitScope of scopes)
                    for (const tieBreakCriterion of [null, 'scale'])
                      combos.push(rules({ method, trim, groupWeights, recusal, unitScore, indicatorWeight, projectScope, unitScope, tieBreakCriterion }));

    it(`(${combos.length} combinations)`, () => {
      for (const r of combos) {
        const s = rulesSentence(tour, r, { groups });
        const why = `${JSON.stringify(r)}\n→ ${s}`;
        const isVote = r.method === 'rankVote';
        expect(s, why).toMatch(/^各评委.*。$/);
        expect(s.includes(isVote ? '排序投票，第1名得100分，每后一名减3分' : '按《观摩评议表》（满分100分）对项目现场打分'), why).toBe(true);
        expect(s.includes(r.recusal ? '评委回避本单位' : '（不回避）'), why).toBe(true);
        // a rank vote blended to 100 % indicator: the ballots' points (trimmed or weighted) count for nothing
        const isOnSiteUnused = isVote && r.indicatorWeight === 1;
        if (r.trim && !isOnSiteUnused) {
          const paper = isVote ? '排序票' : '评分表';
          expect(s.includes(`${paper}达到${r.trim.minSheets}张的，`), why).toBe(true);
          if (r.trim.dropHighest > 0) expect(s.includes(`${r.trim.dropHighest}个最高分`), why).toBe(true);
          if (r.trim.dropLowest > 0) expect(s.includes(`${r.trim.dropLowest}个最低分`), why).toBe(true);
        } else {
          expect(s, why).not.toMatch(/最高分|最低分|达到\d+张/);
        }
        expect(s.includes('按权重组加权（权重：市领导0.6、部门0.4）'), why).toBe(r.groupWeights !== null && !isOnSiteUnused);
        expect(s.includes('按总投资加权'), why).toBe(!isVote && r.unitScore === 'investmentWeighted' && r.indicatorWeight < 1);
        expect(s.includes('指标得分'), why).toBe(r.indicatorWeight > 0);
        if (r.indicatorWeight === 0.25) expect(s.includes(`单位综合得分＝${isVote ? '排序得分' : '现场得分'}×75%＋指标得分×25%`), why).toBe(true);
        // one name for a rank vote's score: 排序得分, never the score method's 现场得分
        expect(s.includes('现场得分'), why).toBe(!isVote && r.indicatorWeight > 0);
        const within = '在县组、区组各组分别排名';
        if (isVote) {
          expect(s, why).not.toMatch(/项目|“项目规模”/);
          expect(s.includes(r.unitScope === 'group' ? `参评单位${within}` : '参评单位全部统一排名'), why).toBe(true);
          expect(s.includes(r.unitScope === 'group' ? '在县组、区组各组内分别排序投票' : '对全部参评单位排序投票'), why).toBe(true);
        } else if (r.projectScope === r.unitScope) {
          expect(s.includes(r.projectScope === 'group' ? `项目和参评单位均${within}` : '项目和参评单位均全部统一排名'), why).toBe(true);
        } else {
          expect(s.includes(r.projectScope === 'group' ? `项目${within}，参评单位全部统一排名` : `项目全部统一排名，参评单位${within}`), why).toBe(true);
        }
        expect(s.includes('得分四舍五入保留两位小数，按保留后的得分排名'), why).toBe(true);
        expect(s.includes('“项目规模”平均分高者名次在前'), why).toBe(!isVote && r.tieBreakCriterion === 'scale');
        expect(s.endsWith('名次并列。'), why).toBe(true);
      }
      // and no two combinations that rank differently read the same
      const sentences = new Map<string, RankingRules>();
      for (const r of combos) {
        const s = rulesSentence(tour, r, { groups });
        const seen = sentences.get(s);
        if (seen) expect(sameEffect(seen, r), `${JSON.stringify(seen)} and ${JSON.stringify(r)} both read “${s}”`).toBe(true);
        else sentences.set(s, r);
      }
    });
  });
});

/** Rules that rank alike whatever the sheets: the sentence may (must) read the same for them. */
function sameEffect(a: RankingRules, b: RankingRules): boolean {
  const effect = (r: RankingRules) => ({
    ...r,
    rankWithinGroups: null,
    // a rank vote has no projects, criteria or investment weights; the indicator alone ignores the on-site method
    projectScope: r.method === 'rankVote' ? null : r.projectScope,
    tieBreakCriterion: r.method === 'rankVote' ? null : r.tieBreakCriterion,
    unitScore: r.method === 'rankVote' || r.indicatorWeight === 1 ? null : r.unitScore,
    ...(r.method === 'rankVote' && r.indicatorWeight === 1 ? { trim: null, groupWeights: null } : {}),
  });
  return JSON.stringify(effect(a)) === JSON.stringify(effect(b));
}
