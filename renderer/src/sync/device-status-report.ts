/**
 * Each sync round tells the server what this laptop still holds unsynced, per tour
 * (POST /api/carry/device-status), so the secretariat's desk lists whom to chase before the
 * 总结会. Sent before the push (a laptop whose push then fails, e.g. on a weak connection, has
 * still said what it holds) and again after the round when the counts changed. It also names the
 * imported files whose work has all been pushed from here (`carried`), so the desk clears the
 * laptop they came from.
 *
 * Best effort: a report that fails (an older server without the route, the network gone) never
 * fails the round; the next round reports again.
 */
import type { DeviceStatusReport } from '@shared/sync/carry-protocol';
import { MAX_REPORTED_CARRIES, MAX_REPORTED_TOURS } from '@shared/sync/carry-protocol';
import type { GuanmoDb } from '../db/guanmo-db';
import { getMeta } from '../db/meta-repo';
import { readDeviceName } from './device-name';
import { request, type HttpContext } from './sync-http';
import { countWorkByTour, newestHlc, readUnsyncedWork } from './unsynced-work';

/** Imported files whose entries have all left the outbox: their laptops' work is on the server. */
async function carriedFiles(db: GuanmoDb): Promise<DeviceStatusReport['carried']> {
  const imports = (await getMeta(db, 'carryImports')) ?? [];
  // per laptop, the newest of its files whose work has all been pushed from here
  const carried = new Map<string, string>();
  for (const file of imports) {
    if (file.throughHlc === null) continue;
    const left = await db.outbox.where('mutationId').anyOf(file.mutationIds).count();
    const known = carried.get(file.fromClientId);
    if (left === 0 && (known === undefined || file.throughHlc > known)) carried.set(file.fromClientId, file.throughHlc);
  }
  return [...carried].slice(-MAX_REPORTED_CARRIES).map(([fromClientId, throughHlc]) => ({ fromClientId, throughHlc }));
}

export async function buildDeviceStatusReport(db: GuanmoDb, clientId: string, appVersion?: string): Promise<DeviceStatusReport> {
  const work = await readUnsyncedWork(db);
  const pending = countWorkByTour(
    work.records.map((r) => ({ collection: r.collection, recordId: r.id, tourId: r.tourId })),
    work.bytes,
  ).slice(0, MAX_REPORTED_TOURS);
  return {
    clientId,
    deviceName: await readDeviceName(db, clientId),
    ...(appVersion ? { appVersion: appVersion.slice(0, 40) } : {}),
    pending,
    newestPendingHlc: newestHlc(work.entries),
    carried: await carriedFiles(db),
  };
}

/**
 * Sends the report unless it equals `lastSent` (the JSON of the previous report this round);
 * returns what was sent (or `lastSent` when nothing was), null when it failed.
 */
export async function reportDeviceStatus(db: GuanmoDb, http: HttpContext, clientId: string, lastSent: string | null = null, appVersion?: string): Promise<string | null> {
  try {
    const report = JSON.stringify(await buildDeviceStatusReport(db, clientId, appVersion));
    if (report === lastSent) return lastSent;
    await request(http, 'POST', '/api/carry/device-status', { body: JSON.parse(report) as unknown });
    return report;
  } catch (error) {
    console.warn('sync: reporting unsynced work to the desk failed', error);
    return null;
  }
}
