import type { Tour } from '@shared/domain/schemas';

/** What keeps a draft tour from being published, in the secretariat's words (empty = ready). */
export function publishProblems(tour: Tour, stopCount: number, scorerCount: number): string[] {
  const problems: string[] = [];
  if (stopCount === 0) problems.push('还没有观摩点位：请导入点位表');
  if (tour.kind === 'scored' && (tour.template === null || tour.template.criteria.length === 0)) problems.push('观摩评议活动需要评分表：请导入或填写评分表');
  if (scorerCount === 0) problems.push('还没有评委或观摩人员');
  return problems;
}
