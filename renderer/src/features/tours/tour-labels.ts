import type { TourKind, TourStatus } from '@shared/domain/schemas';
import type { MessageKey } from '../../i18n/catalogs';

export const tourKindKey: Readonly<Record<TourKind, MessageKey>> = {
  scored: 'tourKind.scored',
  study: 'tourKind.study',
};

export const tourStatusKey: Readonly<Record<TourStatus, MessageKey>> = {
  draft: 'tourStatus.draft',
  published: 'tourStatus.published',
  scoring: 'tourStatus.scoring',
  closed: 'tourStatus.closed',
  results_published: 'tourStatus.results_published',
};
