import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../test-support/test-db';
import { loadFixtureTours } from '../test-support/tour-fixtures';
import { clearCurrentUser, getCurrentUser, listKnownPeople, setCurrentUser } from './current-user-repo';
import type { GuanmoDb } from './guanmo-db';
import { listAssignedTours } from './my-tours-repo';
import { seedDemo } from './seed-demo';

let db: GuanmoDb;
beforeEach(async () => {
  db = createTestDb();
  await seedDemo(db, loadFixtureTours);
});
afterEach(() => db.close());

describe('current user', () => {
  it('is nobody until chosen, then remembered, switchable and clearable', async () => {
    expect(await getCurrentUser(db)).toBeNull();
    await setCurrentUser(db, { userId: 'u-alice', name: '评委甲' });
    expect(await getCurrentUser(db)).toMatchObject({ userId: 'u-alice', name: '评委甲', source: 'picker' });
    await setCurrentUser(db, { userId: 'u-bob', name: '评委乙' });
    expect((await getCurrentUser(db))?.userId).toBe('u-bob');
    await clearCurrentUser(db);
    expect(await getCurrentUser(db)).toBeNull();
    // local bookkeeping: never synced
    expect(await db.outbox.count()).toBe(0);
  });

  it('lists the people known on this device once each, with their tours', async () => {
    expect(await listKnownPeople(db)).toEqual([
      { userId: 'u-olga', name: '观摩人员', scoredTours: 0, observedTours: 1 },
      { userId: 'u-alice', name: '评委甲', scoredTours: 1, observedTours: 1 },
      { userId: 'u-bob', name: '评委乙', scoredTours: 1, observedTours: 0 },
    ]);
  });

  it('lists only the tours the user is assigned to', async () => {
    expect((await listAssignedTours(db, 'u-alice')).map((a) => [a.tour.id, a.scorer.role])).toEqual([
      ['fx-scored', 'scorer'],
      ['fx-study', 'observer'],
    ]);
    expect((await listAssignedTours(db, 'u-bob')).map((a) => a.tour.id)).toEqual(['fx-scored']);
    expect(await listAssignedTours(db, 'u-nobody')).toEqual([]);
  });
});
