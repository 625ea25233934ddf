import { useI18n } from '../../../i18n/use-t';
import { formatDateTime } from '../../../i18n/format';
import { describeWork } from '../../carry/carry-words';
import { useTourCarryDevices } from './use-tour-carry-devices';
import '../../carry/carry.css';

/**
 * 未同步的笔记本: per tour, the laptops whose last report still holds unsynced work (the one
 * unseen the longest first), so the secretariat knows whom to chase before the 总结会; and the
 * laptops whose work another laptop carried in by file and synced.
 */
export function CarryDevicesPage({ tourId }: { tourId: string }) {
  const { t, locale } = useI18n();
  const { state, reload } = useTourCarryDevices(tourId);
  return (
    <section className="page" data-testid="carry-devices-page">
      <header className="page__header carry-devices__header">
        <h1 className="page__title" tabIndex={-1}>
          {t('carry.desk.title')}
        </h1>
        <button type="button" className="button" onClick={reload} data-testid="carry-devices-refresh">
          {t('carry.desk.refresh')}
        </button>
      </header>
      <p className="muted">{t('carry.desk.intro')}</p>
      {state.status === 'loading' && <p className="muted">{t('carry.desk.loading')}</p>}
      {state.status === 'offline' && <p className="notice notice--warning">{t('carry.desk.offline')}</p>}
      {state.status === 'signedOut' && <p className="notice notice--info">{t('carry.desk.signIn')}</p>}
      {state.status === 'error' && <p className="notice notice--error">{t('carry.desk.failed', { reason: state.message })}</p>}
      {state.status === 'ready' && (
        <>
          {state.data.devices.length === 0 ? (
            <div className="notice notice--success" data-testid="carry-devices-none">
              <p className="notice__title">{t('carry.desk.none')}</p>
              <p>{t('carry.desk.noneHint')}</p>
            </div>
          ) : (
            <table className="carry-devices" data-testid="carry-devices">
              <thead>
                <tr>
                  <th scope="col">{t('carry.desk.device')}</th>
                  <th scope="col">{t('carry.desk.user')}</th>
                  <th scope="col">{t('carry.desk.lastSeen')}</th>
                  <th scope="col">{t('carry.desk.pending')}</th>
                </tr>
              </thead>
              <tbody>
                {state.data.devices.map((d) => (
                  <tr key={d.clientId} data-client-id={d.clientId}>
                    <td>{d.deviceName}</td>
                    <td>{d.user ? `${d.user.displayName}（${d.user.username}）` : t('carry.desk.unknownUser')}</td>
                    <td>{formatDateTime(d.lastSeenAt, locale)}</td>
                    <td>{describeWork(t, d.pending)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {state.data.carried.length > 0 && (
            <ul className="carry-devices__carried muted" data-testid="carry-devices-carried">
              {state.data.carried.map((c) => (
                <li key={c.clientId}>
                  {t('carry.desk.carried', { device: c.deviceName, user: c.user?.displayName ?? t('carry.desk.unknownUser'), time: formatDateTime(c.carriedAt, locale) })}
                </li>
              ))}
            </ul>
          )}
          <p className="muted">{t('carry.desk.checkedAt', { time: formatDateTime(state.checkedAt, locale) })}</p>
        </>
      )}
    </section>
  );
}
