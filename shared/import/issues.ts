/**
 * Problems found while importing the secretariat's tables, worded for the person who has to
 * fix the spreadsheet: which row, which column, which value, and what is wrong with it.
 *
 * Row numbers are the spreadsheet row numbers the user sees at the left edge of Excel (the
 * header is usually row 1, the first project row 2; a title row above the header shifts them
 * all, exactly as in Excel). A CSV record that contains a line break inside quotes is still one
 * row, as Excel shows it. Row 0 means the problem concerns the whole file, not one row.
 */
export type ImportIssue = {
  /** spreadsheet row number (1-based); 0 = the whole file */
  row: number;
  /** the column header as written in the file ('' when the issue is not about one column) */
  column: string;
  /** the offending cell text ('' when the cell is empty or there is no single cell) */
  value: string;
  /** Chinese, naming row, column and value, e.g. 第7行「纬度」: “北纬35” 不是数字 */
  message: string;
  messageEn: string;
};

export type ImportResult<T> = { ok: true; value: T } | { ok: false; errors: ImportIssue[] };

/** Text of a problem in both languages, without the row/column prefix. */
export type Problem = { zh: string; en: string };

const MAX_SHOWN_VALUE = 60;

/** An issue about one cell: 第7行「纬度」: “北纬35” 不是数字. */
export function cellIssue(row: number, column: string, value: string, problem: Problem): ImportIssue {
  const shown = shorten(value);
  const zhPlace = row > 0 ? `第${row}行「${column}」` : `「${column}」`;
  const enPlace = row > 0 ? `Row ${row}, column "${column}"` : `Column "${column}"`;
  return {
    row,
    column,
    value,
    message: value === '' ? `${zhPlace}: ${problem.zh}` : `${zhPlace}: “${shown}” ${problem.zh}`,
    messageEn: value === '' ? `${enPlace}: ${problem.en}` : `${enPlace}: "${shown}" ${problem.en}`,
  };
}

/** An issue about a whole row (column '') or, with row 0, about the whole file. */
export function rowIssue(row: number, problem: Problem, column = ''): ImportIssue {
  return {
    row,
    column,
    value: '',
    message: row > 0 ? `第${row}行: ${problem.zh}` : problem.zh,
    messageEn: row > 0 ? `Row ${row}: ${problem.en}` : problem.en,
  };
}

export function fileIssue(problem: Problem): ImportIssue {
  return rowIssue(0, problem);
}

export function fail<T>(errors: ImportIssue[]): ImportResult<T> {
  return { ok: false, errors };
}

/** Issues in reading order: by row, then by the column's position in the table. */
export function sortIssues(issues: ImportIssue[], columnOrder: (column: string) => number = () => 0): ImportIssue[] {
  const seen = new Set<string>();
  return issues
    .filter((i) => {
      const key = `${i.row}\u0000${i.column}\u0000${i.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => a.issue.row - b.issue.row || columnOrder(a.issue.column) - columnOrder(b.issue.column) || a.index - b.index)
    .map((x) => x.issue);
}

/** Excel column letters for a 0-based index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function shorten(value: string): string {
  const oneLine = value.replace(/\r\n|\r|\n/g, '⏎');
  const chars = Array.from(oneLine);
  return chars.length > MAX_SHOWN_VALUE ? chars.slice(0, MAX_SHOWN_VALUE).join('') + '…' : oneLine;
}
