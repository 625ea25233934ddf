/**
 * The same tables saved as .xlsx (generated here with exceljs, the way a secretariat's Excel
 * would store them) must import to exactly the records, or exactly the errors, of the CSV.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { importTemplateTable, importTourTable, readTableFile } from './index';

const demo = (name: string) => new Uint8Array(readFileSync(new URL(`../../assets/demo/${name}`, import.meta.url)));
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

function rowsOf(name: string, bytes: Uint8Array): string[][] {
  const r = readTableFile(name, bytes);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.value;
}

type CellStyle = 'text' | 'typed' | 'serial-general';

/**
 * A workbook holding `rows`. 'text': every cell a string. 'typed': numbers as numbers, dates
 * as Excel dates with a date format (yyyy/m/d, or 年月日 for the second date column).
 * 'serial-general': like typed, but dates as bare serial numbers in General format, as when a
 * date column lost its format.
 */
async function workbookOf(rows: string[][], style: CellStyle, tweak?: (ws: ExcelJS.Worksheet) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  rows.forEach((row, r) => {
    row.forEach((text, c) => {
      if (text === '') return;
      const cell = ws.getCell(r + 1, c + 1);
      const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      const utc = date ? Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])) : Number.NaN;
      // Excel keeps an impossible date such as 2021-02-30 as text
      const isRealDate = date !== null && new Date(utc).toISOString().startsWith(text);
      if (style !== 'text' && r > 0 && isRealDate) {
        if (style === 'serial-general') cell.value = utc / 86_400_000 + 25_569;
        else {
          cell.value = new Date(utc);
          cell.numFmt = c % 2 === 0 ? 'yyyy"年"m"月"d"日"' : 'yyyy/m/d';
        }
      } else if (style !== 'text' && r > 0 && /^-?\d+(\.\d+)?$/.test(text)) {
        cell.value = Number(text);
      } else {
        cell.value = text;
      }
    });
  });
  tweak?.(ws);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const TOURS = [
  ['tour-shanting-2021-study.csv', 'demo-shanting-2021', 28, 5],
  ['tour-chongchuan-2021-scored.csv', 'demo-chongchuan-2021', 5, 4],
] as const;

describe('xlsx and CSV give identical imports', () => {
  for (const [file, tourId, stopCount, unitCount] of TOURS) {
    for (const style of ['text', 'typed', 'serial-general'] as const) {
      it(`${file} as .xlsx (${style} cells)`, async () => {
        const csvRows = rowsOf(file, demo(file));
        const fromCsv = importTourTable(csvRows, { tourId });
        const xlsxRows = rowsOf('点位表.xlsx', await workbookOf(csvRows, style));
        // the reader turns a date-formatted serial into a date; a General one stays a number
        expect(xlsxRows[1]![1]).toMatch(style === 'serial-general' ? /^\d{5}$/ : /^\d{4}-\d{2}-\d{2}$/);
        const fromXlsx = importTourTable(xlsxRows, { tourId });
        expect(fromCsv.ok && [fromCsv.value.stops.length, fromCsv.value.units.length]).toEqual([stopCount, unitCount]);
        expect(fromXlsx).toEqual(fromCsv);
      });
    }
  }

  it('the score sheet as .xlsx with typed points', async () => {
    const csvRows = rowsOf('template.csv', demo('template-standard.csv'));
    const opts = { id: 'tpl', name: '评议表' };
    const fromCsv = importTemplateTable(csvRows, opts);
    expect(fromCsv.ok).toBe(true);
    expect(importTemplateTable(rowsOf('评议表.xlsx', await workbookOf(csvRows, 'typed')), opts)).toEqual(fromCsv);
  });

  it('a table whose 观摩日期 and 县市区 cells are merged over their rows', async () => {
    const csvRows = rowsOf('c.csv', demo('tour-chongchuan-2021-scored.csv'));
    // Excel keeps a merged range's value only in its first cell.
    const sparse = csvRows.map((row, r) => row.map((cell, c) => ((c === 1 && r > 1) || (c === 3 && r === 5) ? '' : cell)));
    const xlsx = await workbookOf(sparse, 'typed', (ws) => {
      ws.mergeCells('B2:B6');
      ws.mergeCells('D5:D6');
    });
    expect(importTourTable(rowsOf('merged.xlsx', xlsx), { tourId: 't' })).toEqual(importTourTable(csvRows, { tourId: 't' }));
  });

  it('a table with mistakes gives the same messages from .xlsx as from CSV', async () => {
    const csvRows = rowsOf('mistakes.csv', fixture('tour-many-mistakes.csv'));
    const fromCsv = importTourTable(csvRows, { tourId: 't' });
    expect(fromCsv.ok).toBe(false);
    if (fromCsv.ok) return;
    expect(fromCsv.errors).toHaveLength(8);
    for (const style of ['text', 'typed'] as const) {
      const fromXlsx = importTourTable(rowsOf('mistakes.xlsx', await workbookOf(csvRows, style)), { tourId: 't' });
      expect(fromXlsx).toEqual(fromCsv);
    }
  });

  it('a typed workbook with a text latitude names the cell', async () => {
    const rows = rowsOf('c.csv', demo('tour-chongchuan-2021-scored.csv'));
    rows[6 - 1]![11] = '北纬32';
    const result = importTourTable(rowsOf('bad.xlsx', await workbookOf(rows, 'typed')), { tourId: 't' });
    expect(result).toEqual({
      ok: false,
      errors: [{ row: 6, column: '纬度', value: '北纬32', message: '第6行「纬度」: “北纬32” 不是数字', messageEn: 'Row 6, column "纬度": "北纬32" is not a number' }],
    });
  });
});
