/**
 * The scorer list (评委名单): the secretariat's real table (CSV with BOM, as Excel writes it), the
 * same saved as .xlsx, text pasted from Excel, and rows with mistakes, each reported on its row.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { importScorerTable, matchUnit, readPastedTable, readTableFile, type ScorerTable } from './index';
import type { ImportResult } from './issues';

const demo = (name: string) => new Uint8Array(readFileSync(new URL(`../../assets/demo/${name}`, import.meta.url)));

const chongchuanUnits = [
  { id: 'u1', name: '市北高新区' },
  { id: 'u2', name: '文峰街道' },
  { id: 'u3', name: '崇川开发区' },
  { id: 'u4', name: '港闸开发区' },
];

/** 聊城: eleven units, two of them starting alike */
const liaochengUnits = ['东昌府区', '临清市', '阳谷县', '莘县', '茌平区', '东阿县', '冠县', '高唐县', '经济技术开发区', '高新区', '度假区'].map((name, i) => ({ id: `lc-${i + 1}`, name }));

function ok<T>(result: ImportResult<T>): T {
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.value;
}

function rowsOfFile(name: string, bytes: Uint8Array): string[][] {
  return ok(readTableFile(name, bytes));
}

/** The rows as a reader sees them: what each becomes, or its messages. */
function summary(table: ScorerTable) {
  return table.rows.map((r) => (r.issues.length > 0 ? { row: r.row, issues: r.issues.map((i) => i.message) } : { row: r.row, name: r.name, username: r.username, post: r.post, homeUnitId: r.homeUnitId, weightGroup: r.weightGroup, role: r.role }));
}

const demoExpected = [
  { row: 2, name: '张明', username: 'zhangming', post: '市委副书记', homeUnitId: null, weightGroup: null, role: 'scorer' },
  { row: 3, name: '李华', username: 'lihua', post: '副市长', homeUnitId: null, weightGroup: null, role: 'scorer' },
  { row: 4, name: '王强', username: 'wangqiang', post: '市发改委主任', homeUnitId: null, weightGroup: '部门', role: 'scorer' },
  { row: 5, name: '赵丽', username: 'zhaoli', post: '市工信局局长', homeUnitId: null, weightGroup: '部门', role: 'scorer' },
  { row: 6, name: '陈刚', username: 'chengang', post: '崇川开发区党工委书记', homeUnitId: 'u3', weightGroup: '县区', role: 'scorer' },
  { row: 7, name: '刘洋', username: 'liuyang', post: '市北高新区党工委书记', homeUnitId: 'u1', weightGroup: '县区', role: 'scorer' },
  { row: 8, name: '周敏', username: 'zhoumin', post: '港闸开发区党工委书记', homeUnitId: 'u4', weightGroup: '县区', role: 'scorer' },
  { row: 9, name: '吴磊', username: 'wulei', post: '文峰街道党工委书记', homeUnitId: 'u2', weightGroup: '县区', role: 'scorer' },
];

describe('importScorerTable: the secretariat’s table', () => {
  it('reads the demo CSV (BOM, 序号 ignored, empty units for city leaders)', () => {
    const table = ok(importScorerTable(rowsOfFile('scorers.csv', demo('scorers-chongchuan-2021.csv')), { units: chongchuanUnits }));
    expect(table.headerRow).toBe(1);
    expect(summary(table)).toEqual(demoExpected);
    expect(table.hasColumn).toEqual({ no: true, name: true, username: true, post: true, unit: true, weightGroup: true, role: false });
  });

  it('reads the same table saved as .xlsx, with a title row above the header', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('评委名单');
    sheet.addRow(['崇川区2021年重点项目观摩评委名单']);
    const lines = new TextDecoder().decode(demo('scorers-chongchuan-2021.csv')).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    for (const [i, line] of lines.entries()) {
      const cells: (string | number)[] = line.split(',');
      if (i > 0) cells[0] = Number(cells[0]); // 序号 as Excel stores it: a number
      sheet.addRow(cells);
    }
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const table = ok(importScorerTable(rowsOfFile('评委名单.xlsx', bytes), { units: chongchuanUnits }));
    expect(table.headerRow).toBe(2);
    // every row one further down, the same people
    expect(summary(table)).toEqual(demoExpected.map((r) => ({ ...r, row: r.row + 1 })));
  });

  it('reads text pasted from Excel: tabs, a quoted cell with a line break, a trailing line break', () => {
    const pasted = ['序号\t姓名\t职务\t所属单位\t角色', '1\t市领导1\t"市委书记\n（组长）"\t\t', '2\t阳谷县书记\t县委书记\t阳谷\t', '3\t高新区主任\t管委会主任\t高新区\t观摩员', ''].join('\r\n');
    const table = ok(importScorerTable(ok(readPastedTable(pasted)), { units: liaochengUnits }));
    expect(summary(table)).toEqual([
      { row: 2, name: '市领导1', username: null, post: '市委书记\n（组长）', homeUnitId: null, weightGroup: null, role: 'scorer' },
      { row: 3, name: '阳谷县书记', username: null, post: '县委书记', homeUnitId: 'lc-3', weightGroup: null, role: 'scorer' },
      { row: 4, name: '高新区主任', username: null, post: '管委会主任', homeUnitId: 'lc-10', weightGroup: null, role: 'observer' },
    ]);
  });

  it('reads a table of 账号 only, and pasted CSV text', () => {
    const table = ok(importScorerTable(ok(readPastedTable('账号,所属单位\nZhangMing,\nＬＩＨＵＡ,莘县\n')), { units: liaochengUnits }));
    expect(summary(table)).toEqual([
      { row: 2, name: null, username: 'zhangming', post: null, homeUnitId: null, weightGroup: null, role: 'scorer' },
      { row: 3, name: null, username: 'lihua', post: null, homeUnitId: 'lc-4', weightGroup: null, role: 'scorer' },
    ]);
  });

  it('reads 所属单位 without matching it when there is no tour (the server’s user import)', () => {
    const table = ok(importScorerTable(rowsOfFile('scorers.csv', demo('scorers-chongchuan-2021.csv')), { units: null }));
    expect(table.rows.every((r) => r.issues.length === 0 && r.homeUnitId === null)).toBe(true);
    expect(table.rows[4]!.unitText).toBe('崇川开发区');
  });
});

describe('importScorerTable: bad rows, each on its own row', () => {
  it('names the row, the column and the value of every problem, and keeps the good rows', () => {
    const pasted = [
      '序号\t姓名\t账号\t职务\t所属单位\t权重组\t角色',
      '1\t市领导1\tsld1\t市委书记\t\t市领导\t',
      '2\t东阿县书记\t\t县委书记\t东阿\t县区\t',
      '3\t临清市长\t\t市长\t临清县\t县区\t', // no such unit
      '4\t东区干部\t\t\t东\t\t', // 东昌府区 or 东阿县
      '5\t市领导2\tsld1\t副书记\t\t市领导\t', // 账号 repeats row 2
      '6\t东阿县书记\t\t县委书记\t东阿县\t县区\t', // the same name again, no 账号 to tell them apart
      '7\t\t\t秘书长\t\t\t', // nobody
      '8\t市领导3\tsld 3\t\t\t\t组长', // a space in the 账号, an unknown role
      '9\t\t\t\t\t\t', // an empty numbered line: skipped
      '10\t张伟\tzhangwei1\t\t冠县\t\t观摩员',
      '11\t张伟\tzhangwei2\t\t冠县\t\t观摩员', // same name, different 账号: two people
      '合计\t\t\t\t\t\t',
    ].join('\n');
    const table = ok(importScorerTable(ok(readPastedTable(pasted)), { units: liaochengUnits }));
    expect(summary(table)).toEqual([
      { row: 2, name: '市领导1', username: 'sld1', post: '市委书记', homeUnitId: null, weightGroup: '市领导', role: 'scorer' },
      { row: 3, name: '东阿县书记', username: null, post: '县委书记', homeUnitId: 'lc-6', weightGroup: '县区', role: 'scorer' },
      { row: 4, issues: ['第4行「所属单位」: 找不到单位“临清县”（本活动的单位：东昌府区、临清市、阳谷县、莘县、茌平区、东阿县、冠县、高唐县、经济技术开发区、高新区、度假区）'] },
      { row: 5, issues: ['第5行「所属单位」: “东”可以指东昌府区、东阿县，请写全称'] },
      { row: 6, issues: ['第6行「账号」: “sld1” 与第2行重复'] },
      { row: 7, issues: ['第7行「姓名」: “东阿县书记” 与第3行重复（同名的两个人请分别填写「账号」）'] },
      { row: 8, issues: ['第8行: 「姓名」和「账号」都为空，至少填写一项'] },
      {
        row: 9,
        issues: [
          '第9行「账号」: “sld 3” 不是有效的账号（最多64个字符，只能包含字母、汉字、数字和中间的 . _ -）',
          '第9行「角色」: “组长” 不是有效的角色（填写“评委”或“观摩人员”，空着表示评委）',
        ],
      },
      { row: 11, name: '张伟', username: 'zhangwei1', post: null, homeUnitId: 'lc-7', weightGroup: null, role: 'observer' },
      { row: 12, name: '张伟', username: 'zhangwei2', post: null, homeUnitId: 'lc-7', weightGroup: null, role: 'observer' },
    ]);
    const english = table.rows.find((r) => r.row === 4)!.issues[0]!;
    expect(english.messageEn).toBe('Row 4, column "所属单位": no unit "临清县" in this tour (its units: 东昌府区, 临清市, 阳谷县, 莘县, 茌平区, 东阿县, 冠县, 高唐县, 经济技术开发区, 高新区, 度假区)');
    expect(english).toMatchObject({ row: 4, column: '所属单位', value: '临清县' });
  });

  it('says 找不到单位“阳谷” in the words of the issue when no unit starts so', () => {
    const table = ok(importScorerTable(ok(readPastedTable('姓名\t所属单位\n甲\t阳谷\n')), { units: [{ id: 'x', name: '莘县' }] }));
    expect(table.rows[0]!.issues.map((i) => i.message)).toEqual(['第2行「所属单位」: 找不到单位“阳谷”（本活动的单位：莘县）']);
  });

  it('fails the whole file only for a problem of the whole file', () => {
    const messages = (text: string) => {
      const r = importScorerTable(ok(readPastedTable(text)), { units: [] });
      if (r.ok) throw new Error('expected a failure');
      return r.errors.map((e) => e.message);
    };
    expect(messages('项目名称\t县市区\n闹海\t市北')[0]).toMatch(/^找不到评委名单的表头：表格前20行中没有一行包含「姓名」或「账号」列/);
    expect(messages('姓名\t账号\n')).toEqual(['第1行: 表头下面没有人员，请在表头下方逐行填写评委']);
    expect(messages('姓名\t名字\t所属单位\n甲\t甲\t')).toEqual(['第1行: 表头中有重复的列「姓名」（A列和B列），请只保留一列']);
    expect(ok(readPastedTable('a\tb')).length).toBe(1);
    const empty = readPastedTable('  \n ');
    expect(empty.ok).toBe(false);
  });
});

describe('matchUnit', () => {
  it('takes an exact name (ignoring spaces and full-width forms) before a prefix', () => {
    const units = [
      { id: 'a', name: '阳谷县' },
      { id: 'b', name: '阳谷县开发区' },
    ];
    expect(matchUnit('阳谷县', units)).toEqual({ ok: true, unit: units[0] });
    expect(matchUnit(' 阳谷县 开发区', units)).toEqual({ ok: true, unit: units[1] });
    expect(matchUnit('阳谷', units)).toMatchObject({ ok: false, problem: { zh: '“阳谷”可以指阳谷县、阳谷县开发区，请写全称' } });
    expect(matchUnit('ＡＢ', [{ id: 'c', name: 'ab园区' }])).toEqual({ ok: true, unit: { id: 'c', name: 'ab园区' } });
  });
});
