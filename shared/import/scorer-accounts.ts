/**
 * The scorer list's rows against the server's accounts and the tour's assignments: what
 * 「全部分配」 would do with each row, before anything is saved.
 *
 * Per row, in this order:
 * - a row with problems of its own (scorer-table.ts) stays an error;
 * - 账号 given: the account of that user name; unknown → a new account of that name (needs 姓名);
 * - 姓名 only: the one enabled account of that display name; none → a new account with a user
 *   name proposed from the name (proposeUsername); several → ambiguous, 账号 must say which;
 * - a disabled account, or a 评委 row matched to an account that cannot score (the server lets
 *   only scorer accounts write sheets), is an error; so is a second row reaching an account an
 *   earlier row already reached;
 * - an account already assigned to the tour is skipped ('assigned'), not an error: pasting the
 *   same list again after fixing two rows must be harmless.
 * Without the server's account list (offline, no right to it) rows are matched by name against
 * the people this desk already knows, and the others wait ('unchecked') until it is online.
 *
 * What must stay true: pure and deterministic; one row never blocks another.
 */
import type { Role } from '../domain/schemas';
import { normalizeUsername, proposeUsername } from '../domain/usernames';
import { cellIssue, rowIssue, type ImportIssue, type Problem } from './issues';
import type { ScorerRole, ScorerTable, ScorerTableRow } from './scorer-table';

export type AccountChoice = { id: string; username: string; displayName: string; role: Role; disabled: boolean };

export type ScorerRowPlan =
  /** ready: assign this account */
  | { kind: 'assign'; row: ScorerTableRow; account: AccountChoice; name: string; note: Problem | null }
  /** no account yet: an admin creates `username` first */
  | { kind: 'create'; row: ScorerTableRow; username: string; name: string; accountRole: ScorerRole }
  /** the account is in the tour already: skipped */
  | { kind: 'assigned'; row: ScorerTableRow; account: AccountChoice; message: ImportIssue }
  /** offline and not a person this desk knows: cannot be checked now */
  | { kind: 'unchecked'; row: ScorerTableRow; message: ImportIssue }
  | { kind: 'error'; row: ScorerTableRow; issues: ImportIssue[] };

export type ScorerPlan = {
  rows: ScorerRowPlan[];
  counts: Record<ScorerRowPlan['kind'], number>;
};

const ROLE_NAMES: Record<Role, Problem> = {
  admin: { zh: '管理员', en: 'an administrator' },
  secretariat: { zh: '秘书处', en: 'a secretariat' },
  scorer: { zh: '评委', en: 'a scorer' },
  observer: { zh: '观摩人员', en: 'an observer' },
};

export function planScorerRows(
  table: Pick<ScorerTable, 'headers' | 'rows'>,
  context: {
    /** the server's accounts; null when the list cannot be had (offline, signed out, no right) */
    accounts: readonly AccountChoice[] | null;
    /** people this desk knows (assigned to any tour here), matched by name when `accounts` is null */
    knownPeople?: readonly { userId: string; name: string }[];
    /** user ids assigned to the tour already */
    assignedUserIds: ReadonlySet<string>;
  },
): ScorerPlan {
  const { headers } = table;
  const isOnline = context.accounts !== null;
  const accounts: AccountChoice[] = isOnline
    ? [...context.accounts!]
    : knownAsAccounts(context.knownPeople ?? []);
  const byUsername = new Map(accounts.filter((a) => a.username !== '').map((a) => [normalizeUsername(a.username), a]));
  const byName = new Map<string, AccountChoice[]>();
  for (const a of accounts) {
    const key = nameKey(a.displayName);
    byName.set(key, [...(byName.get(key) ?? []), a]);
  }
  // user names that a proposal must avoid: every account's, and every 账号 the table gives
  const taken = new Set<string>([...byUsername.keys(), ...table.rows.flatMap((r) => (r.username ? [r.username] : []))]);
  const rowOfAccount = new Map<string, number>();
  const plans: ScorerRowPlan[] = [];

  for (const row of table.rows) {
    if (row.issues.length > 0) {
      plans.push({ kind: 'error', row, issues: row.issues });
      continue;
    }
    const usernameCell = (problem: Problem) => cellIssue(row.row, headers.username, row.usernameText, problem);
    const nameCell = (problem: Problem) => cellIssue(row.row, headers.name, row.name ?? '', problem);

    let account: AccountChoice | null = null;
    let matchedBy: 'username' | 'name' = 'username';
    if (row.username !== null) {
      account = byUsername.get(row.username) ?? null;
      if (!account && !isOnline) {
        plans.push({ kind: 'unchecked', row, message: usernameCell(OFFLINE) });
        continue;
      }
      if (!account) {
        if (row.name === null) {
          plans.push({
            kind: 'error',
            row,
            issues: [
              usernameCell({
                zh: `没有这个账号；要新建账号，还需要填写「${headers.name}」`,
                en: `is no account on the server; to create it, fill in "${headers.name}" too`,
              }),
            ],
          });
        } else {
          plans.push({ kind: 'create', row, username: row.username, name: row.name, accountRole: row.role });
        }
        continue;
      }
    } else {
      matchedBy = 'name';
      const same = byName.get(nameKey(row.name!)) ?? [];
      const enabled = same.filter((a) => !a.disabled);
      if (enabled.length > 1) {
        const names = enabled.map((a) => a.username).filter(Boolean);
        plans.push({
          kind: 'error',
          row,
          issues: [
            nameCell({
              zh: `有${enabled.length}个账号的姓名都是这个${names.length > 0 ? `（${names.join('、')}）` : ''}，请在「${headers.username}」列写明是哪一个`,
              en: `is the name of ${enabled.length} accounts${names.length > 0 ? ` (${names.join(', ')})` : ''}; say which one in the "${headers.username}" column`,
            }),
          ],
        });
        continue;
      }
      account = enabled[0] ?? same[0] ?? null;
      if (!account && !isOnline) {
        plans.push({ kind: 'unchecked', row, message: nameCell(OFFLINE) });
        continue;
      }
      if (!account) {
        const username = proposeUsername(row.name!, (u) => taken.has(u));
        if (username === null) {
          plans.push({
            kind: 'error',
            row,
            issues: [nameCell({ zh: `无法由姓名生成账号，请在「${headers.username}」列填写账号`, en: `cannot be made into a user name; give one in the "${headers.username}" column` })],
          });
          continue;
        }
        taken.add(username);
        plans.push({ kind: 'create', row, username, name: row.name!, accountRole: row.role });
        continue;
      }
    }

    const cell = matchedBy === 'username' ? usernameCell : nameCell;
    const label = account.username || account.displayName;
    if (account.disabled) {
      plans.push({ kind: 'error', row, issues: [cell({ zh: `对应的账号“${label}”已停用，请联系管理员`, en: `belongs to the account "${label}", which is disabled; ask the administrator` })] });
      continue;
    }
    const earlier = rowOfAccount.get(account.id);
    if (earlier !== undefined) {
      plans.push({ kind: 'error', row, issues: [cell({ zh: `与第${earlier}行是同一个账号（${label}）`, en: `is the same account as row ${earlier} (${label})` })] });
      continue;
    }
    rowOfAccount.set(account.id, row.row);
    if (context.assignedUserIds.has(account.id)) {
      plans.push({ kind: 'assigned', row, account, message: rowIssue(row.row, { zh: `${row.name ?? account.displayName}已在本活动中，跳过`, en: `${row.name ?? account.displayName} is in this tour already; skipped` }) });
      continue;
    }
    if (isOnline && row.role === 'scorer' && account.role !== 'scorer') {
      const role = ROLE_NAMES[account.role];
      plans.push({
        kind: 'error',
        row,
        issues: [
          cell({
            zh: `对应的账号“${label}”是${role.zh}账号，不能评分（可作为观摩人员；评委需要评委账号）`,
            en: `belongs to "${label}", ${role.en} account, which cannot score (it can join as an observer; a scorer needs a scorer account)`,
          }),
        ],
      });
      continue;
    }
    const name = row.name ?? account.displayName;
    const note =
      row.name !== null && account.username !== '' && nameKey(row.name) !== nameKey(account.displayName)
        ? { zh: `账号${account.username}登记的姓名是“${account.displayName}”，按表中的“${row.name}”显示`, en: `the account ${account.username} is registered as "${account.displayName}"; shown as "${row.name}" from the table` }
        : null;
    plans.push({ kind: 'assign', row, account, name, note });
  }

  const counts = { assign: 0, create: 0, assigned: 0, unchecked: 0, error: 0 };
  for (const p of plans) counts[p.kind]++;
  return { rows: plans, counts };
}

const OFFLINE: Problem = {
  zh: '现在无法连接服务器核对账号，连网后再导入这一行',
  en: 'cannot be checked against the server’s accounts now; import this row again when online',
};

function knownAsAccounts(people: readonly { userId: string; name: string }[]): AccountChoice[] {
  const seen = new Map<string, AccountChoice>();
  for (const p of people) if (!seen.has(p.userId)) seen.set(p.userId, { id: p.userId, username: '', displayName: p.name, role: 'scorer', disabled: false });
  return [...seen.values()];
}

function nameKey(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '');
}
