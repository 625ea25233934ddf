/**
 * What kind of file is this, from its first bytes (never from its name: cameras, phones and
 * chat apps name files freely). The app stores JPEG, PNG and WebP; it recognises the common
 * formats it cannot use so it can say which one it was.
 */

export type StoredImageMime = 'image/jpeg' | 'image/png' | 'image/webp';

export type SniffedImage =
  | { readonly kind: 'supported'; readonly mime: StoredImageMime }
  /** HEIC/HEIF (iPhone default) and AVIF: ISO-BMFF images the app cannot decode everywhere */
  | { readonly kind: 'unsupported'; readonly format: 'heic' | 'avif' | 'gif' | 'bmp' | 'tiff' | 'raw' }
  | { readonly kind: 'unknown' };

/** How many leading bytes `sniffImage` needs. */
export const sniffLength = 32;

export function sniffImage(head: Uint8Array): SniffedImage {
  const at = (i: number) => head[i] ?? -1;
  const ascii = (from: number, length: number) => String.fromCharCode(...head.subarray(from, from + length));

  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return { kind: 'supported', mime: 'image/jpeg' };
  if (at(0) === 0x89 && ascii(1, 3) === 'PNG' && at(4) === 0x0d && at(5) === 0x0a) return { kind: 'supported', mime: 'image/png' };
  if (ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') return { kind: 'supported', mime: 'image/webp' };
  if (ascii(4, 4) === 'ftyp') {
    const brand = ascii(8, 4);
    if (brand === 'avif' || brand === 'avis') return { kind: 'unsupported', format: 'avif' };
    if (['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return { kind: 'unsupported', format: 'heic' };
    return { kind: 'unknown' };
  }
  if (ascii(0, 4) === 'GIF8') return { kind: 'unsupported', format: 'gif' };
  if (ascii(0, 2) === 'BM') return { kind: 'unsupported', format: 'bmp' };
  // TIFF, and the raw formats built on it (DNG, NEF, CR2, ARW …)
  if ((ascii(0, 2) === 'II' && at(2) === 42 && at(3) === 0) || (ascii(0, 2) === 'MM' && at(2) === 0 && at(3) === 42)) {
    return ascii(8, 2) === 'CR' ? { kind: 'unsupported', format: 'raw' } : { kind: 'unsupported', format: 'tiff' };
  }
  return { kind: 'unknown' };
}
