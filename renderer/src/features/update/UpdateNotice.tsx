import { useState } from 'react';
import type { Route } from '../../app/router';
import { useI18n } from '../../i18n/use-t';
import { useSyncEngineStatus } from '../../sync/SyncProvider';
import { useSyncOverview } from '../../sync/use-sync-overview';
import { describeSyncError } from '../sign-in/sync-words';
import { useDesktopUpdate, useReportWorkToUpdater, type DesktopUpdate } from './use-desktop-update';
import '../../ui/ui.css';

/** Pages where a score sheet or ballot is open for editing: a restart there would interrupt work. */
const sheetRoutes: ReadonlySet<Route['name']> = new Set(['stop', 'ballot']);

/**
 * Above every page, when it matters:
 * - the server needs a newer app (426): "请更新到 x.y 后再同步", with the update button on the
 *   desktop or the reload instruction in a browser — local work is kept and syncs afterwards;
 * - the server is older than this app: ask the administrator;
 * - (desktop) a downloaded, verified update: "重启并安装" — held back, with the reason, while a
 *   score sheet is open or changes wait to sync (it then installs when the app quits).
 */
export function UpdateNotice({ route }: { route: Route }) {
  const { t } = useI18n();
  const status = useSyncEngineStatus();
  const overview = useSyncOverview();
  const desktop = useDesktopUpdate();
  const [isDismissed, setIsDismissed] = useState(false);
  const pendingChanges = overview ? overview.pending.total + overview.pending.photoBytes.count : null;
  const hasOpenSheet = sheetRoutes.has(route.name);
  useReportWorkToUpdater(pendingChanges === null ? null : { hasOpenSheet, pendingChanges });

  const error = status.lastError;
  if (error && (error.kind === 'updateRequired' || error.kind === 'serverOutdated')) {
    return (
      <div className="notice notice--warning update-notice" role="alert" data-testid="update-required" data-kind={error.kind}>
        <p className="notice__title">{describeSyncError(t, error)}</p>
        {error.kind === 'updateRequired' &&
          (desktop ? (
            <DesktopUpdateControls desktop={desktop} isWorkPending={hasOpenSheet || (pendingChanges ?? 0) > 0} />
          ) : (
            <>
              <p>{t('update.gate.browserHint')}</p>
              <p>
                <button type="button" className="button button--primary" data-testid="update-reload" onClick={() => window.location.reload()}>
                  {t('update.gate.reload')}
                </button>
              </p>
            </>
          ))}
      </div>
    );
  }
  if (desktop?.status?.state === 'downloaded' && !isDismissed) {
    return (
      <div className="notice notice--info update-notice" role="status" data-testid="update-ready">
        <DesktopUpdateControls desktop={desktop} isWorkPending={hasOpenSheet || (pendingChanges ?? 0) > 0} onLater={() => setIsDismissed(true)} />
      </div>
    );
  }
  return null;
}

function DesktopUpdateControls({ desktop, isWorkPending, onLater }: { desktop: DesktopUpdate; isWorkPending: boolean; onLater?: () => void }) {
  const { t } = useI18n();
  const [refusal, setRefusal] = useState<string | null>(null);
  const update = desktop.status;
  const state = update?.state ?? 'idle';
  const line =
    state === 'downloaded'
      ? t('update.ready', { version: update?.version ?? '' })
      : state === 'downloading'
        ? t('update.downloading', { version: update?.version ?? '', percent: update?.percent ?? 0 })
        : state === 'checking'
          ? t('update.checking')
          : state === 'up-to-date'
            ? t('update.upToDate')
            : state === 'error'
              ? t('update.failed')
              : t('update.gate.desktopHint');
  return (
    <>
      <p data-testid="update-state" data-state={state}>
        {line}
      </p>
      {state === 'downloaded' && isWorkPending && <p>{t('update.waitForWork')}</p>}
      {refusal && <p>{refusal}</p>}
      <p className="update-notice__actions">
        {state === 'downloaded' ? (
          <button
            type="button"
            className="button button--primary"
            data-testid="update-install"
            disabled={isWorkPending}
            onClick={() =>
              void desktop.install().then((result) => {
                if (result && !result.installing) setRefusal(result.reason === 'work-pending' ? t('update.waitForWork') : t('update.failed'));
              })
            }
          >
            {t('update.install')}
          </button>
        ) : (
          <button type="button" className="button button--primary" data-testid="update-check" disabled={state === 'checking' || state === 'downloading' || state === 'unsupported'} onClick={() => void desktop.check()}>
            {state === 'checking' ? t('update.checking') : t('update.check')}
          </button>
        )}
        {onLater && (
          <button type="button" className="button" onClick={onLater}>
            {t('update.installLater')}
          </button>
        )}
      </p>
      {state === 'downloaded' && <p className="update-notice__note">{t('update.installOnQuit')}</p>}
    </>
  );
}
