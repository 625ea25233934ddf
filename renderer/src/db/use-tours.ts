import { useLiveQuery } from 'dexie-react-hooks';
import { useDb } from './db-context';
import type { Stop, Tour, Unit } from './entities';
import { countTourContents, getTour, listStops, listTours, listUnits, type TourCounts } from './tours-repo';

// Live reads: each re-renders when the tables it read change (in this tab or another).
// `undefined` always means "still loading".

export function useTours(): Tour[] | undefined {
  const db = useDb();
  return useLiveQuery(() => listTours(db), [db]);
}

/** null = no such tour */
export function useTour(tourId: string): Tour | null | undefined {
  const db = useDb();
  return useLiveQuery(() => getTour(db, tourId), [db, tourId]);
}

/** Stops in itinerary order (day, then order). */
export function useStops(tourId: string): Stop[] | undefined {
  const db = useDb();
  return useLiveQuery(() => listStops(db, tourId), [db, tourId]);
}

export function useUnits(tourId: string): Unit[] | undefined {
  const db = useDb();
  return useLiveQuery(() => listUnits(db, tourId), [db, tourId]);
}

export function useTourCounts(tourId: string): TourCounts | undefined {
  const db = useDb();
  return useLiveQuery(() => countTourContents(db, tourId), [db, tourId]);
}
