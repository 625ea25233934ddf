/**
 * Every ranking rule in force, in the words of an official document (Chinese whatever the app's
 * language, like the workbook and the bulletin): the workbook's 排名规则 sheet states them so a
 * reader can tell which rules produced the figures. Each line is named with the label the rule
 * has on screen (desk.rules.*, ../rule-wording.ts), so the sheet and the screens say the same
 * words (glossary.test.ts checks them).
 *
 * What must stay true: one line per rule the engine applies (method, trimming and its
 * threshold, group weights, recusal, unit score, indicator blend, both rank scopes, ties,
 * rounding); a rule that does not apply to the method (rank-vote: unit score from projects,
 * tie-break criterion, project scope) says so rather than disappearing, so nobody wonders.
 */
import type { RankingRules } from '@shared/domain/schemas';
import { pointsForPosition } from '@shared/ranking';

export interface RuleLine {
  /** 计分方法, 去掉最高分和最低分, … */
  rule: string;
  text: string;
}

export interface RulesStatementContext {
  /** the template's criteria, to name the tie-break criterion */
  criteria: readonly { key: string; name: string }[];
  /** the unit groups in tour order (县组、区组), for the scope lines; null = units without a group */
  groups: readonly (string | null)[];
}

export const scopeWords = { tour: '全部统一排名', group: '各组分别排名' } as const;

const decimal = (n: number) => String(Number(n.toFixed(6)));

export function rulesStatement(rules: RankingRules, context: RulesStatementContext): RuleLine[] {
  const isRankVote = rules.method === 'rankVote';
  const entry = isRankVote ? '排序票' : '评分表';
  const target = isRankVote ? '单位' : '项目';
  const lines: RuleLine[] = [];

  lines.push({
    rule: '计分方法',
    text: isRankVote
      ? `排序投票：评委对单位排序，第 r 名得 100 − 3 ×（r − 1）分（第 1 名 ${pointsForPosition(1)} 分，第 2 名 ${pointsForPosition(2)} 分，依次类推，最低 0 分）`
      : '按评分表打分：每张评分表各评分项目得分相加为该表总分',
  });

  const trim = rules.trim;
  lines.push({
    rule: '去掉最高分和最低分',
    text:
      trim === null
        ? `不去掉，取全部有效${entry}的平均分`
        : `每个${target}的有效${entry}达到 ${trim.minSheets} 张时，去掉 ${trim.dropHighest} 个最高分和 ${trim.dropLowest} 个最低分后取平均；不足 ${trim.minSheets} 张时取全部${entry}的平均分` +
          (rules.groupWeights === null ? '' : '（各权重组分别去掉）'),
  });

  const weights = rules.groupWeights;
  lines.push({
    rule: '按权重组加权',
    text:
      weights === null
        ? `不加权，每张${entry}同等计算`
        : `${Object.entries(weights)
            .map(([group, weight]) => `${group} ${decimal(weight)}`)
            .join('，')}；${target}得分 = 各组平均分按权重加权（某组无有效${entry}时，按其余各组权重重新折算）；未分到上述权重组的评委，其${entry}不计`,
  });

  lines.push({
    rule: '回避',
    text: rules.recusal
      ? isRankVote
        ? '评委不给本单位排序：跳过本单位，排在其后的单位依次上移'
        : '评委回避本单位的项目：其对本单位项目的评分表不计'
      : '不回避',
  });

  lines.push({
    rule: isRankVote ? '单位排序得分' : '单位现场得分',
    text: isRankVote
      ? '单位在各张有效排序票上所得分数的平均（排序得分）'
      : rules.unitScore === 'investmentWeighted'
        ? '本单位各项目得分按总投资加权平均（总投资未填或为 0 的项目不计权重；全部项目都没有投资额时取简单平均）'
        : '本单位各项目得分的平均',
  });

  const onSite = isRankVote ? '排序得分' : '现场得分';
  lines.push({
    rule: '指标得分权重',
    text:
      rules.indicatorWeight === 0
        ? `不计入，单位综合得分即${onSite}`
        : `单位综合得分 = ${decimal(1 - rules.indicatorWeight)} × ${onSite} + ${decimal(rules.indicatorWeight)} × 指标得分；缺少指标得分的单位不排名`,
  });

  const groupNames = context.groups.map((g) => g ?? '未分组').join('、');
  const scopeText = (scope: RankingRules['projectScope'], what: string) =>
    scope === 'tour' ? `${scopeWords.tour}：全部${what}在一个名次表中排名` : `${scopeWords.group}：${what}在所属分组${groupNames ? `（${groupNames}）` : ''}内分别排名`;
  lines.push({ rule: '项目排名范围', text: isRankVote ? '不适用（排序投票只排单位名次）' : scopeText(rules.projectScope, '项目') });
  lines.push({
    rule: '单位排名范围',
    text: scopeText(rules.unitScope, '单位') + (isRankVote ? (rules.unitScope === 'tour' ? '；每位评委一张排序票，排全部单位' : '；每位评委每组一张排序票') : ''),
  });

  const tieBreak = rules.tieBreakCriterion === null ? null : (context.criteria.find((c) => c.key === rules.tieBreakCriterion) ?? null);
  lines.push({
    rule: '同分处理',
    text:
      isRankVote || tieBreak === null
        ? '得分相同者名次并列，其后名次顺延（如 1、2、2、4）' + (isRankVote && rules.tieBreakCriterion !== null ? '；排序投票没有评分项目，不比较评分项目' : '')
        : `得分相同时比较“${tieBreak.name}”的平均分，高者在前；仍相同者名次并列，其后名次顺延（如 1、2、2、4）`,
  });

  lines.push({ rule: '分数计算', text: '按精确值计算，结果四舍五入保留两位小数；名次按保留两位小数后的得分比较' });
  return lines;
}
