import type { PhotoMeta } from '@shared/domain/schemas';
import { sha256Hex } from '@shared/photos/sha256';

/** The sha256 of a short text: stands in for photo bytes in tests that never read them. */
export const shaOfText = (text: string): string => sha256Hex(new TextEncoder().encode(text));

/**
 * Photo record number `n` of stop s1 in tour t1, with its original's and thumbnail's hashes
 * taken from `photo n` / `thumb n`; `over` sets anything else.
 */
export function testPhotoMeta(n: number, over: Partial<PhotoMeta> = {}): PhotoMeta {
  return {
    id: `p${n}`,
    tourId: 't1',
    stopId: 's1',
    authorId: 'me',
    sha256: shaOfText(`photo ${n}`),
    thumbSha256: shaOfText(`thumb ${n}`),
    size: 10,
    mime: 'image/jpeg',
    width: 4000,
    height: 3000,
    takenAt: null,
    lat: null,
    lng: null,
    caption: '',
    isCover: false,
    createdAt: `2021-12-08T0${n}:00:00.000Z`,
    deletedAt: null,
    ...over,
  };
}
