import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, useState } from 'react';
import type { Note, PhotoMeta } from '@shared/domain/schemas';
import { useDb } from '../../../db/db-context';
import type { GuanmoDb } from '../../../db/guanmo-db';
import { downloadPhotoBytes } from '../../../sync/use-photo-bytes';

/**
 * Which image a cover is printed from, best first: the original bytes, the display copy
 * (1600 px), and only as a last resort the thumbnail (320 px, blurry on paper).
 */
export type CoverQuality = 'original' | 'display' | 'thumb';

export interface CoverImage {
  blob: Blob;
  quality: CoverQuality;
}

export interface BulletinMedia {
  /** stop id → its notes (live ones; the page groups them by kind) */
  notes: Map<string, Note[]>;
  /** stop id → cover photo meta */
  covers: Map<string, PhotoMeta>;
  /** stop id → the cover's best local image (see CoverQuality) */
  coverBlobs: Map<string, Blob>;
  /** stop id → what its cover image is; 'thumb' is shown on screen (never printed) as a warning */
  coverQuality: Map<string, CoverQuality>;
  /** stop ids whose cover original is being downloaded right now */
  coverDownloading: Set<string>;
}

type LocalBulletinMedia = Omit<BulletinMedia, 'coverDownloading'>;

/** The cover of a stop: the photo marked as cover, else the first taken. */
export function pickCover(photos: readonly PhotoMeta[]): PhotoMeta | null {
  const live = photos.filter((p) => !p.deletedAt);
  const sorted = [...live].sort((a, b) => (a.takenAt ?? a.createdAt).localeCompare(b.takenAt ?? b.createdAt) || a.id.localeCompare(b.id));
  return sorted.find((p) => p.isCover) ?? sorted[0] ?? null;
}

export async function loadBulletinMedia(db: GuanmoDb, tourId: string): Promise<LocalBulletinMedia> {
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
    const coverQuality = new Map<string, CoverQuality>();
    for (const [stopId, cover] of covers) {
      const image = await bestLocalCoverImage(db, cover.sha256);
      if (!image) continue;
      coverBlobs.set(stopId, image.blob);
      coverQuality.set(stopId, image.quality);
    }
    return { notes: notesByStop, covers, coverBlobs, coverQuality };
  });
}

/** The best image of a photo on this device: original, else display copy, else thumbnail. */
export async function bestLocalCoverImage(db: GuanmoDb, sha256: string): Promise<CoverImage | null> {
  const original = (await db.photoBlobs.get(sha256))?.blob;
  if (original) return { blob: original, quality: 'original' };
  const preview = await db.photoPreviews.get(sha256);
  if (preview?.display) return { blob: preview.display, quality: 'display' };
  if (preview?.thumb) return { blob: preview.thumb, quality: 'thumb' };
  return null;
}

/** Covers with neither the original nor a display copy here: their original is worth fetching. */
export function coversToFetch(media: LocalBulletinMedia): Map<string, string[]> {
  const stopsBySha = new Map<string, string[]>();
  for (const [stopId, cover] of media.covers) {
    const quality = media.coverQuality.get(stopId);
    if (quality === 'original' || quality === 'display') continue;
    stopsBySha.set(cover.sha256, [...(stopsBySha.get(cover.sha256) ?? []), stopId]);
  }
  return stopsBySha;
}

/** originals downloaded at once (a tour has a few dozen covers of a few MB each) */
const downloadLanes = 3;

export type DownloadOriginal = (db: GuanmoDb, sha256: string) => Promise<string>;

/**
 * Downloads the originals of `sha256s` into photoBlobs (where the live query picks them up),
 * a few at a time. Failures are left alone: the cover then stays the thumbnail, marked on screen.
 * Calls `onSettled` after each one, whatever its outcome.
 */
export async function fetchCoverOriginals(
  db: GuanmoDb,
  sha256s: readonly string[],
  onSettled: (sha256: string) => void = () => {},
  download: DownloadOriginal = downloadPhotoBytes,
): Promise<void> {
  const queue = [...sha256s];
  const lane = async () => {
    for (let sha = queue.shift(); sha !== undefined; sha = queue.shift()) {
      try {
        await download(db, sha);
      } catch {
        // offline or refused: the thumbnail stays (and says so)
      }
      onSettled(sha);
    }
  };
  await Promise.all(Array.from({ length: Math.min(downloadLanes, queue.length) }, lane));
}

/**
 * The bulletin's notes and cover images, live. Covers that only have a thumbnail here get their
 * original downloaded from the server (once per photo while the page is open; again when the
 * connection comes back) so that the print is sharp.
 */
export function useBulletinMedia(tourId: string, download: DownloadOriginal = downloadPhotoBytes): BulletinMedia | undefined {
  const db = useDb();
  const local = useLiveQuery(() => loadBulletinMedia(db, tourId), [db, tourId]);
  const [downloading, setDownloading] = useState<ReadonlySet<string>>(new Set());
  /** photos tried already (each download is attempted once, plus once per reconnection) */
  const [tried] = useState(() => new Set<string>());
  const [online, setOnline] = useState(0);

  useEffect(() => {
    const onOnline = () => {
      tried.clear();
      setOnline((n) => n + 1);
    };
    globalThis.addEventListener?.('online', onOnline);
    return () => globalThis.removeEventListener?.('online', onOnline);
  }, [tried]);

  const wanted = useMemo(() => (local ? [...coversToFetch(local).keys()].filter((sha) => !tried.has(sha)) : []), [local, tried, online]);

  useEffect(() => {
    const fresh = wanted.filter((sha) => !tried.has(sha));
    if (fresh.length === 0) return;
    for (const sha of fresh) tried.add(sha);
    setDownloading((current) => new Set([...current, ...fresh]));
    void fetchCoverOriginals(
      db,
      fresh,
      (sha) =>
        setDownloading((current) => {
          const next = new Set(current);
          next.delete(sha);
          return next;
        }),
      download,
    );
  }, [db, wanted, tried, download]);

  return useMemo(() => {
    if (!local) return undefined;
    const coverDownloading = new Set<string>();
    for (const [stopId, cover] of local.covers) if (downloading.has(cover.sha256)) coverDownloading.add(stopId);
    return { ...local, coverDownloading };
  }, [local, downloading]);
}
