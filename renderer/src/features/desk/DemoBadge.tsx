import { isDemoTourId } from '../../db/demo-ids';
import { useT } from '../../i18n/use-t';
import './demo-badge.css';

/**
 * 演示 after a demo tour's name in every list: in demo mode the demo tours sit beside real ones,
 * and on a real server a demo tour kept for its unsynced work must not pass for a real one.
 */
export function DemoBadge({ tourId }: { tourId: string }) {
  const t = useT();
  if (!isDemoTourId(tourId)) return null;
  return (
    <span className="badge badge--demo" title={t('demo.badgeHint')} data-testid="demo-badge">
      {t('demo.badge')}
    </span>
  );
}
