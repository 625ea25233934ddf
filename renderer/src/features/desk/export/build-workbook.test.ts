/**
 * The workbook written, then read back with exceljs as a spreadsheet user would get it: every
 * figure must equal the desk's tables (the on-screen ranking), as a number with a 0.00 format;
 * ranks are numbers with a 并列 column; times are dates in the tour's time zone; the rules sheet
 * states the rules and counts; trial rules say so on every sheet.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { RankingRules } from '@shared/domain/schemas';
import { computeRankings } from '@shared/ranking';
import { TourBuilder } from '@shared/ranking/tour-builder';
import { handWorkedTour } from '../rankings/hand-worked-tour';
import { buildDeskTables, type DeskTables } from '../rankings/ranking-tables';
import { buildResultsWorkbook, workbookBytes, workbookFileName, type WorkbookMeta } from './build-workbook';
import { TRIAL_BANNER } from './workbook-sheet';

// 2021-12-10 09:30:05 in China
const COMPUTED_AT = new Date('2021-12-10T01:30:05.000Z');
const meta: WorkbookMeta = { exportedOn: '2021-12-10', computedAt: COMPUTED_AT, tourStatus: 'closed', isTrial: false };

function handWorkedTables(rules?: Partial<RankingRules>): DeskTables {
  const input = handWorkedTour();
  const withRules = rules ? { ...input, rules: { ...input.tour.rules, ...rules } } : input;
  return buildDeskTables({ ...input, rankings: computeRankings(withRules) });
}

async function readBack(tables: DeskTables, workbookMeta: WorkbookMeta = meta): Promise<ExcelJS.Workbook> {
  const bytes = await workbookBytes(await buildResultsWorkbook(tables, workbookMeta));
  const read = new ExcelJS.Workbook();
  await read.xlsx.load(bytes.buffer as ArrayBuffer);
  return read;
}

function rowsOf(sheet: ExcelJS.Worksheet, from: number): unknown[][] {
  const rows: unknown[][] = [];
  for (let r = from; r <= sheet.rowCount; r++) {
    const values = sheet.getRow(r).values as unknown[];
    rows.push(values.slice(1));
  }
  return rows;
}

/** 排名规则 as {事项: 内容} */
function rulesSheet(read: ExcelJS.Workbook): Map<string, unknown> {
  const sheet = read.getWorksheet('排名规则')!;
  const out = new Map<string, unknown>();
  sheet.eachRow((row) => {
    const key = row.getCell(1).value;
    if (typeof key === 'string') out.set(key, row.getCell(2).value);
  });
  return out;
}

describe('results workbook', () => {
  it('has the sheets in order, Chinese headers, frozen header rows and no formulas', async () => {
    const read = await readBack(handWorkedTables());
    // lists in tour order: 县组 (visited first) before 区组
    expect(read.worksheets.map((w) => w.name)).toEqual(['排名规则', '项目排名-县组', '项目排名-区组', '单位排名', '分项平均', '评分明细', '评委统计']);
    const ranking = read.getWorksheet('项目排名-区组')!;
    expect(ranking.getRow(2).values).toEqual([undefined, '名次', '并列', '项目名称', '参评单位', '类别', '得分', '计入评分表', '去掉最高最低分', '未交评委数']);
    expect(ranking.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(read.getWorksheet('评分明细')!.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ranking.getColumn(3).width).toBeGreaterThanOrEqual(30);
    for (const sheet of read.worksheets) {
      expect(sheet.name.length).toBeLessThanOrEqual(31);
      expect(sheet.name).not.toMatch(/[[\]:*?/\\]/);
      expect(sheet.views[0], sheet.name).toMatchObject({ state: 'frozen' });
      sheet.eachRow((row) => row.eachCell((cell) => expect(cell.formula, `${sheet.name}!${cell.address}`).toBeUndefined()));
    }
  });

  it('writes ranks as numbers with a separate 并列 column, and figures as numbers equal to the screen', async () => {
    const tables = handWorkedTables();
    const read = await readBack(tables);
    for (const list of tables.projectLists) {
      const sheet = read.getWorksheet(`项目排名-${list.group}`)!;
      const rows = rowsOf(sheet, 3);
      expect(rows.map((r) => [r[0], r[1] ?? '', r[2], r[5]])).toEqual(list.projects.map((p) => [p.rank, p.isTie ? '是' : '', p.name, p.score?.value ?? null]));
      expect(sheet.getRow(3).getCell(6).numFmt).toBe('0.00');
      expect(typeof sheet.getRow(3).getCell(6).value).toBe('number');
      expect(typeof sheet.getRow(3).getCell(1).value).toBe('number');
    }
    // the hand-worked figures themselves (hand-worked-tour.ts)
    expect(rowsOf(read.getWorksheet('项目排名-区组')!, 3).map((r) => [r[0], r[1] ?? '', r[5]])).toEqual([
      [1, '', 82.33],
      [2, '', 73.33],
    ]);
    expect(rowsOf(read.getWorksheet('项目排名-县组')!, 3).map((r) => [r[0], r[1], r[5]])).toEqual([
      [1, '是', 82.5],
      [1, '是', 82.5],
    ]);
  });

  it('writes the unit table and per-criterion averages in tour order', async () => {
    const read = await readBack(handWorkedTables());
    const units = read.getWorksheet('单位排名')!;
    expect(units.getRow(2).values).toEqual([undefined, '排名范围', '名次', '并列', '参评单位', '有得分的项目', '现场得分', '综合得分', '指标a（60分）', '指标b（40分）']);
    expect(rowsOf(units, 3).map((r) => [r[0], r[1], r[2] ?? '', r[3], r[5], r[6], r[7], r[8]])).toEqual([
      ['县组', 1, '是', '单位U1', 82.5, 82.5, 51, 31.5],
      ['县组', 1, '是', '单位U2', 82.5, 82.5, 51.25, 31.25],
      ['区组', 1, '', '单位U3', 77.83, 77.83, 45.67, 32.17],
    ]);
    expect(rowsOf(read.getWorksheet('分项平均')!, 3).map((r) => [r[3], r[5], r[6], r[7]])).toEqual([
      ['项目P1', 51, 31.5, 82.5],
      ['项目P2', 51.25, 31.25, 82.5],
      ['项目P4', 48.33, 34, 82.33],
      ['项目P3', 43, 30.33, 73.33],
    ]);
  });

  it('ranks projects over the whole tour and units within groups when the rules say so', async () => {
    const read = await readBack(handWorkedTables({ projectScope: 'tour', unitScope: 'group' }));
    expect(read.worksheets.map((w) => w.name)).toEqual(['排名规则', '项目排名-总排名', '单位排名', '分项平均', '评分明细', '评委统计']);
    // one list over both groups: each project's group beside its unit, as the bulletin has it
    const projects = read.getWorksheet('项目排名-总排名')!;
    expect(projects.getRow(2).values).toEqual([undefined, '名次', '并列', '项目名称', '参评单位', '分组', '类别', '得分', '计入评分表', '去掉最高最低分', '未交评委数']);
    expect(rowsOf(projects, 3).map((r) => [r[0], r[1] ?? '', r[2], r[4]])).toEqual([
      [1, '是', '项目P1', '县组'],
      [1, '是', '项目P2', '县组'],
      [3, '', '项目P4', '区组'],
      [4, '', '项目P3', '区组'],
    ]);
    expect(typeof projects.getRow(3).getCell(7).value).toBe('number');
    expect(rowsOf(read.getWorksheet('单位排名')!, 3).map((r) => [r[0], r[1], r[3]])).toEqual([
      ['县组', 1, '单位U1'],
      ['县组', 1, '单位U2'],
      ['区组', 1, '单位U3'],
    ]);
    const rules = rulesSheet(read);
    expect(rules.get('项目排名范围')).toBe('全部统一排名：全部项目在一个名次表中排名');
    expect(rules.get('单位排名范围')).toBe('各组分别排名：单位在所属分组（县组、区组）内分别排名');

    // the reverse: units over the whole tour, so the unit table says each unit's group
    const reverse = await readBack(handWorkedTables({ projectScope: 'group', unitScope: 'tour' }));
    const units = reverse.getWorksheet('单位排名')!;
    expect(units.getRow(2).values).toEqual([undefined, '排名范围', '名次', '并列', '参评单位', '分组', '有得分的项目', '现场得分', '综合得分', '指标a（60分）', '指标b（40分）']);
    expect(rowsOf(units, 3).map((r) => [r[0], r[1], r[2] ?? '', r[3], r[4]])).toEqual([
      ['总排名', 1, '是', '单位U1', '县组'],
      ['总排名', 1, '是', '单位U2', '县组'],
      ['总排名', 3, '', '单位U3', '区组'],
    ]);
  });

  it('lists every raw sheet with its fate and its submission time as a date in China time', async () => {
    const tables = handWorkedTables();
    const read = await readBack(tables);
    const sheet = read.getWorksheet('评分明细')!;
    const raw = rowsOf(sheet, 2);
    expect(raw).toHaveLength(tables.sheets.length);
    expect(raw.slice(0, 5).map((r) => [r[2], r[3], r[4], r[5], r[6]])).toEqual([
      ['评委s1', 60, 40, undefined, '回避'],
      ['评委s2', 50, 30, 80, '计入'],
      ['评委s3', 52, 33, 85, '计入'],
      ['评委s4', 48, 30, 78, '去掉最低分'],
      ['评委s5', 55, 35, 90, '去掉最高分'],
    ]);
    // submitted 2021-12-08T10:00Z = 18:00 in China: a real date cell, shown with a date-time format
    const submitted = sheet.getRow(3).getCell(8);
    expect(submitted.value).toBeInstanceOf(Date);
    expect((submitted.value as Date).toISOString()).toBe('2021-12-08T18:00:00.000Z');
    expect(submitted.numFmt).toBe('yyyy-mm-dd hh:mm');
    // a draft has no submission time
    expect(raw.find((r) => r[0] === '项目P2' && r[2] === '评委s5')![7]).toBeUndefined();
    const scorers = rowsOf(read.getWorksheet('评委统计')!, 2);
    expect(scorers.map((r) => r[0])).toEqual(['评委s1', '评委s2', '评委s3', '评委s4', '评委s5']);
    expect(scorers.find((r) => r[0] === '评委s5')!.slice(10, 12)).toEqual([-7.75, '偏低']);
  });

  it('states every rule, the computing time, the status and the sheet counts on 排名规则', async () => {
    const read = await readBack(handWorkedTables());
    const rules = rulesSheet(read);
    expect(rules.get('观摩活动')).toBe('测试观摩');
    expect(rules.get('活动状态')).toBe('已结束');
    expect(rules.get('规则状态')).toBe('已保存的规则');
    expect((rules.get('计算时间（北京时间）') as Date).toISOString()).toBe('2021-12-10T09:30:05.000Z');
    expect(rules.get('计分方法')).toBe('按评分表打分：每张评分表各评分项目得分相加为该表总分');
    expect(rules.get('去掉最高分和最低分')).toBe('每个项目的有效评分表达到 4 张时，去掉 1 个最高分和 1 个最低分后取平均；不足 4 张时取全部评分表的平均分');
    expect(rules.get('按权重组加权')).toBe('不加权，每张评分表同等计算');
    expect(rules.get('回避')).toBe('评委回避本单位的项目：其对本单位项目的评分表不计');
    expect(rules.get('单位现场得分')).toBe('本单位各项目得分的平均');
    expect(rules.get('指标得分权重')).toBe('不计入，单位综合得分即现场得分');
    expect(rules.get('项目排名范围')).toBe('各组分别排名：项目在所属分组（县组、区组）内分别排名');
    expect(rules.get('单位排名范围')).toBe('各组分别排名：单位在所属分组（县组、区组）内分别排名');
    expect(rules.get('同分处理')).toBe('得分相同者名次并列，其后名次顺延（如 1、2、2、4）');
    // counts worked by hand (hand-worked-tour.ts): P1 4 submitted (s1 recused), P2 4 (s5 draft),
    // P3 5, P4 3 → 16; counted 2 + 2 + 3 + 3 = 10; dropped 2 + 2 + 2 = 6; missing 1 + 2 = 3
    expect([rules.get('已提交评分表'), rules.get('计入得分的评分表'), rules.get('去掉的最高分和最低分'), rules.get('无效的评分表'), rules.get('未交的评分表'), rules.get('回避（本单位项目，不需评分）')]).toEqual([16, 10, 6, 0, 3, 1]);
    const sheet = read.getWorksheet('排名规则')!;
    sheet.eachRow((row) => {
      if (row.getCell(1).value === '计算时间（北京时间）') expect(row.getCell(2).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    });
    // a weighted, tie-broken variant
    const other = rulesSheet(await readBack(handWorkedTables({ groupWeights: { 市领导: 0.6, 部门: 0.4 }, tieBreakCriterion: 'a', indicatorWeight: 0.3, unitScore: 'investmentWeighted' })));
    expect(other.get('按权重组加权')).toMatch(/^市领导 0\.6，部门 0\.4；/);
    expect(other.get('去掉最高分和最低分')).toMatch(/（各权重组分别去掉）$/);
    expect(other.get('同分处理')).toBe('得分相同时比较“指标a”的平均分，高者在前；仍相同者名次并列，其后名次顺延（如 1、2、2、4）');
    expect(other.get('指标得分权重')).toBe('单位综合得分 = 0.7 × 现场得分 + 0.3 × 指标得分；缺少指标得分的单位不排名');
    expect(other.get('单位现场得分')).toMatch(/^本单位各项目得分按总投资加权平均/);
  });

  it('says “试算，未保存的规则” on the first line of every sheet when exported with trial rules', async () => {
    const read = await readBack(handWorkedTables({ trim: null }), { ...meta, isTrial: true });
    for (const sheet of read.worksheets) {
      expect(sheet.getRow(1).getCell(1).value, sheet.name).toBe(TRIAL_BANNER);
      // the banner is frozen with the header rows
      expect((sheet.views[0] as { ySplit: number }).ySplit, sheet.name).toBeGreaterThanOrEqual(2);
    }
    expect(TRIAL_BANNER).toMatch(/^试算，未保存的规则/);
    expect(rulesSheet(read).get('规则状态')).toBe('试算，未保存的规则（不是正式结果）');
    expect(rulesSheet(read).get('去掉最高分和最低分')).toBe('不去掉，取全部有效评分表的平均分');
    expect(workbookFileName('崇川区观摩', '2021-12-10', true)).toBe('崇川区观摩-成绩汇总（试算）-2021-12-10.xlsx');
  });

  it('names the file after the tour and the date', () => {
    expect(workbookFileName('崇川区/2021观摩', '2021-12-10')).toBe('崇川区 2021观摩-成绩汇总-2021-12-10.xlsx');
  });
});

describe('results workbook of a rank-vote tour', () => {
  // units A B (县组), C (区组), ranked within groups; s1 from A; criteria exist on the template but do not apply
  function rankVoteTables(): DeskTables {
    const t = new TourBuilder([['a', 100, 0.5]], { method: 'rankVote', recusal: true, unitScope: 'group', tieBreakCriterion: 'a' });
    t.unit('A', { group: '县组' }).unit('B', { group: '县组' }).unit('C', { group: '区组' }).unit('D', { group: '区组' });
    t.stop('pA', 'A').stop('pB', 'B').stop('pC', 'C').stop('pD', 'D');
    t.scorer('s1', { home: 'A' }).scorer('s2');
    // 县组: s1 B → B 100; s2 A B → A 100, B 97 → A 100 (1), B 98.5 (2)
    t.ballot('s1', ['B'], { group: '县组' }).ballot('s2', ['A', 'B'], { group: '县组' });
    // 区组: s1 D C → D 100, C 97; s2 missing → D 100 (1), C 97 (2)
    t.ballot('s1', ['D', 'C'], { group: '区组' });
    const input = t.input();
    return buildDeskTables({ ...input, rankings: computeRankings(input) });
  }

  it('has the rules, unit ranking, every ballot and the voters; no criterion columns; one name for the score', async () => {
    const tables = rankVoteTables();
    const read = await readBack(tables);
    expect(read.worksheets.map((w) => w.name)).toEqual(['排名规则', '单位排名', '投票明细', '评委统计']);
    const units = read.getWorksheet('单位排名')!;
    expect(units.getRow(2).values).toEqual([undefined, '排名范围', '名次', '并列', '参评单位', '有效排序票', '排序得分', '综合得分']);
    expect(rowsOf(units, 3).map((r) => [r[0], r[1], r[3], r[4], r[5]])).toEqual([
      ['县组', 1, '单位A', 1, 100],
      ['县组', 2, '单位B', 2, 98.5],
      ['区组', 1, '单位D', 1, 100],
      ['区组', 2, '单位C', 1, 97],
    ]);
    const ballots = read.getWorksheet('投票明细')!;
    expect(ballots.getRow(2).values).toEqual([undefined, '评委', '排名范围', '票上名次', '参评单位', '得分', '计分情况', '提交时间']);
    expect(rowsOf(ballots, 3).map((r) => [r[0], r[1], r[2] ?? null, r[3] ?? null, r[4] ?? null, r[5]])).toEqual([
      ['评委s1', '县组', 1, '单位B', 100, '计入'],
      ['评委s1', '县组', null, '单位A', null, '回避（本单位，不计分）'],
      ['评委s2', '县组', 1, '单位A', 100, '计入'],
      ['评委s2', '县组', 2, '单位B', 97, '计入'],
      ['评委s1', '区组', 1, '单位D', 100, '计入'],
      ['评委s1', '区组', 2, '单位C', 97, '计入'],
      ['评委s2', '区组', null, null, null, '未交'],
    ]);
    expect(rowsOf(ballots, 3)).toHaveLength(tables.ballots.length);
    expect((rowsOf(ballots, 3)[0]![6] as Date).toISOString()).toBe('2021-12-08T18:00:00.000Z');
    const rules = rulesSheet(read);
    expect(rules.get('计分方法')).toMatch(/^排序投票：评委对单位排序，第 r 名得 100 − 3 ×（r − 1）分/);
    expect(rules.get('项目排名范围')).toBe('不适用（排序投票只排单位名次）');
    expect(rules.get('单位排序得分')).toBe('单位在各张有效排序票上所得分数的平均（排序得分）');
    expect(rules.get('单位排名范围')).toBe('各组分别排名：单位在所属分组（县组、区组）内分别排名；每位评委每组一张排序票');
    expect(rules.get('回避')).toBe('评委不给本单位排序：跳过本单位，排在其后的单位依次上移');
    expect(rules.get('同分处理')).toBe('得分相同者名次并列，其后名次顺延（如 1、2、2、4）；排序投票没有评分项目，不比较评分项目');
    // ballots: s1 2 submitted, s2 1 submitted + 1 missing
    expect([rules.get('已提交排序票'), rules.get('计入的排序票'), rules.get('无效的排序票'), rules.get('未交的排序票')]).toEqual([3, 3, 0, 1]);
    expect(rowsOf(read.getWorksheet('评委统计')!, 2).map((r) => [r[0], r[3], r[4], r[5]])).toEqual([
      ['评委s1', 2, 0, 0],
      ['评委s2', 1, 0, 1],
    ]);
  });
});
