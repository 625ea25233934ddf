/**
 * Messages between the import queue (main thread) and the photo workers. Files and Blobs cross
 * by reference (structured clone of a Blob copies no bytes), so a job costs little to send.
 */
import type { StoredImageMime } from '@shared/photos/sniff-image';

export interface PhotoJob {
  readonly jobId: number;
  readonly file: Blob;
}

/** What the worker learned from a photo, and the previews it made. */
export interface ProcessedPhoto {
  sha256: string;
  size: number;
  mime: StoredImageMime;
  /** as displayed (EXIF orientation applied) */
  width: number;
  height: number;
  takenLocal: string | null;
  takenAt: string | null;
  lat: number | null;
  lng: number | null;
  /** JPEG, ~320 px on the long side */
  thumb: Blob;
  /** sha256 of `thumb`'s bytes: the thumbnail syncs as its own blob (PhotoMeta.thumbSha256) */
  thumbSha256: string;
  /** JPEG, ~1600 px on the long side; null when the original is that small already */
  display: Blob | null;
}

/** Why a file was not imported. */
export type PhotoFailure =
  /** a known image format the app cannot use (HEIC from iPhones, RAW …) */
  | { readonly kind: 'unsupported-format'; readonly format: string }
  /** not an image at all (a video, a document, random bytes) */
  | { readonly kind: 'not-an-image' }
  /** looks like a JPEG/PNG/WebP but cannot be decoded (corrupt, truncated) */
  | { readonly kind: 'undecodable' }
  | { readonly kind: 'empty' }
  /** the file could not be read (moved, removed, no permission) */
  | { readonly kind: 'unreadable' };

export type PhotoJobResult =
  | { readonly jobId: number; readonly ok: true; readonly photo: ProcessedPhoto }
  | { readonly jobId: number; readonly ok: false; readonly failure: PhotoFailure };
