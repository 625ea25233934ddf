/**
 * Just enough of ZIP to read the few parts of an .xlsx file, with hard limits, because the file
 * comes from anyone who can attach a spreadsheet.
 *
 * What must stay true:
 * - Nothing is inflated beyond `maxTotalBytes` in all: decompression runs in small input
 *   chunks and stops as soon as the output passes the limit, whatever sizes the (untrusted)
 *   headers claim. A zip bomb costs at most the limit plus one chunk's expansion.
 * - Every extracted entry is checked against its declared size and CRC-32, so a corrupt or
 *   truncated file is reported as broken rather than read as half a table.
 * - Entries are found through the central directory (the authoritative index), not by
 *   scanning local headers.
 */
import { Inflate } from 'fflate';

export class ZipError extends Error {
  override readonly name = 'ZipError';
  constructor(
    readonly code: 'not-zip' | 'corrupt' | 'unsupported' | 'too-large' | 'encrypted',
    message: string,
  ) {
    super(message);
  }
}

export type ZipEntry = {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
};

const SIG_EOCD = 0x06054b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const MAX_ENTRIES = 10_000;
/** compressed bytes fed to the inflater per step: bounds one step's output to ~1032 × this */
const INPUT_CHUNK = 8 * 1024;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && readU32(bytes, 0) === SIG_LOCAL;
}

/** The central directory: entry name → entry. */
export function readZipDirectory(bytes: Uint8Array): Map<string, ZipEntry> {
  if (!isZip(bytes)) throw new ZipError('not-zip', 'not a zip file');
  const eocd = findEndOfCentralDirectory(bytes);
  const count = readU16(bytes, eocd + 10);
  const dirSize = readU32(bytes, eocd + 12);
  const dirOffset = readU32(bytes, eocd + 16);
  if (count === 0xffff || dirOffset === 0xffffffff) throw new ZipError('unsupported', 'ZIP64 archives are not supported');
  if (count > MAX_ENTRIES) throw new ZipError('too-large', `too many entries in the archive (${count})`);
  if (dirOffset + dirSize > eocd) throw new ZipError('corrupt', 'central directory lies outside the file');

  const entries = new Map<string, ZipEntry>();
  let p = dirOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > bytes.length || readU32(bytes, p) !== SIG_CENTRAL) throw new ZipError('corrupt', 'broken central directory');
    const flags = readU16(bytes, p + 8);
    const method = readU16(bytes, p + 10);
    const crc32 = readU32(bytes, p + 16);
    const compressedSize = readU32(bytes, p + 20);
    const size = readU32(bytes, p + 24);
    const nameLength = readU16(bytes, p + 28);
    const extraLength = readU16(bytes, p + 30);
    const commentLength = readU16(bytes, p + 32);
    const localHeaderOffset = readU32(bytes, p + 42);
    if (p + 46 + nameLength > bytes.length) throw new ZipError('corrupt', 'broken central directory');
    const name = latin1OrUtf8(bytes.subarray(p + 46, p + 46 + nameLength), (flags & 0x800) !== 0);
    entries.set(name, { name, method, flags, crc32, compressedSize, size, localHeaderOffset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * Extract one entry. `budget.remaining` is the number of bytes all extractions together may
 * still produce; it is decreased by what this one produced.
 */
export function extractZipEntry(bytes: Uint8Array, entry: ZipEntry, budget: { remaining: number }): Uint8Array {
  if (entry.flags & 0x1) throw new ZipError('encrypted', `${entry.name} is encrypted`);
  if (entry.size > budget.remaining) throw tooLarge(entry.name);
  const p = entry.localHeaderOffset;
  if (p + 30 > bytes.length || readU32(bytes, p) !== SIG_LOCAL) throw new ZipError('corrupt', `broken local header of ${entry.name}`);
  const dataStart = p + 30 + readU16(bytes, p + 26) + readU16(bytes, p + 28);
  const dataEnd = dataStart + entry.compressedSize;
  if (dataEnd > bytes.length) throw new ZipError('corrupt', `${entry.name} is cut off`);
  const data = bytes.subarray(dataStart, dataEnd);

  let out: Uint8Array;
  if (entry.method === 0) {
    out = data;
  } else if (entry.method === 8) {
    out = inflateBounded(data, Math.min(budget.remaining, entry.size), entry.name);
  } else {
    throw new ZipError('unsupported', `${entry.name} uses compression method ${entry.method}`);
  }
  if (out.length !== entry.size) throw new ZipError('corrupt', `${entry.name} has the wrong size`);
  if (crc32(out) !== entry.crc32) throw new ZipError('corrupt', `${entry.name} fails its checksum`);
  budget.remaining -= out.length;
  return out;
}

function inflateBounded(data: Uint8Array, limit: number, name: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let finished = false;
  const inflater = new Inflate((chunk, final) => {
    total += chunk.length;
    // Declared size is checked after: this bound only stops runaway output early.
    if (total > limit) throw tooLarge(name);
    chunks.push(chunk);
    if (final) finished = true;
  });
  try {
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
    for (let off = 0; off < data.length; off += INPUT_CHUNK) {
      const end = Math.min(off + INPUT_CHUNK, data.length);
      inflater.push(data.subarray(off, end), end === data.length);
    }
  } catch (e) {
    if (e instanceof ZipError) throw e;
    throw new ZipError('corrupt', `${name} cannot be decompressed`);
  }
  if (!finished) throw new ZipError('corrupt', `${name} cannot be decompressed`);
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function findEndOfCentralDirectory(bytes: Uint8Array): number {
  // The EOCD record is 22 bytes plus a comment of up to 65 535 bytes at the very end.
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let p = bytes.length - 22; p >= lowest; p--) {
    if (readU32(bytes, p) === SIG_EOCD) return p;
  }
  throw new ZipError('corrupt', 'end of central directory not found (file truncated?)');
}

function tooLarge(name: string): ZipError {
  return new ZipError('too-large', `${name} unpacks to more than the allowed size`);
}

function readU16(b: Uint8Array, p: number): number {
  return (b[p] ?? 0) | ((b[p + 1] ?? 0) << 8);
}

function readU32(b: Uint8Array, p: number): number {
  return ((b[p] ?? 0) | ((b[p + 1] ?? 0) << 8) | ((b[p + 2] ?? 0) << 16) | ((b[p + 3] ?? 0) << 24)) >>> 0;
}

function latin1OrUtf8(b: Uint8Array, isUtf8: boolean): string {
  let ascii = true;
  for (const x of b) if (x > 0x7f) ascii = false;
  if (ascii || !isUtf8) return String.fromCharCode(...b);
  const Ctor = (globalThis as { TextDecoder?: new () => { decode(b: Uint8Array): string } }).TextDecoder;
  return Ctor ? new Ctor().decode(b) : String.fromCharCode(...b);
}

let crcTable: Uint32Array | null = null;

export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
