import { useLiveQuery } from 'dexie-react-hooks';
import { unitsInItineraryOrder } from '@shared/domain/tour-order';
import { useDb } from '../../../db/db-context';
import { listStops, listUnits } from '../../../db/tours-repo';
import { useTour } from '../../../db/use-tours';
import { useT } from '../../../i18n/use-t';
import { RulesSection } from './RulesSection';
import { ScorersSection } from './ScorersSection';
import { StopsSection } from './StopsSection';
import { TemplateSection } from './TemplateSection';
import { TourMetaSection } from './TourMetaSection';
import { UnitsSection } from './UnitsSection';
import { TilePackPanel } from '../map/TilePackPanel';
import '../desk.css';

/** #/desk/tours/<id>: prepare (or edit) one tour. Every change is saved locally and synced. */
export function TourEditorPage({ tourId }: { tourId: string }) {
  const db = useDb();
  const t = useT();
  const tour = useTour(tourId);
  const data = useLiveQuery(
    async () => {
      const stops = await listStops(db, tourId);
      // units as the itinerary first reaches them (never by name or pinyin): the units table,
      // the unit choices of a new stop and of a scorer's home unit all read them in this order
      const units = unitsInItineraryOrder(await listUnits(db, tourId), stops);
      return { units, stops, scorers: await db.scorers.where('tourId').equals(tourId).toArray() };
    },
    [db, tourId],
  );
  if (tour === undefined || data === undefined) {
    return (
      <p className="muted" role="status">
        {t('common.loading')}
      </p>
    );
  }
  if (tour === null) {
    return (
      <section className="page">
        <p className="empty" role="alert">
          {t('desk.common.tourNotFound')}
        </p>
      </section>
    );
  }
  return (
    <section className="page desk">
      {/* the way back to the desk and on to the board: the tour bar above (TourDeskNav) */}
      <header className="page__header">
        <h1 className="page__title" tabIndex={-1}>
          {tour.name}
        </h1>
      </header>
      <TourMetaSection tour={tour} stops={data.stops} scorers={data.scorers} />
      <StopsSection tour={tour} units={data.units} stops={data.stops} />
      <TilePackPanel tourId={tour.id} stops={data.stops} />
      <UnitsSection tour={tour} units={data.units} />
      <TemplateSection tour={tour} />
      <ScorersSection tour={tour} units={data.units} scorers={data.scorers} />
      {tour.kind === 'scored' && <RulesSection tour={tour} />}
    </section>
  );
}
