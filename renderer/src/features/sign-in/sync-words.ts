import type { RejectionCode } from '@shared/sync/protocol';
import type { SyncedCollection } from '../../db/entities';
import type { MessageKey, Translate } from '../../i18n/catalogs';
import { pendingKinds, type PendingKind, type PendingSummary } from '../../sync/pending-summary';
import type { SyncErrorInfo } from '../../sync/sync-types';

/** Server error codes that mean something to the user on their own (photo storage limits, a full disk). */
const explainedCodes: Readonly<Record<string, MessageKey>> = {
  quota_exceeded: 'sync.error.quotaExceeded',
  tour_quota_exceeded: 'sync.error.tourQuotaExceeded',
  too_many_pending_uploads: 'sync.error.tooManyPendingUploads',
  too_many_uploads: 'sync.error.uploadRateLimited',
  upload_rate_limited: 'sync.error.uploadRateLimited',
  storage_full: 'sync.error.storageFull',
};

/** A sync error in plain words (the technical message only where it helps: server errors). */
export function describeSyncError(t: Translate, error: SyncErrorInfo): string {
  const explained = error.code === undefined ? undefined : explainedCodes[error.code];
  if (explained) {
    const seconds = error.retryAfterMs === undefined ? null : Math.max(1, Math.ceil(error.retryAfterMs / 1000));
    const text = t(explained);
    return seconds === null || error.kind !== 'busy' ? text : `${text} ${t('sync.error.retryIn', { seconds })}`;
  }
  switch (error.kind) {
    case 'offline':
      return t('sync.error.offline');
    case 'timeout':
      return t('sync.error.timeout');
    case 'signedOut':
      return t('sync.error.signedOut');
    case 'busy':
      return error.retryAfterMs === undefined ? t('sync.error.busyNoTime') : t('sync.error.busy', { seconds: Math.max(1, Math.ceil(error.retryAfterMs / 1000)) });
    case 'server':
      return t('sync.error.server', { message: error.message });
    case 'invalidResponse':
      return t('sync.error.invalidResponse', { message: error.message });
    case 'updateRequired':
      return error.minAppVersion ? t('sync.error.updateRequired', { version: error.minAppVersion }) : t('sync.error.updateRequiredNoVersion');
    case 'serverOutdated':
      return t('sync.error.serverOutdated');
  }
}

/** What to do about a refused change, per rejection code (a locked ballot is not a score sheet). */
export function rejectionAdvice(t: Translate, code: RejectionCode, collection?: SyncedCollection): string {
  if (code === 'sheet_locked' && collection === 'ballots') return t('sync.code.ballot_locked');
  return t(`sync.code.${code}` as MessageKey);
}

export function collectionLabel(t: Translate, collection: SyncedCollection): string {
  return t(`sync.collection.${collection}` as MessageKey);
}

const pendingKindKey: Record<PendingKind, MessageKey> = {
  sheets: 'pending.sheets',
  ballots: 'pending.ballots',
  notes: 'pending.notes',
  photos: 'pending.photos',
  tours: 'pending.tours',
  stops: 'pending.stops',
  units: 'pending.units',
  scorers: 'pending.scorers',
};

/**
 * "3 张评分表、2 条记录、5 张照片待同步" (en: "3 score sheets, 2 notes, 5 photos to sync"); null
 * when nothing waits. `maxKinds` shortens it for the header: "3 张评分表、2 条记录等 2 类待同步".
 */
export function describePending(t: Translate, summary: PendingSummary, maxKinds = Number.POSITIVE_INFINITY): string | null {
  const parts = pendingKinds.filter((kind) => summary.counts[kind] > 0).map((kind) => t(pendingKindKey[kind], { count: summary.counts[kind] }));
  if (parts.length === 0) return null;
  const separator = t('pending.separator');
  if (parts.length <= maxKinds) return t('pending.toSync', { list: parts.join(separator) });
  return t('pending.toSyncMore', { list: parts.slice(0, maxKinds).join(separator), count: parts.length - maxKinds });
}
