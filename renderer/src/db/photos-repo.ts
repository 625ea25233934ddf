/**
 * Photos of a stop: metadata (`photos`, synced), original bytes (`photoBlobs`, by sha256) and
 * thumbnails (`photoPreviews`, by sha256, local only).
 *
 * What must stay true:
 * - A photo is all or nothing: its record, its outbox entry, its bytes and its previews are
 *   written in ONE `rw` transaction. A failure (quota, crash, bad record) leaves no record
 *   without bytes and no bytes without a record from that import, and leaves everything
 *   saved before untouched.
 * - Bytes are stored once per sha256, however many photos (or stops) use them.
 * - A deleted photo stays as a tombstone record (`deletedAt`), like notes. Its bytes go when no
 *   live photo uses them AND the server has confirmed them (`uploadState`), so bytes the
 *   server may still be waiting for are never lost. Previews go with the last live photo.
 */
import { photoMetaSchema, type PhotoMeta } from '@shared/domain/schemas';
import { newId } from '../lib/new-id';
import type { PhotoBlob, PhotoPreview } from './entities';
import type { GuanmoDb } from './guanmo-db';
import { appendToOutbox, outboxTables } from './outbox';

/** What an import hands over: the record's fields, the original bytes and the previews made from them. */
export interface NewPhoto {
  id?: string;
  tourId: string;
  stopId: string;
  authorId: string;
  sha256: string;
  size: number;
  mime: PhotoMeta['mime'];
  width: number;
  height: number;
  takenAt: string | null;
  lat: number | null;
  lng: number | null;
  caption?: string;
  original: Blob;
  thumb: Blob;
  /** sha256 of `thumb`'s bytes: the thumbnail syncs as its own blob (omitted: it does not sync) */
  thumbSha256?: string | null;
  display: Blob | null;
}

export type AddPhotoResult =
  | { readonly status: 'added'; readonly photo: PhotoMeta }
  /** the same bytes are already a live photo of this stop: nothing written */
  | { readonly status: 'duplicate'; readonly photo: PhotoMeta };

const photoFields = Object.keys(photoMetaSchema.shape) as (keyof PhotoMeta & string)[];

/** Adds one photo: record + outbox entry + bytes (unless stored already) + previews, atomically. */
export async function addPhoto(db: GuanmoDb, input: NewPhoto, now: Date = new Date()): Promise<AddPhotoResult> {
  const { original, thumb, display, ...fields } = input;
  if (original.size !== input.size) throw new Error(`photo ${input.sha256}: ${original.size} bytes given, ${input.size} declared`);
  // validated before the transaction: an invalid record never opens one
  const photo = photoMetaSchema.parse({ ...fields, id: input.id ?? newId(), caption: input.caption ?? '', isCover: false, createdAt: now.toISOString(), deletedAt: null });

  return db.transaction('rw', [db.photos, db.photoBlobs, db.photoPreviews, ...outboxTables(db)], async (): Promise<AddPhotoResult> => {
    const sameBytes = await db.photos.where('sha256').equals(photo.sha256).toArray();
    const existing = sameBytes.find((p) => p.stopId === photo.stopId && !p.deletedAt);
    if (existing) return { status: 'duplicate', photo: existing };

    if ((await db.photoBlobs.where(':id').equals(photo.sha256).count()) === 0) {
      await db.photoBlobs.add({ sha256: photo.sha256, blob: original, uploadState: 'pending' });
    }
    let added = photo;
    const preview = await db.photoPreviews.get(photo.sha256);
    if (preview) {
      // one thumbnail per original: a photo of bytes already here names the stored thumbnail
      // (the only one this device can upload), or none when that one predates synced thumbnails
      added = { ...photo, thumbSha256: preview.thumbSha256 ?? null };
    } else {
      await db.photoPreviews.add({ sha256: photo.sha256, thumb, display, ...(photo.thumbSha256 ? { thumbSha256: photo.thumbSha256 } : {}) });
    }
    await db.photos.add(added);
    await appendToOutbox(db, { collection: 'photos', recordId: added.id, changedFields: photoFields });
    return { status: 'added', photo: added };
  });
}

/** The live photos of a stop, in the order they were taken (then added). */
export async function listStopPhotos(db: GuanmoDb, stopId: string): Promise<PhotoMeta[]> {
  const photos = await db.photos.where('stopId').equals(stopId).filter((p) => !p.deletedAt).toArray();
  return photos.sort(byTakenThenAdded);
}

/** The live photos of a tour (e.g. neighbours in time when matching imported photos to stops). */
export async function listTourPhotos(db: GuanmoDb, tourId: string): Promise<PhotoMeta[]> {
  const photos = await db.photos.where('tourId').equals(tourId).filter((p) => !p.deletedAt).toArray();
  return photos.sort(byTakenThenAdded);
}

export async function getPhoto(db: GuanmoDb, photoId: string): Promise<PhotoMeta | null> {
  const photo = await db.photos.get(photoId);
  return photo && !photo.deletedAt ? photo : null;
}

/** Previews by sha256; a photo whose bytes have not reached this device has none. */
export async function getPreviews(db: GuanmoDb, sha256s: readonly string[]): Promise<Map<string, PhotoPreview>> {
  const unique = [...new Set(sha256s)];
  const previews = await db.photoPreviews.bulkGet(unique);
  const bySha = new Map<string, PhotoPreview>();
  for (const preview of previews) if (preview) bySha.set(preview.sha256, preview);
  return bySha;
}

export async function getOriginal(db: GuanmoDb, sha256: string): Promise<PhotoBlob | null> {
  return (await db.photoBlobs.get(sha256)) ?? null;
}

export async function setCaption(db: GuanmoDb, photoId: string, caption: string): Promise<PhotoMeta> {
  return updateLivePhoto(db, photoId, (photo) => ({ ...photo, caption: caption.trim() }), ['caption']);
}

/**
 * Makes a photo the cover of its stop (one cover per stop: the previous one is unset, with its
 * own outbox entry), or unsets it when `isCover` is false.
 */
export async function setCover(db: GuanmoDb, photoId: string, isCover = true): Promise<PhotoMeta> {
  return db.transaction('rw', [db.photos, ...outboxTables(db)], async () => {
    const photo = await requireLivePhoto(db, photoId);
    if (isCover) {
      const others = await db.photos
        .where('stopId')
        .equals(photo.stopId)
        .filter((p) => p.isCover && p.id !== photoId)
        .toArray();
      for (const other of others) await writeChange(db, { ...other, isCover: false }, ['isCover']);
    }
    if (photo.isCover === isCover) return photo;
    return writeChange(db, { ...photo, isCover }, ['isCover']);
  });
}

/**
 * Deletes a photo: the record becomes a tombstone (with its outbox entry); previews and bytes
 * no live photo uses any more are removed, bytes only once the server has confirmed them.
 * Returns false when there was no live photo with that id.
 */
export async function deletePhoto(db: GuanmoDb, photoId: string, now: Date = new Date()): Promise<boolean> {
  return db.transaction('rw', [db.photos, db.photoBlobs, db.photoPreviews, ...outboxTables(db)], async () => {
    const photo = await getPhoto(db, photoId);
    if (!photo) return false;
    await writeChange(db, { ...photo, isCover: false, deletedAt: now.toISOString() }, photo.isCover ? ['deletedAt', 'isCover'] : ['deletedAt']);
    await dropUnusedBytes(db, photo.sha256);
    return true;
  });
}

/**
 * Photo sync calls this once the server has confirmed it holds these bytes. If no live photo
 * uses them any more, they are removed now. Several at once go in one transaction (one commit).
 */
export async function markBytesConfirmed(db: GuanmoDb, ...sha256s: readonly string[]): Promise<void> {
  await db.transaction('rw', [db.photos, db.photoBlobs, db.photoPreviews], async () => {
    for (const sha256 of sha256s) {
      const updated = await db.photoBlobs.update(sha256, { uploadState: 'confirmed' });
      if (updated) await dropUnusedBytes(db, sha256);
    }
  });
}

/** Sha256s of bytes the server has not confirmed yet (what photo sync must upload). */
export function listPendingBytes(db: GuanmoDb): Promise<string[]> {
  return db.photoBlobs.where('uploadState').equals('pending').primaryKeys();
}

async function dropUnusedBytes(db: GuanmoDb, sha256: string): Promise<void> {
  const isUsed = (await db.photos.where('sha256').equals(sha256).filter((p) => !p.deletedAt).count()) > 0;
  if (isUsed) return;
  await db.photoPreviews.delete(sha256);
  const blob = await db.photoBlobs.get(sha256);
  if (blob?.uploadState === 'confirmed') await db.photoBlobs.delete(sha256);
}

async function updateLivePhoto(db: GuanmoDb, photoId: string, change: (photo: PhotoMeta) => PhotoMeta, fields: (keyof PhotoMeta & string)[]): Promise<PhotoMeta> {
  return db.transaction('rw', [db.photos, ...outboxTables(db)], async () => writeChange(db, change(await requireLivePhoto(db, photoId)), fields));
}

async function requireLivePhoto(db: GuanmoDb, photoId: string): Promise<PhotoMeta> {
  const photo = await getPhoto(db, photoId);
  if (!photo) throw new Error(`no photo ${photoId} (deleted, or never on this device)`);
  return photo;
}

/** Validates and writes a changed photo with its outbox entry; runs in the caller's transaction. */
async function writeChange(db: GuanmoDb, photo: PhotoMeta, fields: (keyof PhotoMeta & string)[]): Promise<PhotoMeta> {
  const parsed = photoMetaSchema.parse(photo);
  await db.photos.put(parsed);
  await appendToOutbox(db, { collection: 'photos', recordId: parsed.id, changedFields: fields });
  return parsed;
}

function byTakenThenAdded(a: PhotoMeta, b: PhotoMeta): number {
  const ta = a.takenAt ?? a.createdAt;
  const tb = b.takenAt ?? b.createdAt;
  return ta.localeCompare(tb) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}
