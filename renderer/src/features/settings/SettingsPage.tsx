import { appVersion } from '../../app/app-version';
import { useOnlineStatus } from '../../app/use-online-status';
import { useClientId, useLocalDataStats } from '../../db/use-device';
import { usePendingSummary } from '../../sync/use-sync-overview';
import { describePending } from '../sign-in/sync-words';
import { useT } from '../../i18n/use-t';
import { CarryPanel } from '../carry/CarryPanel';
import { CurrentUserPanel } from './CurrentUserPanel';
import { LanguageSwitch } from './LanguageSwitch';
import { OfflineMapsPanel } from '../map/OfflineMapsPanel';
import { StoragePanel } from './StoragePanel';
import './settings.css';

export function SettingsPage() {
  const t = useT();
  return (
    <section className="page page--narrow">
      <header className="page__header">
        <h1 className="page__title" tabIndex={-1}>
          {t('settings.title')}
        </h1>
      </header>
      <CurrentUserPanel />
      <div className="panel">
        <LanguageSwitch />
        <p className="muted panel__hint">{t('settings.languageHint')}</p>
      </div>
      <StoragePanel />
      <OfflineMapsPanel />
      <CarryPanel />
      <AboutPanel />
    </section>
  );
}

function AboutPanel() {
  const t = useT();
  const clientId = useClientId();
  const stats = useLocalDataStats();
  const pending = usePendingSummary();
  const isOnline = useOnlineStatus();
  const loading = t('common.loading');
  return (
    <div className="panel" id="about">
      <h2 className="panel__title">{t('settings.about')}</h2>
      <p>{t('settings.aboutText')}</p>
      <dl className="facts">
        <dt>{t('settings.version')}</dt>
        <dd>{appVersion}</dd>
        <dt>{t('settings.network')}</dt>
        <dd>{t(isOnline ? 'network.online' : 'network.offline')}</dd>
        <dt>{t('settings.localData')}</dt>
        <dd>{stats ? t('settings.localDataValue', { tours: stats.tours, stops: stats.stops }) : loading}</dd>
        <dt>{t('settings.pendingChanges')}</dt>
        <dd>{pending === undefined ? loading : (describePending(t, pending) ?? t('pending.nothing'))}</dd>
        <dt>{t('settings.clientId')}</dt>
        <dd className="mono">{clientId === undefined ? loading : (clientId ?? t('common.none'))}</dd>
      </dl>
    </div>
  );
}
