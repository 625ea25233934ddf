/**
 * Maps an `app://guanmo/…` request URL to a path inside the renderer folder, refusing anything
 * that could leave it. Pure: no file system access (the handler checks the result on disk).
 *
 * What must stay true: the returned path is always `root` itself or below it, whatever the
 * URL contains (`..`, `%2e%2e`, `%2f`, backslashes, NUL, drive letters …).
 */
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from '../config/app-origin';

export type AppPathResolution =
  | { readonly kind: 'file'; readonly filePath: string; readonly relativePath: string }
  | { readonly kind: 'reject'; readonly status: 400 | 403 | 404; readonly reason: string };

export const INDEX_FILE = 'index.html';

export function resolveAppPath(requestUrl: string, root: string): AppPathResolution {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { kind: 'reject', status: 400, reason: 'malformed URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname.toLowerCase() !== APP_HOST || url.port !== '') {
    return { kind: 'reject', status: 404, reason: 'not our origin' };
  }
  if (url.username !== '' || url.password !== '') {
    return { kind: 'reject', status: 400, reason: 'credentials in URL' };
  }

  // Decode segment by segment: an encoded slash (%2F) must not become a separator, and
  // decoding once only (a double-encoded %252e%252e stays the literal name "%2e%2e").
  const rawSegments = url.pathname.split('/').filter((s) => s.length > 0);
  const segments: string[] = [];
  for (const raw of rawSegments) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { kind: 'reject', status: 400, reason: 'malformed percent-encoding' };
    }
    if (segment === '.' || segment === '..') {
      return { kind: 'reject', status: 403, reason: 'dot segment' };
    }
    // Separators, NUL and the Windows drive/stream colon inside one segment are never ours.
    if (/[/\\\0:]/.test(segment)) {
      return { kind: 'reject', status: 403, reason: 'forbidden character in path' };
    }
    segments.push(segment);
  }

  const relativePath = segments.length === 0 ? INDEX_FILE : segments.join('/');
  const normalizedRoot = normalize(root);
  const filePath = join(normalizedRoot, ...relativePath.split('/'));
  // Belt and braces: whatever slipped through the checks above, never leave the root.
  if (!isInside(normalizedRoot, filePath)) {
    return { kind: 'reject', status: 403, reason: 'outside the renderer folder' };
  }
  return { kind: 'file', filePath, relativePath };
}

/** True when `candidate` is `root` or below it (both absolute, normalised paths). */
export function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
