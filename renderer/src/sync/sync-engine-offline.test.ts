/**
 * The engine while the browser says there is no network (navigator.onLine false, node env with
 * a stand-in navigator and window events): no request is made, the status says offline (not an
 * error, no back-off), and the 'online' event starts a round at a random moment of the reconnect
 * window (the laptops of a tour come back online together).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GuanmoDb } from '../db/guanmo-db';
import { createTestDb } from '../test-support/test-db';
import { RECONNECT_JITTER_MS } from '@shared/sync/protocol';
import { createSyncEngine } from './sync-engine';
import type { SyncEngine, SyncEngineOptions } from './sync-types';

const fakeNavigator = { onLine: false };
const events = new EventTarget();
let db: GuanmoDb;
let engine: SyncEngine | null = null;
let requests: string[];

beforeEach(async () => {
  fakeNavigator.onLine = false;
  vi.stubGlobal('navigator', fakeNavigator);
  vi.stubGlobal('addEventListener', events.addEventListener.bind(events));
  vi.stubGlobal('removeEventListener', events.removeEventListener.bind(events));
  db = createTestDb();
  await db.open();
  requests = [];
});
afterEach(() => {
  engine?.stop();
  engine = null;
  db.close();
  vi.unstubAllGlobals();
});

function newEngine(options: Partial<SyncEngineOptions> = {}): SyncEngine {
  engine = createSyncEngine({
    db,
    serverUrl: 'http://127.0.0.1:9',
    getToken: () => 'token',
    lockName: null,
    // an unreachable server, as fetch reports one: any round that runs records its request here
    fetch: (async (input: RequestInfo | URL) => {
      requests.push(String(input));
      throw new TypeError('Failed to fetch');
    }) as typeof fetch,
    periodMs: 3_600_000,
    debounceMs: 10,
    ...options,
  });
  return engine;
}

describe('sync engine without a network', () => {
  it('skips the round: no request, status offline, no error and no back-off', async () => {
    const report = await newEngine().syncNow();
    expect(report.skipped).toBe('offline');
    expect(report.error).toBeNull();
    expect(requests).toEqual([]);
    expect(engine!.getStatus()).toMatchObject({ phase: 'offline', isSyncing: false, lastError: null, failures: 0 });
  });

  it('starts without a request while offline, and runs a round soon after the network returns, at a random moment of the reconnect window', async () => {
    const sync = newEngine({ reconnectJitterMs: 400, random: () => 0.5 });
    sync.start();
    await vi.waitFor(() => expect(sync.getStatus().phase).toBe('offline'));
    expect(requests).toEqual([]);

    fakeNavigator.onLine = true;
    const back = Date.now();
    events.dispatchEvent(new Event('online'));
    // random() × window: 200 ms from now, not at once
    const dueIn = sync.getStatus().nextRunAt! - back;
    expect(dueIn).toBeGreaterThanOrEqual(200);
    expect(dueIn).toBeLessThan(250);
    expect(requests).toEqual([]);
    await vi.waitFor(() => expect(requests.length).toBeGreaterThan(0));
    // the (unreachable) server: now a real error, reported as such
    await vi.waitFor(() => expect(sync.getStatus().lastError?.kind).toBe('offline'));
    expect(sync.getStatus().phase).toBe('idle');
  });

  it('waits up to RECONNECT_JITTER_MS by default, and the whole window is used', async () => {
    for (const [draw, expected] of [
      [0, 0],
      [0.999, 0.999 * RECONNECT_JITTER_MS],
    ] as const) {
      engine?.stop();
      const sync = newEngine({ random: () => draw });
      sync.start();
      await vi.waitFor(() => expect(sync.getStatus().phase).toBe('offline'));
      const back = Date.now();
      events.dispatchEvent(new Event('online'));
      const dueIn = sync.getStatus().nextRunAt! - back;
      expect(dueIn).toBeGreaterThanOrEqual(expected - 1);
      expect(dueIn).toBeLessThan(expected + 50);
    }
  });

  it('runs as before where the browser reports a network', async () => {
    fakeNavigator.onLine = true;
    const report = await newEngine().syncNow();
    expect(report.skipped).toBeUndefined();
    expect(report.error?.kind).toBe('offline');
    expect(requests.length).toBeGreaterThan(0);
  });
});
