/**
 * Writes real EXIF into a JPEG, for test fixtures: an APP1 "Exif" segment with a little-endian
 * TIFF structure (IFD0 → Exif IFD, GPS IFD), inserted right after the SOI marker, as cameras do.
 * Self-contained (only Uint8Array/DataView) so it also runs inside a browser page.
 */

export interface ExifFixture {
  /** 'YYYY:MM:DD HH:MM:SS', camera wall-clock time */
  dateTimeOriginal?: string;
  /** '+08:00' */
  offsetTimeOriginal?: string;
  gps?: { lat: number; lng: number; altitudeM?: number };
  /** 1..8 (6 = rotate 90° clockwise to display) */
  orientation?: number;
  make?: string;
  model?: string;
}

const BYTE = 1;
const ASCII = 2;
const SHORT = 3;
const LONG = 4;
const RATIONAL = 5;
const UNDEFINED = 7;
const typeSize: Record<number, number> = { [BYTE]: 1, [ASCII]: 1, [SHORT]: 2, [LONG]: 4, [RATIONAL]: 8, [UNDEFINED]: 1 };

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** little-endian value bytes (count × type size) */
  bytes: Uint8Array;
}

function ascii(tag: number, text: string): Entry {
  const bytes = new Uint8Array(text.length + 1);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0x7f;
  return { tag, type: ASCII, count: bytes.length, bytes };
}

function numbers(tag: number, type: number, values: number[]): Entry {
  const size = typeSize[type]!;
  const bytes = new Uint8Array(values.length * size);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => {
    if (type === SHORT) view.setUint16(i * size, v, true);
    else if (type === LONG) view.setUint32(i * size, v, true);
    else bytes[i * size] = v;
  });
  return { tag, type, count: values.length, bytes };
}

function rationals(tag: number, values: [number, number][]): Entry {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach(([n, d], i) => {
    view.setUint32(i * 8, n, true);
    view.setUint32(i * 8 + 4, d, true);
  });
  return { tag, type: RATIONAL, count: values.length, bytes };
}

function dms(value: number): [number, number][] {
  const abs = Math.abs(value);
  const degrees = Math.floor(abs);
  const minutesFull = (abs - degrees) * 60;
  const minutes = Math.floor(minutesFull);
  const seconds = Math.round((minutesFull - minutes) * 60 * 10_000);
  return [
    [degrees, 1],
    [minutes, 1],
    [seconds, 10_000],
  ];
}

function ifdSize(entries: Entry[]): number {
  const data = entries.reduce((sum, e) => sum + (e.bytes.length > 4 ? e.bytes.length + (e.bytes.length % 2) : 0), 0);
  return 2 + entries.length * 12 + 4 + data;
}

/** Writes an IFD at `offset` (from the TIFF header) into `out`. */
function writeIfd(out: Uint8Array, offset: number, entries: Entry[]): void {
  const view = new DataView(out.buffer, out.byteOffset);
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  view.setUint16(offset, sorted.length, true);
  let data = offset + 2 + sorted.length * 12 + 4;
  sorted.forEach((e, i) => {
    const at = offset + 2 + i * 12;
    view.setUint16(at, e.tag, true);
    view.setUint16(at + 2, e.type, true);
    view.setUint32(at + 4, e.count, true);
    if (e.bytes.length <= 4) {
      out.set(e.bytes, at + 8);
    } else {
      view.setUint32(at + 8, data, true);
      out.set(e.bytes, data);
      data += e.bytes.length + (e.bytes.length % 2);
    }
  });
  view.setUint32(offset + 2 + sorted.length * 12, 0, true); // no next IFD
}

/** The TIFF structure (the body of the APP1 segment after "Exif\0\0"). */
export function buildExifTiff(fixture: ExifFixture): Uint8Array {
  const ifd0: Entry[] = [];
  if (fixture.make) ifd0.push(ascii(0x010f, fixture.make));
  if (fixture.model) ifd0.push(ascii(0x0110, fixture.model));
  if (fixture.orientation) ifd0.push(numbers(0x0112, SHORT, [fixture.orientation]));

  const exif: Entry[] = [{ tag: 0x9000, type: UNDEFINED, count: 4, bytes: new Uint8Array([0x30, 0x32, 0x33, 0x32]) }];
  if (fixture.dateTimeOriginal) exif.push(ascii(0x9003, fixture.dateTimeOriginal), ascii(0x9004, fixture.dateTimeOriginal));
  if (fixture.offsetTimeOriginal) exif.push(ascii(0x9011, fixture.offsetTimeOriginal));

  const gps: Entry[] = [];
  if (fixture.gps) {
    const { lat, lng, altitudeM } = fixture.gps;
    gps.push(
      numbers(0x0000, BYTE, [2, 3, 0, 0]),
      ascii(0x0001, lat >= 0 ? 'N' : 'S'),
      rationals(0x0002, dms(lat)),
      ascii(0x0003, lng >= 0 ? 'E' : 'W'),
      rationals(0x0004, dms(lng)),
    );
    if (altitudeM !== undefined) gps.push(numbers(0x0005, BYTE, [altitudeM < 0 ? 1 : 0]), rationals(0x0006, [[Math.round(Math.abs(altitudeM) * 100), 100]]));
  }

  // pointers are LONGs whose values are known only after layout; their size is fixed
  const exifPointer = numbers(0x8769, LONG, [0]);
  const gpsPointer = numbers(0x8825, LONG, [0]);
  ifd0.push(exifPointer);
  if (gps.length > 0) ifd0.push(gpsPointer);

  const ifd0At = 8;
  const exifAt = ifd0At + ifdSize(ifd0);
  const gpsAt = exifAt + ifdSize(exif);
  new DataView(exifPointer.bytes.buffer).setUint32(0, exifAt, true);
  new DataView(gpsPointer.bytes.buffer).setUint32(0, gpsAt, true);

  const out = new Uint8Array(gpsAt + (gps.length > 0 ? ifdSize(gps) : 0));
  out.set([0x49, 0x49, 42, 0, ifd0At, 0, 0, 0]);
  writeIfd(out, ifd0At, ifd0);
  writeIfd(out, exifAt, exif);
  if (gps.length > 0) writeIfd(out, gpsAt, gps);
  return out;
}

/** A copy of `jpeg` with an EXIF APP1 segment right after SOI (any existing EXIF APP1 is dropped). */
export function insertExif(jpeg: Uint8Array, fixture: ExifFixture): Uint8Array {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG (no SOI marker)');
  const tiff = buildExifTiff(fixture);
  const length = 2 + 6 + tiff.length;
  if (length > 0xffff) throw new Error('EXIF too large for one APP1 segment');
  const app1 = new Uint8Array(2 + length);
  app1.set([0xff, 0xe1, length >> 8, length & 0xff, 0x45, 0x78, 0x69, 0x66, 0, 0]);
  app1.set(tiff, 10);

  // keep every segment but an existing EXIF APP1
  const kept: Uint8Array[] = [];
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1]!;
    if (marker === 0xda) break; // start of scan: the rest is image data
    const segmentLength = (jpeg[at + 2]! << 8) | jpeg[at + 3]!;
    const segment = jpeg.subarray(at, at + 2 + segmentLength);
    const isExif = marker === 0xe1 && segment[4] === 0x45 && segment[5] === 0x78 && segment[6] === 0x69 && segment[7] === 0x66;
    if (!isExif) kept.push(segment);
    at += 2 + segmentLength;
  }
  const rest = jpeg.subarray(at);
  const total = 2 + app1.length + kept.reduce((n, s) => n + s.length, 0) + rest.length;
  const out = new Uint8Array(total);
  out.set([0xff, 0xd8]);
  let offset = 2;
  for (const part of [app1, ...kept, rest]) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
