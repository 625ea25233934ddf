/**
 * The bulletin's 评议办法 sentence: every ranking rule in force, in the words of a Chinese
 * official document, from the tour and its rules alone (not from the engine's output, whose
 * shape may change): method (score sheets or rank vote), recusal, trimming and its threshold,
 * scorer group weights, how a unit's score is made (mean or investment-weighted, the indicator
 * blend), where projects and units are ranked (the two scopes), rounding and ties.
 *
 * What must stay true: pure and deterministic; a rule that is in force is always worded (a
 * reader of the bulletin can recompute the tables from it), and a rule that does not apply to
 * the method is never mentioned (a rank vote has no projects, no criteria, no tie-break).
 * Chinese whatever the app's language: the bulletin is a Chinese document.
 */
import type { RankingRules, RankScope, Tour } from '@shared/domain/schemas';

/** the document's words for a score sheet, a ballot and the default group (the glossary's terms, i18n/glossary.ts) */
const SHEET = '评分表';
const BALLOT = '排序票';
const DEFAULT_GROUP = '未分组';

export interface RulesSentenceOptions {
  /**
   * The tour's unit groups in tour order (null = units without a group), to name them where a
   * scope is "within groups"; fewer than two groups means one list whatever the scope says.
   * Omitted: the groups are not named and the scopes are worded as set.
   */
  groups?: readonly (string | null)[];
}

export function rulesSentence(tour: Pick<Tour, 'template'>, rules: RankingRules, options: RulesSentenceOptions = {}): string {
  const clauses = rules.method === 'rankVote' ? rankVoteClauses(rules, options) : scoreClauses(tour, rules, options);
  return `${clauses.join('；')}。`;
}

function scoreClauses(tour: Pick<Tour, 'template'>, rules: RankingRules, options: RulesSentenceOptions): string[] {
  const template = tour.template;
  const sheet = template ? `${bookTitle(template.name)}（满分${formatNumber(templateTotal(template.criteria))}分）` : SHEET;
  const clauses = [`各评委按${sheet}对项目现场打分，${rules.recusal ? '评委回避本单位项目' : '本单位项目同样打分（不回避）'}`];
  clauses.push(`项目得分${meanWording(rules, '评委总分', SHEET)}`);
  clauses.push(unitScoreWording(rules, '现场得分', rules.unitScore === 'investmentWeighted' ? '取其各项目得分按总投资加权的平均分' : '取其各项目得分的平均分'));
  clauses.push(scopeWording(rules.projectScope, rules.unitScope, options.groups));
  const tieBreak = rules.tieBreakCriterion ? template?.criteria.find((c) => c.key === rules.tieBreakCriterion) : undefined;
  clauses.push(roundingWording(tieBreak ? `得分相同的，“${tieBreak.name}”平均分高者名次在前，仍相同的名次并列` : '得分相同的名次并列'));
  return clauses;
}

function rankVoteClauses(rules: RankingRules, options: RulesSentenceOptions): string[] {
  const groups = namedGroups(options.groups);
  const listed = rules.unitScope === 'group' && isGrouped(options.groups) ? `在${groups ? `${groups}各组` : '各分组'}内分别` : '对全部参评单位';
  const clauses = [
    `各评委${listed}排序投票，第1名得100分，每后一名减3分（第r名得100−3(r−1)分），${rules.recusal ? '评委回避本单位（本单位不计分，其后各单位依次前移）' : '本单位同样排序计分（不回避）'}`,
  ];
  clauses.push(unitScoreWording(rules, '排序得分', meanWording(rules, '评委所给分数', BALLOT)));
  clauses.push(scopeWording(null, rules.unitScope, options.groups));
  clauses.push(roundingWording('得分相同的名次并列'));
  return clauses;
}

/**
 * How a mean is taken over sheets (or ballots): plain, trimmed from a threshold, and per scorer
 * group with weights. `of` names what is averaged; `paper` what is counted for the threshold.
 */
function meanWording(rules: RankingRules, of: string, paper: string): string {
  const trim = rules.trim && rules.trim.dropHighest + rules.trim.dropLowest > 0 ? rules.trim : null;
  const dropped = trim ? [trim.dropHighest > 0 ? `${trim.dropHighest}个最高分` : null, trim.dropLowest > 0 ? `${trim.dropLowest}个最低分` : null].filter(Boolean).join('和') : '';
  const weights = rules.groupWeights ? Object.entries(rules.groupWeights) : [];
  if (weights.length === 0) {
    if (!trim) return `取各${of}的平均分`;
    return `取各${of}的平均分（${paper}达到${trim.minSheets}张的，先去掉${dropped}）`;
  }
  const list = weights.map(([group, weight]) => `${group}${formatNumber(weight)}`).join('、');
  const perGroup = trim ? `各组${paper}达到${trim.minSheets}张的，组内先去掉${dropped}；` : '';
  return `按权重组加权（权重：${list}），先取各组${of}的平均分（${perGroup}某组没有${paper}的，按其余各组权重折算），再按权重加权平均`;
}

/**
 * The unit score: its own score (`score`: 现场得分 from projects, 排序得分 from ballots; `how`:
 * "取…") and, when set, the 综合得分 blending it with the indicator score.
 */
function unitScoreWording(rules: RankingRules, score: string, how: string): string {
  const w = rules.indicatorWeight;
  if (w === 0) return `单位得分${how}`;
  if (w === 1) return `单位综合得分按指标得分计（${score}不计入）`;
  return `单位${score}${how}，单位综合得分＝${score}×${percent(1 - w)}＋指标得分×${percent(w)}`;
}

/**
 * Where projects (null: no project ranking) and units are ranked, in the rank-scope words of the
 * rules on screen: 全部统一排名 / 各组分别排名 (desk.rules.scope.*), the groups named when known.
 */
function scopeWording(projectScope: RankScope | null, unitScope: RankScope, groups: RulesSentenceOptions['groups']): string {
  const grouped = isGrouped(groups);
  const named = namedGroups(groups);
  const words = { tour: '全部统一排名', group: named ? `在${named}各组分别排名` : '各组分别排名' } as const;
  const effective = (scope: RankScope) => (scope === 'group' && grouped ? 'group' : 'tour');
  const unit = effective(unitScope);
  if (projectScope === null) return `参评单位${words[unit]}`;
  const project = effective(projectScope);
  if (project === unit) return `项目和参评单位均${words[project]}`;
  return `项目${words[project]}，参评单位${words[unit]}`;
}

function roundingWording(ties: string): string {
  return `得分四舍五入保留两位小数，按保留后的得分排名，${ties}`;
}

/** false when the tour is known to have fewer than two groups (ranking "within groups" is one list then) */
function isGrouped(groups: RulesSentenceOptions['groups']): boolean {
  return groups === undefined || new Set(groups).size >= 2;
}

/** "县组、区组", or null when the groups are not known */
function namedGroups(groups: RulesSentenceOptions['groups']): string | null {
  if (!groups || new Set(groups).size < 2) return null;
  return [...new Set(groups)].map((g) => g ?? DEFAULT_GROUP).join('、');
}

/** 《观摩评议表》: the template's name in book-title marks (once, if the name has them already). */
function bookTitle(name: string): string {
  const bare = name.trim().replace(/^《(.*)》$/u, '$1');
  return `《${bare}》`;
}

function templateTotal(criteria: readonly { max: number }[]): number {
  return criteria.reduce((sum, c) => sum + Math.round(c.max * 100), 0) / 100;
}

/** 100, 0.6, 99.5: at most two decimals, no trailing zeros */
function formatNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** 0.3 → "30%", 1/3 → "33.33%" */
function percent(share: number): string {
  return `${Math.round(share * 10_000) / 100}%`;
}
