/**
 * The figures of a tour's rankings in one plain shape, read from three places that must agree:
 * the rankings page on screen, the exported workbook (read back with exceljs), and the shared
 * ranking engine run by the test itself. Ranks are numbers with a tie flag, scores are the
 * two-decimal text the secretariat sees ('—' when there is none).
 */
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import type { TourRankings } from '@shared/ranking';

export interface RankRow {
  /** the ranking list: the unit group's name (or 总排名 / 未分组) */
  list: string;
  rank: number | null;
  isTie: boolean;
  name: string;
  score: string;
}

export interface RankingFigures {
  /** per list, in rank order */
  projects: RankRow[];
  units: RankRow[];
}

const LIST_LABELS = { overall: '总排名', defaultGroup: '未分组' };

/** "2（并列）" → {2, tie}; "1" → {1}; "—" → null */
function parseRank(text: string): { rank: number | null; isTie: boolean } {
  const match = /^(\d+)/.exec(text.trim());
  if (!match) return { rank: null, isTie: false };
  return { rank: Number(match[1]), isTie: text.trim() !== match[1] };
}

/** The project and unit ranking tables on the rankings page. */
export async function screenFigures(page: Page): Promise<RankingFigures> {
  const read = (testId: string, scoreTestId: string) =>
    page.getByTestId(testId).evaluateAll(
      (tables, scoreId) =>
        tables.flatMap((table) =>
          [...table.querySelectorAll('tbody tr')].map((tr) => ({
            list: table.getAttribute('data-group') ?? '',
            rank: tr.querySelector('td')!.textContent!.trim(),
            name: tr.querySelector('th')!.textContent!.trim(),
            score: tr.querySelector(`[data-testid="${scoreId}"]`)!.textContent!.trim(),
          })),
        ),
      scoreTestId,
    );
  const toRows = (rows: { list: string; rank: string; name: string; score: string }[]): RankRow[] =>
    rows.map((r) => ({ list: r.list, ...parseRank(r.rank), name: r.name, score: /^\d/.test(r.score) ? r.score : '—' }));
  return { projects: toRows(await read('project-ranking', 'project-score')), units: toRows(await read('unit-ranking', 'unit-score')) };
}

type Cell = ExcelJS.CellValue;

function cellText(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && 'result' in value) return cellText(value.result as Cell);
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((r) => r.text).join('');
  return String(value);
}

/** A figure cell: must be a number (not text that looks like one), shown as two decimals. */
function figure(value: Cell, where: string): string {
  if (value === null || value === undefined) return '—';
  if (typeof value !== 'number') throw new Error(`${where}: expected a number, found ${JSON.stringify(value)}`);
  return value.toFixed(2);
}

/** A rank: a number (never text such as "3（并列）"), with the 并列 column saying 是 for a shared rank. */
function rankCell(value: Cell, tie: Cell, where: string): { rank: number | null; isTie: boolean } {
  if (value === null || value === undefined) return { rank: null, isTie: false };
  if (typeof value !== 'number') throw new Error(`${where}: a rank cell holds ${JSON.stringify(value)}, not a number`);
  const tieText = cellText(tie);
  if (tieText !== '' && tieText !== '是') throw new Error(`${where}: the 并列 cell holds ${JSON.stringify(tie)}`);
  return { rank: value, isTie: tieText === '是' };
}

/** Columns of a sheet by header text (the header row is the first row whose cells include `firstHeader`). */
function columnsOf(sheet: ExcelJS.Worksheet, firstHeader: string): { headerRow: number; col: (header: string) => number } {
  for (let r = 1; r <= Math.min(5, sheet.rowCount); r++) {
    const headers = new Map<string, number>();
    sheet.getRow(r).eachCell((cell, c) => headers.set(cellText(cell.value).trim(), c));
    if (headers.has(firstHeader)) {
      return {
        headerRow: r,
        col: (header) => {
          const c = headers.get(header);
          if (c === undefined) throw new Error(`sheet ${sheet.name}: no column ${header} (has ${[...headers.keys()].join(', ')})`);
          return c;
        },
      };
    }
  }
  throw new Error(`sheet ${sheet.name}: no header row with ${firstHeader}`);
}

/** The 项目排名-<list> sheets and the 单位排名 sheet of the exported workbook. */
export function workbookFigures(workbook: ExcelJS.Workbook): RankingFigures {
  const projects: RankRow[] = [];
  for (const sheet of workbook.worksheets.filter((w) => w.name.startsWith('项目排名-'))) {
    const list = sheet.name.slice('项目排名-'.length);
    const { headerRow, col } = columnsOf(sheet, '名次');
    for (let r = headerRow + 1; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const where = `${sheet.name}!R${r}`;
      projects.push({ list, ...rankCell(row.getCell(col('名次')).value, row.getCell(col('并列')).value, where), name: cellText(row.getCell(col('项目名称')).value), score: figure(row.getCell(col('得分')).value, where) });
    }
  }
  const units: RankRow[] = [];
  const unitSheet = workbook.getWorksheet('单位排名');
  if (!unitSheet) throw new Error('the workbook has no 单位排名 sheet');
  const { headerRow, col } = columnsOf(unitSheet, '名次');
  for (let r = headerRow + 1; r <= unitSheet.rowCount; r++) {
    const row = unitSheet.getRow(r);
    const where = `单位排名!R${r}`;
    units.push({ list: cellText(row.getCell(col('排名范围')).value), ...rankCell(row.getCell(col('名次')).value, row.getCell(col('并列')).value, where), name: cellText(row.getCell(col('参评单位')).value), score: figure(row.getCell(col('综合得分')).value, where) });
  }
  return { projects, units };
}

/** The raw sheets (评分明细) of the workbook: "project / scorer" → the criterion scores in template order and what became of the sheet (计分情况). */
export function workbookSheetRows(workbook: ExcelJS.Workbook, criteria: readonly { name: string; max: number }[]): Map<string, { scores: (number | null)[]; fate: string }> {
  const sheet = workbook.getWorksheet('评分明细');
  if (!sheet) throw new Error('the workbook has no 评分明细 sheet');
  const { headerRow, col } = columnsOf(sheet, '项目名称');
  const out = new Map<string, { scores: (number | null)[]; fate: string }>();
  for (let r = headerRow + 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const scores = criteria.map((c) => {
      const v = row.getCell(col(`${c.name}（${c.max}分）`)).value;
      if (v !== null && typeof v !== 'number') throw new Error(`评分明细!R${r}: ${c.name} is ${JSON.stringify(v)}, not a number`);
      return v;
    });
    out.set(`${cellText(row.getCell(col('项目名称')).value)} / ${cellText(row.getCell(col('评委')).value)}`, { scores, fate: cellText(row.getCell(col('计分情况')).value) });
  }
  return out;
}

/** The per-criterion averages (分项平均) of the workbook: project name → the means in template order ('—' when none). */
export function workbookCriterionMeans(workbook: ExcelJS.Workbook, criteria: readonly { name: string; max: number }[]): Map<string, string[]> {
  const sheet = workbook.getWorksheet('分项平均');
  if (!sheet) throw new Error('the workbook has no 分项平均 sheet');
  const { headerRow, col } = columnsOf(sheet, '项目名称');
  const out = new Map<string, string[]>();
  for (let r = headerRow + 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    out.set(
      cellText(row.getCell(col('项目名称')).value),
      criteria.map((c) => figure(row.getCell(col(`${c.name}（${c.max}分）`)).value, `分项平均!R${r}`)),
    );
  }
  return out;
}

/** The engine's per-criterion averages: project name → the means in template order. */
export function engineCriterionMeans(rankings: TourRankings, stopNames: ReadonlyMap<string, string>): Map<string, string[]> {
  return new Map(rankings.projects.map((p) => [stopNames.get(p.stopId) ?? p.stopId, p.criterionMeans.map((m) => m.mean?.display ?? '—')]));
}

/** The engine's rankings in the same shape; names from the tour's stops and units. Lists as the engine orders them (tour order). */
export function engineFigures(rankings: TourRankings, names: { stops: ReadonlyMap<string, string>; units: ReadonlyMap<string, string> }): RankingFigures {
  const titleOf = (list: { scope: 'tour' | 'group'; group: string | null }) => (list.scope === 'tour' ? LIST_LABELS.overall : (list.group ?? LIST_LABELS.defaultGroup));
  const withTies = (rows: { list: string; rank: number | null; name: string; score: string }[]): RankRow[] =>
    rows.map((r) => ({ ...r, isTie: r.rank !== null && rows.filter((o) => o.list === r.list && o.rank === r.rank).length > 1 }));
  const projectById = new Map(rankings.projects.map((p) => [p.stopId, p]));
  const unitById = new Map(rankings.units.map((u) => [u.unitId, u]));
  return {
    projects: withTies(
      rankings.projectLists.flatMap((list) =>
        list.stopIds.map((id) => {
          const p = projectById.get(id)!;
          return { list: titleOf(list), rank: p.rank, name: names.stops.get(id) ?? id, score: p.score?.display ?? '—' };
        }),
      ),
    ),
    units: withTies(
      rankings.unitLists.flatMap((list) =>
        list.unitIds.map((id) => {
          const u = unitById.get(id)!;
          return { list: titleOf(list), rank: u.rank, name: names.units.get(id) ?? id, score: u.score?.display ?? '—' };
        }),
      ),
    ),
  };
}
