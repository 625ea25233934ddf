/**
 * Thumbnails of photos that arrived by pull (other users' photos): fetched soon after their
 * records, in the background, a few at a time, and kept in IndexedDB (photoPreviews, keyed by
 * the photo's sha256 like the previews this device makes on import) so that the gallery shows
 * them offline later. The original is fetched only when the photo is opened (use-photo-bytes).
 *
 * Which photos: live records with a `thumbSha256` and neither a preview nor the original bytes
 * on this device (with the original here the gallery makes its own previews). A thumbnail the
 * author has not uploaded yet (404 photo_pending) or may not be seen (403) is skipped and asked
 * for again next round. The bytes are checked against the hash before they are stored: a
 * thumbnail is shown as the photo, so it must be the one its record names.
 *
 * What must stay true:
 * - Never in the way of the sync round: a failure here is reported in the result, not thrown,
 *   except that sync was stopped (the caller's signal) or the session has expired.
 * - A preview already stored (made here, or fetched by another tab meanwhile) is never replaced.
 */
import type { PhotoMeta } from '@shared/domain/schemas';
import { sha256Hex } from '@shared/photos/sha256';
import type { GuanmoDb } from '../db/guanmo-db';
import { runLanes } from './photo-upload';
import { request, SyncError, type HttpContext } from './sync-http';

/** thumbnails fetched at once */
export const THUMBNAIL_LANES = 4;

export interface ThumbnailFetchResult {
  fetched: number;
  bytes: number;
  /** not on the server yet, not visible to this user, or not what the record names */
  skipped: number;
  /** set when fetching stopped early (the network went away): the rest is fetched next round */
  error: SyncError | null;
}

/** Photos whose thumbnail this device should fetch: one per original, oldest first. */
export async function listThumbnailsToFetch(db: GuanmoDb): Promise<Array<{ sha256: string; thumbSha256: string }>> {
  return db.transaction('r', [db.photos, db.photoPreviews, db.photoBlobs], async () => {
    const candidates = await db.photos.filter((p: PhotoMeta) => !p.deletedAt && typeof p.thumbSha256 === 'string').toArray();
    if (candidates.length === 0) return [];
    const shas = [...new Set(candidates.map((p) => p.sha256))];
    const [previews, originals] = await Promise.all([
      db.photoPreviews.where(':id').anyOf(shas).primaryKeys(),
      db.photoBlobs.where(':id').anyOf(shas).primaryKeys(),
    ]);
    const isHere = new Set<string>([...previews, ...originals]);
    const wanted = new Map<string, { sha256: string; thumbSha256: string; createdAt: string }>();
    for (const photo of candidates) {
      if (isHere.has(photo.sha256) || wanted.has(photo.sha256)) continue;
      wanted.set(photo.sha256, { sha256: photo.sha256, thumbSha256: photo.thumbSha256!, createdAt: photo.createdAt });
    }
    return [...wanted.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(({ sha256, thumbSha256 }) => ({ sha256, thumbSha256 }));
  });
}

async function digestHex(bytes: ArrayBuffer): Promise<string> {
  // crypto.subtle exists only in secure contexts; an office browser on plain http has none
  if (globalThis.crypto?.subtle) {
    const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes);
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }
  return sha256Hex(new Uint8Array(bytes));
}

/** Fetches the missing thumbnails of synced photos, `lanes` at once. */
export async function fetchMissingThumbnails(db: GuanmoDb, http: HttpContext, lanes = THUMBNAIL_LANES): Promise<ThumbnailFetchResult> {
  const result: ThumbnailFetchResult = { fetched: 0, bytes: 0, skipped: 0, error: null };
  const todo = await listThumbnailsToFetch(db);
  try {
    await runLanes(todo, lanes, async ({ sha256, thumbSha256 }) => {
      const response = await request(http, 'GET', `/api/blobs/${thumbSha256}`, { okStatuses: [403, 404] });
      if (!response.ok) {
        await response.body?.cancel();
        result.skipped++;
        return;
      }
      const bytes = await response.arrayBuffer();
      if ((await digestHex(bytes)) !== thumbSha256) {
        console.warn(`sync: the thumbnail of photo ${sha256} does not match its hash; not stored`);
        result.skipped++;
        return;
      }
      const thumb = new Blob([bytes], { type: 'image/jpeg' });
      const isStored = await db.transaction('rw', db.photoPreviews, async () => {
        if ((await db.photoPreviews.where(':id').equals(sha256).count()) > 0) return false;
        await db.photoPreviews.add({ sha256, thumb, display: null, thumbSha256 });
        return true;
      });
      if (isStored) {
        result.fetched++;
        result.bytes += bytes.byteLength;
      }
    });
  } catch (error) {
    if (!(error instanceof SyncError)) throw error;
    if (error.kind === 'signedOut' || http.signal?.aborted) throw error;
    result.error = error;
  }
  return result;
}
