import { useLiveQuery } from 'dexie-react-hooks';
import type { PhotoMeta, Stop } from '@shared/domain/schemas';
import { useDb } from '../../db/db-context';
import { getPreviews, listStopPhotos } from '../../db/photos-repo';

export interface StopGallery {
  stop: Stop | null;
  /** live photos, in the order taken */
  photos: PhotoMeta[];
  /** thumbnail per sha256; a photo whose bytes are not on this device has none */
  thumbs: ReadonlyMap<string, Blob>;
}

/**
 * A stop's photos with their thumbnails, in one read transaction and one live query: the
 * gallery renders complete in one pass, and re-renders when a photo is added, changed or
 * deleted (here or in another tab). Reads only metadata and thumbnails, never originals.
 */
export function useStopGallery(tourId: string, stopId: string): StopGallery | undefined {
  const db = useDb();
  return useLiveQuery(
    () =>
      db.transaction('r', [db.stops, db.photos, db.photoPreviews], async () => {
        const stop = (await db.stops.get(stopId)) ?? null;
        const photos = await listStopPhotos(db, stopId);
        const previews = await getPreviews(
          db,
          photos.map((p) => p.sha256),
        );
        const thumbs = new Map<string, Blob>();
        for (const [sha, preview] of previews) thumbs.set(sha, preview.thumb);
        return { stop: stop && stop.tourId === tourId ? stop : null, photos, thumbs };
      }),
    [db, tourId, stopId],
  );
}
