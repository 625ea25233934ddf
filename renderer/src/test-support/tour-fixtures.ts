import type { LoadDemoTours } from '../db/seed-demo';

/**
 * Two small tours in the shape `buildDemoTours` returns (unvalidated, as seeding receives them).
 * People: u-alice scores fx-scored and observes fx-study; u-bob scores fx-scored but comes from
 * 文峰街道 (recused from fx-scored:s2); u-olga observes fx-scored.
 */
export function fixtureTours() {
  return [
    {
      tour: {
        id: 'fx-scored',
        name: '示例区重点项目观摩评议',
        kind: 'scored',
        status: 'scoring',
        startDate: '2021-12-08',
        endDate: '2021-12-09',
        template: {
          id: 'fx-template',
          name: '观摩评议表',
          criteria: [
            { key: 'scale', name: '项目规模', max: 40, step: 0.5, guidance: '总投资、占地、设计产能' },
            { key: 'progress', name: '建设进度', max: 40, step: 0.5, guidance: '形象进度与计划相符' },
            { key: 'report', name: '现场汇报', max: 20, step: 1 },
          ],
        },
      },
      units: [
        { id: 'fx-scored:u1', tourId: 'fx-scored', name: '高新区', group: '园区组' },
        { id: 'fx-scored:u2', tourId: 'fx-scored', name: '文峰街道', group: '街道组' },
      ],
      stops: [
        { id: 'fx-scored:s2', tourId: 'fx-scored', unitId: 'fx-scored:u2', day: '2021-12-08', order: 2, name: '安置房项目', category: '民生', totalInvestment: 8500, completedInvestment: 4250 },
        { id: 'fx-scored:s1', tourId: 'fx-scored', unitId: 'fx-scored:u1', day: '2021-12-08', order: 1, name: '信息科技园', category: '科创', totalInvestment: 100000, completedInvestment: 54000 },
        { id: 'fx-scored:s3', tourId: 'fx-scored', unitId: 'fx-scored:u1', day: '2021-12-09', order: 1, name: '智能制造基地', category: '工业', totalInvestment: 200000 },
      ],
      scorers: [
        { id: 'fx-scored:alice', tourId: 'fx-scored', userId: 'u-alice', name: '评委甲', role: 'scorer' },
        // comes from 文峰街道: recuses from its project (s2)
        { id: 'fx-scored:bob', tourId: 'fx-scored', userId: 'u-bob', name: '评委乙', role: 'scorer', homeUnitId: 'fx-scored:u2' },
        { id: 'fx-scored:olga', tourId: 'fx-scored', userId: 'u-olga', name: '观摩人员', role: 'observer' },
      ],
    },
    {
      tour: { id: 'fx-study', name: '赴外地考察学习', kind: 'study', status: 'published', startDate: '2021-04-21', endDate: '2021-04-21' },
      units: [{ id: 'fx-study:u1', tourId: 'fx-study', name: '东港区' }],
      stops: [{ id: 'fx-study:s1', tourId: 'fx-study', unitId: 'fx-study:u1', day: '2021-04-21', order: 1, name: '文化广场', category: '服务业' }],
      scorers: [{ id: 'fx-study:alice', tourId: 'fx-study', userId: 'u-alice', name: '评委甲', role: 'observer' }],
    },
  ];
}

export const loadFixtureTours: LoadDemoTours = async () => fixtureTours();
