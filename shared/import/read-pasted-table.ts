/**
 * Text pasted from Excel or WPS (cells copied with Ctrl+C) → the rows of the table, or a message
 * the user can act on. Excel puts the copied range on the clipboard as tab-separated text: one
 * line per row, a tab between cells, and a cell holding a line break, a tab or a quote in double
 * quotes (doubled inside), which is how RFC 4180 quotes too; so the CSV reader reads it with a
 * tab as the separator. Text with commas and no tab (a CSV file's contents pasted) is read as CSV.
 */
import { parseCsvDetailed } from './csv';
import { fail, fileIssue, rowIssue, type ImportResult } from './issues';

/** Far more than any list of people; refuses a wrong paste before parsing it. */
export const MAX_PASTED_CHARS = 2_000_000;

export function readPastedTable(text: string): ImportResult<string[][]> {
  if (text.trim() === '') {
    return fail([fileIssue({ zh: '没有粘贴任何内容。请在 Excel 中选中表格（含表头行）复制，再粘贴到这里', en: 'Nothing was pasted. Select the table in Excel (with its header row), copy it, and paste it here' })]);
  }
  if (text.length > MAX_PASTED_CHARS) {
    return fail([fileIssue({ zh: '粘贴的内容太长，请确认复制的是评委名单', en: 'The pasted text is too long; is it the scorer list?' })]);
  }
  const firstLine = text.split(/\r\n|\r|\n/).find((line) => line.trim() !== '') ?? '';
  const delimiter = !firstLine.includes('\t') && firstLine.includes(',') ? ',' : '\t';
  // Excel ends the copied range with a line break; the CSV reader drops empty lines at the end
  const parsed = parseCsvDetailed(text, { delimiter });
  if (parsed.unterminatedQuoteRow !== null) {
    return fail([
      rowIssue(parsed.unterminatedQuoteRow, {
        zh: '引号（"）没有闭合，从这里到末尾都被当成了一个单元格。请检查这一行的引号，或直接从 Excel 复制',
        en: 'a quote (") is never closed, so everything from here to the end would be one cell. Check the quotes in this row, or copy straight from Excel',
      }),
    ]);
  }
  return { ok: true, value: parsed.rows.map((row) => row.map((cell) => cell.replace(/\u00a0/g, ' '))) };
}
