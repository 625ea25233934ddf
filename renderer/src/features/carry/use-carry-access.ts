import { useLiveQuery } from 'dexie-react-hooks';
import { useDb } from '../../db/db-context';
import { getCarryKey } from '../../sync/carry-keys';
import { getSyncState, type SyncSession } from '../../sync/sync-tables';

export interface CarryAccess {
  /** the signed-in account (the session may have expired: export and import still work offline) */
  user: SyncSession['user'] | null;
  /** this device holds that account's key */
  hasKey: boolean;
}

/** Who may export or import here, read live (a sign-in or the first sync's key shows at once). */
export function useCarryAccess(): CarryAccess | undefined {
  const db = useDb();
  return useLiveQuery(async () => {
    // the stored session, not getSession(): only the user is needed, never the token
    const session = await getSyncState(db, 'session');
    if (!session) return { user: null, hasKey: false };
    return { user: session.user, hasKey: (await getCarryKey(db, session.user.id)) !== null };
  }, [db]);
}
