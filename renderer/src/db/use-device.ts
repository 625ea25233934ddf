import { useLiveQuery } from 'dexie-react-hooks';
import { useDb } from './db-context';
import { getMeta } from './meta-repo';

/** This device's sync id; null before it is created. */
export function useClientId(): string | null | undefined {
  const db = useDb();
  return useLiveQuery(async () => (await getMeta(db, 'clientId')) ?? null, [db]);
}

export interface LocalDataStats {
  tours: number;
  stops: number;
}

export function useLocalDataStats(): LocalDataStats | undefined {
  const db = useDb();
  return useLiveQuery(
    () => db.transaction('r', db.tours, db.stops, async () => ({ tours: await db.tours.count(), stops: await db.stops.count() })),
    [db],
  );
}
