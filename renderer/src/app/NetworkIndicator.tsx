import { useT } from '../i18n/use-t';
import { useOnlineStatus } from './use-online-status';

export function NetworkIndicator() {
  const t = useT();
  const isOnline = useOnlineStatus();
  return (
    <span
      className={`network-indicator ${isOnline ? 'is-online' : 'is-offline'}`}
      role="status"
      title={t(isOnline ? 'network.onlineHint' : 'network.offlineHint')}
      data-testid="network-indicator"
    >
      <span className="network-indicator__dot" aria-hidden="true" />
      {t(isOnline ? 'network.online' : 'network.offline')}
    </span>
  );
}
