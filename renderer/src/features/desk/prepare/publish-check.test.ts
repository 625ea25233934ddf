import { defaultRankingRules, type Tour } from '@shared/domain/schemas';
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../../i18n/catalogs';
import { publishProblems as publishProblemsIn } from './publish-check';

const zh = createTranslator('zh-CN');
const publishProblems = (...args: [Tour, Parameters<typeof publishProblemsIn>[1], Parameters<typeof publishProblemsIn>[2]]) => publishProblemsIn(...args, zh);

const tour: Tour = {
  id: 't',
  name: 'T',
  kind: 'scored',
  startDate: '2021-12-08',
  endDate: '2021-12-09',
  status: 'draft',
  template: { id: 'tpl', name: '评分表', criteria: [{ key: 'c1', name: '项目规模', max: 20, step: 0.5, guidance: '' }] },
  rules: defaultRankingRules,
};

describe('publish check', () => {
  it('is ready with stops inside the dates, a template and a scorer', () => {
    expect(publishProblems(tour, [{ day: '2021-12-09', name: 'A' }], [{ role: 'scorer' }])).toEqual([]);
  });

  it('names everything missing', () => {
    expect(publishProblems({ ...tour, template: null }, [], [])).toEqual(['还没有观摩项目：请导入行程表', '观摩评议活动需要评分表模板：请导入或填写评分表模板', '还没有评委或观摩人员']);
    expect(publishProblems(tour, [{ day: '2021-12-10', name: 'A' }], [{ role: 'observer' }])).toEqual([
      '有1个项目的观摩日期不在活动日期（2021-12-08 ~ 2021-12-09）内：A（2021-12-10）',
      '观摩评议活动至少需要一名评委',
    ]);
  });

  it('says it in English too, with plural forms', () => {
    const en = createTranslator('en');
    expect(publishProblemsIn({ ...tour, template: null }, [], [], en)).toEqual(['No projects yet: import the itinerary table', 'A scored tour needs a score sheet template: import or fill one in', 'No scorers or observers yet']);
    expect(publishProblemsIn(tour, [{ day: '2021-12-10', name: 'A' }], [{ role: 'scorer' }], en)).toEqual(['1 project is dated outside the tour dates (2021-12-08 ~ 2021-12-09): A (2021-12-10)']);
    expect(
      publishProblemsIn(
        tour,
        [
          { day: '2021-12-10', name: 'A' },
          { day: '2021-12-07', name: 'B' },
        ],
        [{ role: 'scorer' }],
        en,
      ),
    ).toEqual(['2 projects are dated outside the tour dates (2021-12-08 ~ 2021-12-09): A (2021-12-10), B (2021-12-07)']);
  });

  it('a rank vote needs no template (its ballots rank units), but a scorer', () => {
    const rankVote: Tour = { ...tour, template: null, rules: { ...defaultRankingRules, method: 'rankVote' } };
    expect(publishProblems(rankVote, [{ day: '2021-12-08', name: 'A' }], [{ role: 'scorer' }])).toEqual([]);
    expect(publishProblems(rankVote, [{ day: '2021-12-08', name: 'A' }], [{ role: 'observer' }])).toEqual(['观摩评议活动至少需要一名评委']);
  });

  it('a study tour needs no template and no scorer, only people', () => {
    expect(publishProblems({ ...tour, kind: 'study', template: null }, [{ day: '2021-12-08', name: 'A' }], [{ role: 'observer' }])).toEqual([]);
  });
});
