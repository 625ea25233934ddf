/**
 * Issue 14 item 9: anyone could lock a scorer out: five wrong passwords locked the account for
 * everyone, doubling to 15 min. Now failures count per account AND address (5: that address is
 * held back for that account), per address (30, any accounts), and per account from everywhere
 * (30, more slowly) except from addresses the account signed in from before: someone guessing
 * elsewhere never locks the owner out at their usual places (server/API.md § Accounts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountThrottle, addressThrottle } from '../../server/src/auth/login-throttle';
import { createTestUser } from '../../server/src/test-support/auth-fixtures';
import { testBackends, type TestDatabase } from '../../server/src/test-support/backends';
import { newTally, startHostileServer, writeTally, type HostileServer } from './support/hostile-server';

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`sign-in lockout on ${backend.kind}`, () => {
    const tally = newTally();
    let database: TestDatabase;
    let s: HostileServer;
    let password: string;

    beforeAll(async () => {
      database = await backend.create();
      s = await startHostileServer(database, backend.kind, tally);
      password = (await createTestUser(s.db, { username: 'owner', role: 'scorer' })).password;
      await createTestUser(s.db, { username: 'other', role: 'scorer' });
    }, 60_000);
    afterAll(async () => {
      await s.close();
      await database.cleanup();
      writeTally('sign-in-lockout', backend.kind, tally);
    }, 60_000);

    const login = (username: string, pass: string, ip: string) => s.server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: pass }, remoteAddress: ip });
    const owner = { office: '10.20.0.5', hotel: '10.30.7.9' };

    it('an attacker guessing from one place holds back only that place; the owner signs in', async () => {
      expect((await login('owner', password, owner.office)).statusCode).toBe(200);
      for (let i = 0; i < 8; i++) expect([401, 429]).toContain((await login('owner', `guess-${i}`, '198.51.100.7')).statusCode);
      const attacker = await login('owner', password, '198.51.100.7');
      expect(attacker.statusCode).toBe(429);
      expect(attacker.json()).toMatchObject({ error: 'too_many_attempts' });
      expect(Number(attacker.headers['retry-after'])).toBeGreaterThan(0);
      expect((await login('owner', password, owner.office)).statusCode).toBe(200);
      // and from a place never used before, the owner is not held back by that either
      expect((await login('owner', password, owner.hotel)).statusCode).toBe(200);
    });

    it('guessing from many addresses locks the account for new places only, never where the owner signed in before', async () => {
      for (let i = 0; i < accountThrottle.threshold + 5; i++) await login('owner', `guess-${i}`, `203.0.113.${i + 1}`);
      const stranger = await login('owner', password, '192.0.2.77');
      expect(stranger.statusCode).toBe(429);
      expect(stranger.json().message).toMatch(/many places/);
      expect((await login('owner', password, owner.office)).statusCode).toBe(200);
      expect((await login('owner', password, owner.hotel)).statusCode).toBe(200);
      // another account is not affected
      expect((await login('other', 'correct horse battery', '192.0.2.77')).statusCode).toBe(200);
    });

    it('one address trying many accounts is held back (password spraying)', async () => {
      for (let i = 0; i < addressThrottle.threshold; i++) await login(`user${i}`, 'Winter2021!', '198.51.100.99');
      const sprayer = await login('other', 'correct horse battery', '198.51.100.99');
      expect(sprayer.statusCode).toBe(429);
      expect(sprayer.json().message).toMatch(/from this address/);
    });
  });
}
