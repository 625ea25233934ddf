/** The secretariat's words for ranking values (the desk is Chinese-first, like its tables). */
import type { RankingRules } from '@shared/domain/schemas';
import type { SheetFate } from './ranking-tables';

export const fateLabels: Record<SheetFate, string> = {
  counted: '计入',
  droppedHighest: '去掉最高分',
  droppedLowest: '去掉最低分',
  excluded: '无效',
  recused: '回避',
  draft: '未提交',
  reopened: '已退回',
};

export const listLabels = { overall: '总排名', defaultGroup: '未分组' };

export const unrankedLabels: Record<string, string> = {
  noScoredProjects: '无计分项目',
  noBallots: '无有效排序票',
  missingIndicator: '缺指标得分',
};

export const unitScoreLabels: Record<RankingRules['unitScore'], string> = {
  mean: '项目得分平均',
  investmentWeighted: '按总投资加权平均',
};

export function rankLabel(rank: number | null, isTie: boolean): string {
  if (rank === null) return '—';
  return isTie ? `${rank}（并列）` : String(rank);
}
