/**
 * What 「全部分配」 would do with each row of a scorer list, given the server's accounts and the
 * tour's assignments: assign, create an account first, skip, or an error on that row only.
 */
import { describe, expect, it } from 'vitest';
import { importScorerTable, planScorerRows, readPastedTable, type AccountChoice, type ScorerPlan } from './index';

const units = ['东昌府区', '临清市', '阳谷县', '莘县'].map((name, i) => ({ id: `u${i + 1}`, name }));

const accounts: AccountChoice[] = [
  { id: 'id-sld1', username: 'sld1', displayName: '市领导1', role: 'scorer', disabled: false },
  { id: 'id-zw1', username: 'zhangwei', displayName: '张伟', role: 'scorer', disabled: false },
  { id: 'id-zw2', username: 'zhangwei2', displayName: '张伟', role: 'scorer', disabled: false },
  { id: 'id-gone', username: 'gone', displayName: '停用者', role: 'scorer', disabled: true },
  { id: 'id-old', username: 'wangli', displayName: '王丽', role: 'scorer', disabled: true },
  { id: 'id-wl', username: 'wangli2', displayName: '王丽', role: 'scorer', disabled: false },
  { id: 'id-mishu', username: 'mishu', displayName: '秘书处王', role: 'secretariat', disabled: false },
  { id: 'id-obs', username: 'guancha', displayName: '观察员', role: 'observer', disabled: false },
  { id: 'id-taken', username: '阳谷县书记', displayName: '另一个人', role: 'scorer', disabled: false },
  { id: 'id-in', username: 'laozhao', displayName: '老赵', role: 'scorer', disabled: false },
  { id: 'id-z6', username: 'zhaoliu', displayName: '赵六', role: 'scorer', disabled: false },
];

function table(lines: string[]) {
  const rows = readPastedTable(lines.join('\n'));
  if (!rows.ok) throw new Error('bad paste');
  const result = importScorerTable(rows.value, { units });
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.value;
}

function outline(plan: ScorerPlan) {
  return plan.rows.map((p) => {
    switch (p.kind) {
      case 'assign':
        return [p.row.row, 'assign', p.account.username || p.account.id, p.name, p.note?.zh ?? null];
      case 'create':
        return [p.row.row, 'create', p.username, p.name, p.accountRole];
      case 'assigned':
        return [p.row.row, 'assigned', p.message.message];
      case 'unchecked':
        return [p.row.row, 'unchecked', p.message.message];
      case 'error':
        return [p.row.row, 'error', ...p.issues.map((i) => i.message)];
    }
  });
}

const header = '姓名\t账号\t所属单位\t角色';

describe('planScorerRows with the server’s accounts', () => {
  it('matches by 账号, else by a unique name; proposes names for new accounts; says what is wrong per row', () => {
    const plan = planScorerRows(
      table([
        header,
        '市领导1\tSLD1\t\t', // by 账号 (case folded)
        '市领导2\tsld2\t\t', // unknown 账号: created with that name
        '阳谷县书记\t\t阳谷\t', // unknown name; its own name is someone's 账号 → 阳谷县书记2
        '张伟\t\t\t', // two accounts of that name
        '\tnobody\t\t', // unknown 账号 and no name to create it with
        '停用者\t\t\t', // a disabled account
        '王丽\t\t\t', // one disabled, one enabled: the enabled one
        '秘书处王\t\t\t', // a secretariat account cannot score…
        '观察员\t\t\t观摩员', // …an observer account may observe
        '老赵\t\t\t', // assigned before: skipped
        '市领导三\tsld1x\t\t', // 账号 given, no such account: create
        '李四\tzhaoliu\t\t', // 账号 of someone registered under another name: a note
        '赵六\t\t\t', // by name, the account row 13 reached by 账号
      ]),
      { accounts, assignedUserIds: new Set(['id-in']) },
    );
    expect(outline(plan)).toEqual([
      [2, 'assign', 'sld1', '市领导1', null],
      [3, 'create', 'sld2', '市领导2', 'scorer'],
      [4, 'create', '阳谷县书记2', '阳谷县书记', 'scorer'],
      [5, 'error', '第5行「姓名」: “张伟” 有2个账号的姓名都是这个（zhangwei、zhangwei2），请在「账号」列写明是哪一个'],
      [6, 'error', '第6行「账号」: “nobody” 没有这个账号；要新建账号，还需要填写「姓名」'],
      [7, 'error', '第7行「姓名」: “停用者” 对应的账号“gone”已停用，请联系管理员'],
      [8, 'assign', 'wangli2', '王丽', null],
      [9, 'error', '第9行「姓名」: “秘书处王” 对应的账号“mishu”是秘书处账号，不能评分（可作为观摩人员；评委需要评委账号）'],
      [10, 'assign', 'guancha', '观察员', null],
      [11, 'assigned', '第11行: 老赵已在本活动中，跳过'],
      [12, 'create', 'sld1x', '市领导三', 'scorer'],
      [13, 'assign', 'zhaoliu', '李四', '账号zhaoliu登记的姓名是“赵六”，按表中的“李四”显示'],
      [14, 'error', '第14行「姓名」: “赵六” 与第13行是同一个账号（zhaoliu）'],
    ]);
    expect(plan.counts).toEqual({ assign: 4, create: 3, assigned: 1, unchecked: 0, error: 5 });
    expect(plan.rows[3]).toMatchObject({ kind: 'error', issues: [{ messageEn: 'Row 5, column "姓名": "张伟" is the name of 2 accounts (zhangwei, zhangwei2); say which one in the "账号" column' }] });
  });

  it('tells two people of one name apart by 账号, and ignores spaces inside a name', () => {
    const plan = planScorerRows(table([header, '张伟\tzhangwei2\t\t', '王 丽\t\t\t']), { accounts, assignedUserIds: new Set() });
    expect(outline(plan)).toEqual([
      [2, 'assign', 'zhangwei2', '张伟', null],
      [3, 'assign', 'wangli2', '王 丽', null],
    ]);
  });

  it('creates observer accounts for 观摩员 rows, and never proposes a name twice', () => {
    const plan = planScorerRows(table([header, '刘一\t\t\t观摩员', '刘 一二\t\t\t', '刘三\tliu12\t\t']), { accounts: [], assignedUserIds: new Set() });
    expect(outline(plan)).toEqual([
      [2, 'create', '刘一', '刘一', 'observer'],
      [3, 'create', '刘一二', '刘 一二', 'scorer'],
      [4, 'create', 'liu12', '刘三', 'scorer'],
    ]);
  });
});

describe('planScorerRows offline', () => {
  it('matches people this desk knows by name and leaves the rest for later', () => {
    const plan = planScorerRows(table([header, '评委甲\t\t\t', '评委乙\tscorer2\t\t', '新人\t\t莘县\t']), {
      accounts: null,
      knownPeople: [{ userId: 'demo-user-scorer1', name: '评委甲' }],
      assignedUserIds: new Set(),
    });
    expect(outline(plan)).toEqual([
      [2, 'assign', 'demo-user-scorer1', '评委甲', null],
      [3, 'unchecked', '第3行「账号」: “scorer2” 现在无法连接服务器核对账号，连网后再导入这一行'],
      [4, 'unchecked', '第4行「姓名」: “新人” 现在无法连接服务器核对账号，连网后再导入这一行'],
    ]);
  });
});
