import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashSessionToken, newSessionToken } from './auth/tokens.js';
import { openDatabase, type ServerDatabase } from './db/database.js';
import { createSession, revokeSession } from './db/sessions.js';
import { appliedMutationRetentionMs, runHousekeeping } from './housekeeping.js';
import { createTestUser } from './test-support/auth-fixtures.js';
import { testBackends, type TestDatabase } from './test-support/backends.js';
import { testConfig } from './test-support/server-fixtures.js';

const day = 24 * 60 * 60 * 1000;

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`housekeeping on ${backend.kind}`, () => {
    let database: TestDatabase;
    let server: ServerDatabase;
    beforeEach(async () => {
      database = await backend.create();
      server = await openDatabase(testConfig(database.env), { warn: () => {} });
    });
    afterEach(async () => {
      await server.close();
      await database.cleanup();
    });

    it('removes ended sessions, stale login counters and old mutation ids, and keeps the rest', async () => {
      const now = new Date();
      const user = await createTestUser(server.db, { username: 'u', role: 'scorer' });
      const session = (at: Date) => createSession(server.db, { tokenHash: hashSessionToken(newSessionToken()), userId: user.id, ip: null, userAgent: null }, at);
      await session(new Date(now.getTime() - 60 * day)); // expired 30 days ago
      const revoked = await session(new Date(now.getTime() - 20 * day));
      await revokeSession(server.db, revoked.id, new Date(now.getTime() - 10 * day));
      const live = await session(now);
      await server.db
        .insertInto('login_throttle')
        .values([
          { key: 'user:old', failures: 3, first_failure_at: new Date(now.getTime() - day).toISOString(), locked_until: null, updated_at: new Date(now.getTime() - day).toISOString() },
          { key: 'user:recent', failures: 3, first_failure_at: now.toISOString(), locked_until: null, updated_at: now.toISOString() },
        ])
        .execute();
      const mutation = (id: string, at: number) => ({ id, user_id: user.id, client_id: 'c', collection: 'notes', record_id: 'n', applied_at: new Date(at).toISOString() });
      await server.db
        .insertInto('applied_mutations')
        .values([mutation('old', now.getTime() - appliedMutationRetentionMs - day), mutation('new', now.getTime() - day)])
        .execute();

      expect(await runHousekeeping(server.db, now)).toEqual({ sessions: 2, throttle: 1, mutations: 1, buckets: 0 });
      expect((await server.db.selectFrom('sessions').select('id').execute()).map((r) => r.id)).toEqual([live.id]);
      expect((await server.db.selectFrom('login_throttle').select('key').execute()).map((r) => r.key)).toEqual(['user:recent']);
      expect((await server.db.selectFrom('applied_mutations').select('id').execute()).map((r) => r.id)).toEqual(['new']);
      expect(await runHousekeeping(server.db, now)).toEqual({ sessions: 0, throttle: 0, mutations: 0, buckets: 0 });
    });
  });
}
