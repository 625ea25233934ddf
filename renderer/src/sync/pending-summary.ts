/**
 * What waits to sync, counted the way a person counts it: distinct records per kind (a score
 * sheet typed field by field is ONE sheet, not one outbox entry per keystroke), photos as photos
 * (a photo whose record and bytes both wait counts once). The outbox itself keeps every edit:
 * this only reads it.
 */
import type { SyncedCollection } from '../db/entities';
import type { GuanmoDb } from '../db/guanmo-db';

/** The kinds in the order they are named: the field's work first, then the desk's. */
export const pendingKinds = ['sheets', 'ballots', 'notes', 'photos', 'tours', 'stops', 'units', 'scorers'] as const satisfies readonly SyncedCollection[];
export type PendingKind = (typeof pendingKinds)[number];

export interface PendingSummary {
  /** distinct records (photos: distinct photos) waiting, per kind */
  counts: Readonly<Record<PendingKind, number>>;
  /** photo originals not yet confirmed by the server (a part of counts.photos) */
  photoBytes: { count: number; bytes: number };
  /** the sum of counts: 0 when nothing waits */
  total: number;
}

export async function readPendingSummary(db: GuanmoDb): Promise<PendingSummary> {
  return db.transaction('r', [db.outbox, db.photoBlobs, db.photos], async () => {
    // one key per (collection, record), however many edits the record has (an index-only walk)
    const keys = (await db.outbox.orderBy('[collection+recordId]').uniqueKeys()) as unknown as [SyncedCollection, string][];
    const counts: Record<PendingKind, number> = { sheets: 0, ballots: 0, notes: 0, photos: 0, tours: 0, stops: 0, units: 0, scorers: 0 };
    const photoIds = new Set<string>();
    for (const [collection, recordId] of keys) {
      if (collection === 'photos') photoIds.add(recordId);
      else counts[collection]++;
    }
    let bytes = 0;
    const pendingShas: string[] = [];
    await db.photoBlobs
      .where('uploadState')
      .equals('pending')
      .each((blob) => {
        pendingShas.push(blob.sha256);
        bytes += blob.blob.size;
      });
    if (pendingShas.length > 0) {
      const photos = await db.photos.where('sha256').anyOf(pendingShas).toArray();
      const withRecord = new Set<string>();
      for (const photo of photos) {
        photoIds.add(photo.id);
        withRecord.add(photo.sha256);
      }
      // bytes whose photo record is gone (deleted here) still have to be uploaded: a photo each
      counts.photos = photoIds.size + pendingShas.filter((sha) => !withRecord.has(sha)).length;
    } else {
      counts.photos = photoIds.size;
    }
    const total = pendingKinds.reduce((sum, kind) => sum + counts[kind], 0);
    return { counts, photoBytes: { count: pendingShas.length, bytes }, total };
  });
}
