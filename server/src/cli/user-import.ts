/**
 * `guanmo-server user import FILE`: accounts for the people of a scorer list (评委名单, .xlsx or
 * .csv, the table the desk imports), for an administrator at the server, e.g. with the list of
 * missing accounts a secretariat downloaded from the desk.
 *
 * The rows are read and matched exactly as the desk does (shared/import: importScorerTable,
 * planScorerRows): a row whose 账号 exists, or whose 姓名 is the name of exactly one account, has
 * an account already; the others get one (user name from 账号, else proposed from 姓名), with a
 * one-time password the person replaces at first sign-in. Running it twice creates nothing twice.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { importScorerTable, planScorerRows, readTableFile, type ImportIssue } from '@shared/import';
import { createAccounts } from '../auth/create-accounts.js';
import type { Database } from '../db/schema.js';
import { listUsers } from '../db/users.js';

export type ImportLine =
  | { row: number; name: string; username: string; status: 'created'; password: string }
  | { row: number; name: string; username: string; status: 'exists' }
  | { row: number; status: 'problem'; message: string };

export type UserImportReport = { lines: ImportLine[]; fileProblems: ImportIssue[] };

export async function importUsersFromTable(db: Kysely<Database>, fileName: string, bytes: Uint8Array): Promise<UserImportReport> {
  const rows = readTableFile(fileName, bytes);
  if (!rows.ok) return { lines: [], fileProblems: rows.errors };
  const table = importScorerTable(rows.value, { units: null });
  if (!table.ok) return { lines: [], fileProblems: table.errors };

  const accounts = (await listUsers(db)).map((u) => ({ id: u.id, username: u.username, displayName: u.displayName, role: u.role, disabled: u.disabled }));
  const plan = planScorerRows(table.value, { accounts, assignedUserIds: new Set() });
  const creates = plan.rows.flatMap((p) => (p.kind === 'create' ? [p] : []));
  const results = creates.length === 0 ? [] : await createAccounts(db, creates.map((p) => ({ username: p.username, displayName: p.name, role: p.accountRole })), null);
  const resultOfRow = new Map(creates.map((p, i) => [p.row.row, results[i]!]));

  const lines: ImportLine[] = plan.rows.map((p): ImportLine => {
    switch (p.kind) {
      case 'assign':
      case 'assigned':
        return { row: p.row.row, name: p.row.name ?? p.account.displayName, username: p.account.username, status: 'exists' };
      case 'create': {
        const result = resultOfRow.get(p.row.row)!;
        if (result.status === 'created') return { row: p.row.row, name: p.name, username: result.username, status: 'created', password: result.generatedPassword! };
        if (result.status === 'exists') return { row: p.row.row, name: p.name, username: result.username, status: 'exists' };
        return { row: p.row.row, status: 'problem', message: `第${p.row.row}行: ${result.message}` };
      }
      case 'unchecked':
        return { row: p.row.row, status: 'problem', message: p.message.message };
      case 'error':
        return { row: p.row.row, status: 'problem', message: p.issues.map((i) => i.message).join('；') };
    }
  });
  return { lines, fileProblems: [] };
}

/** The one-time passwords as a CSV file (UTF-8 with BOM, as Excel opens it): 姓名, 账号, 初始密码. */
export function passwordsCsv(lines: readonly ImportLine[]): string {
  const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const created = lines.filter((l): l is Extract<ImportLine, { status: 'created' }> => l.status === 'created');
  return '\uFEFF' + [['姓名', '账号', '初始密码'], ...created.map((l) => [l.name, l.username, l.password])].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
}

/** Writes the passwords file readable by its owner only; refuses to overwrite a file. */
export async function writePasswordsFile(cwd: string, target: string, content: string): Promise<string> {
  const full = path.resolve(cwd, target);
  await fs.writeFile(full, content, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
  return full;
}
