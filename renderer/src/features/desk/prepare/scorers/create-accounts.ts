/**
 * Asks the server to create accounts (POST /api/users/batch, admins only) for the rows of a
 * scorer list that have none, each with a one-time password made here (one-time-password.ts).
 *
 * What must stay true: the passwords live only in memory (the caller shows them once); a
 * request that failed or whose answer was lost is sent again with the same passwords, and an
 * account the server reports as existing with `isPasswordSame` counts as created by us.
 */
import { createUsersResponseSchema, MAX_BATCH_ACCOUNTS, type NewAccount, type UserListItem } from '@shared/sync/auth-protocol';
import type { GuanmoDb } from '../../../../db/guanmo-db';
import { getSession } from '../../../../sync/session-store';
import { requestJson, SyncError } from '../../../../sync/sync-http';

export type AccountRequest = NewAccount & { password: string; row: number };

export type AccountOutcome =
  /** created now (or by an earlier try of this same request): hand out `password` */
  | { kind: 'created'; request: AccountRequest; user: UserListItem }
  /** the user name belongs to an account made otherwise: its password is not ours to give */
  | { kind: 'exists'; request: AccountRequest; user: UserListItem }
  | { kind: 'invalid'; request: AccountRequest; message: string };

export class CreateAccountsError extends Error {
  override readonly name = 'CreateAccountsError';
  constructor(
    readonly reason: 'signedOut' | 'forbidden' | 'offline' | 'server',
    message: string,
  ) {
    super(message);
  }
}

export async function createAccounts(db: GuanmoDb, requests: readonly AccountRequest[], options: { fetch?: typeof fetch; timeoutMs?: number } = {}): Promise<AccountOutcome[]> {
  const session = await getSession(db);
  if (!session || session.isExpired || !session.token) throw new CreateAccountsError('signedOut', 'not signed in');
  const http = { fetch: options.fetch ?? globalThis.fetch.bind(globalThis), baseUrl: session.serverUrl, token: session.token, timeoutMs: options.timeoutMs ?? 120_000 };
  const outcomes: AccountOutcome[] = [];
  for (let start = 0; start < requests.length; start += MAX_BATCH_ACCOUNTS) {
    const chunk = requests.slice(start, start + MAX_BATCH_ACCOUNTS);
    let answer;
    try {
      answer = await requestJson(http, 'POST', '/api/users/batch', createUsersResponseSchema, {
        users: chunk.map(({ username, displayName, role, password }) => ({ username, displayName, role, password })),
      });
    } catch (error) {
      if (error instanceof SyncError) {
        if (error.kind === 'signedOut') throw new CreateAccountsError('signedOut', error.message);
        if (error.status === 403) throw new CreateAccountsError('forbidden', error.message);
        if (error.kind === 'offline' || error.kind === 'timeout' || error.kind === 'busy') throw new CreateAccountsError('offline', error.message);
      }
      throw new CreateAccountsError('server', error instanceof Error ? error.message : String(error));
    }
    chunk.forEach((request, i) => {
      const result = answer.results[i];
      if (!result) outcomes.push({ kind: 'invalid', request, message: 'no answer for this account' });
      else if (result.status === 'created') outcomes.push({ kind: 'created', request, user: result.user });
      else if (result.status === 'exists') outcomes.push(result.isPasswordSame ? { kind: 'created', request, user: result.user } : { kind: 'exists', request, user: result.user });
      else outcomes.push({ kind: 'invalid', request, message: result.message });
    });
  }
  return outcomes;
}
