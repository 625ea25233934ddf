/**
 * Reads the first worksheet of an .xlsx (or .xlsm) workbook as rows of cell texts, the way the
 * user sees the table: rows[i] is spreadsheet row i + 1, cells[j] is column j (A = 0), gaps
 * are '' (A1 and C1 filled → B1 is ''), numbers as typed (15 significant digits), date-formatted
 * numbers as YYYY-MM-DD, booleans TRUE/FALSE, formulas by their cached result, and a merged
 * range's value repeated in every cell of the range (a merged 县市区 covers all its rows).
 * Trailing empty cells and rows are dropped.
 *
 * Safety: the package is read through `zip.ts` (bounded inflation, size and CRC checks), only
 * the parts needed are extracted, XML through `xml.ts` (no DTDs), and the table is capped in
 * rows, columns and total cells so a sheet that claims cell XFD1048576 cannot exhaust memory.
 */
import { excelNumberText, excelSerialText, serialKindOfFormat, type SerialKind } from './excel-values';
import { childElements, firstChild, parseXml, parseXmlTree, prefixedAttr, XmlError, type XmlElement } from './xml';
import { extractZipEntry, readZipDirectory, ZipError, type ZipEntry } from './zip';

export const XLSX_LIMITS = {
  /** all extracted parts together, uncompressed */
  maxUnpackedBytes: 50 * 1024 * 1024,
  maxRows: 100_000,
  maxColumns: 1_000,
  /** sum of row lengths, gaps included */
  maxCells: 2_000_000,
};

export type XlsxErrorCode = 'not-xlsx' | 'broken' | 'too-large' | 'encrypted' | 'no-sheet';

export class XlsxError extends Error {
  override readonly name = 'XlsxError';
  constructor(
    readonly code: XlsxErrorCode,
    message: string,
    /** for 'not-xlsx': what the archive seems to be instead */
    readonly looksLike?: 'docx' | 'pptx' | 'ods' | 'zip',
  ) {
    super(message);
  }
}

export type XlsxSheet = { name: string; rows: string[][] };

export function readXlsx(bytes: Uint8Array, limits = XLSX_LIMITS): XlsxSheet {
  try {
    return readXlsxUnchecked(bytes, limits);
  } catch (e) {
    if (e instanceof XlsxError) throw e;
    if (e instanceof ZipError) {
      if (e.code === 'too-large') throw new XlsxError('too-large', e.message);
      if (e.code === 'encrypted') throw new XlsxError('encrypted', e.message);
      if (e.code === 'not-zip') throw new XlsxError('not-xlsx', e.message, 'zip');
      throw new XlsxError('broken', e.message);
    }
    if (e instanceof XmlError) throw new XlsxError('broken', `malformed XML: ${e.message}`);
    throw e;
  }
}

function readXlsxUnchecked(bytes: Uint8Array, limits: typeof XLSX_LIMITS): XlsxSheet {
  const entries = readZipDirectory(bytes);
  const budget = { remaining: limits.maxUnpackedBytes };
  const text = (entry: ZipEntry) => utf8(extractZipEntry(bytes, entry, budget));
  const part = (path: string): string | null => {
    const entry = entries.get(path);
    return entry ? text(entry) : null;
  };

  // Package relationships name the workbook part (xl/workbook.xml in practice).
  const rootRels = part('_rels/.rels');
  const workbookPath = (rootRels && relationshipTargets(rootRels, '', 'officeDocument')[0]) || 'xl/workbook.xml';
  const workbookXml = part(workbookPath);
  if (workbookXml === null) throw notWorkbook(entries);

  const workbook = parseXmlTree(workbookXml);
  if (workbook.name !== 'workbook') throw notWorkbook(entries);
  const props = firstChild(workbook, 'workbookPr');
  const date1904 = props?.attrs.date1904 === '1' || props?.attrs.date1904 === 'true';
  const sheets = childElements(firstChild(workbook, 'sheets') ?? workbook, 'sheet');

  const dir = workbookPath.slice(0, workbookPath.lastIndexOf('/') + 1);
  const relsPath = `${dir}_rels/${workbookPath.slice(dir.length)}.rels`;
  const relsXml = part(relsPath);
  const rels = relsXml ? relationships(relsXml, dir) : [];

  // First worksheet in tab order (a chartsheet in front of it does not count).
  let sheetPath: string | null = null;
  let sheetName = '';
  for (const sheet of sheets) {
    const rid = prefixedAttr(sheet.attrs, 'id');
    const rel = rels.find((r) => r.id === rid);
    if (rel && rel.type.endsWith('/worksheet') && entries.has(rel.target)) {
      sheetPath = rel.target;
      sheetName = sheet.attrs.name ?? '';
      break;
    }
  }
  if (!sheetPath) throw new XlsxError('no-sheet', 'the workbook has no worksheet');

  const sharedPath = rels.find((r) => r.type.endsWith('/sharedStrings'))?.target ?? `${dir}sharedStrings.xml`;
  const stylesPath = rels.find((r) => r.type.endsWith('/styles'))?.target ?? `${dir}styles.xml`;
  const sharedXml = part(sharedPath);
  const stylesXml = part(stylesPath);
  const sheetXml = part(sheetPath);
  if (sheetXml === null) throw new XlsxError('broken', `${sheetPath} is missing`);

  const sharedStrings = sharedXml ? readSharedStrings(sharedXml) : [];
  const serialKinds = stylesXml ? readStyleSerialKinds(stylesXml) : [];
  const rows = readSheet(sheetXml, { sharedStrings, serialKinds, date1904, limits });
  return { name: sheetName, rows };
}

// ---------------------------------------------------------------------------------------------
// Relationships

type Relationship = { id: string; type: string; target: string };

function relationships(xml: string, baseDir: string): Relationship[] {
  const root = parseXmlTree(xml);
  return childElements(root, 'Relationship')
    .filter((r) => r.attrs.TargetMode !== 'External')
    .map((r) => ({ id: r.attrs.Id ?? '', type: r.attrs.Type ?? '', target: resolvePath(baseDir, r.attrs.Target ?? '') }));
}

function relationshipTargets(xml: string, baseDir: string, typeSuffix: string): string[] {
  return relationships(xml, baseDir)
    .filter((r) => r.type.endsWith(`/${typeSuffix}`))
    .map((r) => r.target);
}

function resolvePath(baseDir: string, target: string): string {
  const joined = target.startsWith('/') ? target.slice(1) : baseDir + target;
  const out: string[] = [];
  for (const seg of joined.split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '.' && seg !== '') out.push(seg);
  }
  return out.join('/');
}

function notWorkbook(entries: Map<string, ZipEntry>): XlsxError {
  const names = [...entries.keys()];
  const looksLike = names.some((n) => n.startsWith('word/'))
    ? 'docx'
    : names.some((n) => n.startsWith('ppt/'))
      ? 'pptx'
      : names.includes('content.xml') && names.includes('mimetype')
        ? 'ods'
        : 'zip';
  return new XlsxError('not-xlsx', 'the archive is not an Excel workbook', looksLike);
}

// ---------------------------------------------------------------------------------------------
// Shared strings: <si> holds either <t> or rich-text runs <r><t/></r>; <rPh> (phonetic guides)
// also contain <t> but are not part of the visible text.

function readSharedStrings(xml: string): string[] {
  const strings: string[] = [];
  let current: string[] | null = null;
  let inT = false;
  let phoneticDepth = 0;
  parseXml(xml, {
    open(name) {
      if (name === 'si') current = [];
      else if (name === 'rPh') phoneticDepth++;
      else if (name === 't' && current && phoneticDepth === 0) inT = true;
    },
    close(name) {
      if (name === 'si' && current) {
        strings.push(unescapeXstring(current.join('')));
        current = null;
      } else if (name === 'rPh') phoneticDepth--;
      else if (name === 't') inT = false;
    },
    text(t) {
      if (inT && current) current.push(t);
    },
  });
  return strings;
}

/** OOXML escapes characters XML cannot hold as _xHHHH_ (e.g. _x000D_ for CR, _x005F_ for _). */
function unescapeXstring(s: string): string {
  if (!s.includes('_x')) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

// ---------------------------------------------------------------------------------------------
// Styles: cell style index (the `s` attribute) → how its number format shows numbers.

function readStyleSerialKinds(xml: string): (SerialKind | null)[] {
  const styles = parseXmlTree(xml);
  const customFormats = new Map<number, string>();
  for (const fmt of childElements(firstChild(styles, 'numFmts') ?? emptyElement, 'numFmt')) {
    const id = Number(fmt.attrs.numFmtId);
    if (Number.isInteger(id)) customFormats.set(id, fmt.attrs.formatCode ?? '');
  }
  return childElements(firstChild(styles, 'cellXfs') ?? emptyElement, 'xf').map((xf) => {
    const id = Number(xf.attrs.numFmtId ?? '0');
    return Number.isInteger(id) ? serialKindOfFormat(id, customFormats.get(id)) : null;
  });
}

const emptyElement: XmlElement = { name: '', attrs: {}, children: [], text: '' };

// ---------------------------------------------------------------------------------------------
// Worksheet

type SheetContext = {
  sharedStrings: string[];
  serialKinds: (SerialKind | null)[];
  date1904: boolean;
  limits: typeof XLSX_LIMITS;
};

function readSheet(xml: string, ctx: SheetContext): string[][] {
  const { limits } = ctx;
  const rows: string[][] = [];
  const merges: string[] = [];
  let cells = 0;

  let inSheetData = false;
  let rowIndex = -1;
  let colIndex = -1;
  let cell: { type: string; style: number; value: string[]; inline: string[] } | null = null;
  let capture: 'v' | 't' | null = null;
  let inInline = false;
  let phoneticDepth = 0;

  const put = (r: number, c: number, value: string) => {
    if (value === '') return;
    if (r >= limits.maxRows) throw new XlsxError('too-large', `the sheet has more than ${limits.maxRows} rows`);
    if (c >= limits.maxColumns) throw new XlsxError('too-large', `the sheet has more than ${limits.maxColumns} columns`);
    while (rows.length <= r) rows.push([]);
    const row = rows[r]!;
    if (row.length <= c) {
      cells += c + 1 - row.length;
      if (cells > limits.maxCells) throw new XlsxError('too-large', `the sheet has more than ${limits.maxCells} cells`);
      while (row.length <= c) row.push('');
    }
    row[c] = value;
  };

  parseXml(xml, {
    open(name, attrs) {
      if (name === 'sheetData') inSheetData = true;
      else if (!inSheetData) {
        if (name === 'mergeCell' && attrs.ref) merges.push(attrs.ref);
      } else if (name === 'row') {
        rowIndex = attrs.r !== undefined ? parsePositiveInt(attrs.r, 'row number') - 1 : rowIndex + 1;
        colIndex = -1;
      } else if (name === 'c') {
        if (attrs.r !== undefined) {
          // The cell's own reference wins over the row's (some writers omit or misnumber rows).
          const ref = parseCellRef(attrs.r);
          rowIndex = ref.row;
          colIndex = ref.col;
        } else colIndex++;
        cell = { type: attrs.t ?? 'n', style: Number(attrs.s ?? '0'), value: [], inline: [] };
      } else if (cell) {
        if (name === 'v') capture = 'v';
        else if (name === 'is') inInline = true;
        else if (name === 'rPh') phoneticDepth++;
        else if (name === 't' && inInline && phoneticDepth === 0) capture = 't';
      }
    },
    close(name) {
      if (name === 'sheetData') inSheetData = false;
      else if (name === 'c' && cell) {
        put(rowIndex, colIndex, cellText(cell, ctx));
        cell = null;
      } else if (name === 'v' || name === 't') capture = null;
      else if (name === 'is') inInline = false;
      else if (name === 'rPh') phoneticDepth--;
    },
    text(t) {
      if (!cell || capture === null) return;
      if (capture === 'v') cell.value.push(t);
      else cell.inline.push(t);
    },
  });

  for (const ref of merges) fillMerge(rows, ref, put);
  // Trailing empty cells (a merge may have added '') and rows.
  for (const row of rows) while (row.length > 0 && row[row.length - 1] === '') row.pop();
  while (rows.length > 0 && rows[rows.length - 1]!.length === 0) rows.pop();
  return rows;
}

function cellText(cell: { type: string; style: number; value: string[]; inline: string[] }, ctx: SheetContext): string {
  const v = cell.value.join('');
  switch (cell.type) {
    case 's': {
      if (v.trim() === '') return '';
      const index = Number(v);
      const s = Number.isInteger(index) ? ctx.sharedStrings[index] : undefined;
      if (s === undefined) throw new XlsxError('broken', `shared string ${v} does not exist`);
      return s;
    }
    case 'inlineStr':
      return unescapeXstring(cell.inline.join(''));
    case 'str':
      return unescapeXstring(v);
    case 'b':
      return v === '' ? '' : v === '1' || v === 'true' ? 'TRUE' : 'FALSE';
    case 'e':
      return v; // the error text Excel shows, e.g. #N/A
    case 'd':
      return isoDateCellText(v);
    default: {
      if (v.trim() === '') return '';
      const n = Number(v);
      if (!Number.isFinite(n)) throw new XlsxError('broken', `cell value ${JSON.stringify(v.slice(0, 40))} is not a number`);
      const kind = ctx.serialKinds[cell.style] ?? null;
      if (kind) return excelSerialText(n, kind, ctx.date1904) ?? excelNumberText(n);
      return excelNumberText(n);
    }
  }
}

/** Cells of type d (ISO 8601, written by some tools in strict mode) → date or date + time. */
function isoDateCellText(v: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::(\d{2}))?(?:\.\d+)?Z?)?$/.exec(v.trim());
  if (!m) return v;
  const [, date, hm, sec] = m;
  if (!hm || (hm === '00:00' && (!sec || sec === '00'))) return date!;
  return sec && sec !== '00' ? `${date} ${hm}:${sec}` : `${date} ${hm}`;
}

function fillMerge(rows: string[][], ref: string, put: (r: number, c: number, v: string) => void): void {
  const [from, to] = ref.split(':');
  if (!from || !to) return;
  const a = parseCellRef(from);
  const b = parseCellRef(to);
  const value = rows[a.row]?.[a.col] ?? '';
  if (value === '') return;
  // Only within the filled part of the table: a merge reaching row 1 048 576 adds nothing there.
  const lastRow = Math.min(b.row, rows.length - 1);
  for (let r = a.row; r <= lastRow; r++) {
    for (let c = a.col; c <= b.col; c++) {
      if ((rows[r]?.[c] ?? '') === '') put(r, c, value);
    }
  }
}

function parseCellRef(ref: string): { row: number; col: number } {
  const m = /^\$?([A-Z]{1,3})\$?(\d{1,7})$/.exec(ref);
  if (!m) throw new XlsxError('broken', `bad cell reference ${JSON.stringify(ref.slice(0, 20))}`);
  let col = 0;
  for (const ch of m[1]!) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: parsePositiveInt(m[2]!, 'row number') - 1, col: col - 1 };
}

function parsePositiveInt(s: string, what: string): number {
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 1) throw new XlsxError('broken', `bad ${what} ${JSON.stringify(s.slice(0, 20))}`);
  return n;
}

function utf8(bytes: Uint8Array): string {
  const Ctor = (globalThis as { TextDecoder?: new (label: string) => { decode(b: Uint8Array): string } }).TextDecoder;
  if (!Ctor) throw new Error('TextDecoder is not available in this environment');
  const b = bytes;
  // Office writes UTF-8; a UTF-16 part announces itself with a BOM.
  if (b[0] === 0xff && b[1] === 0xfe) return new Ctor('utf-16le').decode(b.subarray(2));
  if (b[0] === 0xfe && b[1] === 0xff) return new Ctor('utf-16be').decode(b.subarray(2));
  return new Ctor('utf-8').decode(b);
}
