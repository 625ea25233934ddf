import type { RejectionCode } from '@shared/sync/protocol';
import type { SyncedCollection } from '../../db/entities';
import type { MessageKey, Translate } from '../../i18n/catalogs';
import type { SyncErrorInfo } from '../../sync/sync-types';

/** A sync error in plain words (the technical message only where it helps: server errors). */
export function describeSyncError(t: Translate, error: SyncErrorInfo): string {
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
