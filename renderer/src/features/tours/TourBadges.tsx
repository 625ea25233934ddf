import type { Tour } from '@shared/domain/schemas';
import { useT } from '../../i18n/use-t';
import { DemoBadge } from '../desk/DemoBadge';
import { tourKindKey, tourStatusKey } from './tour-labels';

export function TourBadges({ tour }: { tour: Tour }) {
  const t = useT();
  return (
    <span className="badges">
      <span className={`badge badge--kind-${tour.kind}`}>{t(tourKindKey[tour.kind])}</span>
      <span className={`badge badge--status-${tour.status}`}>{t(tourStatusKey[tour.status])}</span>
      <DemoBadge tourId={tour.id} />
    </span>
  );
}
