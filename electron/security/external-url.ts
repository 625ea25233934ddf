/**
 * Which links may be handed to the system browser. `shell.openExternal` passes its argument to
 * the OS, which would also run `file:`, `smb:` or custom-scheme handlers; so only plain
 * http(s) URLs to a named host qualify.
 */
import { MAX_URL_LENGTH } from '@shared/ipc/contract';

/** The normalised URL to open, or null when it must not be opened. */
export function toSafeExternalUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_URL_LENGTH) return null;
  // Whitespace and control characters have no business in a link we pass to the OS.
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // user:pass@host is a classic way to disguise the real host.
  if (url.username !== '' || url.password !== '') return null;
  if (url.hostname === '') return null;
  return url.href;
}
