import { useEffect, useId, useRef, useState } from 'react';
import { Link } from '../../app/Link';
import { useOnlineStatus } from '../../app/use-online-status';
import { formatBytes, formatDateTime, formatTimeOfDay } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';
import { useSyncEngine, useSyncEngineStatus } from '../../sync/SyncProvider';
import { useSyncOverview } from '../../sync/use-sync-overview';
import { describePending, describeSyncError } from './sync-words';
import './sign-in.css';

type Tone = 'ok' | 'busy' | 'pending' | 'offline' | 'problem' | 'signedOut';

/** Kinds of records named in the header before "等 N 类": the rest are in the panel. */
const headerKinds = 3;

/**
 * Always in the header: what is waiting to sync ("3 张评分表、2 条记录待同步": records, not field
 * edits), when it last worked, what went wrong — and "sync now". The details open in a small
 * panel; refused changes and sign-in are on #/sync. It never says 离线 itself: the network
 * indicator beside it is the header's one offline marker; offline it only turns neutral.
 */
export function SyncIndicator() {
  const { t, locale } = useI18n();
  const engine = useSyncEngine();
  const status = useSyncEngineStatus();
  const overview = useSyncOverview();
  const isOnline = useOnlineStatus();
  const [isOpen, setIsOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!isOpen) return;
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setIsOpen(false);
    };
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setIsOpen(false);
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [isOpen]);

  if (!overview) return null;
  const session = overview.session;
  const isSignedIn = session !== null && !session.isExpired;
  const pending = overview.pending.total;
  const pendingText = describePending(t, overview.pending, headerKinds);
  const lastSuccessAt = status.lastSuccessAt && (!overview.lastSuccessAt || status.lastSuccessAt > overview.lastSuccessAt) ? status.lastSuccessAt : overview.lastSuccessAt;
  const error = status.lastError;
  const rejected = overview.rejections.length;
  // no network at all (navigator.onLine false) is the normal state on site, not a fault: the
  // engine does not even try (its last error may still say "unreachable" from before)
  const isNetworkError = error !== null && (error.kind === 'offline' || error.kind === 'timeout');
  const syncedText = lastSuccessAt ? `${t('sync.synced')} ${formatTimeOfDay(lastSuccessAt, locale).slice(0, 5)}` : t('sync.neverSynced');

  let tone: Tone;
  let label: string;
  if (!isSignedIn) {
    tone = 'signedOut';
    label = session?.isExpired ? t('sync.sessionExpired') : t('sync.signedOut');
  } else if (status.isSyncing) {
    tone = 'busy';
    label = t('sync.syncing');
  } else if (!isOnline && rejected === 0) {
    // neutral, not red: work is kept on this computer and goes out when the network returns
    // (the network indicator beside this one already says 离线)
    tone = 'offline';
    label = pendingText ?? syncedText;
  } else if (error || rejected > 0) {
    tone = 'problem';
    const short = error
      ? error.kind === 'offline' || error.kind === 'timeout'
        ? t('sync.short.offline')
        : error.kind === 'busy'
          ? t('sync.short.busy')
          : error.kind === 'updateRequired'
            ? t('sync.short.updateRequired')
            : error.kind === 'serverOutdated'
              ? t('sync.short.serverOutdated')
              : t('sync.short.error')
      : null;
    label = [pendingText, short ?? (rejected > 0 ? t('sync.rejectedCount', { count: rejected }) : null)].filter((part): part is string => part !== null).join(' · ');
  } else if (pendingText) {
    tone = 'pending';
    label = pendingText;
  } else {
    tone = 'ok';
    label = syncedText;
  }

  return (
    <div className="sync-indicator" ref={rootRef} data-testid="sync-indicator" data-tone={tone} data-pending={pending} data-rejected={rejected}>
      <button type="button" className={`sync-indicator__button is-${tone}`} aria-expanded={isOpen} aria-controls={panelId} onClick={() => setIsOpen((v) => !v)}>
        <span className="sync-indicator__dot" aria-hidden="true" />
        <span role="status">{label}</span>
      </button>
      {isOpen && (
        <div className="sync-indicator__panel" id={panelId} role="dialog" aria-label={t('sync.details')}>
          <ul className="sync-indicator__facts">
            <li data-testid="sync-pending-changes">{describePending(t, overview.pending) ?? t('pending.nothing')}</li>
            {overview.pending.photoBytes.count > 0 && (
              <li data-testid="sync-pending-photos">{t('pending.photoBytes', { count: overview.pending.photoBytes.count, size: formatBytes(overview.pending.photoBytes.bytes, locale) })}</li>
            )}
            {status.upload && <li>{t('sync.uploading', { sent: formatBytes(status.upload.sent, locale), total: formatBytes(status.upload.total, locale) })}</li>}
            <li data-testid="sync-last-success">{lastSuccessAt ? t('sync.lastSuccess', { time: formatDateTime(lastSuccessAt, locale) }) : t('sync.neverSynced')}</li>
            {isSignedIn && !isOnline && (
              <li className="sync-indicator__note" data-testid="sync-offline">
                {t('network.offlineHint')}
              </li>
            )}
            {isSignedIn && error && !(isNetworkError && !isOnline) && (
              <li className="sync-indicator__error" data-testid="sync-error">
                {describeSyncError(t, error)}
                {status.nextRunAt !== null && status.failures > 0 && <> {t('sync.nextRetry', { time: formatTimeOfDay(new Date(status.nextRunAt).toISOString(), locale) })}</>}
              </li>
            )}
            {!isSignedIn && <li className="sync-indicator__error">{session?.isExpired ? t('signIn.expired') : t('sync.error.signedOut')}</li>}
            {rejected > 0 && (
              <li className="sync-indicator__error">
                <Link to={{ name: 'sync' }} onClick={() => setIsOpen(false)}>
                  {t('sync.rejectedCount', { count: rejected })}
                </Link>
              </li>
            )}
          </ul>
          <div className="sync-indicator__actions">
            {isSignedIn ? (
              <button type="button" className="button button--primary" data-testid="sync-now" disabled={!engine || status.isSyncing || !isOnline} onClick={() => void engine?.syncNow()}>
                {status.isSyncing ? t('sync.syncing') : t('sync.now')}
              </button>
            ) : (
              <Link to={{ name: 'sync' }} className="button button--primary" onClick={() => setIsOpen(false)}>
                {t('sync.signInToSync')}
              </Link>
            )}
            <Link to={{ name: 'sync' }} className="button" onClick={() => setIsOpen(false)}>
              {t('sync.details')}
            </Link>
          </div>
        </div>
      )}
    </div>
  );
}
