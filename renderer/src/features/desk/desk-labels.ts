/**
 * Catalog keys of the words the desk shows for domain values (the secretariat's words), so a
 * screen writes `t(tourStatusKey[tour.status])`. The desk keeps its own status words
 * (desk.tourStatus.*: "结果已公布" reads as a state in its tables) and shares the field app's
 * tour kinds (tourKind.*).
 */
import type { TourKind, TourStatus } from '@shared/domain/schemas';
import type { MessageKey } from '../../i18n/catalogs';

export const tourStatusKey: Readonly<Record<TourStatus, MessageKey>> = {
  draft: 'desk.tourStatus.draft',
  published: 'desk.tourStatus.published',
  scoring: 'desk.tourStatus.scoring',
  closed: 'desk.tourStatus.closed',
  results_published: 'desk.tourStatus.results_published',
};

export const tourKindKey: Readonly<Record<TourKind, MessageKey>> = { scored: 'tourKind.scored', study: 'tourKind.study' };
