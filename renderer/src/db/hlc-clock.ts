import Dexie from 'dexie';
import { formatHlc, HlcClock, parseHlc } from '@shared/sync/hlc';
import { newId } from '../lib/new-id';
import type { GuanmoDb } from './guanmo-db';
import { getMeta } from './meta-repo';

/**
 * This device's hybrid logical clock, persisted in meta ('hlc'): every local change that will
 * sync gets the next timestamp, issued and persisted in the SAME transaction as the change and
 * its outbox entry. So the clock only ever moves forward with the changes it stamped (a rolled
 * back change rolls the clock back with it), and two tabs are serialised by IndexedDB.
 *
 * Decision: a local write never fails because of the clock. HLC refuses to issue a stamp when
 * the clock runs more than a few minutes ahead of the wall clock (e.g. the laptop's time was set
 * back after earlier edits); for a scorer typing on the bus that would mean losing the score.
 * Local stamps are therefore issued without a drift limit: they stay monotonic, and the server
 * re-stamps timestamps that run ahead (HlcClock.clamp), so a wrong laptop clock cannot win
 * conflicts on the server.
 */
const LOCAL_MAX_DRIFT_MS = Number.MAX_SAFE_INTEGER;

/** The next timestamp of this device. Must run inside an `rw` transaction that includes `meta`. */
export async function nextHlc(db: GuanmoDb, now: number = Date.now()): Promise<string> {
  const tx = Dexie.currentTransaction;
  if (!tx || tx.db !== db || tx.mode !== 'readwrite' || !tx.storeNames.includes(db.meta.name)) {
    throw new Error("nextHlc must run in an rw transaction that includes 'meta' (the clock is persisted with the change it stamps)");
  }
  const node = await clientIdFor(db);
  const last = await getMeta(db, 'hlc');
  const clock = new HlcClock(node, { initial: last ? parseHlc(last) : undefined, maxDriftMs: LOCAL_MAX_DRIFT_MS });
  const stamp = formatHlc(clock.send(now));
  await db.meta.put({ key: 'hlc', value: stamp });
  return stamp;
}

/** This device's client id (the clock's node); created here when a test or tool skipped the app's start. */
async function clientIdFor(db: GuanmoDb): Promise<string> {
  const existing = await getMeta(db, 'clientId');
  if (existing) return existing;
  const clientId = newId();
  await db.meta.put({ key: 'clientId', value: clientId });
  return clientId;
}
