import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { inlineRow, makeXlsx } from './fixtures/hand-made-xlsx';
import { readTableFile } from './index';
import type { ImportResult } from './issues';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const demo = (name: string) => new Uint8Array(readFileSync(new URL(`../../assets/demo/${name}`, import.meta.url)));

function errorsOf(result: ImportResult<unknown>): string[] {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors.map((e) => e.message);
}

describe('readTableFile', () => {
  it('reads a CSV in UTF-8 with BOM, without BOM, and in GB18030 to the same rows', () => {
    const withBom = readTableFile('点位表.csv', demo('tour-chongchuan-2021-scored.csv'));
    const noBom = readTableFile('点位表.csv', demo('tour-chongchuan-2021-scored.csv').subarray(3));
    const gbk = readTableFile('点位表.csv', fixture('tour-chongchuan-gb18030.csv'));
    expect(withBom.ok && withBom.value.length).toBe(6);
    expect(noBom).toEqual(withBom);
    expect(gbk).toEqual(withBom);
  });

  it('reads an .xlsx (by content, also when misnamed)', () => {
    const bytes = makeXlsx({ sheetData: inlineRow(1, ['序号', '项目名称']) + inlineRow(2, ['1', '闹海信息科技']) });
    const expected = { ok: true, value: [['序号', '项目名称'], ['1', '闹海信息科技']] };
    expect(readTableFile('点位表.xlsx', bytes)).toEqual(expected);
    expect(readTableFile('点位表.csv', bytes)).toEqual(expected);
    expect(readTableFile('点位表', bytes)).toEqual(expected);
  });

  it('reads tab-separated "Unicode text"', () => {
    const text = '\uFEFF序号\t项目名称\r\n1\t闹海信息科技\r\n';
    const utf16 = new Uint8Array(2 + text.length * 2 - 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 1; i < text.length; i++) {
      utf16[2 * i] = text.charCodeAt(i) & 0xff;
      utf16[2 * i + 1] = text.charCodeAt(i) >> 8;
    }
    expect(readTableFile('点位表.txt', utf16)).toEqual({ ok: true, value: [['序号', '项目名称'], ['1', '闹海信息科技']] });
  });

  it('explains empty and oversized files', () => {
    expect(errorsOf(readTableFile('点位表.csv', new Uint8Array(0)))).toEqual(['文件「点位表.csv」是空的']);
    expect(errorsOf(readTableFile('点位表.csv', strToU8(' , ,\r\n,,\r\n')))).toEqual(['文件「点位表.csv」中没有内容']);
    expect(errorsOf(readTableFile('big.csv', new Uint8Array(21 * 1024 * 1024)))).toEqual([
      '文件「big.csv」太大（21.0 MB，最多 20 MB），请确认选对了文件',
    ]);
    const emptySheet = makeXlsx({ sheetData: '' });
    expect(errorsOf(readTableFile('空.xlsx', emptySheet))).toEqual(['文件「空.xlsx」的第一个工作表是空的']);
  });

  it('asks to re-save old .xls and password-protected workbooks', () => {
    const cfb = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    const [message] = errorsOf(readTableFile('点位表.xlsx', cfb));
    expect(message).toMatch(/^文件「点位表.xlsx」是旧版 Excel（.xls）或设置了密码的工作簿，无法读取。请在 Excel 中“另存为”/);
    expect(errorsOf(readTableFile('点位表.xls', strToU8('whatever')))[0]).toMatch(/旧版 Excel/);
  });

  it('refuses other files with a clear message', () => {
    expect(errorsOf(readTableFile('报告.pdf', strToU8('%PDF-1.7')))).toEqual([
      '不支持文件「报告.pdf」的类型，请导入 Excel 工作簿（.xlsx）或 CSV 文件（.csv）',
    ]);
    expect(errorsOf(readTableFile('照片.csv', new Uint8Array([0xff, 0xd8, 0xff, 0, 0, 1])))[0]).toMatch(/^不支持文件/);
    expect(errorsOf(readTableFile('改名.xlsx', strToU8('序号,项目名称')))).toEqual([
      '文件「改名.xlsx」不是有效的 Excel 工作簿（.xlsx），可能已损坏或只是改了扩展名',
    ]);
    const docx = zipSync({ 'word/document.xml': strToU8('<w:document/>') });
    expect(errorsOf(readTableFile('通知.docx', docx))).toEqual(['文件「通知.docx」是Word 文档，不是 Excel 工作簿（.xlsx）']);
    expect(errorsOf(readTableFile('资料.zip', zipSync({ 'a.txt': strToU8('x') })))).toEqual(['文件「资料.zip」是压缩包，不是 Excel 工作簿（.xlsx）']);
  });

  it('reports a damaged workbook and a zip bomb', () => {
    const good = makeXlsx({ sheetData: inlineRow(1, ['a']) });
    const damaged = good.slice();
    // overwrite the compressed data of the worksheet (just after its local header and name)
    const at = Buffer.from(damaged).indexOf('xl/worksheets/sheet1.xml');
    damaged.fill(0x41, at + 24, at + 60);
    const [broken] = errorsOf(readTableFile('坏.xlsx', damaged));
    expect(broken).toMatch(/^文件「坏.xlsx」已损坏，无法读取（.+）。请在 Excel 中打开并重新保存后再试$/);

    const bomb = makeXlsx({ sheetData: inlineRow(1, ['a']) + ' '.repeat(60 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const [tooLarge] = errorsOf(readTableFile('炸弹.xlsx', bomb));
    expect(tooLarge).toMatch(/^文件「炸弹.xlsx」解压后过大，无法导入/);
  });

  it('reports an unterminated quote with the row where it starts', () => {
    const result = readTableFile('点位表.csv', strToU8('序号,项目名称\r\n1,"闹海信息科技\r\n2,裕景苑\r\n'));
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          row: 2,
          column: '',
          value: '',
          message: '第2行: 引号（"）没有闭合，从这里到文件末尾都被当成了一个单元格。请检查这一行的引号',
          messageEn: 'Row 2: a quote (") is never closed, so everything from here to the end of the file would be one cell. Check the quotes in this row',
        },
      ],
    });
  });
});
