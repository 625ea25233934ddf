import type { GuanmoDb } from './guanmo-db';
import { countNotesByStop } from './notes-repo';
import { listStopSheetStates, type StopSheetState } from './sheets-repo';

/** What the itinerary shows for one stop: the user's sheet state and the photos and notes taken there. */
export interface StopStatus {
  sheet: StopSheetState;
  photos: number;
  notes: number;
}

/** Photos per stop of a tour (reads only the small metadata records, never the bytes). */
export async function countPhotosByStop(db: GuanmoDb, tourId: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  await db.photos
    .where('tourId')
    .equals(tourId)
    .each((photo) => {
      // a photo kept as a tombstone (if photo deletes ever keep one) does not count
      if ((photo as { deletedAt?: unknown }).deletedAt) return;
      counts.set(photo.stopId, (counts.get(photo.stopId) ?? 0) + 1);
    });
  return counts;
}

/** Status of every stop of a tour for one user (stop id → status), read in one transaction. */
export function listStopStatuses(db: GuanmoDb, tourId: string, userId: string): Promise<Map<string, StopStatus>> {
  return db.transaction('r', [db.tours, db.stops, db.scorers, db.sheets, db.sheetDrafts, db.notes, db.photos], async () => {
    const sheetStates = await listStopSheetStates(db, tourId, userId);
    const notes = await countNotesByStop(db, tourId);
    const photos = await countPhotosByStop(db, tourId);
    const statuses = new Map<string, StopStatus>();
    for (const [stopId, sheet] of sheetStates) statuses.set(stopId, { sheet, photos: photos.get(stopId) ?? 0, notes: notes.get(stopId) ?? 0 });
    return statuses;
  });
}
