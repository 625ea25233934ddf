/**
 * Accounts created in bulk from a scorer list (POST /api/users/batch, `guanmo-server user
 * import`), each with a one-time password the person must replace at first sign-in.
 *
 * What must stay true:
 * - Safe to repeat: an existing user name is reported, never changed or duplicated (the unique
 *   user name and createUserIfAbsent decide, also against a concurrent request).
 * - The event loop stays free: argon2 runs on libuv's worker threads (@node-rs/argon2 is
 *   asynchronous), and at most HASH_CONCURRENCY hashes run at once, so that 80 new accounts
 *   leave threads for sign-ins and file I/O of everyone else (~50 ms of one core per hash).
 * - Clear passwords leave this module only in the result, for the caller to show once.
 */
import type { Kysely } from 'kysely';
import type { CreatedUserResult, NewAccount } from '@shared/sync/auth-protocol';
import { usernameSchema } from '@shared/domain/usernames';
import type { Database } from '../db/schema.js';
import { createUserIfAbsent, findUserByUsername, findUsersByUsernames, type User } from '../db/users.js';
import { writeAudit, type AuditActor } from '../tours/audit-log.js';
import { generatePassword, hashPassword, verifyPassword } from './passwords.js';

/** argon2 hashes in flight at once (libuv has 4 worker threads by default) */
const HASH_CONCURRENCY = 2;

export async function createAccounts(db: Kysely<Database>, requested: readonly NewAccount[], actor: AuditActor | null): Promise<CreatedUserResult[]> {
  const results: (CreatedUserResult | null)[] = requested.map(() => null);
  const seen = new Set<string>();
  const wanted: { index: number; username: string; account: NewAccount }[] = [];
  requested.forEach((account, index) => {
    const parsed = usernameSchema.safeParse(account.username);
    if (!parsed.success) {
      results[index] = { status: 'invalid', username: account.username, code: 'invalid_username', message: parsed.error.issues[0]?.message ?? 'invalid user name' };
      return;
    }
    if (seen.has(parsed.data)) {
      results[index] = { status: 'invalid', username: account.username, code: 'duplicate_in_request', message: `${parsed.data} appears more than once in this request` };
      return;
    }
    seen.add(parsed.data);
    wanted.push({ index, username: parsed.data, account });
  });

  const existing = new Map((await findUsersByUsernames(db, wanted.map((w) => w.username))).map((u) => [u.username, u]));

  // the slow part, before any transaction: verify re-sent one-time passwords, hash new ones
  const prepared = await mapLimited([...wanted], HASH_CONCURRENCY, async (w) => {
    const found = existing.get(w.username);
    if (found) {
      const isPasswordSame = found.mustChangePassword && w.account.password !== undefined && (await verifyPassword(found.passwordHash, w.account.password));
      return { ...w, kind: 'exists' as const, found, isPasswordSame };
    }
    const password = w.account.password ?? generatePassword();
    return { ...w, kind: 'new' as const, password, isGenerated: w.account.password === undefined, passwordHash: await hashPassword(password) };
  });

  const created: User[] = [];
  await db.transaction().execute(async (trx) => {
    for (const p of prepared) {
      if (p.kind === 'exists') {
        results[p.index] = { status: 'exists', username: p.username, user: listItem(p.found), isPasswordSame: p.isPasswordSame };
        continue;
      }
      const user = await createUserIfAbsent(trx, {
        username: p.username,
        displayName: p.account.displayName,
        role: p.account.role,
        passwordHash: p.passwordHash,
        mustChangePassword: true,
      });
      if (user) {
        created.push(user);
        results[p.index] = { status: 'created', username: p.username, user: listItem(user), ...(p.isGenerated ? { generatedPassword: p.password } : {}) };
      } else {
        // created by a concurrent request since the look-up above: theirs stands
        const now = await findUserByUsername(trx, p.username);
        const isPasswordSame = !!now && now.mustChangePassword && (await verifyPassword(now.passwordHash, p.password));
        if (now) results[p.index] = { status: 'exists', username: p.username, user: listItem(now), isPasswordSame };
      }
    }
    if (created.length > 0 && actor) {
      await writeAudit(trx, actor, {
        tourId: null,
        action: 'users_created',
        collection: null,
        recordId: null,
        reason: `${created.length} account(s) created with one-time passwords`,
        before: null,
        after: created.map((u) => ({ id: u.id, username: u.username, displayName: u.displayName, role: u.role })),
      });
    }
  });
  return results.map((r) => {
    if (!r) throw new Error('createAccounts: an account was left without a result');
    return r;
  });
}

function listItem(user: User) {
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role, disabled: user.disabled };
}

/** `fn` over `items`, at most `limit` at a time, results in input order. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
