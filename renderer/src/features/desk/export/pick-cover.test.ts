import { describe, expect, it } from 'vitest';
import type { PhotoMeta } from '@shared/domain/schemas';
import { pickCover } from './use-bulletin-data';

const photo = (id: string, extra: Partial<PhotoMeta> = {}): PhotoMeta => ({
  id,
  tourId: 't',
  stopId: 'P1',
  authorId: 'u',
  sha256: id.padEnd(64, '0'),
  size: 1,
  mime: 'image/jpeg',
  width: 10,
  height: 10,
  takenAt: null,
  lat: null,
  lng: null,
  caption: '',
  isCover: false,
  createdAt: '2021-12-08T10:00:00.000Z',
  deletedAt: null,
  ...extra,
});

describe('pickCover (the bulletin photo of a project)', () => {
  it('takes the photo marked as cover, else the first taken; never a deleted one', () => {
    const early = photo('a', { takenAt: '2021-12-08T09:00:00.000Z' });
    const late = photo('b', { takenAt: '2021-12-08T11:00:00.000Z' });
    expect(pickCover([late, early])?.id).toBe('a');
    expect(pickCover([early, { ...late, isCover: true }])?.id).toBe('b');
    expect(pickCover([{ ...late, isCover: true, deletedAt: '2021-12-09T00:00:00.000Z' }, early])?.id).toBe('a');
    expect(pickCover([])).toBeNull();
  });
});
