/**
 * Width and height of a JPEG, PNG or WebP from its first bytes (the header), without decoding:
 * what the server checks a photo record's width and height against (a record whose metadata
 * contradicts the stored bytes is refused).
 *
 * JPEG: the first start-of-frame marker (SOF0–SOF15 except DHT, JPG and DAC), after the APPn
 * segments (EXIF, ICC profiles); PNG: IHDR; WebP: VP8 (lossy), VP8L (lossless) or VP8X
 * (extended) chunk. The sizes are the stored ones: a JPEG whose EXIF orientation turns it has
 * width and height swapped in the header (callers accept either order).
 */
import { sniffImage, type StoredImageMime } from './sniff-image';

export interface ImageSize {
  mime: StoredImageMime;
  width: number;
  height: number;
}

/** bytes enough for the header of nearly every photo (APPn segments before SOF are at most a few 64 KiB) */
export const imageSizeHeadBytes = 512 * 1024;

/** The format and size of an image from its first bytes; null when not JPEG/PNG/WebP or the header is cut or malformed. */
export function readImageSize(head: Uint8Array): ImageSize | null {
  const sniffed = sniffImage(head);
  if (sniffed.kind !== 'supported') return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const size = sniffed.mime === 'image/jpeg' ? jpegSize(head, view) : sniffed.mime === 'image/png' ? pngSize(head, view) : webpSize(head, view);
  if (!size || size.width < 1 || size.height < 1) return null;
  return { mime: sniffed.mime, ...size };
}

type Size = { width: number; height: number };

function jpegSize(head: Uint8Array, view: DataView): Size | null {
  let at = 2; // after SOI
  while (at + 4 <= head.length) {
    if (head[at] !== 0xff) return null;
    let marker = head[at + 1]!;
    // fill bytes
    while (marker === 0xff && at + 2 < head.length) {
      at++;
      marker = head[at + 1]!;
    }
    // markers without a length
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image / start of scan before any frame
    const length = view.getUint16(at + 2);
    if (length < 2) return null;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (at + 9 > head.length) return null;
      return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
    }
    at += 2 + length;
  }
  return null;
}

function pngSize(head: Uint8Array, view: DataView): Size | null {
  // signature (8), IHDR length (4), "IHDR" (4), width (4), height (4)
  if (head.length < 24 || String.fromCharCode(...head.subarray(12, 16)) !== 'IHDR') return null;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function webpSize(head: Uint8Array, view: DataView): Size | null {
  if (head.length < 30) return null;
  const chunk = String.fromCharCode(...head.subarray(12, 16));
  if (chunk === 'VP8 ') {
    // frame tag (3), start code 9d 01 2a (3), then 14-bit width and height
    if (head[23] !== 0x9d || head[24] !== 0x01 || head[25] !== 0x2a) return null;
    return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    if (head[20] !== 0x2f) return null;
    const bits = view.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    const width = 1 + (head[24]! | (head[25]! << 8) | (head[26]! << 16));
    const height = 1 + (head[27]! | (head[28]! << 8) | (head[29]! << 16));
    return { width, height };
  }
  return null;
}
