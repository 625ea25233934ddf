/**
 * The shared buckets' one-statement session lookup and take (takeForSession), on PostgreSQL:
 * what a sync request asks first, and that it takes only for a live session.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { openDatabase, type ServerDatabase } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { createSession, revokeSession } from '../db/sessions.js';
import { postgresBackend, type TestDatabase } from '../test-support/backends.js';
import { createTestUser } from '../test-support/auth-fixtures.js';
import { DatabaseRateBuckets } from './shared-buckets.js';
import { hashSessionToken, newSessionToken } from './tokens.js';

describe.skipIf(!postgresBackend.isAvailable)('takeForSession (PostgreSQL)', () => {
  let database: TestDatabase;
  let opened: ServerDatabase;
  let db: Kysely<Database>;

  beforeEach(async () => {
    database = await postgresBackend.create();
    opened = await openDatabase({ databaseUrl: database.env.DATABASE_URL!, dataDir: database.env.GUANMO_DATA_DIR! }, { warn: () => {} });
    db = opened.db;
  });
  afterEach(async () => {
    await opened.close();
    await database.cleanup();
  });

  async function signedIn(username: string) {
    const user = await createTestUser(db, { username, role: 'scorer' });
    const token = newSessionToken();
    const session = await createSession(db, { tokenHash: hashSessionToken(token), userId: user.id, ip: null, userAgent: null });
    return { user, tokenHash: hashSessionToken(token), sessionId: session.id };
  }
  const bucketRows = async () => (await db.selectFrom('rate_buckets').select(['key', 'tokens']).orderBy('key').execute()).map((r) => ({ key: r.key, tokens: Number(r.tokens) }));

  it('answers the live session with a token taken from its user, until the burst is used', async () => {
    const { user, tokenHash, sessionId } = await signedIn('scorer1');
    const buckets = new DatabaseRateBuckets(db, 'pull', { perMinute: 1, burst: 3 });
    const now = Date.now();
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await buckets.takeForSession(tokenHash, new Date(), now));
    expect(answers.map((a) => a.session?.session_id)).toEqual(Array(5).fill(sessionId));
    expect(answers[0]!.session).toMatchObject({ user_id: user.id, username: 'scorer1', role: 'scorer' });
    expect(answers.map((a) => a.waitMs > 0)).toEqual([false, false, false, true, true]);
    expect(await bucketRows()).toEqual([{ key: `pull:${user.id}`, tokens: 0 }]);
  });

  it('takes nothing for a token without a live session (unknown, revoked, or its user disabled)', async () => {
    const buckets = new DatabaseRateBuckets(db, 'pull', { perMinute: 60, burst: 10 });
    expect(await buckets.takeForSession(hashSessionToken(newSessionToken()), new Date(), Date.now())).toEqual({ session: null, waitMs: 0 });

    const revoked = await signedIn('scorer2');
    await revokeSession(db, revoked.sessionId);
    expect((await buckets.takeForSession(revoked.tokenHash, new Date(), Date.now())).session).toBeNull();

    const disabled = await signedIn('scorer3');
    await db.updateTable('users').set({ disabled: 1 }).where('id', '=', disabled.user.id).execute();
    expect((await buckets.takeForSession(disabled.tokenHash, new Date(), Date.now())).session).toBeNull();
    expect(await bucketRows()).toEqual([]);
  });

  it("over this process's own share: no shared take, and a session revoked meanwhile is still reported gone", async () => {
    const { tokenHash, sessionId } = await signedIn('scorer4');
    const buckets = new DatabaseRateBuckets(db, 'pull', { perMinute: 1, burst: 2 });
    const now = Date.now();
    await buckets.takeForSession(tokenHash, new Date(), now);
    await buckets.takeForSession(tokenHash, new Date(), now);
    const before = await bucketRows();
    const refused = await buckets.takeForSession(tokenHash, new Date(), now);
    expect(refused.waitMs).toBeGreaterThan(0);
    expect(refused.session?.session_id).toBe(sessionId);
    expect(await bucketRows()).toEqual(before); // refused locally: the shared row untouched
    await revokeSession(db, sessionId);
    expect((await buckets.takeForSession(tokenHash, new Date(), now)).session).toBeNull();
  });
});
