import { useLiveQuery } from 'dexie-react-hooks';
import type { Note, PhotoMeta } from '@shared/domain/schemas';
import { useDb } from '../../../db/db-context';
import type { GuanmoDb } from '../../../db/guanmo-db';

export interface BulletinMedia {
  /** stop id → its notes (live ones; the page groups them by kind) */
  notes: Map<string, Note[]>;
  /** stop id → cover photo meta */
  covers: Map<string, PhotoMeta>;
  /** stop id → the cover's image (display preview, else thumb, else the original bytes) */
  coverBlobs: Map<string, Blob>;
}

/** The cover of a stop: the photo marked as cover, else the first taken. */
export function pickCover(photos: readonly PhotoMeta[]): PhotoMeta | null {
  const live = photos.filter((p) => !p.deletedAt);
  const sorted = [...live].sort((a, b) => (a.takenAt ?? a.createdAt).localeCompare(b.takenAt ?? b.createdAt) || a.id.localeCompare(b.id));
  return sorted.find((p) => p.isCover) ?? sorted[0] ?? null;
}

export async function loadBulletinMedia(db: GuanmoDb, tourId: string): Promise<BulletinMedia> {
  return db.transaction('r', [db.notes, db.photos, db.photoPreviews, db.photoBlobs], async () => {
    const [notes, photos] = await Promise.all([db.notes.where('tourId').equals(tourId).toArray(), db.photos.where('tourId').equals(tourId).toArray()]);
    const notesByStop = new Map<string, Note[]>();
    for (const n of notes) {
      if (n.deletedAt) continue;
      notesByStop.set(n.stopId, [...(notesByStop.get(n.stopId) ?? []), n]);
    }
    const photosByStop = new Map<string, PhotoMeta[]>();
    for (const p of photos) photosByStop.set(p.stopId, [...(photosByStop.get(p.stopId) ?? []), p]);
    const covers = new Map<string, PhotoMeta>();
    for (const [stopId, list] of photosByStop) {
      const cover = pickCover(list);
      if (cover) covers.set(stopId, cover);
    }
    const coverBlobs = new Map<string, Blob>();
    for (const [stopId, cover] of covers) {
      const preview = await db.photoPreviews.get(cover.sha256);
      const blob = preview?.display ?? preview?.thumb ?? (await db.photoBlobs.get(cover.sha256))?.blob;
      if (blob) coverBlobs.set(stopId, blob);
    }
    return { notes: notesByStop, covers, coverBlobs };
  });
}

export function useBulletinMedia(tourId: string): BulletinMedia | undefined {
  const db = useDb();
  return useLiveQuery(() => loadBulletinMedia(db, tourId), [db, tourId]);
}
