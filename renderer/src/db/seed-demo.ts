import { stopSchema, tourSchema, unitSchema } from '@shared/domain/schemas';
import type { Stop, Tour, Unit } from './entities';
import type { GuanmoDb } from './guanmo-db';
import { getMeta } from './meta-repo';

export interface DemoTour {
  tour: Tour;
  units: Unit[];
  stops: Stop[];
}

/** Builds the demo tours (unvalidated: they are parsed here before anything is written). */
export type LoadDemoTours = () => Promise<readonly { tour: unknown; units: readonly unknown[]; stops: readonly unknown[] }[]>;

export type SeedResult = 'seeded' | 'already-seeded';

/**
 * First start: puts the demo tours into the local database, once per device.
 *
 * - Everything is written in ONE `rw` transaction together with the `demoSeeded` flag, and the
 *   flag is checked again inside it: two tabs starting at once are serialised by IndexedDB, and
 *   the second finds the flag and writes nothing.
 * - No outbox entries: the server seeds the same tours with the same deterministic ids.
 * - A tour already present (e.g. pulled from the server) is never overwritten.
 * - Invalid demo data throws before the transaction, so nothing is half-written.
 */
export async function seedDemo(db: GuanmoDb, loadDemoTours: LoadDemoTours): Promise<SeedResult> {
  if (await getMeta(db, 'demoSeeded')) return 'already-seeded';
  const demoTours = parseDemoTours(await loadDemoTours());
  return db.transaction('rw', [db.tours, db.units, db.stops, db.meta], async () => {
    if (await getMeta(db, 'demoSeeded')) return 'already-seeded';
    const existing = await db.tours.bulkGet(demoTours.map((d) => d.tour.id));
    const missing = demoTours.filter((_, i) => existing[i] === undefined);
    await db.tours.bulkAdd(missing.map((d) => d.tour));
    await db.units.bulkPut(missing.flatMap((d) => d.units));
    await db.stops.bulkPut(missing.flatMap((d) => d.stops));
    await db.meta.put({ key: 'demoSeeded', value: new Date().toISOString() });
    return 'seeded';
  });
}

/** Validates every record with the shared schemas and checks that the tours hold together. */
export function parseDemoTours(raw: Awaited<ReturnType<LoadDemoTours>>): DemoTour[] {
  const demoTours = raw.map(({ tour, units, stops }) => ({
    tour: tourSchema.parse(tour),
    units: units.map((u) => unitSchema.parse(u)),
    stops: stops.map((s) => stopSchema.parse(s)),
  }));
  const tourIds = new Set<string>();
  for (const { tour, units, stops } of demoTours) {
    if (tourIds.has(tour.id)) throw new Error(`demo tour ${tour.id} appears twice`);
    tourIds.add(tour.id);
    const unitIds = new Set(units.map((u) => u.id));
    for (const unit of units) {
      if (unit.tourId !== tour.id) throw new Error(`demo unit ${unit.id} belongs to ${unit.tourId}, not ${tour.id}`);
    }
    for (const stop of stops) {
      if (stop.tourId !== tour.id) throw new Error(`demo stop ${stop.id} belongs to ${stop.tourId}, not ${tour.id}`);
      if (!unitIds.has(stop.unitId)) throw new Error(`demo stop ${stop.id} refers to unknown unit ${stop.unitId}`);
    }
  }
  return demoTours;
}
