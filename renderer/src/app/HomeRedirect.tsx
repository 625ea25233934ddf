import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect } from 'react';
import { useDb } from '../db/db-context';
import { useT } from '../i18n/use-t';
import { getSyncState } from '../sync/sync-tables';
import { homeRouteFor } from './landing';
import { routeHref } from './router';

/**
 * `/`: replaces itself with the home of the role signed in on this device (landing.ts), so Back
 * never returns to an empty page. The role comes from the stored session (an expired one still
 * says who works here: the desk works offline).
 */
export function HomeRedirect() {
  const db = useDb();
  const t = useT();
  // null: nobody signed in on this device (undefined is useLiveQuery's "still loading")
  const role = useLiveQuery(async () => (await getSyncState(db, 'session'))?.user.role ?? null, [db]);
  useEffect(() => {
    if (role === undefined) return;
    window.location.replace(routeHref(homeRouteFor(role)));
  }, [role]);
  return (
    <p className="muted" role="status">
      {t('common.loading')}
    </p>
  );
}
