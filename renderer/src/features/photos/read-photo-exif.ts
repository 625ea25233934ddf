import exifr from 'exifr/dist/lite.esm.mjs';
import { localToInstant, parseExifDateTime, parseExifOffset, type LocalDateTime } from '@shared/photos/exif-time';
import { usableLatLng } from '@shared/photos/geo';

export interface PhotoExif {
  /** wall-clock time the photo was taken, as the camera saw it */
  takenLocal: LocalDateTime | null;
  /** the instant (UTC ISO); the camera's zone offset when it wrote one, else this device's zone */
  takenAt: string | null;
  lat: number | null;
  lng: number | null;
}

const none: PhotoExif = { takenLocal: null, takenAt: null, lat: null, lng: null };

/**
 * EXIF time and GPS of a photo. Never throws: a photo without EXIF, or with EXIF the parser
 * does not understand, is still a photo, only without time and place.
 */
export async function readPhotoExif(bytes: Uint8Array | ArrayBuffer): Promise<PhotoExif> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await exifr.parse(bytes, {
      ifd0: { pick: ['Orientation'] },
      exif: { pick: ['DateTimeOriginal', 'OffsetTimeOriginal', 'CreateDate', 'OffsetTime'] },
      gps: true,
      ifd1: false,
      interop: false,
      xmp: false,
      icc: false,
      iptc: false,
      jfif: false,
      // raw strings: exifr would turn the zone-less time into a Date in this device's zone
      reviveValues: false,
      translateValues: false,
    })) as Record<string, unknown> | undefined;
  } catch {
    return none;
  }
  if (!tags) return none;
  const takenLocal = parseExifDateTime(tags.DateTimeOriginal) ?? parseExifDateTime(tags.CreateDate);
  const offset = parseExifOffset(tags.OffsetTimeOriginal) ?? parseExifOffset(tags.OffsetTime);
  const at = usableLatLng(tags.latitude as number | undefined, tags.longitude as number | undefined);
  return {
    takenLocal,
    takenAt: takenLocal === null ? null : offset === null ? deviceLocalToInstant(takenLocal) : localToInstant(takenLocal, offset),
    lat: at ? roundCoordinate(at.lat) : null,
    lng: at ? roundCoordinate(at.lng) : null,
  };
}

/** A zone-less camera time read in this device's zone (cameras are set to local time). */
function deviceLocalToInstant(local: LocalDateTime): string {
  const [date, time] = local.split('T') as [string, string];
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi, s] = time.split(':').map(Number) as [number, number, number];
  return new Date(y, mo - 1, d, h, mi, s).toISOString();
}

/** 7 decimals ≈ 1 cm: more is float noise from the degrees/minutes/seconds conversion. */
function roundCoordinate(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}
