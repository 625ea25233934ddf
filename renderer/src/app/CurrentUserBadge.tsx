import { useCurrentUserRecord } from '../db/use-field-data';
import { useT } from '../i18n/use-t';
import { Link } from './Link';

/** Who is using the app, in the header; a link to switch. Nothing before anyone was chosen. */
export function CurrentUserBadge() {
  const t = useT();
  const user = useCurrentUserRecord();
  if (!user) return null;
  return (
    <Link to={{ name: 'who' }} className="user-badge" title={t('who.switchTitle')} data-testid="current-user">
      <span className="user-badge__avatar" aria-hidden="true">
        {Array.from(user.name)[0]}
      </span>
      <span className="visually-hidden">{t('who.currentLabel')}: </span>
      {user.name}
    </Link>
  );
}
