/**
 * File names suggested by the renderer (e.g. "2021年12月观摩通报.pdf") made safe for every
 * desktop OS, since the renderer is untrusted and the name lands in a real folder.
 */
import { Buffer } from 'node:buffer';

// Windows refuses these anywhere in a name; '/' and '\' would change the folder.
const FORBIDDEN_CHARS = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f]/g;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
/** Linux and macOS limit a name to 255 bytes; keep room for " (2)" and the like. */
const MAX_NAME_BYTES = 200;

export function sanitizeFileName(name: string, fallback = 'untitled'): string {
  let safe = name.normalize('NFC').replace(FORBIDDEN_CHARS, '_').replace(/\s+/g, ' ').trim();
  // No hidden files, and Windows drops trailing dots and spaces itself (then the name differs).
  safe = safe.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (safe.length === 0) safe = fallback;
  if (WINDOWS_RESERVED.test(safe)) safe = `_${safe}`;
  return truncateUtf8KeepingExtension(safe, MAX_NAME_BYTES);
}

function truncateUtf8KeepingExtension(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name, 'utf8') <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 11 ? name.slice(dot) : '';
  const budget = maxBytes - Buffer.byteLength(extension, 'utf8');
  // Keep whole code points (for…of walks code points, never half of a surrogate pair).
  let base = '';
  let used = 0;
  for (const char of name.slice(0, name.length - extension.length)) {
    const size = Buffer.byteLength(char, 'utf8');
    if (used + size > budget) break;
    base += char;
    used += size;
  }
  base = base.trimEnd();
  return `${base}${extension}`;
}

/** True when `name` ends with one of `extensions` (without dots, any case). */
export function hasExtension(name: string, extensions: readonly string[]): boolean {
  const lower = name.toLowerCase();
  return extensions.some((ext) => lower.endsWith(`.${ext.toLowerCase()}`));
}

/** `name` with `.extension` appended unless it already ends with one of `allowed`. */
export function withExtension(name: string, extension: string, allowed: readonly string[] = [extension]): string {
  return hasExtension(name, allowed) ? name : `${name}.${extension}`;
}
