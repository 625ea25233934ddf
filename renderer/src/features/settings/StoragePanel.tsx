import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useState } from 'react';
import { useDb } from '../../db/db-context';
import { getMeta } from '../../db/meta-repo';
import { estimateStorage, requestPersistentStorage, type StorageEstimate } from '../../db/storage-safety';
import { formatBytes } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';

/** Space used and still available on this computer, and whether the browser may evict the data. */
export function StoragePanel() {
  const { t, locale } = useI18n();
  const db = useDb();
  const persistence = useLiveQuery(async () => (await getMeta(db, 'storagePersistence')) ?? null, [db]);
  const [estimate, setEstimate] = useState<StorageEstimate | null | undefined>(undefined);
  const [isAsking, setAsking] = useState(false);

  const refresh = useCallback(() => {
    estimateStorage().then(setEstimate, () => setEstimate(null));
  }, []);
  useEffect(refresh, [refresh]);

  async function askAgain() {
    setAsking(true);
    try {
      await requestPersistentStorage(db);
    } catch (error) {
      console.warn('asking for persistent storage failed', error);
    } finally {
      setAsking(false);
    }
  }

  const usedShare = estimate && estimate.quota > 0 ? Math.min(1, estimate.usage / estimate.quota) : null;
  return (
    <div className="panel" id="storage" data-testid="storage-panel">
      <h2 className="panel__title">{t('settings.storage')}</h2>
      {estimate === undefined ? (
        <p className="muted">{t('common.loading')}</p>
      ) : estimate === null ? (
        <p className="muted">{t('settings.storageUnknown')}</p>
      ) : (
        <>
          <dl className="facts">
            <dt>{t('settings.storageUsed')}</dt>
            <dd data-testid="storage-used">{formatBytes(estimate.usage, locale)}</dd>
            <dt>{t('settings.storageAvailable')}</dt>
            <dd data-testid="storage-available">{formatBytes(estimate.available, locale)}</dd>
          </dl>
          {usedShare !== null && (
            <div className="progress storage-meter" aria-hidden="true">
              <div className={`progress__bar${usedShare > 0.9 ? ' is-full' : ''}`} style={{ inlineSize: `${Math.max(0.5, usedShare * 100).toFixed(1)}%` }} />
            </div>
          )}
        </>
      )}
      <p className="storage-persistence" data-testid="storage-persistence">
        {persistence === undefined
          ? t('common.loading')
          : persistence === null
            ? t('settings.persistenceUnknown')
            : persistence.isPersisted
              ? t('settings.persistenceGranted')
              : t('settings.persistenceDenied')}
      </p>
      <div className="settings-actions">
        {persistence && !persistence.isPersisted && (
          <button type="button" className="button" onClick={() => void askAgain()} disabled={isAsking}>
            {t('settings.persistenceAsk')}
          </button>
        )}
        <button type="button" className="button" onClick={refresh}>
          {t('settings.storageRefresh')}
        </button>
      </div>
    </div>
  );
}
