import { useLiveQuery } from 'dexie-react-hooks';
import type { Note } from '@shared/domain/schemas';
import type { CurrentUser } from './entities';
import { useDb } from './db-context';
import { getCurrentUser, listKnownPeople, type KnownPerson } from './current-user-repo';
import { listAssignedTours, type AssignedTour } from './my-tours-repo';
import { listNotes } from './notes-repo';
import { findScorer, getScoringContext, type ScoringContext, type SheetTarget } from './sheets-repo';
import { listStopStatuses, type StopStatus } from './stop-status-repo';

// Live reads for the field app: each re-renders when the tables it read change (in this tab,
// another tab, or by sync). `undefined` always means "still loading".

/** The stored current-user record; null = nobody chosen on this device yet. Features use useCurrentUser() instead. */
export function useCurrentUserRecord(): CurrentUser | null | undefined {
  const db = useDb();
  return useLiveQuery(() => getCurrentUser(db), [db]);
}

export function useKnownPeople(): KnownPerson[] | undefined {
  const db = useDb();
  return useLiveQuery(() => listKnownPeople(db), [db]);
}

export function useAssignedTours(userId: string): AssignedTour[] | undefined {
  const db = useDb();
  return useLiveQuery(() => listAssignedTours(db, userId), [db, userId]);
}

/** Sheet state, photo and note counts of every stop of a tour for the user. */
export function useStopStatuses(tourId: string, userId: string): Map<string, StopStatus> | undefined {
  const db = useDb();
  return useLiveQuery(() => listStopStatuses(db, tourId, userId), [db, tourId, userId]);
}

/** null = no such tour or stop */
export function useScoringContext({ tourId, stopId, userId }: SheetTarget): ScoringContext | null | undefined {
  const db = useDb();
  return useLiveQuery(() => getScoringContext(db, { tourId, stopId, userId }), [db, tourId, stopId, userId]);
}

export function useNotes(stopId: string): Note[] | undefined {
  const db = useDb();
  return useLiveQuery(() => listNotes(db, stopId), [db, stopId]);
}

/** null = no such stop on this tour */
export function useStop(tourId: string, stopId: string) {
  const db = useDb();
  return useLiveQuery(async () => {
    const stop = await db.stops.get(stopId);
    return stop && stop.tourId === tourId ? stop : null;
  }, [db, tourId, stopId]);
}

/** The user's assignment on a tour; null = not on it */
export function useScorer(tourId: string, userId: string) {
  const db = useDb();
  return useLiveQuery(() => findScorer(db, tourId, userId), [db, tourId, userId]);
}

/** Everyone assigned to a tour (to name the authors of notes and photos). */
export function useTourScorers(tourId: string) {
  const db = useDb();
  return useLiveQuery(() => db.scorers.where('tourId').equals(tourId).toArray(), [db, tourId]);
}
