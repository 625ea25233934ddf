/**
 * Keeps this device's offline maps in step with its tours: after each successful sync round (and
 * when the user asks), for every tour on the device that is not over, asks the server for the
 * tour's current pack (GET /api/tours/:id/tile-pack) and downloads it when it is not here yet —
 * skipped when a pack with the same sha256 is; deletes packs of tours that are over or gone and,
 * when space runs short, packs of tours that have ended (pack-eviction.ts). Everything it did on
 * its own is told to the user (notices in meta, shown on the settings page and the tour map).
 *
 * One code path for the browser and the desktop app: IndexedDB and fetch in both.
 * What must stay true: never runs twice at once (per tab, and across tabs with Web Locks), and
 * never throws for network trouble: the report says what happened.
 */
import Dexie from 'dexie';
import { tilePackStatusSchema, type TilePack } from '@shared/maps/pack-protocol';
import type { Tour } from '@shared/domain/schemas';
import type { TilePackNotice } from '../db/entities';
import type { GuanmoDb } from '../db/guanmo-db';
import { estimateStorage, isQuotaError, type StorageEstimate } from '../db/storage-safety';
import { apiUrl } from '../sync/sync-http';
import { mapApiPaths } from './map-api-paths';
import { downloadPack, PackChangedError, type PackServer } from './pack-download';
import { isTourOver, planEvictions, type Eviction } from './pack-eviction';
import { forgetPackReader } from './pack-reader';
import { addNotice, beginPack, discardPack, listPacks, markNoSpace, PackGoneError, PackVerificationError } from './pack-store';
import { setPackActivity } from './pack-activity';

export interface PackSyncDeps {
  db: GuanmoDb;
  server: PackServer;
  estimate?: () => Promise<StorageEstimate | null>;
  /** 'YYYY-MM-DD', the device's local date */
  today?: () => string;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface PackSyncReport {
  /** tours whose pack was asked for */
  checked: number;
  downloaded: string[];
  /** the same sha256 was here already */
  alreadyHere: number;
  evicted: Eviction[];
  noSpace: string[];
  corrupt: string[];
  /** set when the server could not be reached (the rest waits for the next round) */
  error: string | null;
  /** tours not asked about because their own record has not reached the server yet */
  unpushed: number;
}

export function localDay(date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Tours in the order their packs are fetched: running today, then the next to come, then the rest. */
function byUrgency(today: string) {
  const rank = (t: Tour) => (t.startDate <= today && today <= t.endDate ? 0 : t.startDate > today ? 1 : 2);
  return (a: Tour, b: Tour) => rank(a) - rank(b) || (rank(a) === 2 ? b.endDate.localeCompare(a.endDate) : a.startDate.localeCompare(b.startDate));
}

export async function syncTilePacks(deps: PackSyncDeps): Promise<PackSyncReport> {
  const { db, server } = deps;
  const now = deps.now ?? (() => new Date());
  const today = (deps.today ?? (() => localDay(now())))();
  const estimate = deps.estimate ?? (() => estimateStorage());
  const report: PackSyncReport = { checked: 0, downloaded: [], alreadyHere: 0, evicted: [], noSpace: [], corrupt: [], error: null, unpushed: 0 };
  const tours = new Map((await db.tours.toArray()).map((t) => [t.id, t]));

  const evict = async (evictions: readonly Eviction[]) => {
    for (const e of evictions) {
      const record = await db.tilePacks.get(e.sha256);
      await discardPack(db, e.sha256);
      forgetPackReader(e.sha256);
      report.evicted.push(e);
      // a superseded half-download is no news; a map the user had is
      if (record?.state === 'ready') await notify(db, tours.get(e.tourId), e.tourId, record.pack.size, e.reason, now());
    }
  };
  await evict(planEvictions({ packs: await listPacks(db), tours, today, estimate: await estimate().catch(() => null) }).evictions);

  // A tour whose own record still waits in the outbox may not be on the server yet (one just
  // created on this desk): asking would only earn a 404. The round that pushes it checks again.
  const unpushed = new Set((await db.outbox.where('[collection+recordId]').between(['tours', Dexie.minKey], ['tours', Dexie.maxKey]).toArray()).map((e) => e.recordId));
  const current = [...tours.values()].filter((t) => !isTourOver(t, today));
  report.unpushed = current.filter((t) => unpushed.has(t.id)).length;
  const wanted = current.filter((t) => !unpushed.has(t.id)).sort(byUrgency(today));
  for (const tour of wanted) {
    if (deps.signal?.aborted) break;
    try {
      setPackActivity(tour.id, { phase: 'checking' });
      const pack = await currentPack(server, tour.id, deps.signal);
      report.checked++;
      if (!pack) continue;
      const here = await db.tilePacks.get(pack.sha256);
      if (here?.state === 'ready') {
        report.alreadyHere++;
        continue;
      }
      // a download of an older build of this tour is worth nothing now
      for (const stale of await db.tilePacks.where('tourId').equals(tour.id).toArray()) {
        if (stale.state !== 'ready' && stale.sha256 !== pack.sha256) await discardPack(db, stale.sha256);
      }
      const need = pack.size - (here?.bytesStored ?? 0);
      const plan = planEvictions({ packs: await listPacks(db), tours, today, estimate: await estimate().catch(() => null), needBytes: need });
      await evict(plan.evictions);
      if (!plan.hasSpace) {
        await refuseForSpace(db, pack, tour, report, now());
        continue;
      }
      setPackActivity(tour.id, { phase: 'downloading', bytes: here?.bytesStored ?? 0, size: pack.size });
      try {
        await downloadPack(db, server, pack, {
          signal: deps.signal,
          now,
          onProgress: (record) => setPackActivity(tour.id, { phase: 'downloading', bytes: record.bytesStored, size: pack.size }),
        });
        report.downloaded.push(tour.id);
      } catch (error) {
        if (error instanceof PackVerificationError) {
          report.corrupt.push(tour.id);
          await notify(db, tour, tour.id, pack.size, 'corrupt', now());
        } else if (isQuotaError(error)) {
          await refuseForSpace(db, pack, tour, report, now());
        } else if (!(error instanceof PackChangedError) && !(error instanceof PackGoneError)) {
          throw error;
        }
      }
    } catch (error) {
      // the network went away (or the server failed): the rest waits for the next round
      report.error = error instanceof Error ? error.message : String(error);
      setPackActivity(tour.id, { phase: 'failed', message: report.error });
      break;
    } finally {
      if (report.error === null) setPackActivity(tour.id, null);
    }
  }
  return report;
}

async function refuseForSpace(db: GuanmoDb, pack: TilePack, tour: Tour, report: PackSyncReport, at: Date): Promise<void> {
  // remember the pack (and its size) so the tour's map can say what did not fit
  if (!(await db.tilePacks.get(pack.sha256))) await beginPack(db, pack, at);
  await markNoSpace(db, pack.sha256, at);
  report.noSpace.push(tour.id);
  await notify(db, tour, tour.id, pack.size, 'noSpace', at);
}

function notify(db: GuanmoDb, tour: Tour | undefined, tourId: string, size: number, kind: TilePackNotice['kind'], at: Date): Promise<void> {
  return addNotice(db, { at: at.toISOString(), tourId, tourName: tour?.name ?? tourId, size, kind });
}

/** The tour's current pack on the server; null when there is none (or the server has no maps API). */
async function currentPack(server: PackServer, tourId: string, signal: AbortSignal | undefined): Promise<TilePack | null> {
  const timeout = AbortSignal.timeout(15_000);
  const response = await server.fetch(apiUrl(server.baseUrl, mapApiPaths.packStatus(tourId)), {
    headers: { authorization: `Bearer ${server.token}` },
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    cache: 'no-store',
  });
  if (response.status === 404 || response.status === 403) {
    await response.body?.cancel();
    return null;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`the server answered ${response.status} for the map pack of ${tourId}`);
  }
  const parsed = tilePackStatusSchema.safeParse(await response.json());
  if (!parsed.success) throw new Error(`unexpected answer for the map pack of ${tourId}`);
  return parsed.data.pack;
}
