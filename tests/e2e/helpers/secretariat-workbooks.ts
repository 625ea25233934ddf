/**
 * .xlsx copies of the demo CSV tables, made the way a secretariat's Excel file looks: a merged
 * title row above the header, Chinese headers (总投资（万元） with full-width brackets, as Excel
 * users type them), dates as real date cells with a Chinese date format, figures as numbers,
 * a frozen header row, a 合计 row under the template. Built with exceljs at test time from the
 * CSV files in assets/demo, so they can never drift from the CSV variant.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parseCsv } from '@shared/import';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function readDemoCsv(file: string): Promise<string[][]> {
  const text = (await fs.readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  return parseCsv(text).filter((row) => row.some((cell) => cell.trim() !== ''));
}

/** header as a secretariat's Excel sheet has it (same meaning, Excel-typed punctuation) */
const excelHeader = (header: string) => header.replace(/\(/g, '（').replace(/\)/g, '）');

const NUMERIC_HEADERS = new Set(['序号', '顺序', '总投资(万元)', '已完成投资(万元)', '经度', '纬度', '分值', '最小步长']);

function styleHeader(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  row.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
  });
}

function addTitle(sheet: ExcelJS.Worksheet, title: string, columns: number): void {
  const row = sheet.addRow([title]);
  row.font = { bold: true, size: 16 };
  row.alignment = { horizontal: 'center' };
  sheet.mergeCells(1, 1, 1, columns);
}

/** A cell value as Excel would hold it: numbers as numbers, dates as dates. */
function cellValue(header: string, text: string): ExcelJS.CellValue {
  if (text === '') return null;
  if (header === '观摩日期') {
    const [y, m, d] = text.split('-').map(Number) as [number, number, number];
    return new Date(Date.UTC(y, m - 1, d));
  }
  if (NUMERIC_HEADERS.has(header)) {
    const n = Number(text);
    if (!Number.isFinite(n)) throw new Error(`${header}: "${text}" is not a number`);
    return n;
  }
  return text;
}

/** The itinerary (点位表) CSV as a workbook: title row, header, one project per row. */
export async function tourWorkbookFromCsv(csvFile: string, title: string): Promise<Buffer> {
  const [header, ...rows] = await readDemoCsv(csvFile);
  if (!header) throw new Error(`${csvFile} is empty`);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '秘书处';
  const sheet = workbook.addWorksheet('观摩点位', { views: [{ state: 'frozen', ySplit: 2 }] });
  addTitle(sheet, title, header.length);
  styleHeader(sheet.addRow(header.map(excelHeader)));
  for (const row of rows) sheet.addRow(header.map((h, i) => cellValue(h, row[i] ?? '')));
  header.forEach((h, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = h === '项目名称' || h === '建设内容' ? 28 : 12;
    if (h === '观摩日期') column.numFmt = 'yyyy"年"m"月"d"日"';
    if (h === '经度' || h === '纬度') column.numFmt = '0.00000';
    if (h.includes('万元')) column.numFmt = '#,##0';
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The score template (评分表) CSV as a workbook: title row, header, criteria, a 合计 row. */
export async function templateWorkbookFromCsv(csvFile: string, title: string): Promise<Buffer> {
  const [header, ...rows] = await readDemoCsv(csvFile);
  if (!header) throw new Error(`${csvFile} is empty`);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '秘书处';
  const sheet = workbook.addWorksheet('评分表', { views: [{ state: 'frozen', ySplit: 2 }] });
  addTitle(sheet, title, header.length);
  styleHeader(sheet.addRow(header.map(excelHeader)));
  for (const row of rows) sheet.addRow(header.map((h, i) => cellValue(h, row[i] ?? '')));
  const maxColumn = header.indexOf('分值') + 1;
  const total = sheet.addRow(header.map((h) => (h === '评分项目' ? '合计' : null)));
  // a formula with its cached result, as Excel saves it
  total.getCell(maxColumn).value = { formula: `SUM(${sheet.getColumn(maxColumn).letter}3:${sheet.getColumn(maxColumn).letter}${rows.length + 2})`, result: rows.reduce((sum, r) => sum + Number(r[maxColumn - 1]), 0) };
  total.font = { bold: true };
  header.forEach((h, i) => (sheet.getColumn(i + 1).width = h === '评分要点' ? 48 : 16));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Writes a copy next to the run's artefacts so a person can open it in Excel / WPS. */
export async function keepCopy(dir: string, name: string, bytes: Buffer): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, bytes);
  return file;
}
