/**
 * Strings a hostile client sends: any UTF-16 code units (lone surrogates included), any code
 * points, NUL, and the usual suspects (control characters, bidi overrides, path and SQL bits),
 * and a way to put them into a URL as the bytes a client would send (lone surrogates as WTF-8,
 * which no well-behaved encoder produces).
 */
import fc from 'fast-check';

const nasty = ['\u0000', '\udc00', '\ud800', '\udbff\udbff', 'a\u0000b', '\ufffd', '\u202e', '\ufeff', '%00', '../..', "'; drop table records; --", '\\', '"', '\r\n', '😀', '\ud83d', '观摩'];

export const codeUnitString = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 24 }).map((units) => String.fromCharCode(...units));

/** any text a client could send in JSON */
export const oddString = fc.oneof(
  { weight: 3, arbitrary: codeUnitString },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...nasty), { minLength: 1, maxLength: 4 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...nasty), fc.string({ maxLength: 8 })).map(([a, b, c]) => a + b + c) },
);

const hex = (n: number) => `%${n.toString(16).toUpperCase().padStart(2, '0')}`;

/** Percent-encodes `s` for a URL, lone surrogates as their WTF-8 bytes (what a raw client can send). */
export function encodeRaw(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const next = s.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(s.slice(i, i + 2));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += hex(0xe0 | (c >> 12)) + hex(0x80 | ((c >> 6) & 0x3f)) + hex(0x80 | (c & 0x3f));
    } else {
      out += encodeURIComponent(s[i]!);
    }
  }
  return out;
}
