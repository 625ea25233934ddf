/**
 * The workbook written, then read back with exceljs as a spreadsheet user would get it: every
 * figure must equal the desk's tables (the on-screen ranking), as a number with a 0.00 format.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { computeRankings } from '@shared/ranking';
import { handWorkedTour } from '../rankings/hand-worked-tour';
import { buildDeskTables } from '../rankings/ranking-tables';
import { buildResultsWorkbook, workbookBytes, workbookFileName } from './build-workbook';

async function roundTrip() {
  const input = handWorkedTour();
  const tables = buildDeskTables({ ...input, rankings: computeRankings(input) });
  const bytes = await workbookBytes(await buildResultsWorkbook(tables, { exportedOn: '2021-12-10' }));
  const read = new ExcelJS.Workbook();
  await read.xlsx.load(bytes.buffer as ArrayBuffer);
  return { tables, read };
}

function rowsOf(sheet: ExcelJS.Worksheet, from: number): unknown[][] {
  const rows: unknown[][] = [];
  for (let r = from; r <= sheet.rowCount; r++) {
    const values = sheet.getRow(r).values as unknown[];
    rows.push(values.slice(1));
  }
  return rows;
}

describe('results workbook', () => {
  it('has the sheets, Chinese headers and frozen header rows', async () => {
    const { read } = await roundTrip();
    expect(read.worksheets.map((w) => w.name)).toEqual(['项目排名-区组', '项目排名-县组', '单位排名', '分项平均', '评分明细', '评委统计']);
    const ranking = read.getWorksheet('项目排名-区组')!;
    expect(ranking.getRow(2).values).toEqual([undefined, '名次', '项目名称', '参评单位', '类别', '得分', '计分表数', '去高去低', '未交评委数']);
    expect(ranking.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(read.getWorksheet('评分明细')!.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ranking.getColumn(2).width).toBeGreaterThanOrEqual(30);
  });

  it('writes the project rankings as numbers equal to the on-screen figures', async () => {
    const { tables, read } = await roundTrip();
    for (const list of tables.lists) {
      const sheet = read.getWorksheet(`项目排名-${list.group}`)!;
      const rows = rowsOf(sheet, 3);
      expect(rows.map((r) => [r[0], r[1], r[4]])).toEqual(list.projects.map((p) => [p.isTie ? `${p.rank}（并列）` : p.rank, p.name, p.score?.value ?? null]));
      expect(sheet.getRow(3).getCell(5).numFmt).toBe('0.00');
      expect(typeof sheet.getRow(3).getCell(5).value).toBe('number');
    }
    // the hand-worked figures themselves
    expect(rowsOf(read.getWorksheet('项目排名-区组')!, 3).map((r) => r[4])).toEqual([82.33, 73.33]);
    expect(rowsOf(read.getWorksheet('项目排名-县组')!, 3).map((r) => [r[0], r[4]])).toEqual([
      ['1（并列）', 82.5],
      ['1（并列）', 82.5],
    ]);
  });

  it('writes the unit table and per-criterion averages', async () => {
    const { read } = await roundTrip();
    expect(rowsOf(read.getWorksheet('单位排名')!, 3).map((r) => [r[0], r[1], r[2], r[4], r[6], r[7], r[8]])).toEqual([
      ['区组', 1, '单位U3', 77.83, 77.83, 45.67, 32.17],
      ['县组', '1（并列）', '单位U1', 82.5, 82.5, 51, 31.5],
      ['县组', '1（并列）', '单位U2', 82.5, 82.5, 51.25, 31.25],
    ]);
    expect(rowsOf(read.getWorksheet('分项平均')!, 3).map((r) => [r[2], r[4], r[5], r[6]])).toEqual([
      ['项目P4', 48.33, 34, 82.33],
      ['项目P3', 43, 30.33, 73.33],
      ['项目P1', 51, 31.5, 82.5],
      ['项目P2', 51.25, 31.25, 82.5],
    ]);
  });

  it('lists every raw sheet with its fate, and the scorer tallies', async () => {
    const { tables, read } = await roundTrip();
    const raw = rowsOf(read.getWorksheet('评分明细')!, 2);
    expect(raw).toHaveLength(tables.sheets.length);
    expect(raw.slice(0, 5).map((r) => [r[2], r[3], r[4], r[5], r[6]])).toEqual([
      ['评委s1', 60, 40, undefined, '回避'],
      ['评委s2', 50, 30, 80, '计入'],
      ['评委s3', 52, 33, 85, '计入'],
      ['评委s4', 48, 30, 78, '去掉最低分'],
      ['评委s5', 55, 35, 90, '去掉最高分'],
    ]);
    const scorers = rowsOf(read.getWorksheet('评委统计')!, 2);
    expect(scorers.find((r) => r[0] === '评委s5')!.slice(10, 12)).toEqual([-7.75, '偏低']);
  });

  it('names the file after the tour and the date', () => {
    expect(workbookFileName('崇川区/2021观摩', '2021-12-10')).toBe('崇川区 2021观摩-成绩汇总-2021-12-10.xlsx');
  });
});
