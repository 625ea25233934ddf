import { describe, expect, it } from 'vitest';
import { sniffImage } from './sniff-image';

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('sniffImage', () => {
  it.each([
    ['JPEG', bytes([0xff, 0xd8, 0xff, 0xe1, 0, 0x10], 'Exif'), { kind: 'supported', mime: 'image/jpeg' }],
    ['PNG', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a]), { kind: 'supported', mime: 'image/png' }],
    ['WebP', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '), { kind: 'supported', mime: 'image/webp' }],
    ['HEIC (iPhone)', bytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0], 'mif1heic'), { kind: 'unsupported', format: 'heic' }],
    ['HEIF mif1', bytes([0, 0, 0, 0x1c], 'ftypmif1'), { kind: 'unsupported', format: 'heic' }],
    ['AVIF', bytes([0, 0, 0, 0x1c], 'ftypavif'), { kind: 'unsupported', format: 'avif' }],
    ['MP4 video', bytes([0, 0, 0, 0x1c], 'ftypisom'), { kind: 'unknown' }],
    ['GIF', bytes('GIF89a'), { kind: 'unsupported', format: 'gif' }],
    ['BMP', bytes('BM', [0, 0, 0, 0]), { kind: 'unsupported', format: 'bmp' }],
    ['TIFF', bytes('II', [42, 0, 8, 0, 0, 0]), { kind: 'unsupported', format: 'tiff' }],
    ['Canon CR2', bytes('II', [42, 0, 16, 0, 0, 0], 'CR', [2, 0]), { kind: 'unsupported', format: 'raw' }],
    ['text', bytes('hello, this is not a photo'), { kind: 'unknown' }],
    ['empty', bytes(), { kind: 'unknown' }],
    ['JPEG cut after two bytes', bytes([0xff, 0xd8]), { kind: 'unknown' }],
  ])('%s', (_name, head, expected) => {
    expect(sniffImage(head)).toEqual(expected);
  });
});
