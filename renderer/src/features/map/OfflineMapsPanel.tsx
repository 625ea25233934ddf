import { useState } from 'react';
import { useOnlineStatus } from '../../app/use-online-status';
import { useDb } from '../../db/db-context';
import { formatBytes, formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';
import { usePackActivities } from '../../offline-maps/pack-activity';
import { forgetPackReader } from '../../offline-maps/pack-reader';
import { clearNotices, discardPack } from '../../offline-maps/pack-store';
import { runPackSync } from '../../offline-maps/pack-sync-runner';
import { noticeText } from './pack-notice-text';
import { useOfflineMaps } from './use-offline-maps';
import './map.css';

/**
 * Settings › offline maps: each tour's map pack on this computer (size, downloading with
 * progress, waiting for space), what the app deleted or refused by itself and why, a button to
 * check for packs now and one to delete a pack to free space.
 */
export function OfflineMapsPanel() {
  const { t, locale } = useI18n();
  const db = useDb();
  const maps = useOfflineMaps();
  const activities = usePackActivities();
  const isOnline = useOnlineStatus();
  const [isChecking, setChecking] = useState(false);
  if (!maps) return null;
  const size = (bytes: number) => formatBytes(bytes, locale);
  const total = maps.packs.reduce((sum, p) => sum + p.record.bytesStored, 0);

  const checkNow = () => {
    setChecking(true);
    runPackSync(db)
      .catch(() => undefined)
      .finally(() => setChecking(false));
  };

  return (
    <div className="panel" id="offline-maps" data-testid="offline-maps-panel">
      <h2 className="panel__title">{t('map.settings.title')}</h2>
      <p className="muted panel__hint">{t('map.settings.hint')}</p>
      {maps.notices.length > 0 && (
        <div className="notice notice--warning" role="status" data-testid="offline-maps-notices">
          <ul>
            {maps.notices.map((n) => (
              <li key={`${n.at}-${n.tourId}-${n.kind}`}>{noticeText(n, t, locale)}</li>
            ))}
          </ul>
          <button type="button" className="button button--ghost" onClick={() => void clearNotices(db)}>
            {t('map.settings.noticesRead')}
          </button>
        </div>
      )}
      {maps.packs.length === 0 ? (
        <p className="muted">{t('map.settings.none')}</p>
      ) : (
        <ul className="offline-maps" data-testid="offline-maps-list">
          {maps.packs.map(({ record, tourName }) => {
            const activity = activities.get(record.tourId);
            const bytes = activity?.phase === 'downloading' ? activity.bytes : record.bytesStored;
            return (
              <li key={record.sha256} className="offline-maps__item" data-state={record.state}>
                <span className="offline-maps__name">{tourName ?? record.tourId}</span>
                <span className="muted">
                  {record.state === 'ready'
                    ? t('map.settings.ready', { size: size(record.pack.size), time: formatDateTime(record.readyAt ?? record.updatedAt, locale) })
                    : record.state === 'noSpace'
                      ? t('map.pack.noSpace', { size: size(record.pack.size) })
                      : t('map.pack.downloading', { done: size(bytes), size: size(record.pack.size) })}
                </span>
                <button
                  type="button"
                  className="button button--ghost"
                  onClick={() => {
                    if (!window.confirm(t('map.settings.confirmDelete', { tour: tourName ?? record.tourId, size: size(record.bytesStored) }))) return;
                    forgetPackReader(record.sha256);
                    void discardPack(db, record.sha256);
                  }}
                >
                  {t('map.settings.delete')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <p className="muted">{t('map.settings.total', { size: size(total) })}</p>
      <div className="settings-actions">
        <button type="button" className="button" onClick={checkNow} disabled={!isOnline || isChecking} data-testid="offline-maps-check">
          {isChecking ? t('map.pack.checking') : t('map.settings.checkNow')}
        </button>
        {!isOnline && <span className="muted">{t('map.settings.offline')}</span>}
      </div>
    </div>
  );
}
