import ExcelJS from 'exceljs';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { inlineRow, makeXlsx } from './fixtures/hand-made-xlsx';
import { readXlsx, XLSX_LIMITS, XlsxError } from './xlsx';

function xlsxError(fn: () => unknown): XlsxError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(XlsxError);
    return e as XlsxError;
  }
  throw new Error('expected an XlsxError');
}

const DATE_STYLES = `<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>
<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="4" applyNumberFormat="1"/></cellXfs>`;

describe('readXlsx (hand-made parts, as Excel writes them)', () => {
  it('reads every cell type and keeps gaps', () => {
    const bytes = makeXlsx({
      sharedStrings: [
        '序号',
        '纬度',
        { xml: '<si><r><rPr><b/></rPr><t>崇川</t></r><r><t xml:space="preserve">开发区 </t></r><rPh sb="0" eb="2"><t>チョウセン</t></rPh></si>' },
        'a < b & "c"',
        { xml: '<si><t>第一行_x000D_\n第二行 _x005F_x0041_</t></si>' },
      ],
      styles: DATE_STYLES,
      sheetData: [
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>', // B1 missing
        '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>2</v></c><c r="C2"><v>32.027510000000001</v></c></row>',
        '<row r="3"><c r="A3" t="inlineStr"><is><t>inline &amp; text</t></is></c><c r="B3" t="inlineStr"><is><r><t>ri</t></r><r><t>ch</t></r></is></c></row>',
        '<row r="4"><c r="A4" t="b"><v>1</v></c><c r="B4" t="b"><v>0</v></c><c r="C4" t="e"><v>#N/A</v></c><c r="D4" t="str"><f>A1&amp;"x"</f><v>序号x</v></c></row>',
        '<row r="5"><c r="A5" s="1"><v>44538</v></c><c r="B5" s="2"><v>44539</v></c><c r="C5" s="3"><v>100000</v></c><c r="D5" s="1"/></row>',
        '<row r="7"><c r="B7" t="s"><v>3</v></c><c r="C7" t="s"><v>4</v></c></row>', // row 6 missing
        '<row r="8"><c r="A8"><f>1/3</f><v>0.33333333333333331</v></c><c r="B8"><v>1.2E-7</v></c><c r="C8" t="d"><v>2021-12-08T00:00:00Z</v></c></row>',
      ].join(''),
    });
    const sheet = readXlsx(bytes);
    expect(sheet.name).toBe('Sheet1');
    expect(sheet.rows).toEqual([
      ['序号', '', '纬度'],
      ['1', '崇川开发区 ', '32.02751'],
      ['inline & text', 'rich'],
      ['TRUE', 'FALSE', '#N/A', '序号x'],
      ['2021-12-08', '2021-12-09', '100000'],
      [],
      ['', 'a < b & "c"', '第一行\r\n第二行 _x0041_'],
      ['0.333333333333333', '1.2e-7', '2021-12-08'],
    ]);
  });

  it('reads the 1904 date system', () => {
    const bytes = makeXlsx({
      workbookPr: 'date1904="1"',
      styles: DATE_STYLES,
      sheetData: '<row r="1"><c r="A1" s="1"><v>43076</v></c></row>',
    });
    expect(readXlsx(bytes).rows).toEqual([['2021-12-08']]);
  });

  it('reads rows and cells without references, and prefixed namespaces', () => {
    const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const bytes = makeXlsx({
      sheetData: '',
      parts: {
        'xl/worksheets/sheet1.xml': `<x:worksheet xmlns:x="${NS}"><x:sheetData><x:row><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c><x:c><x:v>2</x:v></x:c></x:row><x:row><x:c r="C2" t="inlineStr"><x:is><x:t>c</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`,
      },
    });
    expect(readXlsx(bytes).rows).toEqual([['a', '2'], ['', '', 'c']]);
  });

  it('repeats a merged cell over its range (a merged 县市区 belongs to every row)', () => {
    const bytes = makeXlsx({
      sheetData: [inlineRow(1, ['县市区', '项目名称', '', '备注']), inlineRow(2, ['港闸开发区', '甲']), inlineRow(3, ['', '乙']), inlineRow(4, ['', '丙'])].join(''),
      // D1:D1048576 fills only the rows the table has, not a million
      afterSheetData: '<mergeCells count="3"><mergeCell ref="A2:A4"/><mergeCell ref="D1:D1048576"/><mergeCell ref="C2:C3"/></mergeCells>',
    });
    expect(readXlsx(bytes).rows).toEqual([
      ['县市区', '项目名称', '', '备注'],
      ['港闸开发区', '甲', '', '备注'],
      ['港闸开发区', '乙', '', '备注'],
      ['港闸开发区', '丙', '', '备注'],
    ]);
  });

  it('takes the first worksheet in tab order, skipping a chartsheet', () => {
    const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const bytes = makeXlsx({
      sheetData: inlineRow(1, ['second']),
      parts: {
        'xl/workbook.xml': `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${REL}"><sheets><sheet name="图表" sheetId="3" r:id="rId9"/><sheet name="点位表" sheetId="2" r:id="rId5"/><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
        'xl/_rels/workbook.xml.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId5" Type="${REL}/worksheet" Target="/xl/worksheets/sheet2.xml"/><Relationship Id="rId9" Type="${REL}/chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>`,
        'xl/worksheets/sheet2.xml': `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${inlineRow(1, ['first'])}</sheetData></worksheet>`,
        'xl/chartsheets/sheet1.xml': '<chartsheet/>',
      },
    });
    expect(readXlsx(bytes)).toEqual({ name: '点位表', rows: [['first']] });
  });

  it('refuses archives that are not workbooks, saying what they are', () => {
    const docx = zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': strToU8('<w:document/>') });
    const err = xlsxError(() => readXlsx(docx));
    expect(err.code).toBe('not-xlsx');
    expect(err.looksLike).toBe('docx');
    expect(xlsxError(() => readXlsx(zipSync({ 'photo.jpg': new Uint8Array([1, 2]) }))).looksLike).toBe('zip');
    expect(xlsxError(() => readXlsx(strToU8('not a zip'))).code).toBe('not-xlsx');
  });

  it('reports broken workbooks', () => {
    const cases = [
      makeXlsx({ sheetData: '<row r="1"><c r="A1" t="s"><v>5</v></c></row>' }), // no such shared string
      makeXlsx({ sheetData: '<row r="1"><c r="A1"><v>abc</v></c></row>' }), // not a number
      makeXlsx({ sheetData: '<row r="1"><c r="1A"><v>1</v></c></row>' }), // bad reference
      makeXlsx({ sheetData: '<row r="1"><c r="A1"><v>1</v></row>' }), // malformed XML
      makeXlsx({ sheetData: '', parts: { 'xl/worksheets/sheet1.xml': null } }),
    ];
    expect(cases.map((bytes) => xlsxError(() => readXlsx(bytes)).message)).toEqual([
      'shared string 5 does not exist',
      'cell value "abc" is not a number',
      'bad cell reference "1A"',
      'malformed XML: end tag </row> does not match <c>',
      'the workbook has no worksheet',
    ]);
    const good = makeXlsx({ sheetData: inlineRow(1, ['a']) });
    expect(xlsxError(() => readXlsx(good.subarray(0, good.length - 10))).code).toBe('broken');
  });

  it('caps rows, columns, cells and unpacked size', () => {
    expect(xlsxError(() => readXlsx(makeXlsx({ sheetData: '<row r="1"><c r="XFD1"><v>1</v></c></row>' }))).code).toBe('too-large');
    expect(xlsxError(() => readXlsx(makeXlsx({ sheetData: '<row r="1048576"><c r="A1048576"><v>1</v></c></row>' }))).code).toBe('too-large');
    const wide = Array.from({ length: 300 }, (_, r) => `<row r="${r + 1}"><c r="ALL${r + 1}"><v>1</v></c></row>`).join('');
    expect(xlsxError(() => readXlsx(makeXlsx({ sheetData: wide }), { ...XLSX_LIMITS, maxCells: 100_000 })).code).toBe('too-large');
    const padded = makeXlsx({ sheetData: inlineRow(1, ['a']) + ' '.repeat(3 * 1024 * 1024) });
    expect(xlsxError(() => readXlsx(padded, { ...XLSX_LIMITS, maxUnpackedBytes: 1024 * 1024 })).code).toBe('too-large');
    expect(readXlsx(padded).rows).toEqual([['a']]);
  });
});

describe('readXlsx (workbooks written by exceljs)', () => {
  it('reads typed numbers, dates, booleans and rich text as the user sees them', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('点位表');
    ws.addRow(['观摩日期', '开工日期', '经度', '总投资', '重点', '名称']);
    ws.addRow([new Date(Date.UTC(2021, 11, 8)), new Date(Date.UTC(2021, 2, 15, 9, 30)), 120.87891, 100000, true, { richText: [{ text: '闹海', font: { bold: true } }, { text: '信息科技' }] }]);
    ws.getCell('A2').numFmt = 'yyyy"年"m"月"d"日"';
    ws.getCell('B2').numFmt = 'yyyy-mm-dd hh:mm';
    ws.getCell('D2').numFmt = '#,##0';
    ws.getCell('F4').value = '跳过一行';
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    expect(readXlsx(bytes)).toEqual({
      name: '点位表',
      rows: [
        ['观摩日期', '开工日期', '经度', '总投资', '重点', '名称'],
        ['2021-12-08', '2021-03-15 09:30', '120.87891', '100000', 'TRUE', '闹海信息科技'],
        [],
        ['', '', '', '', '', '跳过一行'],
      ],
    });
  });
});
