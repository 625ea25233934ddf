import { useState } from 'react';
import { useDb } from '../../db/db-context';
import { formatBytes, formatDateTime } from '../../i18n/format';
import { useI18n } from '../../i18n/use-t';
import { signOut } from '../../sync/session-store';
import { useSyncEngine, useSyncEngineStatus } from '../../sync/SyncProvider';
import { useSyncOverview } from '../../sync/use-sync-overview';
import { RejectionsPanel } from './RejectionsPanel';
import { SignInForm } from './SignInForm';
import { describePending, describeSyncError } from './sync-words';
import './sign-in.css';

/** #/sync: sign in (or who is signed in), what waits to sync, refused changes. */
export function SyncPage() {
  const db = useDb();
  const { t, locale } = useI18n();
  const engine = useSyncEngine();
  const status = useSyncEngineStatus();
  const overview = useSyncOverview();
  const [isSigningOut, setIsSigningOut] = useState(false);
  if (!overview) return <p className="muted">{t('common.loading')}</p>;
  const session = overview.session;
  const isSignedIn = session !== null && !session.isExpired;
  const lastSuccessAt = status.lastSuccessAt ?? overview.lastSuccessAt;

  return (
    <div className="sync-page">
      <h1 tabIndex={-1}>{t('sync.title')}</h1>
      <section className="sync-page__section" aria-labelledby="account-title">
        <h2 id="account-title">{isSignedIn ? t('signIn.signedInAs', { name: session.user.displayName, username: session.user.username }) : t('signIn.title')}</h2>
        {isSignedIn ? (
          <>
            <p className="muted">{t('signIn.serverLabel', { server: session.serverUrl })}</p>
            <button
              type="button"
              className="button"
              disabled={isSigningOut}
              onClick={() => {
                setIsSigningOut(true);
                void signOut(db).finally(() => setIsSigningOut(false));
              }}
            >
              {t('signIn.signOut')}
            </button>
          </>
        ) : (
          <>
            <p>{session?.isExpired ? t('signIn.expired') : t('signIn.intro')}</p>
            <SignInForm initialUsername={session?.user.username ?? ''} />
          </>
        )}
      </section>
      <section className="sync-page__section" aria-labelledby="state-title">
        <h2 id="state-title">{t('sync.details')}</h2>
        <ul>
          <li data-testid="sync-page-pending">{describePending(t, overview.pending) ?? t('pending.nothing')}</li>
          {overview.pending.photoBytes.count > 0 && (
            <li>{t('pending.photoBytes', { count: overview.pending.photoBytes.count, size: formatBytes(overview.pending.photoBytes.bytes, locale) })}</li>
          )}
          <li>{lastSuccessAt ? t('sync.lastSuccess', { time: formatDateTime(lastSuccessAt, locale) }) : t('sync.neverSynced')}</li>
          {isSignedIn && status.lastError && <li className="sync-indicator__error">{describeSyncError(t, status.lastError)}</li>}
        </ul>
        {isSignedIn && (
          <button type="button" className="button button--primary" disabled={!engine || status.isSyncing} onClick={() => void engine?.syncNow()}>
            {status.isSyncing ? t('sync.syncing') : t('sync.now')}
          </button>
        )}
      </section>
      <RejectionsPanel rejections={overview.rejections} />
    </div>
  );
}
