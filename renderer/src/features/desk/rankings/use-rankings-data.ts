import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import type { RankingRules } from '@shared/domain/schemas';
import { useDb } from '../../../db/db-context';
import type { GuanmoDb } from '../../../db/guanmo-db';
import { computeDeskRankings, type ComputedRankings, type TourRecords } from './compute-desk-rankings';

export type { ComputedRankings, TourRecords };

/** Everything a tour's ranking depends on, read in one transaction (a consistent snapshot). */
export function loadTourRecords(db: GuanmoDb, tourId: string): Promise<TourRecords | null> {
  return db.transaction('r', [db.tours, db.units, db.stops, db.scorers, db.sheets, db.ballots], async () => {
    const tour = await db.tours.get(tourId);
    if (!tour) return null;
    const [units, stops, scorers, sheets, ballots] = await Promise.all([
      db.units.where('tourId').equals(tourId).toArray(),
      db.stops.where('tourId').equals(tourId).toArray(),
      db.scorers.where('tourId').equals(tourId).toArray(),
      db.sheets.where('tourId').equals(tourId).toArray(),
      // rank-vote ballots (engineer H6): the engine ranks units from them when rules.method is 'rankVote'
      db.ballots.where('tourId').equals(tourId).toArray(),
    ]);
    return { tour, units, stops, scorers, sheets, ballots };
  });
}

/** Live records of a tour: re-read whenever a sheet, stop, scorer or the tour changes (sync, this tab, another tab). */
export function useTourRecords(tourId: string): TourRecords | null | undefined {
  const db = useDb();
  return useLiveQuery(() => loadTourRecords(db, tourId), [db, tourId]);
}

/**
 * Rankings recomputed at once when the records or the (previewed) rules change — once per change:
 * the memo is keyed by the rules' value, not the object, so a preview that comes back to the saved
 * rules (the page then drops the preview, passing `tour.rules` instead) does not recompute the
 * same figures a second time (a full 300 × 80 recompute on the same frame).
 */
export function useComputedRankings(records: TourRecords | null | undefined, rules: RankingRules | null): ComputedRankings | null {
  const rulesKey = rules === null ? null : JSON.stringify(rules);
  // `rules` is read through its key: equal keys mean equal rules, whichever object carries them
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => (records ? computeDeskRankings(records, rules ?? undefined) : null), [records, rulesKey]);
}
