/**
 * Who the desk knows without the server: everyone assigned to any tour on this device (the
 * secretariat syncs them all), one entry per user account; and the role of the account signed
 * in here (only an admin may create accounts).
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { roleSchema, type Role } from '@shared/domain/schemas';
import { useDb } from '../../../../db/db-context';
import { useServerMode } from '../../../../app/server-mode-context';
import { isDemoUserId } from '../../../../db/demo-ids';
import { getSession } from '../../../../sync/session-store';

export type KnownPerson = { userId: string; name: string };

export function useKnownPeople(): readonly KnownPerson[] | undefined {
  const db = useDb();
  // the demo people only while the server runs the demo (a demo tour kept for unsynced work must
  // not put 评委甲 in front of a real secretariat)
  const isDemo = useServerMode().mode === 'demo';
  return useLiveQuery(async () => {
    const people = new Map<string, string>();
    for (const s of await db.scorers.toArray()) if (!people.has(s.userId) && (isDemo || !isDemoUserId(s.userId))) people.set(s.userId, s.name);
    return [...people].map(([userId, name]) => ({ userId, name }));
  }, [db, isDemo]);
}

/** The signed-in account's role; null when signed out (or the session expired); undefined while loading. */
export function useSessionRole(): Role | null | undefined {
  const db = useDb();
  return useLiveQuery(async () => {
    const session = await getSession(db);
    const role = roleSchema.safeParse(session && !session.isExpired ? session.user.role : null);
    return role.success ? role.data : null;
  }, [db]);
}

/** The server the desk is signed in to (printed on password slips); null when signed out. */
export function useSessionServer(): string | null | undefined {
  const db = useDb();
  return useLiveQuery(async () => (await getSession(db))?.serverUrl ?? null, [db]);
}
