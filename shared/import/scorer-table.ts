/**
 * The secretariat's scorer list (评委名单) → one entry per person, each with the problems found
 * in its row.
 *
 * Columns, found by header name in any order (SCORER_COLUMNS lists the accepted names):
 * 姓名 and/or 账号 (at least one of the two columns, and in each row at least one of the two
 * cells), 所属单位 (home unit: the scorer recuses from its projects), 职务, 权重组, 角色
 * (评委 / 观摩员, default 评委). 序号 is recognised and ignored.
 *
 * Unlike the itinerary and template tables this is not all or nothing: each row stands alone
 * (a person with an unknown unit must not keep the other fourteen from being assigned), so a
 * row problem stays with its row and only a problem of the whole file (no header, duplicate
 * columns, no rows) fails the import.
 *
 * 所属单位 is matched to the tour's units by exact name (ignoring spaces and full-width forms),
 * else by a unique prefix (阳谷 → 阳谷县); two units starting alike (阳谷 → 阳谷县, 阳谷开发区) or
 * none is a problem of that row, naming the candidates or the tour's units.
 *
 * What must stay true: pure and deterministic; every message names the spreadsheet row as Excel
 * numbers it, the column as written in the file, and the value, in Chinese and English.
 */
import type { Unit } from '../domain/schemas';
import { isValidUsername, normalizeUsername, USERNAME_MAX } from '../domain/usernames';
import { cellIssue, fail, fileIssue, rowIssue, sortIssues, type ImportIssue, type ImportResult, type Problem } from './issues';
import { cellOf, isBlankRow, isNoteRow, isRepeatedHeader, isTotalsRow, locateColumns, normalizeHeader, type ColumnSpec, type TableLayout } from './table-columns';

export type ScorerColumn = 'no' | 'name' | 'username' | 'post' | 'unit' | 'weightGroup' | 'role';

export const SCORER_COLUMNS: ColumnSpec<ScorerColumn>[] = [
  { key: 'no', label: '序号', aliases: ['编号'], required: false },
  { key: 'name', label: '姓名', aliases: ['名字', '评委姓名', '人员姓名'], required: false },
  { key: 'username', label: '账号', aliases: ['用户名', '登录名', '登录账号', '账户'], required: false },
  { key: 'post', label: '职务', aliases: ['职位'], required: false },
  { key: 'unit', label: '所属单位', aliases: ['单位', '回避单位', '工作单位', '县市区'], required: false },
  { key: 'weightGroup', label: '权重组', aliases: ['权重分组', '评委类别', '评委组'], required: false },
  { key: 'role', label: '角色', aliases: ['身份', '类别'], required: false },
];

export type ScorerRole = 'scorer' | 'observer';

/** One person of the table. `issues` empty = the row itself is fine. */
export type ScorerTableRow = {
  /** spreadsheet row number */
  row: number;
  /** 姓名 as written (trimmed); null when empty */
  name: string | null;
  /** 账号, normalised (NFKC, lower case); null when empty or invalid */
  username: string | null;
  /** 账号 as written (trimmed) */
  usernameText: string;
  post: string | null;
  /** 所属单位 as written (trimmed) */
  unitText: string;
  /** the tour's unit it names; null when empty, unknown or ambiguous */
  homeUnitId: string | null;
  weightGroup: string | null;
  role: ScorerRole;
  issues: ImportIssue[];
};

export type ScorerTable = {
  headerRow: number;
  /** column → its header as written in the file (the standard name for a column the file lacks) */
  headers: Record<ScorerColumn, string>;
  /** which columns the file has */
  hasColumn: Record<ScorerColumn, boolean>;
  rows: ScorerTableRow[];
};

const TEXT_MAX = 100;

const ROLE_WORDS: Record<string, ScorerRole> = {
  评委: 'scorer',
  评分人: 'scorer',
  评分评委: 'scorer',
  scorer: 'scorer',
  观摩员: 'observer',
  观摩人员: 'observer',
  观摩: 'observer',
  observer: 'observer',
};

export type UnitChoice = Pick<Unit, 'id' | 'name'>;

/**
 * `units`: the tour's units to match 所属单位 against; null when there is no tour (the server's
 * `user import`, which creates accounts only): the column is then read but not matched.
 */
export function importScorerTable(rows: string[][], opts: { units: readonly UnitChoice[] | null }): ImportResult<ScorerTable> {
  const layout = locateScorerColumns(rows);
  if (!layout.ok) return layout;
  const { headerRow, columns } = layout.value;
  const headers = Object.fromEntries(SCORER_COLUMNS.map((c) => [c.key, columns.get(c.key)?.header ?? c.label])) as Record<ScorerColumn, string>;
  const hasColumn = Object.fromEntries(SCORER_COLUMNS.map((c) => [c.key, columns.has(c.key)])) as Record<ScorerColumn, boolean>;
  const columnOrder = (header: string) => [...columns.values()].find((c) => c.header === header)?.index ?? -1;

  const result: ScorerTableRow[] = [];
  const rowOfUsername = new Map<string, number>();
  const rowsOfName = new Map<string, { row: number; hasUsername: boolean }[]>();

  for (let r = headerRow; r < rows.length; r++) {
    const cells = rows[r]!;
    const rowNo = r + 1;
    if (isBlankRow(cells) || isTotalsRow(cells) || isNoteRow(cells) || isRepeatedHeader(cells, rows[headerRow - 1]!)) continue;
    const text = (key: ScorerColumn) => cellOf(cells, columns.get(key));
    // a numbered line left empty in a template (序号 only) is not a person
    if (SCORER_COLUMNS.every((c) => c.key === 'no' || text(c.key) === '')) continue;

    const issues: ImportIssue[] = [];
    const issue = (key: ScorerColumn, value: string, problem: Problem) => issues.push(cellIssue(rowNo, headers[key], value, problem));

    const name = text('name') || null;
    if (name !== null && Array.from(name).length > TEXT_MAX) issue('name', name, tooLong(TEXT_MAX));

    const usernameText = text('username');
    let username: string | null = null;
    if (usernameText !== '') {
      if (isValidUsername(usernameText)) username = normalizeUsername(usernameText);
      else
        issue('username', usernameText, {
          zh: `不是有效的账号（最多${USERNAME_MAX}个字符，只能包含字母、汉字、数字和中间的 . _ -）`,
          en: `is not a valid user name (at most ${USERNAME_MAX} characters: letters, digits, and . _ - between them)`,
        });
    }
    if (name === null && usernameText === '') {
      issues.push(
        rowIssue(rowNo, {
          zh: `「${headers.name}」和「${headers.username}」都为空，至少填写一项`,
          en: `both "${headers.name}" and "${headers.username}" are empty; fill in at least one`,
        }),
      );
    }

    const post = text('post') || null;
    if (post !== null && Array.from(post).length > TEXT_MAX) issue('post', post, tooLong(TEXT_MAX));
    const weightGroup = text('weightGroup') || null;
    if (weightGroup !== null && Array.from(weightGroup).length > TEXT_MAX) issue('weightGroup', weightGroup, tooLong(TEXT_MAX));

    const roleText = text('role');
    let role: ScorerRole = 'scorer';
    if (roleText !== '') {
      const known = ROLE_WORDS[normalizeHeader(roleText)];
      if (known) role = known;
      else issue('role', roleText, { zh: '不是有效的角色（填写“评委”或“观摩人员”，空着表示评委）', en: 'is not a role here (write 评委 for a scorer or 观摩人员 for an observer; empty means scorer)' });
    }

    const unitText = text('unit');
    let homeUnitId: string | null = null;
    if (unitText !== '' && opts.units !== null) {
      const match = matchUnit(unitText, opts.units);
      if (match.ok) homeUnitId = match.unit.id;
      else issues.push(unitIssue(rowNo, headers.unit, unitText, match.problem));
    }

    // the same person twice: the same 账号, or the same name where a 账号 does not tell them apart
    let isRepeatedUsername = false;
    if (username !== null) {
      const earlier = rowOfUsername.get(username);
      isRepeatedUsername = earlier !== undefined;
      if (earlier !== undefined) issue('username', usernameText, { zh: `与第${earlier}行重复`, en: `repeats row ${earlier}` });
      else rowOfUsername.set(username, rowNo);
    }
    if (name !== null) {
      const key = normalizeHeader(name);
      const same = rowsOfName.get(key) ?? [];
      const clash = same.find((s) => !s.hasUsername || username === null);
      if (clash && !isRepeatedUsername) {
        issue('name', name, {
          zh: `与第${clash.row}行重复（同名的两个人请分别填写「${headers.username}」）`,
          en: `repeats row ${clash.row} (for two people of the same name, give each a "${headers.username}")`,
        });
      }
      same.push({ row: rowNo, hasUsername: username !== null });
      rowsOfName.set(key, same);
    }

    result.push({ row: rowNo, name, username, usernameText, post, unitText, homeUnitId, weightGroup, role, issues: sortIssues(issues, columnOrder) });
  }

  if (result.length === 0) {
    return fail([
      rowIssue(headerRow, {
        zh: '表头下面没有人员，请在表头下方逐行填写评委',
        en: 'there is nobody below the header; list one person per row under it',
      }),
    ]);
  }
  return { ok: true, value: { headerRow, headers, hasColumn, rows: result } };
}

/** The header: a row with 姓名, or failing that one with 账号. */
function locateScorerColumns(rows: string[][]): ImportResult<TableLayout<ScorerColumn>> {
  const tableName = { zh: '评委名单', en: 'the scorer list' };
  const withRequired = (key: ScorerColumn) => SCORER_COLUMNS.map((c) => (c.key === key ? { ...c, required: true } : c));
  const byName = locateColumns(rows, withRequired('name'), tableName);
  if (byName.ok) return byName;
  const byUsername = locateColumns(rows, withRequired('username'), tableName);
  if (byUsername.ok) return byUsername;
  // a header was found, with a problem of its own (duplicate columns): say that one
  const duplicate = [byName, byUsername].flatMap((r) => (r.ok ? [] : r.errors)).find((e) => e.row > 0 && e.message.includes('重复'));
  if (duplicate) return fail([duplicate]);
  return fail([
    fileIssue({
      zh: '找不到评委名单的表头：表格前20行中没有一行包含「姓名」或「账号」列。第一行应是列名，如：序号、姓名、账号、职务、所属单位、权重组',
      en: 'No header row of the scorer list found: none of the first 20 rows has a 姓名 (name) or 账号 (user name) column. The first row should name the columns, e.g. 序号, 姓名, 账号, 职务, 所属单位, 权重组',
    }),
  ]);
}

export type UnitMatch = { ok: true; unit: UnitChoice } | { ok: false; problem: Problem };

const MAX_LISTED_UNITS = 12;

/** 所属单位 text → one of the tour's units: exact name, else a unique prefix (阳谷 → 阳谷县). */
export function matchUnit(text: string, units: readonly UnitChoice[]): UnitMatch {
  const key = compact(text);
  const exact = units.filter((u) => compact(u.name) === key);
  if (exact.length === 1) return { ok: true, unit: exact[0]! };
  if (exact.length > 1) {
    // two units of one name cannot be told apart by name at all
    return { ok: false, problem: { zh: `本活动有${exact.length}个名为“${text}”的单位，无法区分`, en: `the tour has ${exact.length} units named "${text}"; they cannot be told apart` } };
  }
  const prefixed = key === '' ? [] : units.filter((u) => compact(u.name).startsWith(key));
  if (prefixed.length === 1) return { ok: true, unit: prefixed[0]! };
  if (prefixed.length > 1) {
    const names = prefixed.map((u) => u.name);
    return {
      ok: false,
      problem: {
        zh: `“${text}”可以指${names.join('、')}，请写全称`,
        en: `"${text}" could be ${names.join(', ')}; write the full name`,
      },
    };
  }
  if (units.length === 0) {
    return {
      ok: false,
      problem: { zh: `找不到单位“${text}”：本活动还没有单位，请先导入行程表`, en: `no unit "${text}": the tour has no units yet; import the itinerary table first` },
    };
  }
  const listed = units.slice(0, MAX_LISTED_UNITS).map((u) => u.name);
  const more = units.length > MAX_LISTED_UNITS ? { zh: `等${units.length}个`, en: `, … (${units.length} in all)` } : { zh: '', en: '' };
  return {
    ok: false,
    problem: {
      zh: `找不到单位“${text}”（本活动的单位：${listed.join('、')}${more.zh}）`,
      en: `no unit "${text}" in this tour (its units: ${listed.join(', ')}${more.en})`,
    },
  };
}

/** An issue about the unit cell whose message already quotes the value: 第7行「所属单位」: 找不到单位“阳谷”. */
function unitIssue(row: number, column: string, value: string, problem: Problem): ImportIssue {
  return { ...cellIssue(row, column, '', problem), value };
}

function compact(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

function tooLong(max: number): Problem {
  return { zh: `太长（最多${max}个字）`, en: `is too long (at most ${max} characters)` };
}
