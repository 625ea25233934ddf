/**
 * Rankings of a tour, computed by the shared engine from the stored records (the same code the
 * desktop app and the export run, so the numbers can never differ). Records in the store were
 * validated by their schemas when written, so computeRankings reads them directly.
 */
import type { Kysely } from 'kysely';
import type { RankBallot } from '@shared/domain/rank-vote';
import { rankingRulesSchema, type Scorer, type ScoreSheet, type Stop, type Tour, type Unit } from '@shared/domain/schemas';
import { computeRankings, type TourRankings } from '@shared/ranking';
import type { RecordCollection } from '@shared/sync/collections';
import type { Database } from '../db/schema.js';

async function live<T>(db: Kysely<Database>, collection: RecordCollection, tourId: string): Promise<T[]> {
  const rows = await db
    .selectFrom('records')
    .select('data')
    .where('tour_id', '=', tourId)
    .where('collection', '=', collection)
    .where('deleted', '=', 0)
    .execute();
  return rows.map((r) => JSON.parse(r.data) as T);
}

/**
 * The stored tour. Its rules are read through the shared schema: a tour stored by an older
 * release has no rank scopes yet (the schema reads them from its `rankWithinGroups`).
 */
export async function loadTour(db: Kysely<Database>, tourId: string): Promise<Tour | null> {
  const row = await db.selectFrom('records').select('data').where('collection', '=', 'tours').where('id', '=', tourId).where('deleted', '=', 0).executeTakeFirst();
  if (!row) return null;
  const tour = JSON.parse(row.data) as Tour;
  const rules = rankingRulesSchema.safeParse(tour.rules);
  return rules.success ? { ...tour, rules: rules.data } : tour;
}

export async function computeTourRankings(db: Kysely<Database>, tour: Tour): Promise<TourRankings> {
  const [units, stops, scorers, sheets, ballots] = await Promise.all([
    live<Unit>(db, 'units', tour.id),
    live<Stop>(db, 'stops', tour.id),
    live<Scorer>(db, 'scorers', tour.id),
    live<ScoreSheet>(db, 'sheets', tour.id),
    live<RankBallot>(db, 'ballots', tour.id),
  ]);
  return computeRankings({ tour, units, stops, scorers, sheets, ballots });
}
