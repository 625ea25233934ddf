import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasExtension, sanitizeFileName, withExtension } from './file-name';

// Names built from the characters that matter, plus arbitrary code points.
const nameLike = fc
  .array(
    fc.oneof(
      fc.constantFrom('.', ' ', '/', '\\', ':', '*', '\u0000', '\u001f', 'C', 'O', 'N', 'x', '观', '😀', '\ud800'),
      fc.string({ maxLength: 1, unit: 'binary' }),
    ),
    { maxLength: 250 },
  )
  .map((chars) => chars.join(''));

describe('sanitizeFileName', () => {
  it('keeps ordinary Chinese names as they are', () => {
    expect(sanitizeFileName('2021年12月重点项目观摩通报.pdf')).toBe('2021年12月重点项目观摩通报.pdf');
    expect(sanitizeFileName('排名 (县组).xlsx')).toBe('排名 (县组).xlsx');
  });

  it('replaces separators and characters Windows forbids', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(sanitizeFileName('a\\b:c*d?e"f<g>h|i')).toBe('a_b_c_d_e_f_g_h_i');
    expect(sanitizeFileName('a\u0000b\u001fc')).toBe('a_b_c');
  });

  it('drops leading dots and trailing dots and spaces', () => {
    expect(sanitizeFileName('.bashrc')).toBe('bashrc');
    expect(sanitizeFileName('report. . ')).toBe('report');
    expect(sanitizeFileName('  ...  ')).toBe('untitled');
    expect(sanitizeFileName('', 'export')).toBe('export');
  });

  it('defuses Windows device names', () => {
    expect(sanitizeFileName('CON')).toBe('_CON');
    expect(sanitizeFileName('nul.txt')).toBe('_nul.txt');
    expect(sanitizeFileName('com1.csv')).toBe('_com1.csv');
    expect(sanitizeFileName('console.csv')).toBe('console.csv');
  });

  it('fits 200 UTF-8 bytes, keeping the extension and whole characters', () => {
    const name = `${'观摩'.repeat(100)}.xlsx`;
    const safe = sanitizeFileName(name);
    expect(Buffer.byteLength(safe, 'utf8')).toBeLessThanOrEqual(200);
    expect(safe.endsWith('.xlsx')).toBe(true);
    expect(safe).toMatch(/^(观摩)+观?\.xlsx$/);
    const emoji = sanitizeFileName('😀'.repeat(80));
    expect(Buffer.byteLength(emoji, 'utf8')).toBeLessThanOrEqual(200);
    expect(emoji).toBe('😀'.repeat(50));
  });

  it('never returns a name with separators, control characters or a dot prefix (property)', () => {
    fc.assert(
      fc.property(nameLike, (input) => {
        const safe = sanitizeFileName(input);
        return (
          safe.length > 0 &&
          !/[<>:"/\\|?*\u0000-\u001f]/.test(safe) &&
          !safe.startsWith('.') &&
          !/[. ]$/.test(safe) &&
          Buffer.byteLength(safe, 'utf8') <= 200
        );
      }),
      { numRuns: 1000 },
    );
  });
});

describe('extensions', () => {
  it('adds an extension only when none of the allowed ones is present', () => {
    expect(withExtension('通报', 'pdf')).toBe('通报.pdf');
    expect(withExtension('通报.PDF', 'pdf')).toBe('通报.PDF');
    expect(withExtension('data.xls', 'xlsx', ['xlsx', 'xls'])).toBe('data.xls');
    expect(hasExtension('a.tar.gz', ['gz'])).toBe(true);
    expect(hasExtension('apdf', ['pdf'])).toBe(false);
  });
});
