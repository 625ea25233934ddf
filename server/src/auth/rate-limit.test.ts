/**
 * Sync rate limits: the token bucket itself (with a fake clock), then the real routes with small
 * limits set through the same environment variables an operator would use.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GuanmoApp } from '../app.js';
import { getRecord } from '../db/records.js';
import { createSignedInUser } from '../test-support/auth-fixtures.js';
import { sqliteBackend, type TestDatabase } from '../test-support/backends.js';
import { createCapturedApp } from '../test-support/server-fixtures.js';
import { buildTestTour, SyncClient, tourMutations } from '../test-support/sync-client.js';
import { TokenBuckets } from './rate-limit.js';

describe('TokenBuckets', () => {
  it('lets a burst through, then refills at the rate', () => {
    const buckets = new TokenBuckets({ perMinute: 60, burst: 3 });
    const t0 = 1_000_000;
    expect([buckets.take('a', t0), buckets.take('a', t0), buckets.take('a', t0)]).toEqual([0, 0, 0]);
    expect(buckets.take('a', t0)).toBe(1000); // one a second
    expect(buckets.take('a', t0 + 400)).toBe(600); // a refusal takes nothing
    expect(buckets.take('a', t0 + 1000)).toBe(0);
    expect(buckets.take('a', t0 + 1000)).toBe(1000);
    // another key has its own bucket
    expect(buckets.take('b', t0 + 1000)).toBe(0);
    // idle long enough: full again, never more than the burst
    const later = t0 + 3_600_000;
    expect([0, 1, 2].map(() => buckets.take('a', later))).toEqual([0, 0, 0]);
    expect(buckets.take('a', later)).toBeGreaterThan(0);
  });

  it('peek does not take', () => {
    const buckets = new TokenBuckets({ perMinute: 1, burst: 1 });
    expect(buckets.peek('a', 0)).toBe(0);
    expect(buckets.peek('a', 0)).toBe(0);
    expect(buckets.take('a', 0)).toBe(0);
    expect(buckets.peek('a', 0)).toBe(60_000);
  });

  it('stays bounded under a flood of distinct keys', () => {
    const buckets = new TokenBuckets({ perMinute: 60, burst: 10 }, 100);
    for (let i = 0; i < 1000; i++) buckets.take(`ip:${i}`, 5_000);
    expect(buckets.size).toBeLessThanOrEqual(101);
  });
});

describe('sync rate limits over HTTP', () => {
  let database: TestDatabase;
  let guanmo: GuanmoApp;
  let sec: SyncClient;
  let scorer: SyncClient;
  const tourId = 'tour-rl';

  beforeEach(async () => {
    database = await sqliteBackend.create();
    guanmo = await createCapturedApp({
      ...database.env,
      GUANMO_RATE_LIMIT_PUSH: '2/min burst 3',
      GUANMO_RATE_LIMIT_PULL: '3/min',
      GUANMO_RATE_LIMIT_UNAUTHENTICATED: '2/min',
    });
    const a = await createSignedInUser(guanmo.app, guanmo.db, { username: 'sec', role: 'secretariat' });
    const b = await createSignedInUser(guanmo.app, guanmo.db, { username: 'scorer1', role: 'scorer' });
    sec = new SyncClient(guanmo.app, a.token);
    scorer = new SyncClient(guanmo.app, b.token);
    await sec.pushOk(tourMutations(sec, buildTestTour(tourId, [{ userId: b.id, name: '评委甲' }])));
  });
  afterEach(async () => {
    await guanmo.close();
    await database.cleanup();
  });

  const pull = (client: SyncClient) => guanmo.app.inject({ method: 'GET', url: '/api/sync/pull?limit=10', headers: client.headers });

  it('answers 429 with Retry-After and a JSON error once a user has used the pull burst', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await pull(scorer)).statusCode);
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await pull(scorer);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(20); // 3 a minute: one every 20 s
    expect(refused.headers['content-type']).toMatch(/application\/json/);
    expect(refused.json()).toEqual({ error: 'rate_limited', message: expect.stringMatching(/Too many pull requests.*try again in \d+ s/) });
    // HEAD runs the same handler: it is limited too
    expect((await guanmo.app.inject({ method: 'HEAD', url: '/api/sync/pull?limit=10', headers: scorer.headers })).statusCode).toBe(429);
    // another user is not affected, and pushing has its own bucket
    expect((await pull(sec)).statusCode).toBe(200);
  });

  it('refuses a push over the limit before it changes anything', async () => {
    // the secretariat used one push in beforeEach; two more are allowed
    expect((await sec.pushRaw([sec.change('tours', tourId, tourId, { name: '改名一' })])).statusCode).toBe(200);
    expect((await sec.pushRaw([sec.change('tours', tourId, tourId, { name: '改名二' })])).statusCode).toBe(200);
    const refused = await sec.pushRaw([sec.change('tours', tourId, tourId, { name: '不该存下' })]);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ error: 'rate_limited' });
    const stored = await getRecord(guanmo.db, 'tours', tourId);
    expect(stored?.data.name).toBe('改名二');
    // the scorer's pushes are counted separately
    expect((await scorer.pushRaw([scorer.change('tours', tourId, tourId, { name: 'x' })])).statusCode).toBe(200);
  });

  it('counts failed authentication per address and never charges signed-in users for it', async () => {
    const anonymous = (authorization?: string) =>
      guanmo.app.inject({ method: 'GET', url: '/api/sync/pull', headers: authorization ? { authorization } : {}, remoteAddress: '203.0.113.7' });
    expect((await anonymous()).statusCode).toBe(401);
    expect((await anonymous(`Bearer gm_${'A'.repeat(43)}`)).statusCode).toBe(401); // well-formed, unknown token
    const refused = await anonymous();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.json()).toMatchObject({ error: 'rate_limited' });
    // a signed-in laptop behind the same address still syncs
    const sameAddress = await guanmo.app.inject({ method: 'GET', url: '/api/sync/pull', headers: scorer.headers, remoteAddress: '203.0.113.7' });
    expect(sameAddress.statusCode).toBe(200);
    // another address is not affected
    expect((await guanmo.app.inject({ method: 'GET', url: '/api/sync/pull', remoteAddress: '198.51.100.1' })).statusCode).toBe(401);
  });

  it('leaves other routes alone', async () => {
    for (let i = 0; i < 6; i++) expect((await guanmo.app.inject({ method: 'GET', url: '/api/auth/me', headers: scorer.headers })).statusCode).toBe(200);
  });
});

describe('client addresses behind a reverse proxy', () => {
  const pullFrom = (guanmo: GuanmoApp, forwardedFor: string) =>
    guanmo.app.inject({ method: 'GET', url: '/api/sync/pull', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': forwardedFor } });

  it.each(['127.0.0.1', '1'])('counts each client behind a trusted proxy (GUANMO_TRUST_PROXY=%s) by the address the proxy reports', async (trust) => {
    const database = await sqliteBackend.create();
    const guanmo = await createCapturedApp({ ...database.env, GUANMO_RATE_LIMIT_UNAUTHENTICATED: '1/min', GUANMO_TRUST_PROXY: trust });
    try {
      expect((await pullFrom(guanmo, '203.0.113.7')).statusCode).toBe(401);
      expect((await pullFrom(guanmo, '203.0.113.7')).statusCode).toBe(429);
      // another laptop behind the same proxy has a bucket of its own
      expect((await pullFrom(guanmo, '198.51.100.1')).statusCode).toBe(401);
      // a client that claims an address itself, through the proxy, is counted by what the proxy saw
      expect((await pullFrom(guanmo, '192.0.2.1, 203.0.113.7')).statusCode).toBe(429);
    } finally {
      await guanmo.close();
      await database.cleanup();
    }
  });

  it('ignores X-Forwarded-For from anyone when no proxy is trusted', async () => {
    const database = await sqliteBackend.create();
    const guanmo = await createCapturedApp({ ...database.env, GUANMO_RATE_LIMIT_UNAUTHENTICATED: '1/min' });
    try {
      expect((await pullFrom(guanmo, '203.0.113.7')).statusCode).toBe(401);
      // a made-up address does not buy a fresh bucket
      expect((await pullFrom(guanmo, '198.51.100.1')).statusCode).toBe(429);
    } finally {
      await guanmo.close();
      await database.cleanup();
    }
  });
});

describe('sync rate limits switched off', () => {
  it('never refuses with GUANMO_RATE_LIMIT_PULL=off', async () => {
    const database = await sqliteBackend.create();
    const guanmo = await createCapturedApp({ ...database.env, GUANMO_RATE_LIMIT_PULL: 'off', GUANMO_RATE_LIMIT_UNAUTHENTICATED: '1/min' });
    try {
      const user = await createSignedInUser(guanmo.app, guanmo.db, { username: 'obs', role: 'observer' });
      for (let i = 0; i < 20; i++) {
        expect((await guanmo.app.inject({ method: 'GET', url: '/api/sync/pull', headers: user.headers })).statusCode).toBe(200);
      }
    } finally {
      await guanmo.close();
      await database.cleanup();
    }
  });
});
