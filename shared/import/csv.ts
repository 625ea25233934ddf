/**
 * CSV as RFC 4180 describes it and Excel writes it: comma-separated, fields optionally in
 * double quotes, "" for a quote inside quotes, quoted fields may hold commas and line breaks;
 * records end with CRLF, LF or a lone CR.
 *
 * What must stay true:
 * - One record = one spreadsheet row: a line break inside quotes does not start a new row, and
 *   empty lines in the middle are kept as rows ([""]), so that row numbers in import messages
 *   match the row numbers Excel shows. Only empty lines at the end are dropped.
 * - Lenient like Excel on malformed input: a quote inside an unquoted field is a literal
 *   character, text after a closing quote is appended to the field. An unterminated quote is
 *   reported by `parseCsvDetailed` (the rest of the file would otherwise vanish into one cell).
 */
export type CsvParse = {
  rows: string[][];
  /** spreadsheet row number of a record whose opening quote is never closed */
  unterminatedQuoteRow: number | null;
};

export function parseCsv(text: string): string[][] {
  return parseCsvDetailed(text).rows;
}

/**
 * @param options.delimiter field separator; ',' by default, '\t' for the tab-separated
 *   "Unicode text" Excel also saves.
 */
export function parseCsvDetailed(text: string, options: { delimiter?: ',' | '\t' } = {}): CsvParse {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const sep = (options.delimiter ?? ',').charCodeAt(0);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let unterminatedQuoteRow: number | null = null;
  const n = s.length;

  const endRecord = () => {
    row.push(field);
    rows.push(row);
    row = [];
    field = '';
  };

  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 0x22 /* " */ && field === '') {
      // Quoted field: read up to the closing quote.
      const startRow = rows.length + 1;
      i++;
      let closed = false;
      let start = i;
      while (i < n) {
        const q = s.indexOf('"', i);
        if (q < 0) {
          field += s.slice(start);
          i = n;
          break;
        }
        if (s.charCodeAt(q + 1) === 0x22) {
          field += s.slice(start, q + 1);
          i = q + 2;
          start = i;
          continue;
        }
        field += s.slice(start, q);
        i = q + 1;
        closed = true;
        break;
      }
      if (!closed) {
        unterminatedQuoteRow ??= startRow;
        break;
      }
      continue; // characters after the closing quote are appended as ordinary text below
    }
    if (c === sep) {
      row.push(field);
      field = '';
      i++;
    } else if (c === 0x0d /* \r */ || c === 0x0a /* \n */) {
      endRecord();
      i += c === 0x0d && s.charCodeAt(i + 1) === 0x0a ? 2 : 1;
    } else {
      // Fast path: copy a run of ordinary characters at once.
      let j = i + 1;
      while (j < n) {
        const d = s.charCodeAt(j);
        if (d === sep || d === 0x0d || d === 0x0a) break;
        j++;
      }
      field += s.slice(i, j);
      i = j;
    }
  }
  // The last record, unless the text ended with a line break (then it is already stored).
  if (field !== '' || row.length > 0 || unterminatedQuoteRow !== null) endRecord();
  while (rows.length > 0 && isEmptyLine(rows[rows.length - 1]!)) rows.pop();
  return { rows, unterminatedQuoteRow };
}

function isEmptyLine(row: string[]): boolean {
  return row.length === 1 && row[0] === '';
}
