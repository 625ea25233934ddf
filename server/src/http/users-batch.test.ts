/**
 * Accounts from a scorer list, on every backend: POST /api/users/batch (admin only, per-row
 * results, safe to re-send), one-time passwords that open no session until the person chose
 * their own (login answers password_change_required; POST /api/auth/password), and the
 * must_change_password column added to a database that already had accounts.
 */
import path from 'node:path';
import { Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUsersResponseSchema, loginResponseSchema, type CreateUsersResponse, type NewAccount } from '@shared/sync/auth-protocol';
import type { GuanmoApp } from '../app.js';
import { sqliteFileName } from '../config.js';
import { listAudit } from '../tours/audit-log.js';
import { migrateToLatest, migrateUpTo } from '../db/migrations.js';
import { createPostgresDialect } from '../db/postgres.js';
import type { Database } from '../db/schema.js';
import { createSqliteDialect } from '../db/sqlite.js';
import { findUserByUsername } from '../db/users.js';
import { bearer, createSignedInUser, createTestUser, signIn } from '../test-support/auth-fixtures.js';
import { testBackends, type TestDatabase } from '../test-support/backends.js';
import { createCapturedApp } from '../test-support/server-fixtures.js';

const ADMIN_PASSWORD = 'admin-password-1';

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`accounts from a scorer list on ${backend.kind}`, () => {
    let database: TestDatabase;
    let guanmo: GuanmoApp;
    let adminHeaders: { authorization: string };

    beforeEach(async () => {
      database = await backend.create();
      guanmo = await createCapturedApp({ ...database.env, GUANMO_LOG_LEVEL: 'error', GUANMO_ADMIN_PASSWORD: ADMIN_PASSWORD });
      adminHeaders = bearer(await signIn(guanmo.app, 'admin', ADMIN_PASSWORD));
    });
    afterEach(async () => {
      await guanmo.close();
      await database.cleanup();
    });

    const batch = (users: NewAccount[], headers: Record<string, string> = adminHeaders) =>
      guanmo.app.inject({ method: 'POST', url: '/api/users/batch', headers, payload: { users } });
    const login = (username: string, password: string) => guanmo.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    const changePassword = (username: string, password: string, newPassword: string) =>
      guanmo.app.inject({ method: 'POST', url: '/api/auth/password', payload: { username, password, newPassword } });
    const results = (body: unknown): CreateUsersResponse['results'] => createUsersResponseSchema.parse(body).results;

    it('creates the accounts with one-time passwords, one result per row in order; re-sending creates nothing twice', async () => {
      await createTestUser(guanmo.db, { username: 'zhangming', role: 'scorer', displayName: '张明', password: 'his-own-password' });
      const request: NewAccount[] = [
        { username: 'SLD1', displayName: '市领导1', role: 'scorer', password: 'k7pq-xm3v-9tds-2hwe' },
        { username: '阳谷县书记', displayName: '阳谷县书记', role: 'scorer', password: 'abcd-efgh-jkmn-pqrs' },
        { username: 'zhangming', displayName: '张明', role: 'scorer', password: 'tttt-uuuu-vvvv-wwww' },
        { username: 'a b', displayName: '坏账号', role: 'scorer', password: 'xxxx-yyyy-zzzz-2222' },
        { username: 'sld1', displayName: '又一个', role: 'observer', password: 'xxxx-yyyy-zzzz-3333' },
        { username: 'guancha1', displayName: '观摩员甲', role: 'observer' },
      ];
      const first = await batch(request);
      expect(first.statusCode).toBe(200);
      expect(first.headers['cache-control']).toBe('no-store');
      const answer = results(first.json());
      expect(answer.map((r) => [r.status, r.username])).toEqual([
        ['created', 'sld1'],
        ['created', '阳谷县书记'],
        ['exists', 'zhangming'],
        ['invalid', 'a b'],
        ['invalid', 'sld1'],
        ['created', 'guancha1'],
      ]);
      expect(answer[0]).toMatchObject({ user: { username: 'sld1', displayName: '市领导1', role: 'scorer', disabled: false } });
      expect(answer[0]).not.toHaveProperty('generatedPassword'); // the caller chose it
      expect(answer[2]).toMatchObject({ isPasswordSame: false }); // someone else's account, left alone
      expect(answer[3]).toMatchObject({ code: 'invalid_username' });
      expect(answer[4]).toMatchObject({ code: 'duplicate_in_request' });
      const generated = answer[5]!.status === 'created' ? answer[5]!.generatedPassword : undefined;
      expect(generated).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
      expect(answer[5]).toMatchObject({ user: { role: 'observer' } });
      // never a hash in the answer
      expect(first.body).not.toMatch(/argon2/);

      // the existing account kept its password
      expect(await signIn(guanmo.app, 'zhangming', 'his-own-password')).toMatch(/^gm_/);

      // the answer was lost: the same request again creates nothing and confirms the passwords
      const again = results((await batch(request)).json());
      expect(again.map((r) => r.status)).toEqual(['exists', 'exists', 'exists', 'invalid', 'invalid', 'exists']);
      expect(again.map((r) => (r.status === 'exists' ? r.isPasswordSame : null))).toEqual([true, true, false, null, null, false]);
      expect(again[0]).toMatchObject({ user: { id: (answer[0] as { user: { id: string } }).user.id } });
      const count = await guanmo.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(5); // admin, zhangming, sld1, 阳谷县书记, guancha1

      // who created them is in the audit log, without passwords
      const audit = await listAudit(guanmo.db, { limit: 10 });
      expect(audit.filter((e) => e.action === 'users_created')).toHaveLength(1);
      expect(audit[0]).toMatchObject({ user: { username: 'admin' }, after: [{ username: 'sld1' }, { username: '阳谷县书记' }, { username: 'guancha1' }] });
      expect(JSON.stringify(audit)).not.toMatch(/k7pq|abcd-efgh|argon2/);
    });

    it('is for admins only: 403 for the secretariat and scorers, 401 without a sign-in, 400 for a malformed body', async () => {
      const sec = await createSignedInUser(guanmo.app, guanmo.db, { username: 'mishu', role: 'secretariat' });
      const scorer = await createSignedInUser(guanmo.app, guanmo.db, { username: 'zhang', role: 'scorer' });
      const one: NewAccount[] = [{ username: 'x1', displayName: '某', role: 'scorer', password: 'password-123' }];
      for (const user of [sec, scorer]) {
        const response = await batch(one, user.headers);
        expect(response.statusCode).toBe(403);
        expect(response.json()).toMatchObject({ error: 'forbidden' });
      }
      expect((await batch(one, {})).statusCode).toBe(401);
      expect(await findUserByUsername(guanmo.db, 'x1')).toBeNull();
      // an admin account cannot be made this way, nor an empty list, nor a short password
      expect((await batch([{ username: 'boss', displayName: '老板', role: 'admin' as 'scorer' }])).statusCode).toBe(400);
      expect((await batch([])).statusCode).toBe(400);
      expect((await batch([{ username: 'x2', displayName: '某', role: 'scorer', password: 'short' }])).json()).toMatchObject({ error: 'invalid_request' });
    });

    it('a one-time password opens no session: the person sets a new password, then signs in with it', async () => {
      await batch([{ username: 'sld2', displayName: '市领导2', role: 'scorer', password: 'once-only-pass' }]);
      const refused = await login('sld2', 'once-only-pass');
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toEqual({ error: 'password_change_required', message: expect.stringMatching(/one-time password/) });
      expect(refused.json()).not.toHaveProperty('token');
      // a wrong password still gets the ordinary answer, telling nothing about the account
      expect((await login('sld2', 'wrong-password')).json()).toMatchObject({ error: 'invalid_credentials' });

      expect((await changePassword('sld2', 'once-only-pass', 'once-only-pass')).json()).toMatchObject({ error: 'password_unchanged' });
      expect((await changePassword('sld2', 'once-only-pass', 'short')).statusCode).toBe(400);
      expect((await changePassword('sld2', 'not-the-password', 'my-own-password')).statusCode).toBe(401);

      const changed = await changePassword('SLD2', 'once-only-pass', 'my-own-password');
      expect(changed.statusCode).toBe(200);
      const session = loginResponseSchema.parse(changed.json());
      expect(session.user).toMatchObject({ username: 'sld2', displayName: '市领导2', role: 'scorer' });
      expect((await guanmo.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(session.token) })).statusCode).toBe(200);

      expect((await login('sld2', 'once-only-pass')).statusCode).toBe(401);
      expect((await login('sld2', 'my-own-password')).statusCode).toBe(200);
      expect((await findUserByUsername(guanmo.db, 'sld2'))?.mustChangePassword).toBe(false);
    });

    it('changing a password signs the account out everywhere else, and is throttled like sign-in', async () => {
      const user = await createSignedInUser(guanmo.app, guanmo.db, { username: 'li', role: 'scorer', password: 'li-password-1' });
      const changed = await changePassword('li', 'li-password-1', 'li-password-2');
      expect(changed.statusCode).toBe(200);
      expect((await guanmo.app.inject({ method: 'GET', url: '/api/auth/me', headers: user.headers })).statusCode).toBe(401);
      for (let i = 0; i < 5; i++) expect((await changePassword('li', `wrong-${i}-password`, 'li-password-3')).statusCode).toBe(401);
      const locked = await changePassword('li', 'li-password-2', 'li-password-3');
      expect(locked.statusCode).toBe(429);
      expect(locked.headers['retry-after']).toBeDefined();
      expect((await login('li', 'li-password-2')).statusCode).toBe(429);
    });

    it('answers other requests while it hashes (argon2 off the event loop)', async () => {
      const many: NewAccount[] = Array.from({ length: 24 }, (_, i) => ({ username: `p${i + 1}`, displayName: `人员${i + 1}`, role: 'scorer', password: `pass-word-${i + 1}` }));
      let isBatchDone = false;
      const pending = batch(many).then((r) => {
        isBatchDone = true;
        return r;
      });
      // turns of the event loop while the batch runs: hashing on the loop would leave few
      let turns = 0;
      const spin = () => {
        turns++;
        if (!isBatchDone) setImmediate(spin);
      };
      setImmediate(spin);
      const health = await guanmo.app.inject({ method: 'GET', url: '/api/health' });
      expect(health.statusCode).toBe(200);
      expect(isBatchDone).toBe(false);
      expect(results((await pending).json()).every((r) => r.status === 'created')).toBe(true);
      expect(turns).toBeGreaterThan(many.length * 10);
    });
  });

  describe.skipIf(!backend.isAvailable)(`migration 0008 (must_change_password) on ${backend.kind}`, () => {
    let database: TestDatabase;
    let db: Kysely<Database>;
    beforeEach(async () => {
      database = await backend.create();
      const dialect = database.env.DATABASE_URL
        ? createPostgresDialect(database.env.DATABASE_URL, () => {}).dialect
        : createSqliteDialect(path.join(database.dataDir, sqliteFileName));
      db = new Kysely<Database>({ dialect });
    });
    afterEach(async () => {
      await db.destroy();
      await database.cleanup();
    });

    it('keeps existing accounts as they were: no one-time password', async () => {
      await migrateUpTo(db, backend.kind, '0007_records_state');
      const at = '2026-11-20T08:00:00.000Z';
      await sql`insert into users (id, username, display_name, role, password_hash, disabled, created_at, updated_at)
        values ('u-old', 'old', '老用户', 'scorer', 'x', 0, ${at}, ${at})`.execute(db);
      expect(await migrateToLatest(db, backend.kind)).toContain('0008_users_must_change_password');
      expect(await findUserByUsername(db, 'old')).toMatchObject({ username: 'old', mustChangePassword: false });
    });
  });
}
