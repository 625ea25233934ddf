/** Labels the desk shows for domain values (the secretariat's words). */
import type { TourStatus } from '@shared/domain/schemas';

export const tourStatusLabels: Record<TourStatus, string> = {
  draft: '草稿',
  published: '已发布',
  scoring: '评分中',
  closed: '已结束',
  results_published: '结果已公布',
};

export const tourKindLabels = { scored: '观摩评议', study: '考察学习' } as const;
