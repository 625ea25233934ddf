/**
 * The two workbooks the bulk assignment hands out (exceljs loaded on first use, as for the
 * results workbook):
 * - 初始密码: 姓名, 账号, 初始密码 of the accounts just created, to print or keep until every
 *   password is handed out;
 * - 待建账号名单: the rows a secretariat could not assign because their accounts do not exist
 *   yet, in the scorer list's own columns, so the administrator can import the file as it is
 *   (`guanmo-server user import FILE`, or the desk's import signed in as admin).
 * Every cell is text (`@`): Excel must not turn a 账号 such as 0012 into the number 12.
 * Headers and words stay Chinese: these are the secretariat's own tables.
 */
import type { Workbook } from 'exceljs';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type ExcelModule = typeof import('exceljs');

async function loadExcel(): Promise<ExcelModule> {
  const mod = (await import('exceljs')) as ExcelModule & { default?: ExcelModule };
  return mod.default ?? mod;
}

export type PasswordEntry = { name: string; username: string; password: string; post: string | null };

export async function passwordsWorkbook(tourName: string, entries: readonly PasswordEntry[]): Promise<Uint8Array<ArrayBuffer>> {
  return textWorkbook(
    '初始密码',
    `${tourName} · 新建账号的初始密码（首次登录时须设置自己的密码）`,
    [
      { header: '姓名', width: 16 },
      { header: '账号', width: 20 },
      { header: '初始密码', width: 24 },
    ],
    entries.map((e) => [e.name, e.username, e.password]),
  );
}

/** A file name from the tour's name: no characters Windows or macOS refuse. */
export function listFileName(tourName: string, what: string): string {
  const safe = tourName.replace(/[\\/:*?"<>|\u0000-\u001f]/g, ' ').trim().slice(0, 120) || '观摩';
  return `${safe}-${what}.xlsx`;
}

export type MissingAccountEntry = { name: string; username: string; post: string | null; unit: string; weightGroup: string | null; role: 'scorer' | 'observer' };

export async function missingAccountsWorkbook(entries: readonly MissingAccountEntry[]): Promise<Uint8Array<ArrayBuffer>> {
  return textWorkbook(
    '待建账号名单',
    null,
    [
      { header: '序号', width: 6 },
      { header: '姓名', width: 16 },
      { header: '账号', width: 20 },
      { header: '职务', width: 24 },
      { header: '所属单位', width: 18 },
      { header: '权重组', width: 10 },
      { header: '角色', width: 8 },
    ],
    entries.map((e, i) => [String(i + 1), e.name, e.username, e.post ?? '', e.unit, e.weightGroup ?? '', e.role === 'observer' ? '观摩人员' : '评委']),
    '注：以上人员还没有账号。管理员可在服务器上运行 guanmo-server user import 本文件，或登录秘书处工作台导入本表后点“创建账号”。初始密码由系统生成，首次登录时须改为自己的密码。',
  );
}

type Column = { header: string; width: number };

async function textWorkbook(sheetName: string, title: string | null, columns: Column[], rows: string[][], note?: string): Promise<Uint8Array<ArrayBuffer>> {
  const Excel = await loadExcel();
  const workbook: Workbook = new Excel.Workbook();
  workbook.creator = '观摩 Guanmo';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.columns = columns.map((c) => ({ width: c.width, style: { numFmt: '@' } }));
  if (title) {
    sheet.addRow([title]).font = { bold: true, size: 13 };
  }
  const header = sheet.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  for (const cells of rows) sheet.addRow(cells);
  if (note) {
    sheet.addRow([]);
    sheet.addRow([note]);
  }
  sheet.views = [{ state: 'frozen', ySplit: header.number }];
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
