/**
 * A file the user picked → the rows of its table, or a message they can act on.
 *
 * The content decides, the name only helps: a zip is read as a workbook whatever it is called,
 * an old binary .xls (or a password-protected workbook, which has the same container) gets
 * "save it as .xlsx or CSV", and text is read as CSV when the name says .csv/.txt or nothing
 * at all.
 */
import { parseCsvDetailed } from './csv';
import { decodeText, TextDecodeError } from './decode-text';
import { fail, fileIssue, rowIssue, type ImportResult } from './issues';
import { readXlsx, XLSX_LIMITS, XlsxError } from './xlsx';
import { isZip } from './zip';

/** Larger than any real table of tours or criteria; refuses a wrong file before reading it. */
export const MAX_TABLE_FILE_BYTES = 20 * 1024 * 1024;

export interface TableFileLimits {
  /** largest file read (default MAX_TABLE_FILE_BYTES) */
  maxBytes?: number;
  /** most rows of the table (default: only the workbook reader's own limit) */
  maxRows?: number;
}

const TEXT_EXTENSIONS = new Set(['csv', 'txt', '']);
const WORKBOOK_EXTENSIONS = new Set(['xlsx', 'xlsm']);

export function readTableFile(name: string, bytes: Uint8Array, limits: TableFileLimits = {}): ImportResult<string[][]> {
  const ext = extensionOf(name);
  const maxBytes = limits.maxBytes ?? MAX_TABLE_FILE_BYTES;
  if (bytes.length === 0) {
    return fail([fileIssue({ zh: `文件「${name}」是空的`, en: `The file "${name}" is empty` })]);
  }
  if (bytes.length > maxBytes) {
    const mb = (bytes.length / 1024 / 1024).toFixed(1);
    const max = formatMb(maxBytes);
    return fail([
      fileIssue({
        zh: `文件「${name}」太大（${mb} MB，最多 ${max} MB），请确认选对了文件`,
        en: `The file "${name}" is too large (${mb} MB, at most ${max} MB); is it the right file?`,
      }),
    ]);
  }
  const result = readTableBytes(name, ext, bytes, limits.maxRows);
  if (result.ok && limits.maxRows !== undefined && result.value.length > limits.maxRows) return tooManyRows(name, limits.maxRows);
  return result;
}

function formatMb(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return Number.isInteger(mb) ? String(mb) : mb.toFixed(1);
}

function tooManyRows(name: string, maxRows: number): ImportResult<string[][]> {
  return fail([
    fileIssue({
      zh: `文件「${name}」的行数太多（最多 ${maxRows} 行），请确认选对了文件`,
      en: `The file "${name}" has too many rows (at most ${maxRows}); is it the right file?`,
    }),
  ]);
}

function readTableBytes(name: string, ext: string, bytes: Uint8Array, maxRows: number | undefined): ImportResult<string[][]> {
  if (isCompoundFile(bytes) || ext === 'xls' || ext === 'et') {
    return fail([
      fileIssue({
        zh: `文件「${name}」是旧版 Excel（.xls）或设置了密码的工作簿，无法读取。请在 Excel 中“另存为” Excel 工作簿（.xlsx，不设密码）或 CSV UTF-8（逗号分隔）后再导入`,
        en: `The file "${name}" is an old Excel (.xls) or password-protected workbook. Save it from Excel as an Excel Workbook (.xlsx, no password) or CSV UTF-8, then import again`,
      }),
    ]);
  }
  if (isZip(bytes)) return readWorkbook(name, bytes, maxRows);
  if (WORKBOOK_EXTENSIONS.has(ext)) {
    return fail([
      fileIssue({
        zh: `文件「${name}」不是有效的 Excel 工作簿（.xlsx），可能已损坏或只是改了扩展名`,
        en: `The file "${name}" is not a valid Excel workbook (.xlsx); it may be damaged or merely renamed`,
      }),
    ]);
  }
  if (!TEXT_EXTENSIONS.has(ext) || looksBinary(bytes)) {
    return fail([
      fileIssue({
        zh: `不支持文件「${name}」的类型，请导入 Excel 工作簿（.xlsx）或 CSV 文件（.csv）`,
        en: `The file "${name}" is of an unsupported type; import an Excel workbook (.xlsx) or a CSV file (.csv)`,
      }),
    ]);
  }
  return readCsv(name, bytes, maxRows);
}

function readWorkbook(name: string, bytes: Uint8Array, maxRows: number | undefined): ImportResult<string[][]> {
  let rows: string[][];
  try {
    rows = readXlsx(bytes, maxRows === undefined ? XLSX_LIMITS : { ...XLSX_LIMITS, maxRows: Math.min(XLSX_LIMITS.maxRows, maxRows + 1) }).rows;
  } catch (e) {
    if (!(e instanceof XlsxError)) throw e;
    if (maxRows !== undefined && e.code === 'too-large' && /rows/.test(e.message)) return tooManyRows(name, maxRows);
    return fail([fileIssue(workbookProblem(name, e))]);
  }
  if (rows.length === 0) {
    return fail([fileIssue({ zh: `文件「${name}」的第一个工作表是空的`, en: `The first worksheet of "${name}" is empty` })]);
  }
  return { ok: true, value: rows };
}

function workbookProblem(name: string, e: XlsxError): { zh: string; en: string } {
  switch (e.code) {
    case 'not-xlsx': {
      const what =
        e.looksLike === 'docx' ? ['Word 文档', 'a Word document'] : e.looksLike === 'pptx' ? ['PowerPoint 演示文稿', 'a PowerPoint presentation'] : e.looksLike === 'ods' ? ['OpenDocument 表格（.ods）', 'an OpenDocument spreadsheet (.ods)'] : ['压缩包', 'a zip archive'];
      return {
        zh: `文件「${name}」是${what[0]}，不是 Excel 工作簿（.xlsx）`,
        en: `The file "${name}" is ${what[1]}, not an Excel workbook (.xlsx)`,
      };
    }
    case 'too-large':
      return {
        zh: `文件「${name}」解压后过大，无法导入（${e.message}）`,
        en: `The file "${name}" is too large once unpacked (${e.message})`,
      };
    case 'encrypted':
      return {
        zh: `文件「${name}」设置了密码，请取消密码后再导入`,
        en: `The file "${name}" is password-protected; remove the password and import again`,
      };
    case 'no-sheet':
      return { zh: `文件「${name}」中没有工作表`, en: `The file "${name}" has no worksheet` };
    case 'broken':
      return {
        zh: `文件「${name}」已损坏，无法读取（${e.message}）。请在 Excel 中打开并重新保存后再试`,
        en: `The file "${name}" is damaged and cannot be read (${e.message}). Open and save it again in Excel, then retry`,
      };
  }
}

function readCsv(name: string, bytes: Uint8Array, maxRows: number | undefined): ImportResult<string[][]> {
  let text: string;
  try {
    text = decodeText(bytes);
  } catch (e) {
    if (!(e instanceof TextDecodeError)) throw e;
    return fail([
      fileIssue({
        zh: `无法识别文件「${name}」的文字编码，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入`,
        en: `The text encoding of "${name}" cannot be read here; save it from Excel as "CSV UTF-8 (comma delimited)"`,
      }),
    ]);
  }
  // far more line breaks than rows allowed (cells may hold a few line breaks each): refused
  // before parsing, which costs far more than counting
  if (maxRows !== undefined && countLineBreaks(text, maxRows * 10 + 100) > maxRows * 10) return tooManyRows(name, maxRows);
  const parsed = parseCsvDetailed(text, { delimiter: guessDelimiter(text) });
  if (parsed.unterminatedQuoteRow !== null) {
    return fail([
      rowIssue(parsed.unterminatedQuoteRow, {
        zh: '引号（"）没有闭合，从这里到文件末尾都被当成了一个单元格。请检查这一行的引号',
        en: 'a quote (") is never closed, so everything from here to the end of the file would be one cell. Check the quotes in this row',
      }),
    ]);
  }
  if (parsed.rows.every((row) => row.every((cell) => cell.trim() === ''))) {
    return fail([fileIssue({ zh: `文件「${name}」中没有内容`, en: `The file "${name}" has no content` })]);
  }
  return { ok: true, value: parsed.rows };
}

/** Line feeds in `text`, counting no further than `stopAt`. */
function countLineBreaks(text: string, stopAt: number): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1 && count <= stopAt; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/** Tab when the first non-empty line has tabs but no commas (Excel's "Unicode text"), else comma. */
function guessDelimiter(text: string): ',' | '\t' {
  const firstLine = text.slice(0, 64 * 1024).split(/\r\n|\r|\n/).find((line) => line.trim() !== '') ?? '';
  return firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
}

function extensionOf(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** OLE2 compound file: .xls, .et, and encrypted .xlsx. */
function isCompoundFile(b: Uint8Array): boolean {
  const sig = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  return b.length >= 8 && sig.every((x, i) => b[i] === x);
}

/** Text tables never contain NUL bytes (UTF-16 files start with a BOM and are let through). */
function looksBinary(b: Uint8Array): boolean {
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) return false;
  const n = Math.min(b.length, 8192);
  for (let i = 0; i < n; i++) if (b[i] === 0) return true;
  return false;
}
