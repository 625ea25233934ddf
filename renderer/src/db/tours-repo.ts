import Dexie from 'dexie';
import type { Stop, Tour, Unit } from './entities';
import type { GuanmoDb } from './guanmo-db';

/** Tours, most recent first (then by name). */
export async function listTours(db: GuanmoDb): Promise<Tour[]> {
  const tours = await db.tours.toArray();
  return tours.sort((a, b) => b.startDate.localeCompare(a.startDate) || a.name.localeCompare(b.name, 'zh-CN'));
}

/** The tour, or null when there is none with that id. */
export async function getTour(db: GuanmoDb, tourId: string): Promise<Tour | null> {
  return (await db.tours.get(tourId)) ?? null;
}

/** The itinerary of a tour in (day, order) order, straight from the compound index. */
export function listStops(db: GuanmoDb, tourId: string): Promise<Stop[]> {
  return db.stops
    .where('[tourId+day+order]')
    .between([tourId, Dexie.minKey, Dexie.minKey], [tourId, Dexie.maxKey, Dexie.maxKey])
    .toArray();
}

/** Host units of a tour, by name (Chinese collation). */
export async function listUnits(db: GuanmoDb, tourId: string): Promise<Unit[]> {
  const units = await db.units.where('tourId').equals(tourId).toArray();
  return units.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}

export interface TourCounts {
  stops: number;
  units: number;
}

export function countTourContents(db: GuanmoDb, tourId: string): Promise<TourCounts> {
  return db.transaction('r', db.stops, db.units, async () => ({
    stops: await db.stops.where('tourId').equals(tourId).count(),
    units: await db.units.where('tourId').equals(tourId).count(),
  }));
}
