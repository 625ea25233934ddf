/**
 * The server's accounts (GET /api/users, secretariat/admin only) for assigning scorers.
 *
 * Online-only by nature: the account list is not synced to laptops (only the staff may see it,
 * and the desk rarely needs it). Offline, signed out, or without the right, the desk falls back
 * to the people it already knows from tour records and to typing an account id, and says why.
 */
import { useCallback, useEffect, useState } from 'react';
import { usersResponseSchema, type UserListItem } from '@shared/sync/auth-protocol';
import { useDb } from '../../../db/db-context';
import { getSession } from '../../../sync/session-store';
import { requestJson, SyncError } from '../../../sync/sync-http';

export type ServerAccounts =
  | { status: 'loading' }
  | { status: 'ready'; users: readonly UserListItem[] }
  /** no session on this device, or it expired */
  | { status: 'signedOut' }
  /** the server is unreachable or did not answer in time */
  | { status: 'offline' }
  /** signed in without the secretariat/admin role */
  | { status: 'forbidden' }
  | { status: 'error'; message: string };

export function useServerAccounts(options: { fetch?: typeof fetch; timeoutMs?: number } = {}): { accounts: ServerAccounts; reload: () => void } {
  const db = useDb();
  const [accounts, setAccounts] = useState<ServerAccounts>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const fetchFn = options.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  useEffect(() => {
    const controller = new AbortController();
    let isCurrent = true;
    setAccounts({ status: 'loading' });
    void (async () => {
      const next = await loadAccounts();
      if (isCurrent) setAccounts(next);
    })();
    async function loadAccounts(): Promise<ServerAccounts> {
      const session = await getSession(db);
      if (!session || session.isExpired || !session.token) return { status: 'signedOut' };
      try {
        const response = await requestJson(
          { fetch: fetchFn ?? globalThis.fetch.bind(globalThis), baseUrl: session.serverUrl, token: session.token, timeoutMs, signal: controller.signal },
          'GET',
          '/api/users',
          usersResponseSchema,
        );
        return { status: 'ready', users: response.users };
      } catch (error) {
        if (error instanceof SyncError) {
          if (error.kind === 'offline' || error.kind === 'timeout' || error.kind === 'busy') return { status: 'offline' };
          if (error.kind === 'signedOut') return { status: 'signedOut' };
          if (error.status === 403) return { status: 'forbidden' };
        }
        return { status: 'error', message: error instanceof Error ? error.message : String(error) };
      }
    }
    return () => {
      isCurrent = false;
      controller.abort();
    };
  }, [db, fetchFn, timeoutMs, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { accounts, reload };
}

/** Accounts whose display name or user name contains `query` (case-insensitive), best matches first. */
export function searchAccounts(users: readonly UserListItem[], query: string): UserListItem[] {
  const q = query.trim().toLowerCase();
  const matches = q ? users.filter((u) => u.displayName.toLowerCase().includes(q) || u.username.toLowerCase().includes(q)) : [...users];
  const rank = (u: UserListItem) => (u.displayName.toLowerCase().startsWith(q) || u.username.toLowerCase().startsWith(q) ? 0 : 1);
  return matches.sort((a, b) => rank(a) - rank(b) || a.displayName.localeCompare(b.displayName, 'zh-CN'));
}
