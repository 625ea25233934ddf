import type { SignedInAccount } from './entities';
import type { GuanmoDb } from './guanmo-db';
import { getMeta } from './meta-repo';

/** how many accounts the sign-in screen remembers (a shared laptop of a small team) */
const maxRemembered = 12;

/**
 * Remembers an account that signed in on this device (names and role only: never a token or a
 * password), newest first: on a real server the sign-in screen offers them, so a colleague who
 * shares the laptop only picks their name and types the password.
 */
export async function rememberSignedInAccount(
  db: GuanmoDb,
  account: { id: string; username: string; displayName: string; role: string },
  serverUrl: string,
  now = new Date(),
): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const known = (await getMeta(db, 'signedInAccounts')) ?? [];
    const entry: SignedInAccount = {
      userId: account.id,
      username: account.username,
      displayName: account.displayName,
      role: account.role,
      serverUrl,
      lastSignInAt: now.toISOString(),
    };
    const others = known.filter((a) => !(a.userId === entry.userId && a.serverUrl === serverUrl));
    await db.meta.put({ key: 'signedInAccounts', value: [entry, ...others].slice(0, maxRemembered) });
  });
}

/** The accounts that signed in here to `serverUrl` (null: any server), newest first. */
export async function listSignedInAccounts(db: GuanmoDb, serverUrl: string | null = null): Promise<SignedInAccount[]> {
  const known = (await getMeta(db, 'signedInAccounts')) ?? [];
  return serverUrl === null ? known : known.filter((a) => a.serverUrl === serverUrl);
}
