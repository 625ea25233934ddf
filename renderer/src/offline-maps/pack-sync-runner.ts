/**
 * Runs the pack sync for the app: with the signed-in session's server and token, only with a
 * network, one run at a time in this tab and (Web Locks) across tabs and windows. A run asked for
 * while one is going starts again after it, once.
 */
import type { GuanmoDb } from '../db/guanmo-db';
import { getSession, usableToken } from '../sync/session-store';
import { syncTilePacks, type PackSyncReport } from './pack-sync';

const LOCK_NAME = 'guanmo-tile-packs';
let running: Promise<PackSyncReport | null> | null = null;
let isAgainWanted = false;

export function runPackSync(db: GuanmoDb): Promise<PackSyncReport | null> {
  if (running) {
    isAgainWanted = true;
    return running;
  }
  running = (async () => {
    if (globalThis.navigator?.onLine === false) return null;
    const session = await getSession(db);
    const token = await usableToken(db);
    if (!session || !token) return null;
    const work = () => syncTilePacks({ db, server: { fetch: globalThis.fetch.bind(globalThis), baseUrl: session.serverUrl, token } });
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    return locks ? locks.request(LOCK_NAME, { ifAvailable: true }, (lock) => (lock ? work() : null)) : work();
  })().finally(() => {
    running = null;
    if (isAgainWanted) {
      isAgainWanted = false;
      void runPackSync(db);
    }
  });
  return running;
}
