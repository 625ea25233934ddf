/**
 * One sheet of the results workbook: an optional trial banner and title above a frozen, styled
 * header row, typed cells, sensible column widths, and a sheet name Excel and WPS accept.
 *
 * What must stay true (what "opens cleanly in Excel and WPS" means here):
 * - Sheet names ≤ 31 characters, none of []:*?/\, not starting or ending with an apostrophe,
 *   unique (case-insensitively, as Excel compares them).
 * - No formulas (nothing to break or recompute); figures are numbers with a number format,
 *   times are real dates with a date-time format, ranks are numbers.
 * - The rows above the data (banner, title, header) are frozen, so the header stays in view.
 */
import type { Workbook, Worksheet } from 'exceljs';
import { wallClockAsUtcDate } from '@shared/domain/tour-time';

export const NUM2 = '0.00';
export const DATE_TIME = 'yyyy-mm-dd hh:mm';
export const DATE_TIME_SECONDS = 'yyyy-mm-dd hh:mm:ss';

/** The banner on every sheet of a workbook computed with unsaved trial rules. */
export const TRIAL_BANNER = '试算，未保存的规则：本工作簿按尚未保存的试算规则计算，不是正式结果。';

export type CellValue = string | number | Date | null;

export interface Column {
  header: string;
  width: number;
  /** number format for numeric and date cells */
  numFmt?: string;
  /** long text that should wrap */
  wrap?: boolean;
}

export interface SheetOptions {
  title?: string;
  /** a warning line above everything else (the trial banner) */
  banner?: string | null;
}

export function addTable(workbook: Workbook, name: string, columns: Column[], rows: CellValue[][], options: SheetOptions = {}): Worksheet {
  const aboveHeader = (options.banner ? 1 : 0) + (options.title ? 1 : 0);
  const sheet = workbook.addWorksheet(safeSheetName(workbook, name), {
    views: [{ state: 'frozen', ySplit: aboveHeader + 1, xSplit: 0 }],
  });
  sheet.columns = columns.map((c) => ({ width: c.width, style: { ...(c.numFmt ? { numFmt: c.numFmt } : {}), ...(c.wrap ? { alignment: { wrapText: true, vertical: 'top' } } : {}) } }));
  const span = Math.max(1, columns.length);
  if (options.banner) {
    const row = sheet.addRow([options.banner]);
    row.font = { bold: true, color: { argb: 'FFB42318' } };
    row.getCell(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDECEA' } };
    sheet.mergeCells(row.number, 1, row.number, span);
  }
  if (options.title) {
    const row = sheet.addRow([options.title]);
    row.font = { bold: true, size: 13 };
    sheet.mergeCells(row.number, 1, row.number, span);
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

/** Excel sheet names: ≤ 31 characters, no []:*?/\, no leading or trailing apostrophe, unique ignoring case. */
export function safeSheetName(workbook: Workbook, wanted: string): string {
  const base =
    wanted
      .replace(/[[\]:*?/\\]/g, '·')
      .replace(/^'+|'+$/g, '')
      .slice(0, 31) || '表';
  const taken = (name: string) => workbook.worksheets.some((w) => w.name.toLowerCase() === name.toLowerCase());
  let name = base;
  for (let i = 2; taken(name); i++) name = `${base.slice(0, 31 - String(i).length - 2)}(${i})`;
  return name;
}

/** An ISO instant as a spreadsheet date showing the tour's local time (null stays empty). */
export function excelTime(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const instant = new Date(iso);
  return Number.isNaN(instant.getTime()) ? null : wallClockAsUtcDate(instant);
}
