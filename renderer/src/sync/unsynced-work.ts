/**
 * Everything this device has not synced yet, read in one transaction: the outbox entries, the
 * current local state of each record they name, the photo bytes the server has not confirmed
 * (with their thumbnails), and the names of the tours concerned. The `.guanmo` export
 * (features/carry) carries it; the report to the desk (device-status-report.ts) counts it.
 */
import type { OutboxEntry, PhotoPreview, SyncedCollection } from '../db/entities';
import { syncedCollections } from '../db/entities';
import type { GuanmoDb } from '../db/guanmo-db';
import { syncRecordsTable } from './sync-tables';

/** Pending work of one tour, counted as a person counts it (a sheet typed field by field is one sheet). */
export interface TourWork {
  tourId: string;
  sheets: number;
  ballots: number;
  notes: number;
  photos: number;
  other: number;
}

export interface PendingKey {
  collection: SyncedCollection;
  recordId: string;
  tourId: string | null;
}

export interface PendingBytes {
  sha256: string;
  photoId: string | null;
  tourId: string | null;
}

/** Distinct records per tour and kind, photos once whether their record, bytes or both wait. */
export function countWorkByTour(records: readonly PendingKey[], bytes: readonly PendingBytes[]): TourWork[] {
  const byTour = new Map<string, TourWork>();
  const of = (tourId: string) => {
    let work = byTour.get(tourId);
    if (!work) byTour.set(tourId, (work = { tourId, sheets: 0, ballots: 0, notes: 0, photos: 0, other: 0 }));
    return work;
  };
  const seen = new Set<string>();
  const photoSeen = new Set<string>();
  for (const { collection, recordId, tourId } of records) {
    const key = `${collection}\u0000${recordId}`;
    if (seen.has(key) || tourId === null) continue;
    seen.add(key);
    const work = of(tourId);
    if (collection === 'photos') {
      photoSeen.add(recordId);
      work.photos++;
    } else if (collection === 'sheets' || collection === 'ballots' || collection === 'notes') work[collection]++;
    else work.other++;
  }
  for (const { sha256, photoId, tourId } of bytes) {
    if (tourId === null) continue;
    const key = photoId ?? `sha:${sha256}`;
    if (photoSeen.has(key)) continue;
    photoSeen.add(key);
    of(tourId).photos++;
  }
  return [...byTour.values()];
}

export interface UnsyncedRecord {
  collection: SyncedCollection;
  id: string;
  tourId: string | null;
  /** the local record now; null: deleted here */
  record: Record<string, unknown> | null;
}

export interface UnsyncedBytes extends PendingBytes {
  blob: Blob;
}

export interface UnsyncedWork {
  entries: OutboxEntry[];
  records: UnsyncedRecord[];
  bytes: UnsyncedBytes[];
  previews: PhotoPreview[];
  tours: { id: string; name: string }[];
}

export function readUnsyncedWork(db: GuanmoDb): Promise<UnsyncedWork> {
  const tables = [db.outbox, db.photoBlobs, db.photoPreviews, syncRecordsTable(db), ...syncedCollections.map((c) => db.table(c))];
  return db.transaction('r', tables, async () => {
    const entries = await db.outbox.orderBy('seq').toArray();
    const records: UnsyncedRecord[] = [];
    const seen = new Set<string>();
    for (const entry of entries) {
      const key = `${entry.collection}\u0000${entry.recordId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const record = ((await db.table(entry.collection).get(entry.recordId)) as Record<string, unknown> | undefined) ?? null;
      const serverTourId = (await syncRecordsTable(db).get([entry.collection, entry.recordId]))?.tourId ?? null;
      const tourId = entry.collection === 'tours' ? entry.recordId : typeof record?.tourId === 'string' ? record.tourId : serverTourId;
      records.push({ collection: entry.collection, id: entry.recordId, tourId, record });
    }
    const pending = await db.photoBlobs.where('uploadState').equals('pending').toArray();
    const bytes: UnsyncedBytes[] = [];
    for (const blob of pending) {
      const photo = await db.photos.where('sha256').equals(blob.sha256).first();
      bytes.push({ sha256: blob.sha256, blob: blob.blob, photoId: photo?.id ?? null, tourId: photo?.tourId ?? null });
    }
    const previews = (await db.photoPreviews.bulkGet(pending.map((b) => b.sha256))).filter((p): p is PhotoPreview => p !== undefined);
    const tourIds = [...new Set([...records.map((r) => r.tourId), ...bytes.map((b) => b.tourId)].filter((id): id is string => id !== null))];
    const tours = (await db.tours.bulkGet(tourIds)).flatMap((t, i) => [{ id: tourIds[i]!, name: t?.name ?? tourIds[i]! }]);
    return { entries, records, bytes, previews, tours };
  });
}

/** The newest HLC among outbox entries (formatted HLCs sort by time), null when there is none. */
export function newestHlc(entries: readonly Pick<OutboxEntry, 'hlc'>[]): string | null {
  let newest: string | null = null;
  for (const { hlc } of entries) if (hlc !== null && (newest === null || hlc > newest)) newest = hlc;
  return newest;
}
