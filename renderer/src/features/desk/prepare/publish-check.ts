import type { Scorer, Stop, Tour } from '@shared/domain/schemas';

/** What keeps a draft tour from being published, in the secretariat's words (empty = ready). */
export function publishProblems(tour: Tour, stops: readonly Pick<Stop, 'day' | 'name'>[], scorers: readonly Pick<Scorer, 'role'>[]): string[] {
  const problems: string[] = [];
  if (stops.length === 0) problems.push('还没有观摩点位：请导入点位表');
  const outside = stops.filter((s) => s.day < tour.startDate || s.day > tour.endDate);
  if (outside.length > 0) {
    problems.push(`有${outside.length}个点位的观摩日期不在活动日期（${tour.startDate} ~ ${tour.endDate}）内：${outside.slice(0, 5).map((s) => `${s.name}（${s.day}）`).join('、')}`);
  }
  if (tour.kind === 'scored' && (tour.template === null || tour.template.criteria.length === 0)) problems.push('观摩评议活动需要评分表：请导入或填写评分表');
  if (scorers.length === 0) problems.push('还没有评委或观摩人员');
  else if (tour.kind === 'scored' && !scorers.some((s) => s.role === 'scorer')) problems.push('观摩评议活动至少需要一名评委');
  return problems;
}
