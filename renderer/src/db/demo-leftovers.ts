/**
 * Clearing demo leftovers on a real server: a browser or laptop that once ran the demo (an older
 * release seeded it on every first start, or it synced with a demo server) still holds demo tours,
 * their people and whatever was typed into them. On a server that does not run the demo those
 * must go: a county head could otherwise score a demo tour by mistake.
 *
 * What must stay true:
 * - Nothing that never reached a server is dropped silently. A demo tour with unsynced work (an
 *   outbox entry for any of its records, photo bytes not yet uploaded, a change the server
 *   refused) is kept whole, reported, and keeps its 演示 mark in every list; its outbox entries
 *   stay where they are (a real server refuses them, and the sync page offers to discard them).
 * - Everything is decided and deleted in ONE `rw` transaction, so work saved in another tab at
 *   the same moment either counts (the tour is kept) or did not exist yet.
 * - Demo records only: the tours of the bundled demo manifest (fixed ids) and their records.
 */
import Dexie from 'dexie';
import { syncRecordsTable, syncRejectionsTable } from '../sync/sync-tables';
import { demoTourIds, isDemoUserId } from './demo-ids';
import type { DemoCleanupReport } from './entities';
import type { GuanmoDb } from './guanmo-db';
import { getMeta } from './meta-repo';

export interface DemoCleanupResult {
  removedTours: { id: string; name: string }[];
  keptTours: { id: string; name: string; pendingChanges: number }[];
  /** the device's current user was a demo person chosen in the picker, and is no longer */
  isCurrentUserCleared: boolean;
}

/** Whether any demo record is on this device (cheap: a few indexed lookups), so most starts skip the cleanup. */
export async function hasDemoLeftovers(db: GuanmoDb, tourIds: readonly string[] = demoTourIds): Promise<boolean> {
  if ((await db.tours.bulkGet([...tourIds])).some((t) => t !== undefined)) return true;
  if ((await db.scorers.where('tourId').anyOf([...tourIds]).count()) > 0) return true;
  const user = await getMeta(db, 'currentUser');
  return user !== undefined && user !== null && user.source === 'picker' && isDemoUserId(user.userId);
}

/**
 * Removes the demo tours (and every record of theirs) that hold no unsynced work, keeps the
 * others, forgets that the demo was seeded (a demo server later seeds it again) and clears a
 * demo person chosen in the picker. Writes a report for the one-time notice when anything was
 * removed or kept. `tourIds`: the demo tour ids (tests pass their own).
 */
export async function removeDemoLeftovers(db: GuanmoDb, tourIds: readonly string[] = demoTourIds, now = new Date()): Promise<DemoCleanupResult> {
  const syncRecords = syncRecordsTable(db);
  const rejections = syncRejectionsTable(db);
  const tables = [
    db.tours,
    db.units,
    db.stops,
    db.scorers,
    db.sheets,
    db.sheetDrafts,
    db.notes,
    db.photos,
    db.photoBlobs,
    db.photoPreviews,
    db.ballots,
    db.outbox,
    db.meta,
    syncRecords,
    rejections,
  ];
  return db.transaction('rw', tables, async () => {
    const pendingKeys = new Set((await db.outbox.orderBy('[collection+recordId]').uniqueKeys()).map((key) => outboxKey(key as unknown as [string, string])));
    const rejectedTourIds = new Set((await rejections.toArray()).map((r) => r.tourId));
    const pendingShas = new Set((await db.photoBlobs.where('uploadState').equals('pending').primaryKeys()) as string[]);
    const result: DemoCleanupResult = { removedTours: [], keptTours: [], isCurrentUserCleared: false };

    for (const tourId of tourIds) {
      const tour = await db.tours.get(tourId);
      const range = { lower: [tourId, Dexie.minKey], upper: [tourId, Dexie.maxKey] };
      const [units, stops, scorers, sheets, notes, photos, ballots, serverCopies] = await Promise.all([
        db.units.where('tourId').equals(tourId).primaryKeys(),
        db.stops.where('tourId').equals(tourId).primaryKeys(),
        db.scorers.where('tourId').equals(tourId).primaryKeys(),
        db.sheets.where('[tourId+stopId]').between(range.lower, range.upper).primaryKeys(),
        db.notes.where('tourId').equals(tourId).primaryKeys(),
        db.photos.where('tourId').equals(tourId).toArray(),
        db.ballots.where('tourId').equals(tourId).primaryKeys(),
        // the server's last copy of each record: also names records deleted here whose tombstone waits in the outbox
        syncRecords.where('tourId').equals(tourId).primaryKeys(),
      ]);
      const recordKeys = [
        outboxKey(['tours', tourId]),
        ...units.map((id) => outboxKey(['units', id])),
        ...stops.map((id) => outboxKey(['stops', id])),
        ...scorers.map((id) => outboxKey(['scorers', id])),
        ...sheets.map((id) => outboxKey(['sheets', id])),
        ...notes.map((id) => outboxKey(['notes', id])),
        ...photos.map((p) => outboxKey(['photos', p.id])),
        ...ballots.map((id) => outboxKey(['ballots', id])),
        ...serverCopies.map((key) => outboxKey(key as unknown as [string, string])),
      ];
      // recordKeys[0] is the tour's own key: only that one means nothing of this demo tour is here
      if (!tour && recordKeys.length === 1) continue;

      // records with an outbox entry, and photos whose bytes alone wait for upload
      const pendingRecords = new Set(recordKeys.filter((key) => pendingKeys.has(key))).size;
      const bytesOnly = photos.filter((p) => pendingShas.has(p.sha256) && !pendingKeys.has(outboxKey(['photos', p.id]))).length;
      const name = tour?.name ?? tourId;
      if (pendingRecords + bytesOnly > 0 || rejectedTourIds.has(tourId)) {
        result.keptTours.push({ id: tourId, name, pendingChanges: pendingRecords + bytesOnly });
        continue;
      }

      await db.tours.delete(tourId);
      await db.units.bulkDelete(units);
      await db.stops.bulkDelete(stops);
      await db.scorers.bulkDelete(scorers);
      await db.sheets.bulkDelete(sheets);
      await db.sheetDrafts.where('[tourId+scorerId]').between(range.lower, range.upper).delete();
      await db.notes.bulkDelete(notes);
      await db.photos.bulkDelete(photos.map((p) => p.id));
      await db.ballots.bulkDelete(ballots);
      await syncRecords.bulkDelete(serverCopies);
      await removeUnreferencedPhotoBytes(db, photos);
      result.removedTours.push({ id: tourId, name });
    }

    // a demo server later seeds the demo again (seedDemo only adds tours that are missing)
    await db.meta.bulkDelete(['demoSeeded', 'demoSeedVersion']);
    const user = await getMeta(db, 'currentUser');
    if (user && user.source === 'picker' && isDemoUserId(user.userId)) {
      await db.meta.put({ key: 'currentUser', value: null });
      result.isCurrentUserCleared = true;
    }
    if (result.removedTours.length > 0 || result.keptTours.length > 0) {
      const report: DemoCleanupReport = { at: now.toISOString(), removedTours: result.removedTours, keptTours: result.keptTours, isAcknowledged: false };
      await db.meta.put({ key: 'demoCleanup', value: report });
    }
    return result;
  });
}

/**
 * Photo bytes and previews of removed photos that no remaining photo refers to (bytes are
 * addressed by content: another tour may hold the same picture). Only confirmed bytes reach
 * here: a tour with pending bytes is kept.
 */
async function removeUnreferencedPhotoBytes(db: GuanmoDb, removed: readonly { sha256: string }[]): Promise<void> {
  const shas = [...new Set(removed.map((p) => p.sha256))];
  if (shas.length === 0) return;
  const stillUsed = new Set((await db.photos.where('sha256').anyOf(shas).toArray()).map((p) => p.sha256));
  const unused = shas.filter((sha) => !stillUsed.has(sha));
  const blobs = await db.photoBlobs.bulkGet(unused);
  await db.photoBlobs.bulkDelete(unused.filter((sha, i) => blobs[i]?.uploadState !== 'pending'));
  await db.photoPreviews.bulkDelete(unused);
}

/** Marks the one-time notice as read. */
export async function acknowledgeDemoCleanup(db: GuanmoDb): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const report = await getMeta(db, 'demoCleanup');
    if (report && !report.isAcknowledged) await db.meta.put({ key: 'demoCleanup', value: { ...report, isAcknowledged: true } });
  });
}

function outboxKey([collection, recordId]: readonly [string, string]): string {
  return `${collection}\u0000${recordId}`;
}
