/**
 * Import speed on tables far larger than any real tour (run: npx tsx shared/import/import.bench.ts).
 * Prints figures only; tests never assert timings.
 */
import ExcelJS from 'exceljs';
import { importTourTable, readTableFile } from './index';

const ROWS = 5000;

function table(): string[][] {
  const rows = [['序号', '观摩日期', '顺序', '县市区', '分组', '项目名称', '项目类型', '总投资(万元)', '已完成投资(万元)', '建设内容', '经度', '纬度', '地址']];
  for (let i = 1; i <= ROWS; i++) {
    const day = `2021-12-${String(1 + Math.floor((i - 1) / 200)).padStart(2, '0')}`;
    rows.push([String(i), day, String(1 + ((i - 1) % 200)), `单位${i % 40}`, `组${(i % 40) % 3}`, `项目${i}`, '工业', '100000', '54000', '(示例)建设内容,含逗号', (120 + i / 1e5).toFixed(5), (32 + i / 1e5).toFixed(5), '南通市崇川区']);
  }
  return rows;
}

function csvOf(rows: string[][]): Uint8Array {
  const text = '\uFEFF' + rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n');
  return new TextEncoder().encode(text);
}

async function xlsxOf(rows: string[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('点位表');
  rows.forEach((row, r) => ws.addRow(r === 0 ? row : row.map((c) => (/^\d+(\.\d+)?$/.test(c) ? Number(c) : c))));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

function time<T>(label: string, runs: number, fn: () => T): T {
  let result = fn(); // warm-up
  const start = performance.now();
  for (let i = 0; i < runs; i++) result = fn();
  const ms = (performance.now() - start) / runs;
  console.log(`${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms`);
  return result;
}

async function main() {
  const rows = table();
  const csv = csvOf(rows);
  const xlsx = await xlsxOf(rows);
  console.log(`${ROWS} project rows: CSV ${(csv.length / 1024).toFixed(0)} KB, xlsx ${(xlsx.length / 1024).toFixed(0)} KB`);
  const fromCsv = time('readTableFile(.csv)', 10, () => readTableFile('t.csv', csv));
  const fromXlsx = time('readTableFile(.xlsx)', 10, () => readTableFile('t.xlsx', xlsx));
  if (!fromCsv.ok || !fromXlsx.ok) throw new Error('read failed');
  const result = time('importTourTable', 10, () => importTourTable(fromCsv.value, { tourId: 'bench' }));
  if (!result.ok) throw new Error(result.errors.slice(0, 3).map((e) => e.message).join('\n'));
  console.log(`imported ${result.value.stops.length} stops in ${result.value.units.length} units`);
}

void main();
