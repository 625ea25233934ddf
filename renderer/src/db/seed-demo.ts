import { scorerSchema, stopSchema, tourSchema, unitSchema } from '@shared/domain/schemas';
import type { Scorer, Stop, Tour, Unit } from './entities';
import type { GuanmoDb } from './guanmo-db';
import { getMeta } from './meta-repo';

export interface DemoTour {
  tour: Tour;
  units: Unit[];
  stops: Stop[];
  scorers: Scorer[];
}

/** Builds the demo tours (unvalidated: they are parsed here before anything is written). */
export type LoadDemoTours = () => Promise<
  readonly { tour: unknown; units: readonly unknown[]; stops: readonly unknown[]; scorers?: readonly unknown[] }[]
>;

/** 'upgraded': seeded by an older release, the records that release did not have were added */
export type SeedResult = 'seeded' | 'upgraded' | 'already-seeded';

/**
 * Version of what the demo seed writes. Bump it when the seed gains records, and teach
 * `seedDemo` to add them to devices seeded by an older version.
 *   1: tours, units, stops (the `demoSeeded` flag alone marks it)
 *   2: + scorers (the demo people assigned to each tour)
 */
export const DEMO_SEED_VERSION = 2;

/**
 * First start: puts the demo tours into the local database, once per device; on a device
 * seeded by an older release, adds what that release's seed did not have (see DEMO_SEED_VERSION).
 *
 * - Everything is written in ONE `rw` transaction together with the seed flags, and they are
 *   checked again inside it: two tabs starting at once are serialised by IndexedDB, and the
 *   second finds the flags and writes nothing.
 * - No outbox entries: the server seeds the same tours with the same deterministic ids.
 * - A tour already present (e.g. pulled from the server) is never overwritten. Upgrading only
 *   adds records that are missing (by id), never replaces one.
 * - Invalid demo data throws before the transaction, so nothing is half-written.
 */
export async function seedDemo(db: GuanmoDb, loadDemoTours: LoadDemoTours): Promise<SeedResult> {
  if ((await seededVersion(db)) >= DEMO_SEED_VERSION) return 'already-seeded';
  const demoTours = parseDemoTours(await loadDemoTours());
  return db.transaction('rw', [db.tours, db.units, db.stops, db.scorers, db.meta], async () => {
    const version = await seededVersion(db);
    if (version >= DEMO_SEED_VERSION) return 'already-seeded';
    if (version === 0) {
      const existing = await db.tours.bulkGet(demoTours.map((d) => d.tour.id));
      const missing = demoTours.filter((_, i) => existing[i] === undefined);
      await db.tours.bulkAdd(missing.map((d) => d.tour));
      await db.units.bulkPut(missing.flatMap((d) => d.units));
      await db.stops.bulkPut(missing.flatMap((d) => d.stops));
      await db.scorers.bulkPut(missing.flatMap((d) => d.scorers));
      await db.meta.put({ key: 'demoSeeded', value: new Date().toISOString() });
    } else {
      // seeded before scorers existed: assign the demo people to the demo tours still on the device
      const present = await db.tours.bulkGet(demoTours.map((d) => d.tour.id));
      const scorers = demoTours.filter((_, i) => present[i] !== undefined).flatMap((d) => d.scorers);
      const existingScorers = await db.scorers.bulkGet(scorers.map((s) => s.id));
      await db.scorers.bulkAdd(scorers.filter((_, i) => existingScorers[i] === undefined));
    }
    await db.meta.put({ key: 'demoSeedVersion', value: DEMO_SEED_VERSION });
    return version === 0 ? 'seeded' : 'upgraded';
  });
}

/** 0 = never seeded; 1 = seeded before seed versions existed (only the `demoSeeded` flag). */
async function seededVersion(db: GuanmoDb): Promise<number> {
  const version = await getMeta(db, 'demoSeedVersion');
  if (version !== undefined) return version;
  return (await getMeta(db, 'demoSeeded')) ? 1 : 0;
}

/** Validates every record with the shared schemas and checks that the tours hold together. */
export function parseDemoTours(raw: Awaited<ReturnType<LoadDemoTours>>): DemoTour[] {
  const demoTours = raw.map(({ tour, units, stops, scorers = [] }) => ({
    tour: tourSchema.parse(tour),
    units: units.map((u) => unitSchema.parse(u)),
    stops: stops.map((s) => stopSchema.parse(s)),
    scorers: scorers.map((s) => scorerSchema.parse(s)),
  }));
  const tourIds = new Set<string>();
  for (const { tour, units, stops, scorers } of demoTours) {
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
    for (const scorer of scorers) {
      if (scorer.tourId !== tour.id) throw new Error(`demo scorer ${scorer.id} belongs to ${scorer.tourId}, not ${tour.id}`);
      if (scorer.homeUnitId !== null && !unitIds.has(scorer.homeUnitId)) throw new Error(`demo scorer ${scorer.id} has unknown home unit ${scorer.homeUnitId}`);
    }
  }
  return demoTours;
}
