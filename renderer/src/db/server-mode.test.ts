import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../test-support/test-db';
import { applyServerMode } from './apply-server-mode';
import { setCurrentUser } from './current-user-repo';
import { loadDemoTours } from './demo-source';
import type { GuanmoDb } from './guanmo-db';
import { getMeta } from './meta-repo';
import { openLocalData } from './open-local-data';
import { demoDataAction, demoModeFor, getServerMode, rememberServerMode } from './server-mode-repo';

const server = 'http://10.0.0.5:8787';
const answer = (isDemo: boolean, serverUrl = server) => ({ serverUrl, isDemo, checkedAt: '2024-05-01T08:00:00.000Z' });

describe('the demo mode decision', () => {
  it('is demo only when the server this device talks to said so', () => {
    expect(demoModeFor(answer(true), server)).toBe('demo');
    expect(demoModeFor(answer(false), server)).toBe('real');
    // never asked (an offline first start), or the answer came from another server: nothing demo
    expect(demoModeFor(undefined, server)).toBe('unknown');
    expect(demoModeFor(null, server)).toBe('unknown');
    expect(demoModeFor(answer(true, 'http://127.0.0.1:8787'), server)).toBe('unknown');
    expect(demoModeFor(answer(true), null)).toBe('unknown');
  });

  it('seeds in demo mode, clears on a real server, and waits while unknown', () => {
    expect(demoDataAction('demo')).toBe('seed');
    expect(demoDataAction('real')).toBe('clear');
    expect(demoDataAction('unknown')).toBe('none');
  });
});

describe('applying a server answer', () => {
  let db: GuanmoDb;
  beforeEach(async () => {
    db = createTestDb();
    await openLocalData(db, loadDemoTours);
  });
  afterEach(() => db.close());

  it('a first start seeds nothing until a server answers', async () => {
    expect(await db.tours.count()).toBe(0);
    expect(await getServerMode(db)).toBeUndefined();
  });

  it('a demo server: remembers it and seeds the demo tours; a restart seeds (no more) again offline', async () => {
    const outcome = await applyServerMode(db, server, true, loadDemoTours);
    expect(outcome).toEqual({ seeded: 'seeded', cleared: null });
    expect(await getServerMode(db)).toMatchObject({ serverUrl: server, isDemo: true });
    expect(await db.tours.count()).toBe(2);
    await openLocalData(db, loadDemoTours);
    expect(await db.tours.count()).toBe(2);
  });

  it('a real server: remembers it and clears what an earlier demo left', async () => {
    await applyServerMode(db, server, true, loadDemoTours);
    await setCurrentUser(db, { userId: 'demo-user-scorer1', name: '评委甲' });
    const outcome = await applyServerMode(db, 'https://guanmo.example.gov.cn', false, loadDemoTours);
    expect(outcome.seeded).toBeNull();
    expect(outcome.cleared?.removedTours).toHaveLength(2);
    expect(await db.tours.count()).toBe(0);
    expect(await getMeta(db, 'currentUser')).toBeNull();
    expect(await getServerMode(db)).toMatchObject({ serverUrl: 'https://guanmo.example.gov.cn', isDemo: false });
    // the next start does not seed: the last answer was "real"
    await openLocalData(db, loadDemoTours);
    expect(await db.tours.count()).toBe(0);
  });

  it('a real server on a clean device: nothing to clear, no notice', async () => {
    expect(await applyServerMode(db, server, false, loadDemoTours)).toEqual({ seeded: null, cleared: null });
    expect(await getMeta(db, 'demoCleanup')).toBeUndefined();
  });

  it('remembers only the last answer', async () => {
    await rememberServerMode(db, server, true, new Date('2024-01-01T00:00:00Z'));
    await rememberServerMode(db, server, false, new Date('2024-01-02T00:00:00Z'));
    expect(await getServerMode(db)).toEqual({ serverUrl: server, isDemo: false, checkedAt: '2024-01-02T00:00:00.000Z' });
  });
});
