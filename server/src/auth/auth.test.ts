/**
 * Accounts over HTTP on every backend: sign in, requireUser, sign out, expiry, disabled users,
 * throttling, CORS for the desktop app.
 */
import type { InjectOptions } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GuanmoApp } from '../app.js';
import { sessionIdleMs, findLiveSession } from '../db/sessions.js';
import { setUserDisabled } from '../db/users.js';
import { testBackends, type TestDatabase } from '../test-support/backends.js';
import { bearer, createTestUser, signIn } from '../test-support/auth-fixtures.js';
import { createCapturedApp } from '../test-support/server-fixtures.js';
import { accountAddressThrottle as userThrottle, accountThrottle, addressThrottle, lockDurationMs, loginRetryAfterMs, recordLoginFailure } from './login-throttle.js';
import { requireUser, bearerToken } from './require-user.js';
import { hashSessionToken, isWellFormedToken, newSessionToken } from './tokens.js';

describe('tokens', () => {
  it('are 256-bit, url-safe, prefixed, and hashed with sha256 for storage', () => {
    const token = newSessionToken();
    expect(isWellFormedToken(token)).toBe(true);
    expect(token).not.toBe(newSessionToken());
    expect(hashSessionToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSessionToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(isWellFormedToken(token + 'x')).toBe(false);
    expect(isWellFormedToken('gm_' + '!'.repeat(43))).toBe(false);
  });

  it('are read from the Authorization header only in the Bearer scheme', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});

describe('lock durations', () => {
  it('start at the threshold and double up to the cap', () => {
    expect(lockDurationMs(userThrottle.threshold - 1, userThrottle)).toBe(0);
    expect(lockDurationMs(userThrottle.threshold, userThrottle)).toBe(60_000);
    expect(lockDurationMs(userThrottle.threshold + 1, userThrottle)).toBe(120_000);
    expect(lockDurationMs(userThrottle.threshold + 3, userThrottle)).toBe(480_000);
    expect(lockDurationMs(1000, userThrottle)).toBe(userThrottle.maxLockMs);
    expect(lockDurationMs(addressThrottle.threshold - 1, addressThrottle)).toBe(0);
  });
});

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`accounts on ${backend.kind}`, () => {
    let database: TestDatabase;
    let guanmo: GuanmoApp;

    beforeEach(async () => {
      database = await backend.create();
      guanmo = await createCapturedApp(database.env, {
        configure(app) {
          app.get('/api/test/whoami', async (request) => {
            const user = await requireUser(request);
            // a second call in the same request is served from the request
            expect(await requireUser(request)).toBe(user);
            return user;
          });
          app.get('/api/test/staff-only', async (request) => requireUser(request, ['secretariat', 'admin']));
        },
      });
      await createTestUser(guanmo.db, { username: 'scorer1', role: 'scorer', displayName: '评委甲' });
      await createTestUser(guanmo.db, { username: 'sec', role: 'secretariat' });
    });
    afterEach(async () => {
      await guanmo.close();
      await database.cleanup();
    });

    const inject = (options: InjectOptions) => guanmo.app.inject(options);
    const login = (username: string, password: string, ip = '10.0.0.1') =>
      inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });

    describe('requireUser', () => {
      it('refuses requests without a valid bearer token with 401 JSON and a WWW-Authenticate header', async () => {
        for (const headers of [{}, { authorization: 'Bearer nonsense' }, { authorization: `Bearer ${newSessionToken()}` }, { authorization: 'Basic YTpi' }]) {
          const response = await inject({ method: 'GET', url: '/api/test/whoami', headers });
          expect(response.statusCode).toBe(401);
          expect(response.headers['www-authenticate']).toBe('Bearer realm="guanmo"');
          expect(response.json()).toMatchObject({ error: 'unauthorized', message: expect.stringMatching(/sign in/i) });
        }
      });

      it('returns the signed-in user, and 403 when the role is not allowed', async () => {
        const token = await signIn(guanmo.app, 'scorer1');
        const me = await inject({ method: 'GET', url: '/api/test/whoami', headers: bearer(token) });
        expect(me.statusCode).toBe(200);
        expect(me.json()).toMatchObject({ username: 'scorer1', displayName: '评委甲', role: 'scorer' });

        const staff = await inject({ method: 'GET', url: '/api/test/staff-only', headers: bearer(token) });
        expect(staff.statusCode).toBe(403);
        expect(staff.json()).toMatchObject({ error: 'forbidden' });

        const secToken = await signIn(guanmo.app, 'sec');
        expect((await inject({ method: 'GET', url: '/api/test/staff-only', headers: bearer(secToken) })).statusCode).toBe(200);
      });
    });

    describe('sign in and out', () => {
      it('issues a token stored only as its hash, answers /me, and revokes it on logout', async () => {
        const response = await login('  Scorer1 ', 'correct horse battery');
        expect(response.statusCode).toBe(200);
        expect(response.headers['cache-control']).toBe('no-store');
        const body = response.json();
        expect(body).toMatchObject({ tokenType: 'Bearer', user: { username: 'scorer1', role: 'scorer' } });
        expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now() + sessionIdleMs - 60_000);

        const rows = await guanmo.db.selectFrom('sessions').selectAll().execute();
        expect(rows).toHaveLength(1);
        expect(rows[0]!.token_hash).toBe(hashSessionToken(body.token));
        expect(JSON.stringify(rows)).not.toContain(body.token);

        const me = await inject({ method: 'GET', url: '/api/auth/me', headers: bearer(body.token) });
        expect(me.statusCode).toBe(200);
        expect(me.json()).toMatchObject({ user: { username: 'scorer1' }, session: { id: rows[0]!.id } });

        // a second session (another laptop) is independent
        const other = await signIn(guanmo.app, 'scorer1');

        expect((await inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(body.token) })).statusCode).toBe(204);
        expect((await inject({ method: 'GET', url: '/api/auth/me', headers: bearer(body.token) })).statusCode).toBe(401);
        expect((await inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(body.token) })).statusCode).toBe(401);
        expect((await inject({ method: 'GET', url: '/api/auth/me', headers: bearer(other) })).statusCode).toBe(200);
      });

      it('answers a wrong password and an unknown user identically', async () => {
        const wrong = await login('scorer1', 'wrong password');
        const unknown = await login('nobody', 'wrong password');
        expect(wrong.statusCode).toBe(401);
        expect(unknown.statusCode).toBe(401);
        expect(wrong.json()).toEqual(unknown.json());
        expect(wrong.json()).toEqual({ error: 'invalid_credentials', message: 'Wrong user name or password' });
      });

      it('validates the body', async () => {
        for (const payload of [{}, { username: 'scorer1' }, { username: 'scorer1', password: '' }, { username: 1, password: 'x' }]) {
          const response = await inject({ method: 'POST', url: '/api/auth/login', payload });
          expect(response.statusCode).toBe(400);
          expect(response.json().error).toBe('invalid_request');
          expect(response.body).not.toMatch(/at .*\.ts/);
        }
        const notJson = await inject({ method: 'POST', url: '/api/auth/login', payload: '{"username":', headers: { 'content-type': 'application/json' } });
        expect(notJson.statusCode).toBe(400);
        // JSON bodies are limited to 1 MiB (push has its own, larger limit)
        const huge = await inject({ method: 'POST', url: '/api/auth/login', payload: JSON.stringify({ username: 'x', password: 'y'.repeat(1_100_000) }), headers: { 'content-type': 'application/json' } });
        expect(huge.statusCode).toBe(413);
        expect(huge.json()).toMatchObject({ error: 'payload_too_large' });
      });

      it('expires sessions that were not used', async () => {
        const token = await signIn(guanmo.app, 'scorer1');
        const later = new Date(Date.now() + sessionIdleMs + 1000);
        expect(await findLiveSession(guanmo.db, hashSessionToken(token), later)).toBeNull();
        await guanmo.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).execute();
        expect((await inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })).statusCode).toBe(401);
      });

      it('locks out a disabled user at once, sessions included', async () => {
        const token = await signIn(guanmo.app, 'scorer1');
        expect(await setUserDisabled(guanmo.db, 'scorer1', true)).toMatchObject({ username: 'scorer1', disabled: true, sessionsRevoked: 1 });
        expect((await inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })).statusCode).toBe(401);
        const again = await login('scorer1', 'correct horse battery');
        expect(again.statusCode).toBe(403);
        expect(again.json().error).toBe('account_disabled');
        // a wrong password on a disabled account still says only "wrong"
        expect((await login('scorer1', 'nope')).json().error).toBe('invalid_credentials');
      });
    });

    describe('throttling', () => {
      it('locks an account for the address that guessed, even for the right password, and says when to retry', async () => {
        for (let i = 0; i < userThrottle.threshold; i++) {
          expect((await login('scorer1', `guess ${i}`, '10.0.1.1')).statusCode).toBe(401);
        }
        const locked = await login('scorer1', 'correct horse battery', '10.0.1.1');
        expect(locked.statusCode).toBe(429);
        expect(locked.json().error).toBe('too_many_attempts');
        expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
        expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(60);
        // the owner elsewhere is not locked out by it, nor are other accounts
        expect((await login('scorer1', 'correct horse battery', '10.0.2.1')).statusCode).toBe(200);
        expect((await login('sec', 'correct horse battery', '10.0.1.1')).statusCode).toBe(200);
        // the lock lifts with time
        const keys = { username: 'scorer1', ip: '10.0.1.1' };
        expect(await loginRetryAfterMs(guanmo.db, keys)).toBeGreaterThan(0);
        expect(await loginRetryAfterMs(guanmo.db, keys, new Date(Date.now() + 61_000))).toBe(0);
      });

      it('locks an account guessed from many addresses, except for addresses its owner signed in from', async () => {
        expect((await login('scorer1', 'correct horse battery', '10.7.0.1')).statusCode).toBe(200);
        const now = new Date();
        for (let i = 0; i < accountThrottle.threshold; i++) await recordLoginFailure(guanmo.db, { username: 'scorer1', ip: `172.16.${i}.9` }, now);
        const stranger = await login('scorer1', 'correct horse battery', '10.8.0.1');
        expect(stranger.statusCode).toBe(429);
        expect(stranger.json().message).toMatch(/many places/);
        expect((await login('scorer1', 'correct horse battery', '10.7.0.1')).statusCode).toBe(200);
      });

      it('a successful login clears the user name count', async () => {
        for (let i = 0; i < userThrottle.threshold - 1; i++) await login('scorer1', 'wrong');
        expect((await login('scorer1', 'correct horse battery')).statusCode).toBe(200);
        for (let i = 0; i < userThrottle.threshold - 1; i++) await login('scorer1', 'wrong');
        expect((await login('scorer1', 'correct horse battery')).statusCode).toBe(200);
      });

      it('lets a whole tour sign in at once from one address (one hotspot), and still counts its wrong passwords', async () => {
        const team = Array.from({ length: addressThrottle.threshold + 10 }, (_, i) => `team${i}`);
        for (const username of team) await createTestUser(guanmo.db, { username, role: 'scorer' });
        const answers = await Promise.all(team.map((username) => login(username, 'correct horse battery', '10.7.7.7')));
        expect(answers.map((a) => a.statusCode)).toEqual(team.map(() => 200));
        // wrong passwords from that address still add up to its lock
        for (let i = 0; i < addressThrottle.threshold; i++) await login(team[i]!, 'wrong', '10.7.7.7');
        expect((await login('scorer1', 'correct horse battery', '10.7.7.7')).statusCode).toBe(429);
      });

      it('locks an address that tries many user names, and forgets old failures', async () => {
        const now = Date.now();
        for (let i = 0; i < addressThrottle.threshold; i++) {
          await recordLoginFailure(guanmo.db, { username: `user${i}`, ip: '10.9.9.9' }, new Date(now));
        }
        expect(await loginRetryAfterMs(guanmo.db, { username: 'fresh', ip: '10.9.9.9' }, new Date(now))).toBe(60_000);
        const response = await login('scorer1', 'correct horse battery', '10.9.9.9');
        expect(response.statusCode).toBe(429);

        // failures outside the window are forgotten: a new one starts from 1
        const old = new Date(now - userThrottle.windowMs - 60_000);
        for (let i = 0; i < userThrottle.threshold - 1; i++) await recordLoginFailure(guanmo.db, { username: 'slow', ip: '10.0.0.7' }, old);
        expect(await recordLoginFailure(guanmo.db, { username: 'slow', ip: '10.0.0.7' }, new Date(now))).toBe(0);
        const row = await guanmo.db.selectFrom('login_throttle').selectAll().where('key', '=', 'ua:slow|10.0.0.7').executeTakeFirstOrThrow();
        expect(row.failures).toBe(1);
      });
    });

    describe('CORS', () => {
      it('answers preflights from the desktop app and no other origin', async () => {
        const preflight = await inject({
          method: 'OPTIONS',
          url: '/api/sync/push',
          headers: { origin: 'app://guanmo', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
        });
        expect(preflight.statusCode).toBe(204);
        expect(preflight.headers['access-control-allow-origin']).toBe('app://guanmo');
        expect(preflight.headers['access-control-allow-headers']).toContain('authorization');
        expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();

        const evil = await inject({
          method: 'OPTIONS',
          url: '/api/sync/push',
          headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
        });
        expect(evil.headers['access-control-allow-origin']).toBeUndefined();

        const token = await signIn(guanmo.app, 'scorer1');
        const me = await inject({ method: 'GET', url: '/api/auth/me', headers: { ...bearer(token), origin: 'app://guanmo' } });
        expect(me.statusCode).toBe(200);
        expect(me.headers['access-control-allow-origin']).toBe('app://guanmo');
        expect(me.headers.vary).toContain('Origin');
      });
    });
  });
}
