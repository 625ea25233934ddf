import { useLiveQuery } from 'dexie-react-hooks';
import { useDb } from '../../db/db-context';
import { getSession } from '../../sync/session-store';

export type DeskAccess = 'loading' | 'allowed' | 'denied';

/** Roles that may use the secretariat desk. */
export function isDeskRole(role: string | null | undefined): boolean {
  return role === 'secretariat' || role === 'admin';
}

/**
 * Whether the signed-in account may use the desk: the role comes from the server session
 * (the server enforces it again on every push; this only keeps the desk out of scorers' way).
 */
export function useDeskAccess(): DeskAccess {
  const db = useDb();
  const role = useLiveQuery(async () => (await getSession(db))?.user.role ?? null, [db]);
  if (role === undefined) return 'loading';
  return isDeskRole(role) ? 'allowed' : 'denied';
}
