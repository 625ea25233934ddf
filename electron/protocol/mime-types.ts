/**
 * Content types for the files a Vite build of the renderer contains. Served with
 * `X-Content-Type-Options: nosniff`, so a wrong type here breaks the file: scripts must be
 * JavaScript, styles text/css, or Chromium refuses them.
 */
const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.bmp': 'image/bmp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.pbf': 'application/x-protobuf',
};

export const FALLBACK_MIME = 'application/octet-stream';

/** The lower-cased extension including the dot, or '' when the last segment has none. */
export function extensionOf(path: string): string {
  const lastSegment = path.slice(path.lastIndexOf('/') + 1);
  const dot = lastSegment.lastIndexOf('.');
  return dot > 0 ? lastSegment.slice(dot).toLowerCase() : '';
}

export function mimeTypeFor(path: string): string {
  return MIME_BY_EXTENSION[extensionOf(path)] ?? FALLBACK_MIME;
}

/** True for extensions of real static files (used to tell a missing asset from an app route). */
export function isKnownAssetExtension(extension: string): boolean {
  return Object.hasOwn(MIME_BY_EXTENSION, extension);
}
