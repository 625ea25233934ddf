/**
 * Finding the columns of a table by their header names, the way secretariats actually write
 * them: in any order, with spaces or a line break inside the header cell (Alt+Enter),
 * full-width brackets 总投资（万元）, a common alternative name, and a title row or two above
 * the header ("崇川区2021年重点项目观摩点位表").
 */
import { columnLetter, fail, rowIssue, type ImportResult } from './issues';

export type ColumnAlias = string | { name: string; scale: number };

export type ColumnSpec<K extends string> = {
  key: K;
  /** the standard header, used in messages about a missing column */
  label: string;
  /** other accepted headers; `scale` converts the unit (亿元 → 万元 is 10 000) */
  aliases?: ColumnAlias[];
  required: boolean;
};

export type FoundColumn = {
  /** 0-based column index */
  index: number;
  /** the header as written in the file, trimmed: what messages call the column */
  header: string;
  /** multiply values by this to get the standard unit */
  scale: number;
};

export type TableLayout<K extends string> = {
  /** spreadsheet row number of the header */
  headerRow: number;
  columns: Map<K, FoundColumn>;
};

/** How far down the header may be (title rows, notes, Excel's "sep=," line). */
const HEADER_SEARCH_ROWS = 20;

/** NFKC folds full-width forms (（）, ０-９, Ａ) into ASCII; whitespace and case do not count. */
export function normalizeHeader(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

export function locateColumns<K extends string>(
  rows: string[][],
  specs: ColumnSpec<K>[],
  tableName: { zh: string; en: string },
): ImportResult<TableLayout<K>> {
  const lookup = new Map<string, { key: K; scale: number }>();
  for (const spec of specs) {
    for (const alias of [spec.label, ...(spec.aliases ?? [])]) {
      const name = typeof alias === 'string' ? alias : alias.name;
      lookup.set(normalizeHeader(name), { key: spec.key, scale: typeof alias === 'string' ? 1 : alias.scale });
    }
  }

  type Duplicate = { header: string; first: number; second: number };
  let best: { rowIndex: number; columns: Map<K, FoundColumn>; duplicates: Duplicate[] } | null = null;
  const limit = Math.min(rows.length, HEADER_SEARCH_ROWS);
  for (let r = 0; r < limit; r++) {
    const columns = new Map<K, FoundColumn>();
    const duplicates: Duplicate[] = [];
    (rows[r] ?? []).forEach((cell, index) => {
      const hit = lookup.get(normalizeHeader(cell));
      if (!hit) return;
      const previous = columns.get(hit.key);
      if (previous) {
        duplicates.push({ header: previous.header, first: previous.index, second: index });
        return;
      }
      columns.set(hit.key, { index, header: cell.trim(), scale: hit.scale });
    });
    const hasAllRequired = specs.every((s) => !s.required || columns.has(s.key));
    if (hasAllRequired) {
      best = { rowIndex: r, columns, duplicates };
      break;
    }
    if (columns.size >= 1 && (!best || columns.size > best.columns.size)) best = { rowIndex: r, columns, duplicates };
  }

  const expected = specs.filter((s) => s.required).map((s) => `「${s.label}」`).join('');
  if (!best) {
    return fail([
      rowIssue(0, {
        zh: `找不到${tableName.zh}的表头：表格前${HEADER_SEARCH_ROWS}行中没有一行包含${expected}等列名，请确认导入的是${tableName.zh}`,
        en: `No header row of ${tableName.en} found: none of the first ${HEADER_SEARCH_ROWS} rows has the columns ${specs
          .filter((s) => s.required)
          .map((s) => s.label)
          .join(', ')}; is this the right table?`,
      }),
    ]);
  }
  const headerRow = best.rowIndex + 1;
  const issues = [];
  const missing = specs.filter((s) => s.required && !best.columns.has(s.key));
  if (missing.length > 0) {
    issues.push(
      rowIssue(headerRow, {
        zh: `表头缺少必需的列${missing.map((s) => `「${s.label}」`).join('')}`,
        en: `the header lacks the required column${missing.length > 1 ? 's' : ''} ${missing.map((s) => s.label).join(', ')}`,
      }),
    );
  }
  if (best.duplicates.length > 0) {
    issues.push(
      rowIssue(headerRow, {
        zh: `表头中有重复的列${best.duplicates
          .map((d) => `「${d.header}」（${columnLetter(d.first)}列和${columnLetter(d.second)}列）`)
          .join('、')}，请只保留一列`,
        en: `the header has duplicate columns ${best.duplicates
          .map((d) => `"${d.header}" (columns ${columnLetter(d.first)} and ${columnLetter(d.second)})`)
          .join(', ')}; keep only one`,
      }),
    );
  }
  if (issues.length > 0) return fail(issues);
  return { ok: true, value: { headerRow, columns: best.columns } };
}

/** The trimmed text of a column in a row ('' when the column is absent or the row short). */
export function cellOf(row: string[], column: FoundColumn | undefined): string {
  // Line breaks inside a cell: Excel writes LF, xlsx may store CRLF (_x000D_); keep one form.
  return column ? (row[column.index] ?? '').replace(/\r\n?/g, '\n').trim() : '';
}

export function isBlankRow(row: string[]): boolean {
  return row.every((cell) => cell.trim() === '');
}

const TOTAL_LABELS = new Set(['合计', '总计', '小计', '共计']);

/** A 合计/总计 line at the foot of a table: its first non-empty cell says so. */
export function isTotalsRow(row: string[]): boolean {
  const first = row.find((cell) => cell.trim() !== '');
  return first !== undefined && TOTAL_LABELS.has(normalizeHeader(first).replace(/:$/, ''));
}

const NOTE_PREFIX = /^(?:注\d*|备注|说明|制表人?|填表人?|审核人?|联系人|联系电话)\s*:/;

/**
 * A footnote under the table ("注：坐标为WGS-84", "制表人：…"): one filled cell that starts
 * like a note, label and colon (注：…). Such rows are not data and are skipped.
 */
export function isNoteRow(row: string[]): boolean {
  const filled = row.filter((cell) => cell.trim() !== '');
  return filled.length === 1 && NOTE_PREFIX.test(filled[0]!.trim().normalize('NFKC'));
}

/** The header again further down (tables pasted from a multi-page printout repeat it). */
export function isRepeatedHeader(row: string[], header: string[]): boolean {
  const filled = row.filter((cell) => cell.trim() !== '');
  return filled.length >= 2 && row.every((cell, i) => cell.trim() === '' || normalizeHeader(cell) === normalizeHeader(header[i] ?? ''));
}
