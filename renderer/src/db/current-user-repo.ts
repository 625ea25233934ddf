import type { CurrentUser, Scorer } from './entities';
import type { GuanmoDb } from './guanmo-db';
import { getMeta } from './meta-repo';

/**
 * Who uses the app on this device, kept in meta ('currentUser'). There is no sign-in yet: the
 * first start asks "who are you" from the people known on this device (the scorers and
 * observers of the tours stored here). Server sign-in will later write the same record (with
 * source 'signIn'), so features, which only read it through useCurrentUser(), do not change.
 * Local bookkeeping: never synced (the server knows who is signed in).
 */

export async function getCurrentUser(db: GuanmoDb): Promise<CurrentUser | null> {
  return (await getMeta(db, 'currentUser')) ?? null;
}

export async function setCurrentUser(db: GuanmoDb, user: { userId: string; name: string }, source: CurrentUser['source'] = 'picker'): Promise<CurrentUser> {
  const value: CurrentUser = { userId: user.userId, name: user.name, source, since: new Date().toISOString() };
  await db.transaction('rw', db.meta, async () => {
    await db.meta.put({ key: 'currentUser', value });
  });
  return value;
}

export async function clearCurrentUser(db: GuanmoDb): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    await db.meta.put({ key: 'currentUser', value: null });
  });
}

/** A person known on this device, with what they do on which tours. */
export interface KnownPerson {
  userId: string;
  name: string;
  /** tours they score on */
  scoredTours: number;
  /** tours they join as observer */
  observedTours: number;
}

/** Everyone assigned to a tour on this device, by name (Chinese collation), one entry per user. */
export async function listKnownPeople(db: GuanmoDb): Promise<KnownPerson[]> {
  const scorers = await db.scorers.toArray();
  const byUser = new Map<string, KnownPerson>();
  for (const scorer of scorers) {
    const person = byUser.get(scorer.userId) ?? { userId: scorer.userId, name: scorer.name, scoredTours: 0, observedTours: 0 };
    if (isScoringRole(scorer)) person.scoredTours++;
    else person.observedTours++;
    byUser.set(scorer.userId, person);
  }
  return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.userId.localeCompare(b.userId));
}

function isScoringRole(scorer: Scorer): boolean {
  return scorer.role === 'scorer';
}
