import { useState } from 'react';
import { useOnlineStatus } from '../../app/use-online-status';
import { useDb } from '../../db/db-context';
import { formatBytes } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';
import { usePackActivity } from '../../offline-maps/pack-activity';
import { runPackSync } from '../../offline-maps/pack-sync-runner';
import { noticeText } from './pack-notice-text';
import { useTourPacks } from './use-offline-maps';

/**
 * Under a tour's map: whether its offline map is on this computer (and its size), its download
 * with progress, or why it is not here — and a button to fetch it now when there is a network.
 */
export function PackStatusLine({ tourId }: { tourId: string }) {
  const { t, locale } = useI18n();
  const db = useDb();
  const packs = useTourPacks(tourId);
  const activity = usePackActivity(tourId);
  const isOnline = useOnlineStatus();
  const [isAsking, setAsking] = useState(false);
  if (!packs) return null;
  const { ready, pending, notices } = packs;
  const size = (bytes: number) => formatBytes(bytes, locale);

  const fetchNow = () => {
    setAsking(true);
    runPackSync(db)
      .catch(() => undefined)
      .finally(() => setAsking(false));
  };
  const canFetch = isOnline && !activity && !isAsking;
  const fetchButton = (
    <button type="button" className="button button--ghost" onClick={fetchNow} disabled={!canFetch} data-testid="pack-fetch-now">
      {isAsking || activity?.phase === 'checking' ? t('map.pack.checking') : t('map.pack.fetchNow')}
    </button>
  );

  let line;
  if (pending && (pending.state === 'downloading' || activity?.phase === 'downloading')) {
    const bytes = activity?.phase === 'downloading' ? activity.bytes : pending.bytesStored;
    const total = pending.pack.size;
    line = (
      <p className="map-status" data-testid="pack-status" data-state="downloading" role="status">
        <span>{t(ready ? 'map.pack.updating' : 'map.pack.downloading', { done: size(bytes), size: size(total) })}</span>
        <span className="progress" aria-hidden="true">
          <span className="progress__bar" style={{ inlineSize: `${Math.min(100, (bytes / total) * 100).toFixed(1)}%` }} />
        </span>
        {!activity && (isOnline ? fetchButton : <span>{t('map.pack.resumesOnline')}</span>)}
      </p>
    );
  } else if (pending?.state === 'noSpace') {
    line = (
      <p className="map-status map-status--warning" data-testid="pack-status" data-state="noSpace">
        {t('map.pack.noSpace', { size: size(pending.pack.size) })}
        {isOnline && fetchButton}
      </p>
    );
  } else if (ready) {
    line = (
      <p className="map-status" data-testid="pack-status" data-state="ready">
        {t('map.pack.ready', { size: size(ready.pack.size) })}
      </p>
    );
  } else {
    line = (
      <p className="map-status" data-testid="pack-status" data-state="none">
        {activity?.phase === 'checking' ? t('map.pack.checking') : t(isOnline ? 'map.pack.none' : 'map.pack.noneOffline')}
        {isOnline && !activity && fetchButton}
      </p>
    );
  }
  return (
    <>
      {line}
      {activity?.phase === 'failed' && <p className="map-status map-status--warning">{t('map.pack.failed')}</p>}
      {notices
        .filter((n) => n.kind !== 'noSpace')
        .slice(0, 1)
        .map((n) => (
          <p key={n.at} className="map-status map-status--warning">
            {noticeText(n, t, locale)}
          </p>
        ))}
    </>
  );
}
