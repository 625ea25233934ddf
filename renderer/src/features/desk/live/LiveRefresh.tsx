import { useState } from 'react';
import { useOnlineStatus } from '../../../app/use-online-status';
import type { MessageKey } from '../../../i18n/catalogs';
import { formatTimeOfDay } from '../../../i18n/format';
import { useI18n } from '../../../i18n/use-t';
import { useSyncEngine, useSyncEngineStatus } from '../../../sync/SyncProvider';
import type { SyncErrorKind } from '../../../sync/sync-types';
import { DESK_FALLBACK_PERIOD_MS } from './use-desk-sync';
import './live-refresh.css';

type LiveLabel = 'live' | 'polling' | 'paused';

const stateKeys: Record<LiveLabel, { label: MessageKey; hint: MessageKey }> = {
  live: { label: 'desk.live.state.live', hint: 'desk.live.state.live.hint' },
  polling: { label: 'desk.live.state.polling', hint: 'desk.live.state.polling.hint' },
  paused: { label: 'desk.live.state.paused', hint: 'desk.live.state.paused.hint' },
};

const errorKeys: Record<SyncErrorKind, MessageKey> = {
  offline: 'sync.short.offline',
  timeout: 'sync.short.offline',
  busy: 'sync.short.busy',
  signedOut: 'sync.signedOut',
  server: 'sync.short.error',
  invalidResponse: 'sync.short.error',
  updateRequired: 'sync.short.updateRequired',
  serverOutdated: 'sync.short.serverOutdated',
};

/**
 * The desk pages' refresh bar: whether the page updates live (实时更新中) or by a periodic
 * refresh (定时刷新), when its data last came from the server, and a 刷新 button that runs a
 * sync round now. Its own component, so that the sync status re-renders this bar only, not the
 * page's tables.
 */
export function LiveRefresh({ fallbackPeriodMs = DESK_FALLBACK_PERIOD_MS }: { fallbackPeriodMs?: number }) {
  const { t, locale } = useI18n();
  const engine = useSyncEngine();
  const status = useSyncEngineStatus();
  const isOnline = useOnlineStatus();
  const [isRefreshing, setIsRefreshing] = useState(false);
  /**
   * how the last refresh asked for here went wrong ('noNetwork': not tried, the browser has no
   * network), and the last success then: a later success (the network back) ends the message
   */
  const [failed, setFailed] = useState<{ kind: SyncErrorKind | 'noNetwork'; before: string | null } | null>(null);
  const failure = failed && failed.before === status.lastSuccessAt ? failed.kind : null;

  const label: LiveLabel = !isOnline ? 'paused' : status.live === 'live' ? 'live' : 'polling';
  const hint = t(stateKeys[label].hint, { seconds: Math.round(fallbackPeriodMs / 1000) });

  async function refresh() {
    if (!engine) return;
    setIsRefreshing(true);
    setFailed(null);
    try {
      const report = await engine.syncNow();
      const kind = report.skipped === 'offline' ? 'noNetwork' : (report.error?.kind ?? null);
      setFailed(kind ? { kind, before: engine.getStatus().lastSuccessAt } : null);
    } finally {
      setIsRefreshing(false);
    }
  }

  return (
    <div className="live-refresh" data-testid="live-refresh" data-live={label}>
      <span className={`live-refresh__state live-refresh__state--${label}`} title={hint} data-testid="live-state">
        <span className="live-refresh__dot" aria-hidden="true" />
        {t(stateKeys[label].label)}
        <span className="visually-hidden">{`: ${hint}`}</span>
      </span>
      <span className="live-refresh__time" data-testid="last-updated" data-at={status.lastSuccessAt ?? ''}>
        {status.lastSuccessAt ? t('desk.live.updatedAt', { time: formatTimeOfDay(status.lastSuccessAt, locale) }) : t('desk.live.neverUpdated')}
      </span>
      <button type="button" className="button live-refresh__button" onClick={() => void refresh()} disabled={!engine || isRefreshing} title={t('desk.live.refresh.hint')} data-testid="refresh">
        {isRefreshing ? t('desk.live.refreshing') : t('desk.live.refresh')}
      </button>
      {failure && (
        <span className="live-refresh__error" role="alert">
          {failure === 'noNetwork' ? t('desk.live.refreshOffline') : t('desk.live.refreshFailed', { reason: t(errorKeys[failure]) })}
        </span>
      )}
    </div>
  );
}
