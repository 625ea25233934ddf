import { describe, expect, it } from 'vitest';
import { insertExif } from '../../test-support/jpeg-exif-writer';
import { readPhotoExif } from './read-photo-exif';

// EXIF parsing needs only the JPEG markers, not image data
const emptyJpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xd9]);

describe('readPhotoExif', () => {
  it('reads time with its zone offset and GPS', async () => {
    const jpeg = insertExif(emptyJpeg, { dateTimeOriginal: '2021:12:08 10:30:15', offsetTimeOriginal: '+08:00', gps: { lat: 32.02851, lng: 120.87891 } });
    expect(await readPhotoExif(jpeg)).toEqual({ takenLocal: '2021-12-08T10:30:15', takenAt: '2021-12-08T02:30:15.000Z', lat: 32.02851, lng: 120.87891 });
  });

  it('reads southern and western coordinates with their sign', async () => {
    const jpeg = insertExif(emptyJpeg, { gps: { lat: -33.856784, lng: -70.6483 } });
    expect(await readPhotoExif(jpeg)).toMatchObject({ lat: -33.856784, lng: -70.6483, takenAt: null });
  });

  it('reads a time without zone in the device zone', async () => {
    const jpeg = insertExif(emptyJpeg, { dateTimeOriginal: '2021:12:08 10:30:15' });
    const exif = await readPhotoExif(jpeg);
    expect(exif.takenLocal).toBe('2021-12-08T10:30:15');
    expect(exif.takenAt).toBe(new Date(2021, 11, 8, 10, 30, 15).toISOString());
    expect(exif).toMatchObject({ lat: null, lng: null });
  });

  it('treats a 0/0 fix as no position', async () => {
    const jpeg = insertExif(emptyJpeg, { gps: { lat: 0, lng: 0 }, dateTimeOriginal: '2021:12:08 10:30:15', offsetTimeOriginal: '+08:00' });
    expect(await readPhotoExif(jpeg)).toMatchObject({ lat: null, lng: null, takenLocal: '2021-12-08T10:30:15' });
  });

  it('gives nothing, without throwing, for a JPEG without EXIF or bytes that are not a JPEG', async () => {
    const none = { takenLocal: null, takenAt: null, lat: null, lng: null };
    expect(await readPhotoExif(emptyJpeg)).toEqual(none);
    expect(await readPhotoExif(new TextEncoder().encode('not a photo at all'))).toEqual(none);
    expect(await readPhotoExif(new Uint8Array())).toEqual(none);
  });
});
