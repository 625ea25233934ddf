/**
 * Thumbnails for photos whose bytes are on this device but whose previews are not: bytes that
 * arrived by sync (downloaded from the server) or were stored before previews existed. The
 * gallery asks for them; they are made by the photo workers like on import and stored as local,
 * derived data (no outbox entry). Photos whose bytes are not here are left alone.
 */
import type { PhotoMeta } from '@shared/domain/schemas';
import type { GuanmoDb } from '../../db/guanmo-db';
import type { PhotoProcessor } from './import-photos';
import { displayLongSide } from './preview-sizes';

const inProgress = new Set<string>();

/** Makes the missing previews of these photos' bytes; resolves how many were made. */
export async function makeMissingPreviews(db: GuanmoDb, processor: PhotoProcessor, sha256s: readonly string[]): Promise<number> {
  const wanted = [...new Set(sha256s)].filter((sha) => !inProgress.has(sha));
  if (wanted.length === 0) return 0;
  const [previews, local] = await db.transaction('r', [db.photoPreviews, db.photoBlobs], async () => [
    new Set(await db.photoPreviews.where(':id').anyOf(wanted).primaryKeys()),
    new Set(await db.photoBlobs.where(':id').anyOf(wanted).primaryKeys()),
  ]);
  const todo = wanted.filter((sha) => !previews.has(sha) && local.has(sha));
  for (const sha of todo) inProgress.add(sha);
  let made = 0;
  try {
    for (const sha of todo) {
      const stored = await db.photoBlobs.get(sha);
      if (!stored) continue;
      const result = await processor.process(stored.blob).catch(() => null);
      // bytes that do not decode (or are not what their hash says) get no preview: the gallery
      // keeps showing the placeholder rather than a wrong picture
      if (!result?.ok || result.photo.sha256 !== sha) continue;
      const { thumb, display } = result.photo;
      await db.transaction('rw', db.photoPreviews, async () => {
        if ((await db.photoPreviews.where(':id').equals(sha).count()) === 0) await db.photoPreviews.add({ sha256: sha, thumb, display });
      });
      made++;
    }
  } finally {
    for (const sha of todo) inProgress.delete(sha);
  }
  return made;
}

/**
 * The display-sized copy of another user's photo whose original has just been downloaded (the
 * viewer asked for it): its preview so far is the thumbnail fetched by sync, without one. Made
 * by the photo workers like on import and added to that preview (the thumbnail, the one its
 * record names, stays), so that the viewer and the bulletin need not decode the original again.
 * Resolves whether one was made.
 */
export async function makeMissingDisplay(db: GuanmoDb, processor: PhotoProcessor, photo: Pick<PhotoMeta, 'sha256' | 'width' | 'height'>): Promise<boolean> {
  const { sha256 } = photo;
  if (Math.max(photo.width, photo.height) <= displayLongSide || inProgress.has(sha256)) return false;
  const [preview, stored] = await db.transaction('r', [db.photoPreviews, db.photoBlobs], () => Promise.all([db.photoPreviews.get(sha256), db.photoBlobs.get(sha256)]));
  if (!preview || preview.display || !stored) return false;
  inProgress.add(sha256);
  try {
    const result = await processor.process(stored.blob).catch(() => null);
    if (!result?.ok || result.photo.sha256 !== sha256 || !result.photo.display) return false;
    const { display } = result.photo;
    return await db.transaction('rw', db.photoPreviews, async () => {
      const current = await db.photoPreviews.get(sha256);
      if (!current || current.display) return false;
      await db.photoPreviews.update(sha256, { display });
      return true;
    });
  } finally {
    inProgress.delete(sha256);
  }
}
