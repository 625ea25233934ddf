/**
 * Bytes of a text table → string, the way Excel users in China produce them:
 * - "CSV UTF-8" (Excel 2016+): UTF-8 with a BOM;
 * - hand-made or exported by other tools: UTF-8 without a BOM;
 * - "CSV" on a Chinese Windows (the older default): the ANSI code page, i.e. GBK. GB18030 is a
 *   superset of GBK, so decoding as GB18030 reads both;
 * - UTF-16 with a BOM ("Unicode text").
 * Rule: a BOM decides; otherwise bytes that are valid UTF-8 are UTF-8, anything else GB18030.
 * Chinese text in GBK is practically never valid UTF-8 (its byte pairs break UTF-8's
 * continuation rules), and pure ASCII reads the same either way.
 *
 * Uses the WHATWG TextDecoder that browsers and Node (with ICU, the default build) both provide.
 */
type TextDecoderLike = { decode(input: Uint8Array): string };
type TextDecoderConstructor = new (label: string, options?: { fatal?: boolean; ignoreBOM?: boolean }) => TextDecoderLike;

export class TextDecodeError extends Error {
  override readonly name = 'TextDecodeError';
}

export function decodeText(bytes: Uint8Array): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf) return decoder('utf-8').decode(bytes.subarray(3));
  if (b0 === 0xff && b1 === 0xfe) return decoder('utf-16le').decode(bytes.subarray(2));
  if (b0 === 0xfe && b1 === 0xff) return decoder('utf-16be').decode(bytes.subarray(2));
  if (b0 === 0x84 && b1 === 0x31 && bytes[2] === 0x95 && bytes[3] === 0x33) return decoder('gb18030').decode(bytes.subarray(4));
  try {
    return decoder('utf-8', true).decode(bytes);
  } catch {
    return stripBom(decoder('gb18030').decode(bytes));
  }
}

/** true when the bytes are valid UTF-8 (an empty input is). */
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    decoder('utf-8', true).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function decoder(label: string, fatal = false): TextDecoderLike {
  const Ctor = (globalThis as { TextDecoder?: TextDecoderConstructor }).TextDecoder;
  if (!Ctor) throw new TextDecodeError('TextDecoder is not available in this environment');
  try {
    // ignoreBOM: true — the BOM was already removed above; a U+FEFF left inside the text is content.
    return new Ctor(label, { fatal, ignoreBOM: true });
  } catch {
    throw new TextDecodeError(`this environment cannot decode ${label} text (its TextDecoder lacks the encoding)`);
  }
}
