import { Link } from '../../app/Link';
import { useCurrentUserRecord } from '../../db/use-field-data';
import { useT } from '../../i18n/use-t';

/** Who uses this computer, and the way to switch. */
export function CurrentUserPanel() {
  const t = useT();
  const user = useCurrentUserRecord();
  return (
    <div className="panel" id="user">
      <h2 className="panel__title">{t('settings.user')}</h2>
      <div className="settings-user">
        <span className="settings-user__name" data-testid="settings-user">
          {user === undefined ? t('common.loading') : (user?.name ?? t('settings.userNone'))}
        </span>
        <Link to={{ name: 'who' }} className="button button--large">
          {t(user ? 'settings.userSwitch' : 'settings.userChoose')}
        </Link>
      </div>
      <p className="muted panel__hint">{t('settings.userHint')}</p>
    </div>
  );
}
