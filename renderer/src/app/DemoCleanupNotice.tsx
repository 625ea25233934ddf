import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { acknowledgeDemoCleanup } from '../db/demo-leftovers';
import { useDb } from '../db/db-context';
import { getMeta } from '../db/meta-repo';
import { useT } from '../i18n/use-t';
import { Link } from './Link';
import '../ui/ui.css';
import './demo-cleanup-notice.css';

/**
 * Tells the user once that demo data was cleared from this computer on a real server (and what
 * was kept because it never synced), until they press 知道了.
 */
export function DemoCleanupNotice() {
  const db = useDb();
  const t = useT();
  const report = useLiveQuery(async () => (await getMeta(db, 'demoCleanup')) ?? null, [db]);
  const [isDismissing, setIsDismissing] = useState(false);
  if (!report || report.isAcknowledged) return null;
  const separator = t('common.listSeparator');
  const keptCount = report.keptTours.reduce((sum, tour) => sum + tour.pendingChanges, 0);
  return (
    <div className="notice notice--info demo-cleanup" role="status" data-testid="demo-cleanup-notice">
      <p className="notice__title">{t('demoCleanup.title')}</p>
      {report.removedTours.length > 0 && (
        <p>{t('demoCleanup.removed', { count: report.removedTours.length, names: report.removedTours.map((tour) => tour.name).join(separator) })}</p>
      )}
      {report.keptTours.length > 0 && (
        <p>
          {t('demoCleanup.kept', { count: keptCount, names: report.keptTours.map((tour) => tour.name).join(separator) })}{' '}
          <Link to={{ name: 'sync' }}>{t('sync.details')}</Link>
        </p>
      )}
      <p>
        <button
          type="button"
          className="button"
          disabled={isDismissing}
          onClick={() => {
            setIsDismissing(true);
            void acknowledgeDemoCleanup(db).finally(() => setIsDismissing(false));
          }}
        >
          {t('demoCleanup.dismiss')}
        </button>
      </p>
    </div>
  );
}
