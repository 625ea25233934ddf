import { defaultRankingRules, rulesKey } from '@shared/domain/schemas';
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../../i18n/catalogs';
import { formToRules as formToRulesIn, rulesToForm } from './rules-form';
import { deskFormSchemas, parseGroupWeights as parseGroupWeightsIn, templateTotal } from './tour-form-schema';

// the schemas in the default language (zh-CN), as the secretariat reads them
const zh = createTranslator('zh-CN');
const { tourMeta: tourMetaFormSchema, template: templateFormSchema, rules: rulesFormSchema } = deskFormSchemas(zh);
const parseGroupWeights = (text: string) => parseGroupWeightsIn(text, zh);
const formToRules = (form: Parameters<typeof formToRulesIn>[0]) => formToRulesIn(form, zh);

const messages = (result: { success: boolean; error?: { issues: { message: string; path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('tour form validation', () => {
  it('accepts a valid tour and explains what is wrong in Chinese', () => {
    expect(tourMetaFormSchema.safeParse({ name: '崇川观摩', kind: 'scored', startDate: '2021-12-08', endDate: '2021-12-09' }).success).toBe(true);
    expect(messages(tourMetaFormSchema.safeParse({ name: ' ', kind: 'scored', startDate: '2021-02-30', endDate: '2021-12-01' }))).toEqual([
      'name: 请填写观摩活动名称',
      'startDate: 不是有效的日期',
    ]);
    expect(messages(tourMetaFormSchema.safeParse({ name: 'x', kind: 'study', startDate: '2021-12-09', endDate: '2021-12-08' }))).toEqual(['endDate: 结束日期不能早于开始日期']);
  });

  it('checks criteria: max a multiple of step, unique names, at least one', () => {
    const ok = { key: 'c1', name: '建设进度', max: 25, step: 0.5, guidance: '' };
    expect(templateFormSchema.safeParse({ criteria: [ok] }).success).toBe(true);
    expect(messages(templateFormSchema.safeParse({ criteria: [{ ...ok, max: 25.3 }] }))).toEqual(['criteria.0.max: 分值须为步长的整数倍']);
    expect(messages(templateFormSchema.safeParse({ criteria: [ok, { ...ok, key: 'c2' }] }))).toEqual(['criteria: 评分项目名称不能重复']);
    expect(messages(templateFormSchema.safeParse({ criteria: [] }))).toEqual(['criteria: 至少需要一个评分项目']);
    expect(messages(templateFormSchema.safeParse({ criteria: [{ ...ok, max: Number.NaN }] }))[0]).toMatch(/^criteria.0.max: 分值须为数字/);
  });

  it('totals the template without float noise', () => {
    expect(templateTotal([{ max: 20.1 }, { max: 0.2 }, { max: 79.7 }])).toBe(100);
  });

  it('parses group weights line by line', () => {
    expect(parseGroupWeights('')).toEqual({ ok: true, value: null });
    expect(parseGroupWeights('市领导=0.6\n部门：0.4')).toEqual({ ok: true, value: { 市领导: 0.6, 部门: 0.4 } });
    expect(parseGroupWeights('市领导=0.6\n部门')).toEqual({ ok: false, message: '第2行应写成“权重组=权重”，权重为正数，如“市领导=0.6”' });
    expect(parseGroupWeights('a=1\na=2')).toMatchObject({ ok: false, message: '第2行的权重组“a”重复' });
  });

  it('checks the trim rule against the sheets needed', () => {
    const form = { ...rulesToForm(defaultRankingRules), isTrimmed: true, dropHighest: 2, dropLowest: 2, minSheets: 4 };
    expect(messages(rulesFormSchema.safeParse(form))).toEqual(['minSheets: 张数须大于去掉的最高分和最低分个数之和']);
    expect(rulesFormSchema.safeParse({ ...form, isTrimmed: false }).success).toBe(true);
  });

  it('round-trips every ranking rule through the form', () => {
    const rules = {
      method: 'rankVote' as const,
      trim: { dropHighest: 1, dropLowest: 2, minSheets: 7 },
      groupWeights: { 市领导: 0.6, 部门: 0.4 },
      recusal: false,
      unitScore: 'investmentWeighted' as const,
      indicatorWeight: 0.3,
      projectScope: 'tour' as const,
      unitScope: 'group' as const,
      tieBreakCriterion: 'c2',
    };
    expect(rulesKey(formToRules(rulesToForm(rules)))).toBe(rulesKey(rules));
    expect(formToRules(rulesToForm(rules))).toMatchObject(rules);
    expect(rulesKey(formToRules(rulesToForm({ ...rules, projectScope: 'group', unitScope: 'tour' })))).toBe(rulesKey({ ...rules, projectScope: 'group', unitScope: 'tour' }));
    expect(rulesKey(formToRules(rulesToForm(defaultRankingRules)))).toBe(rulesKey(defaultRankingRules));
  });

  it('explains the same problems in English', () => {
    const en = deskFormSchemas(createTranslator('en'));
    expect(messages(en.tourMeta.safeParse({ name: ' ', kind: 'scored', startDate: '2021-02-30', endDate: '2021-12-01' }))).toEqual([
      'name: Enter the name of the tour',
      'startDate: Not a valid date',
    ]);
    const ok = { key: 'c1', name: 'Progress', max: 25, step: 0.5, guidance: '' };
    expect(messages(en.template.safeParse({ criteria: [{ ...ok, max: 25.3 }] }))).toEqual(['criteria.0.max: Points must be a multiple of the step']);
    expect(messages(en.rules.safeParse({ ...rulesToForm(defaultRankingRules), groupWeightsText: 'a=1\na=2' }))).toEqual(['groupWeightsText: Line 2: the weight group "a" is listed twice']);
    expect(messages(en.stop.safeParse({ name: 'x', unitId: '', day: '2021-12-08', category: '', totalInvestment: 10, completedInvestment: 20, address: '' }))).toEqual([
      'unitId: Choose the unit',
      'completedInvestment: Completed investment cannot exceed the total investment',
    ]);
    expect(messages(en.scorer.safeParse({ userId: '', name: '', role: 'scorer', homeUnitId: '', weightGroup: '', post: '' }))).toEqual(['userId: Search for a person and pick one first', 'name: Enter the name']);
  });

  it('requires a person picked and a name for a scorer; 职务 at most 100 characters', () => {
    const { scorer } = deskFormSchemas(zh);
    expect(messages(scorer.safeParse({ userId: '', name: '', role: 'scorer', homeUnitId: '', weightGroup: '', post: '' }))).toEqual(['userId: 请先搜索并选择一个人', 'name: 请填写姓名']);
    expect(messages(scorer.safeParse({ userId: 'u1', name: '张三', role: 'scorer', homeUnitId: '', weightGroup: '', post: '长'.repeat(101) }))).toEqual(['post: 职务太长（最多 100 个字）']);
  });
});
