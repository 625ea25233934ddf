/**
 * The results workbook (成绩汇总.xlsx), built with exceljs from the desk's tables — the same
 * figures the rankings page shows. exceljs is loaded on demand (dynamic import): it is large
 * and only the secretariat's export needs it, so the app's main bundle does not carry it.
 *
 * What must stay true:
 * - Figures are numbers (not text) with a 0.00 number format, so they sort and sum in Excel.
 * - Headers are Chinese, header rows are frozen, columns have sensible widths. The workbook is an
 *   official document for Chinese government readers: its file name, sheet names, headers and
 *   words stay Chinese whatever the app's language (only the export button is translated).
 * - Sheets: 项目排名 per ranking list, 单位排名 (all lists), 分项平均, 评分明细 (raw sheets), 评委统计.
 */
import type { Workbook, Worksheet } from 'exceljs';
import { listTitle, type DeskTables, type Figure, type SheetFate } from '../rankings/ranking-tables';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const fateLabels: Record<SheetFate, string> = {
  counted: '计入',
  droppedHighest: '去掉最高分',
  droppedLowest: '去掉最低分',
  excluded: '无效',
  recused: '回避',
  draft: '未提交',
  reopened: '已退回',
};

const listLabels = { overall: '总排名', defaultGroup: '未分组' };

type ExcelModule = typeof import('exceljs');

async function loadExcel(): Promise<ExcelModule> {
  const mod = (await import('exceljs')) as ExcelModule & { default?: ExcelModule };
  return mod.default ?? mod;
}

interface Column {
  header: string;
  width: number;
  /** number format for numeric cells */
  numFmt?: string;
}

const NUM2 = '0.00';

function addTable(workbook: Workbook, name: string, columns: Column[], rows: (string | number | null)[][], title?: string): Worksheet {
  const sheet = workbook.addWorksheet(safeSheetName(workbook, name), {
    views: [{ state: 'frozen', ySplit: title ? 2 : 1, xSplit: 0 }],
  });
  sheet.columns = columns.map((c) => ({ width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  if (title) {
    const titleRow = sheet.addRow([title]);
    titleRow.font = { bold: true, size: 13 };
    sheet.mergeCells(1, 1, 1, Math.max(1, columns.length));
  }
  const header = sheet.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF4' } };
    cell.border = { bottom: { style: 'thin', color: { argb: 'FF8899AA' } } };
  });
  for (const values of rows) sheet.addRow(values);
  return sheet;
}

/** Excel sheet names: ≤ 31 characters, no []:*?/\, unique. */
function safeSheetName(workbook: Workbook, wanted: string): string {
  const base = wanted.replace(/[[\]:*?/\\]/g, '·').slice(0, 31) || '表';
  let name = base;
  for (let i = 2; workbook.worksheets.some((w) => w.name === name); i++) name = `${base.slice(0, 28)}(${i})`;
  return name;
}

const num = (f: Figure | null | undefined): number | null => (f ? f.value : null);
const rankText = (rank: number | null, isTie: boolean): number | string | null => (rank === null ? null : isTie ? `${rank}（并列）` : rank);

export interface WorkbookMeta {
  /** e.g. 2026-11-22 */
  exportedOn: string;
  creator?: string;
}

/** Builds the workbook (exceljs loaded on first use). */
export async function buildResultsWorkbook(tables: DeskTables, meta: WorkbookMeta): Promise<Workbook> {
  const Excel = await loadExcel();
  const workbook = new Excel.Workbook();
  workbook.creator = meta.creator ?? '观摩 Guanmo';
  workbook.created = new Date();
  const criteriaCols: Column[] = tables.criteria.map((c) => ({ header: `${c.name}（${c.max}分）`, width: Math.max(10, Math.min(24, c.name.length * 2 + 6)), numFmt: NUM2 }));

  for (const list of tables.lists) {
    const title = listTitle(list, listLabels);
    addTable(
      workbook,
      `项目排名-${title}`,
      [
        { header: '名次', width: 9 },
        { header: '项目名称', width: 34 },
        { header: '参评单位', width: 18 },
        { header: '类别', width: 10 },
        { header: '得分', width: 10, numFmt: NUM2 },
        { header: '计分表数', width: 10 },
        { header: '去高去低', width: 10 },
        { header: '未交评委数', width: 11 },
      ],
      list.projects.map((p) => [rankText(p.rank, p.isTie), p.name, p.unitName, p.category, num(p.score), p.sheetsCounted, p.trimmed ? '是' : '否', p.missing]),
      `${tables.tourName} · 项目排名（${title}）`,
    );
  }

  addTable(
    workbook,
    '单位排名',
    [
      { header: '分组', width: 12 },
      { header: '名次', width: 9 },
      { header: '参评单位', width: 20 },
      { header: '计分项目数', width: 11 },
      { header: '现场得分', width: 11, numFmt: NUM2 },
      { header: '指标得分', width: 11, numFmt: NUM2 },
      { header: '综合得分', width: 11, numFmt: NUM2 },
      ...criteriaCols,
    ],
    tables.lists.flatMap((list) =>
      list.units.map((u) => [listTitle(list, listLabels), rankText(u.rank, u.isTie), u.name, u.projects, num(u.onSite), num(u.indicator), num(u.score), ...tables.criteria.map((c) => num(u.criterionMeans[c.key]))]),
    ),
    `${tables.tourName} · 单位排名`,
  );

  addTable(
    workbook,
    '分项平均',
    [{ header: '分组', width: 12 }, { header: '名次', width: 9 }, { header: '项目名称', width: 34 }, { header: '参评单位', width: 18 }, ...criteriaCols, { header: '得分', width: 10, numFmt: NUM2 }],
    tables.lists.flatMap((list) =>
      list.projects.map((p) => [listTitle(list, listLabels), rankText(p.rank, p.isTie), p.name, p.unitName, ...tables.criteria.map((c) => num(p.criterionMeans[c.key])), num(p.score)]),
    ),
    `${tables.tourName} · 分项平均分`,
  );

  addTable(
    workbook,
    '评分明细',
    [
      { header: '项目名称', width: 30 },
      { header: '参评单位', width: 16 },
      { header: '评委', width: 12 },
      ...tables.criteria.map((c) => ({ header: `${c.name}（${c.max}分）`, width: Math.max(10, Math.min(24, c.name.length * 2 + 6)), numFmt: NUM2 })),
      { header: '合计', width: 10, numFmt: NUM2 },
      { header: '计分情况', width: 12 },
      { header: '提交时间', width: 22 },
    ],
    tables.sheets.map((s) => [s.stopName, s.unitName, s.scorerName, ...tables.criteria.map((c) => s.scores[c.key] ?? null), num(s.total), fateLabels[s.fate], s.submittedAt]),
  );

  addTable(
    workbook,
    '评委统计',
    [
      { header: '评委', width: 12 },
      { header: '所在单位（回避）', width: 18 },
      { header: '权重组', width: 10 },
      { header: '已提交', width: 8 },
      { header: '计入', width: 8 },
      { header: '去高去低', width: 10 },
      { header: '无效', width: 8 },
      { header: '回避', width: 8 },
      { header: '未交', width: 8 },
      { header: '平均给分', width: 10, numFmt: NUM2 },
      { header: '平均偏离', width: 10, numFmt: NUM2 },
      { header: '偏离提示', width: 12 },
    ],
    tables.scorers.map((s) => [
      s.name,
      s.homeUnitName,
      s.weightGroup,
      s.submitted,
      s.counted,
      s.dropped,
      s.excluded,
      s.recused,
      s.missing,
      num(s.meanGiven),
      s.deviation?.meanDeviation === null || s.deviation === null ? null : Math.round(s.deviation.meanDeviation * 100) / 100,
      s.deviation?.isFlagged ? (s.deviation.direction === 'lenient' ? '偏高' : '偏低') : '',
    ]),
  );

  return workbook;
}

/** The workbook as .xlsx bytes. */
export async function workbookBytes(workbook: Workbook): Promise<Uint8Array<ArrayBuffer>> {
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer) as Uint8Array<ArrayBuffer>;
}

/** 崇川区观摩-成绩汇总-2026-11-22.xlsx */
export function workbookFileName(tourName: string, exportedOn: string): string {
  const safe = tourName.replace(/[\\/:*?"<>|\u0000-\u001f]/g, ' ').trim().slice(0, 120) || '观摩';
  return `${safe}-成绩汇总-${exportedOn}.xlsx`;
}
