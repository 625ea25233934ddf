import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { crc32, extractZipEntry, isZip, readZipDirectory, ZipError } from './zip';

function zipError(fn: () => unknown): ZipError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ZipError);
    return e as ZipError;
  }
  throw new Error('expected a ZipError');
}

describe('zip reader', () => {
  const text = '观摩'.repeat(1000);
  const zip = zipSync({ 'a.txt': strToU8(text), 'dir/b.bin': [new Uint8Array([1, 2, 3]), { level: 0 }] });

  it('lists entries from the central directory and extracts deflated and stored entries', () => {
    const entries = readZipDirectory(zip);
    expect([...entries.keys()].sort()).toEqual(['a.txt', 'dir/b.bin']);
    const budget = { remaining: 1_000_000 };
    const a = extractZipEntry(zip, entries.get('a.txt')!, budget);
    expect(new TextDecoder().decode(a)).toBe(text);
    expect(extractZipEntry(zip, entries.get('dir/b.bin')!, budget)).toEqual(new Uint8Array([1, 2, 3]));
    expect(budget.remaining).toBe(1_000_000 - a.length - 3);
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(strToU8('123456789'))).toBe(0xcbf43926);
  });

  it('stops inflating a zip bomb at the budget, whatever the header claims', () => {
    const big = new Uint8Array(30 * 1024 * 1024); // 30 MB of zeros compresses to ~30 KB
    const bomb = zipSync({ 'xl/worksheets/sheet1.xml': big }, { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    const entries = readZipDirectory(bomb);
    const entry = entries.get('xl/worksheets/sheet1.xml')!;
    // Honest header: refused before inflating.
    expect(zipError(() => extractZipEntry(bomb, entry, { remaining: 10 * 1024 * 1024 })).code).toBe('too-large');
    // Lying header (declares 1 KB): inflation stops once output passes the budget.
    const lying = { ...entry, size: 1024 };
    expect(zipError(() => extractZipEntry(bomb, lying, { remaining: 10 * 1024 * 1024 })).code).toBe('too-large');
  });

  it('detects corruption through size and checksum', () => {
    const entries = readZipDirectory(zip);
    const entry = entries.get('a.txt')!;
    expect(zipError(() => extractZipEntry(zip, { ...entry, crc32: entry.crc32 ^ 1 }, { remaining: 1e9 })).code).toBe('corrupt');
    expect(zipError(() => extractZipEntry(zip, { ...entry, size: entry.size + 1 }, { remaining: 1e9 })).code).toBe('corrupt');
    const damaged = zip.slice();
    damaged[40] = damaged[40]! ^ 0xff; // inside a.txt's compressed data
    expect(zipError(() => extractZipEntry(damaged, entry, { remaining: 1e9 })).code).toBe('corrupt');
  });

  it('refuses truncated files and non-zips', () => {
    expect(isZip(strToU8('a,b,c'))).toBe(false);
    expect(zipError(() => readZipDirectory(strToU8('a,b,c'))).code).toBe('not-zip');
    expect(zipError(() => readZipDirectory(zip.subarray(0, zip.length - 30))).code).toBe('corrupt');
  });

  it('refuses encrypted entries and unknown compression methods', () => {
    const entry = readZipDirectory(zip).get('a.txt')!;
    expect(zipError(() => extractZipEntry(zip, { ...entry, flags: 1 }, { remaining: 1e9 })).code).toBe('encrypted');
    expect(zipError(() => extractZipEntry(zip, { ...entry, method: 12 }, { remaining: 1e9 })).code).toBe('unsupported');
  });
});
