/**
 * GET /api/users on every backend: the staff get every account without secrets; scorers,
 * observers and strangers do not.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { usersResponseSchema } from '@shared/sync/auth-protocol';
import type { GuanmoApp } from '../app.js';
import { setUserDisabled } from '../db/users.js';
import { bearer, createSignedInUser, createTestUser } from '../test-support/auth-fixtures.js';
import { testBackends, type TestDatabase } from '../test-support/backends.js';
import { createCapturedApp } from '../test-support/server-fixtures.js';

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`GET /api/users on ${backend.kind}`, () => {
    let database: TestDatabase;
    let guanmo: GuanmoApp;

    beforeEach(async () => {
      database = await backend.create();
      guanmo = await createCapturedApp({ ...database.env, GUANMO_LOG_LEVEL: 'error', GUANMO_ADMIN_PASSWORD: 'admin-password-1' });
    });
    afterEach(async () => {
      await guanmo.close();
      await database.cleanup();
    });

    const list = (headers: Record<string, string> = {}) => guanmo.app.inject({ method: 'GET', url: '/api/users', headers });

    it('lists every account for the secretariat and admins, never a secret', async () => {
      const sec = await createSignedInUser(guanmo.app, guanmo.db, { username: 'mishu', role: 'secretariat', displayName: '秘书处王' });
      await createTestUser(guanmo.db, { username: 'zhang', role: 'scorer', displayName: '张评委' });
      await createTestUser(guanmo.db, { username: 'li', role: 'observer', displayName: '李观察' });
      await createTestUser(guanmo.db, { username: 'gone', role: 'scorer', displayName: '停用者' });
      await setUserDisabled(guanmo.db, 'gone', true);

      const response = await list(sec.headers);
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const body = usersResponseSchema.parse(response.json());
      expect(body.users.map((u) => u.username).sort()).toEqual(['admin', 'gone', 'li', 'mishu', 'zhang']);
      expect(body.users.find((u) => u.username === 'zhang')).toEqual({ id: expect.any(String), username: 'zhang', displayName: '张评委', role: 'scorer', disabled: false });
      expect(body.users.find((u) => u.username === 'gone')?.disabled).toBe(true);
      // exactly these fields: no hash, no timestamps
      for (const user of response.json().users as object[]) expect(Object.keys(user).sort()).toEqual(['disabled', 'displayName', 'id', 'role', 'username']);
      expect(response.body).not.toMatch(/argon2|password|hash/i);

      const admin = await guanmo.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'admin-password-1' } });
      expect((await list(bearer(admin.json().token as string))).statusCode).toBe(200);
    });

    it('is 403 for scorers and observers and 401 without a sign-in', async () => {
      const scorer = await createSignedInUser(guanmo.app, guanmo.db, { username: 'zhang', role: 'scorer' });
      const observer = await createSignedInUser(guanmo.app, guanmo.db, { username: 'li', role: 'observer' });
      for (const user of [scorer, observer]) {
        const response = await list(user.headers);
        expect(response.statusCode).toBe(403);
        expect(response.json()).toMatchObject({ error: 'forbidden' });
        expect(response.json()).not.toHaveProperty('users');
      }
      const anonymous = await list();
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json()).toMatchObject({ error: 'unauthorized' });
    });
  });
}
