/**
 * The work done for every imported photo, off the main thread: identify the format, hash the
 * original bytes, read EXIF, decode once (EXIF orientation applied) and make the previews.
 * Runs in a worker (photo-worker.ts); uses only worker-safe APIs.
 */
import { sniffImage, sniffLength } from '@shared/photos/sniff-image';
import { sha256Hex } from '@shared/photos/sha256';
import type { PhotoFailure, PhotoJobResult, ProcessedPhoto } from './photo-worker-protocol';
import { displayLongSide, thumbLongSide } from './preview-sizes';
import { readPhotoExif } from './read-photo-exif';

export async function processPhoto(jobId: number, file: Blob): Promise<PhotoJobResult> {
  const fail = (failure: PhotoFailure): PhotoJobResult => ({ jobId, ok: false, failure });
  if (file.size === 0) return fail({ kind: 'empty' });

  let bytes: ArrayBuffer;
  try {
    bytes = await file.arrayBuffer();
  } catch {
    return fail({ kind: 'unreadable' });
  }
  const sniffed = sniffImage(new Uint8Array(bytes, 0, Math.min(sniffLength, bytes.byteLength)));
  if (sniffed.kind === 'unsupported') return fail({ kind: 'unsupported-format', format: sniffed.format });
  if (sniffed.kind === 'unknown') return fail({ kind: 'not-an-image' });
  const mime = sniffed.mime;

  // decoded straight from the file: a File is a snapshot (reading it after a change fails), so
  // these are the hashed bytes, without copying megabytes into a new Blob first
  const [sha256, exif, decoded] = await Promise.all([hash(bytes), readPhotoExif(bytes), decode(file)]);
  if (!decoded) return fail({ kind: 'undecodable' });

  try {
    const { width, height } = decoded;
    const displayScale = Math.min(1, displayLongSide / Math.max(width, height));
    const display = displayScale < 1 ? await drawJpeg(decoded, width * displayScale, height * displayScale, 0.85) : null;
    // the thumbnail is drawn from the display-sized copy when there is one: cheaper, and a
    // two-step reduction looks better than one big jump
    const thumbSource = display ? display.canvas : decoded;
    const thumbScale = Math.min(1, thumbLongSide / Math.max(width, height));
    const thumb = await drawJpeg(thumbSource, width * thumbScale, height * thumbScale, 0.8);
    // the thumbnail syncs as its own content-addressed blob (photo record thumbSha256)
    const thumbSha256 = await hash(await thumb.blob.arrayBuffer());
    const photo: ProcessedPhoto = {
      sha256,
      size: bytes.byteLength,
      mime,
      width,
      height,
      ...exif,
      thumb: thumb.blob,
      thumbSha256,
      display: display?.blob ?? null,
    };
    return { jobId, ok: true, photo };
  } finally {
    decoded.close();
  }
}

async function hash(bytes: ArrayBuffer): Promise<string> {
  // crypto.subtle exists only in secure contexts (https, localhost, the desktop app); an office
  // browser on plain http over the LAN has none, so fall back to the pure implementation
  if (globalThis.crypto?.subtle) {
    const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes);
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }
  return sha256Hex(new Uint8Array(bytes));
}

async function decode(blob: Blob): Promise<ImageBitmap | null> {
  try {
    return await createImageBitmap(blob, { imageOrientation: 'from-image' });
  } catch {
    return null;
  }
}

async function drawJpeg(source: CanvasImageSource, width: number, height: number, quality: number): Promise<{ canvas: OffscreenCanvas; blob: Blob }> {
  const canvas = new OffscreenCanvas(Math.max(1, Math.round(width)), Math.max(1, Math.round(height)));
  const context = canvas.getContext('2d', { alpha: false });
  if (!context) throw new Error('no 2D context on OffscreenCanvas');
  // transparent PNG/WebP areas become white, not black, in a JPEG
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
  return { canvas, blob };
}
