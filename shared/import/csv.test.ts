import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvDetailed } from './csv';
import { decodeText, isValidUtf8 } from './decode-text';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const demo = (name: string) => new Uint8Array(readFileSync(new URL(`../../assets/demo/${name}`, import.meta.url)));

describe('parseCsv', () => {
  it('splits plain rows', () => {
    expect(parseCsv('a,b,c\n1,2,3')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('reads quoted commas, quotes and line breaks (RFC 4180)', () => {
    expect(parseCsv('名称,说明\r\n"a,b","他说""好"""\r\n"多\r\n行",x\r\n')).toEqual([
      ['名称', '说明'],
      ['a,b', '他说"好"'],
      ['多\r\n行', 'x'],
    ]);
  });

  it('accepts CRLF, LF and lone CR line ends', () => {
    expect(parseCsv('a\r\nb\nc\rd')).toEqual([['a'], ['b'], ['c'], ['d']]);
  });

  it('drops empty lines at the end but keeps them in the middle (row numbers match Excel)', () => {
    expect(parseCsv('a,b\r\n\r\nc,d\r\n\r\n\r\n')).toEqual([['a', 'b'], [''], ['c', 'd']]);
    expect(parseCsv('a,b\n')).toEqual([['a', 'b']]);
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('\n\n')).toEqual([]);
  });

  it('keeps empty fields, also a trailing one', () => {
    expect(parseCsv(',a,,\n')).toEqual([['', 'a', '', '']]);
    expect(parseCsv('"",x')).toEqual([['', 'x']]);
  });

  it('strips a BOM left in the text', () => {
    expect(parseCsv('\uFEFF序号,名称\n1,x')).toEqual([
      ['序号', '名称'],
      ['1', 'x'],
    ]);
  });

  it('is lenient like Excel with stray quotes', () => {
    expect(parseCsv('ab"c,d')).toEqual([['ab"c', 'd']]);
    expect(parseCsv('"ab"c,d')).toEqual([['abc', 'd']]);
  });

  it('reports an unterminated quote with its row', () => {
    const r = parseCsvDetailed('a,b\r\nc,"d\r\ne,f\r\n');
    expect(r.unterminatedQuoteRow).toBe(2);
    expect(r.rows[1]).toEqual(['c', 'd\r\ne,f\r\n']);
    expect(parseCsvDetailed('a,"b"\n').unterminatedQuoteRow).toBeNull();
  });

  it('reads tab-separated text when asked', () => {
    expect(parseCsvDetailed('a\tb,c\n1\t2', { delimiter: '\t' }).rows).toEqual([
      ['a', 'b,c'],
      ['1', '2'],
    ]);
  });

  it('round-trips any table written the RFC 4180 way', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', '中', ',', '"', '\n', '\r\n', ' ', 'x'), maxLength: 6 });
    const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(table, (rows) => {
        // A one-cell empty row at the end is dropped as an empty line by design.
        fc.pre(!(rows[rows.length - 1]!.length === 1 && rows[rows.length - 1]![0] === ''));
        const text = rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) || c === '' ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n');
        expect(parseCsv(text)).toEqual(rows);
      }),
    );
  });

  it('parses the demo tables', () => {
    const rows = parseCsv(decodeText(demo('tour-shanting-2021-study.csv')));
    expect(rows).toHaveLength(29);
    expect(rows[0]![0]).toBe('序号');
    expect(rows[1]![9]).toBe('(示例)服务业项目,建设内容以主办单位材料为准');
    expect(rows.every((r) => r.length === 13)).toBe(true);
  });
});

describe('decodeText', () => {
  it('reads UTF-8 with a BOM (Excel "CSV UTF-8") and strips the BOM', () => {
    const text = decodeText(demo('tour-chongchuan-2021-scored.csv'));
    expect(text.startsWith('序号,观摩日期')).toBe(true);
  });

  it('reads UTF-8 without a BOM', () => {
    const bytes = new TextEncoder().encode('序号,项目名称\n1,闹海信息科技');
    expect(decodeText(bytes)).toBe('序号,项目名称\n1,闹海信息科技');
  });

  it('reads GB18030/GBK (Excel "CSV" on Chinese Windows) when the bytes are not UTF-8', () => {
    const gbk = fixture('tour-chongchuan-gb18030.csv');
    expect(isValidUtf8(gbk)).toBe(false);
    const utf8 = decodeText(demo('tour-chongchuan-2021-scored.csv'));
    expect(decodeText(gbk)).toBe(utf8);
    // 观摩 in GBK
    expect(decodeText(new Uint8Array([0xb9, 0xdb, 0xc4, 0xa6]))).toBe('观摩');
  });

  it('reads UTF-16 with a BOM', () => {
    const le = new Uint8Array([0xff, 0xfe, 0xc2, 0x89, 0x69, 0x64]); // 观摩 UTF-16LE
    expect(decodeText(le)).toBe('观摩');
    const be = new Uint8Array([0xfe, 0xff, 0x89, 0xc2, 0x64, 0x69]);
    expect(decodeText(be)).toBe('观摩');
  });

  it('reads plain ASCII and empty input', () => {
    expect(decodeText(new TextEncoder().encode('a,b'))).toBe('a,b');
    expect(decodeText(new Uint8Array(0))).toBe('');
  });
});
