/**
 * Feeding the server's clock into this device's persisted HLC (db/hlc-clock.ts keeps it in meta
 * 'hlc'): after a sync, every local edit is stamped later than everything the server had, even
 * when this laptop's wall clock runs slow. Like local stamps, never refused for drift: the server
 * clamps clocks that run ahead.
 */
import { formatHlc, HlcClock, parseHlc, tryParseHlc } from '@shared/sync/hlc';
import type { GuanmoDb } from '../db/guanmo-db';
import { getMeta } from '../db/meta-repo';

const UNBOUNDED_DRIFT_MS = Number.MAX_SAFE_INTEGER;

export async function receiveRemoteHlc(db: GuanmoDb, remote: string, now: number = Date.now()): Promise<void> {
  const remoteHlc = tryParseHlc(remote);
  if (!remoteHlc) return;
  await db.transaction('rw', db.meta, async () => {
    const clientId = await getMeta(db, 'clientId');
    if (!clientId) return;
    const last = await getMeta(db, 'hlc');
    const clock = new HlcClock(clientId, { initial: last ? parseHlc(last) : undefined, maxDriftMs: UNBOUNDED_DRIFT_MS });
    if (last && remote <= last) return; // already past it: nothing to persist
    await db.meta.put({ key: 'hlc', value: formatHlc(clock.receive(remoteHlc, now)) });
  });
}
