/**
 * The server's accounts (GET /api/users, secretariat/admin only) for assigning scorers.
 *
 * Online-only by nature: the account list is not synced to laptops (only the staff may see it,
 * and the desk rarely needs it). Offline, signed out, or without the right, the desk falls back
 * to the people it already knows from tour records, and says why.
 */
import { useCallback, useEffect, useState } from 'react';
import { trailingOrdinal } from '@shared/domain/tour-order';
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

export function useServerAccounts(options: { fetch?: typeof fetch; timeoutMs?: number } = {}): {
  accounts: ServerAccounts;
  reload: () => void;
  addAccounts: (users: readonly UserListItem[]) => void;
} {
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
  /** accounts just created here join the list at once, without waiting for a reload */
  const addAccounts = useCallback((users: readonly UserListItem[]) => {
    setAccounts((current) => {
      if (current.status !== 'ready') return current;
      const known = new Set(current.users.map((u) => u.id));
      return { status: 'ready', users: [...current.users, ...users.filter((u) => !known.has(u.id))] };
    });
  }, []);
  return { accounts, reload, addAccounts };
}

/**
 * People whose display name or user name contains `query` (case-insensitive, spaces and
 * full-width forms ignored): those starting with it first; numbered names (评委甲…, 市领导1…)
 * by their number; otherwise in the order given. Never by pinyin.
 */
export function searchAccounts<U extends { displayName: string; username: string }>(users: readonly U[], query: string): U[] {
  const fold = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  const q = fold(query);
  const matches = q ? users.filter((u) => fold(u.displayName).includes(q) || fold(u.username).includes(q)) : [...users];
  const rank = (u: U) => (fold(u.displayName).startsWith(q) || fold(u.username).startsWith(q) ? 0 : 1);
  // numbered names of one stem by their number (评委甲 < 评委乙, 市领导2 < 市领导10), where the
  // first of them stands; the rest as given
  const firstOfStem = new Map<string, number>();
  const keys = matches.map((u, i) => {
    const ordinal = trailingOrdinal(u.displayName);
    if (!ordinal) return { u, group: i, number: 0 };
    if (!firstOfStem.has(ordinal.stem)) firstOfStem.set(ordinal.stem, i);
    return { u, group: firstOfStem.get(ordinal.stem)!, number: ordinal.rank };
  });
  return keys.sort((a, b) => rank(a.u) - rank(b.u) || a.group - b.group || a.number - b.number).map((k) => k.u);
}
