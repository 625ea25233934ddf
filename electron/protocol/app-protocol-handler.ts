/**
 * Serves the built renderer (dist/renderer) on `app://guanmo/…`. Plain web `Request` in,
 * `Response` out, so it runs under Node in tests exactly as Electron's `protocol.handle`
 * calls it.
 *
 * What must stay true:
 * - Only files under the renderer folder are served, also through symlinks (realpath check).
 * - Every response, errors included, carries the CSP and nosniff headers.
 * - A path that looks like an app route (no known file extension) gets index.html, so a
 *   reload on a client-side route works; a missing asset (known extension) is a 404, so a
 *   broken build shows up as a failed script instead of HTML parsed as JavaScript.
 */
import * as nodeFs from 'node:fs/promises';
import { join } from 'node:path';
import { extensionOf, isKnownAssetExtension, mimeTypeFor } from './mime-types';
import { INDEX_FILE, isInside, resolveAppPath } from './resolve-app-path';

export interface ProtocolFileSystem {
  realpath(path: string): Promise<string>;
  stat(path: string): Promise<{ isFile(): boolean; isDirectory(): boolean }>;
  readFile(path: string): Promise<Uint8Array>;
}

export interface AppProtocolOptions {
  /** absolute path of the built renderer folder */
  readonly root: string;
  /** called per response: the CSP depends on the sync server setting, which can change */
  readonly getContentSecurityPolicy: () => string;
  readonly fs?: ProtocolFileSystem;
  readonly log?: (message: string) => void;
}

const defaultFs: ProtocolFileSystem = {
  realpath: (p) => nodeFs.realpath(p),
  stat: (p) => nodeFs.stat(p),
  readFile: (p) => nodeFs.readFile(p),
};

type Found = { readonly filePath: string } | { readonly missing: true };

export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  const fs = options.fs ?? defaultFs;
  const log = options.log ?? (() => undefined);

  const securityHeaders = (): Record<string, string> => ({
    'Content-Security-Policy': options.getContentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  });

  const errorResponse = (status: number, text: string, extra: Record<string, string> = {}): Response =>
    new Response(`${status} ${text}\n`, {
      status,
      headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8', ...extra },
    });

  /** A regular file at `filePath` whose real path is inside the real root, or missing. */
  const findFile = async (filePath: string): Promise<Found> => {
    let realRoot: string;
    let realFile: string;
    try {
      realRoot = await fs.realpath(options.root);
      realFile = await fs.realpath(filePath);
    } catch {
      return { missing: true };
    }
    if (!isInside(realRoot, realFile)) {
      log(`app:// refused a path that resolves outside the renderer folder: ${filePath}`);
      return { missing: true };
    }
    try {
      const stats = await fs.stat(realFile);
      return stats.isFile() ? { filePath: realFile } : { missing: true };
    } catch {
      return { missing: true };
    }
  };

  const fileResponse = async (filePath: string, isHead: boolean): Promise<Response> => {
    const body = await fs.readFile(filePath);
    const headers = {
      ...securityHeaders(),
      'Content-Type': mimeTypeFor(filePath),
      'Content-Length': String(body.byteLength),
      // The files change with every app update and load from local disk: never reuse a stale copy.
      'Cache-Control': 'no-cache',
    };
    return new Response(isHead ? null : (body as Uint8Array<ArrayBuffer>), { status: 200, headers });
  };

  return async (request) => {
    const isHead = request.method === 'HEAD';
    if (request.method !== 'GET' && !isHead) {
      return errorResponse(405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
    }
    const resolution = resolveAppPath(request.url, options.root);
    if (resolution.kind === 'reject') {
      if (resolution.status === 403) log(`app:// refused ${request.url}: ${resolution.reason}`);
      const text = resolution.status === 400 ? 'Bad Request' : resolution.status === 403 ? 'Forbidden' : 'Not Found';
      return errorResponse(resolution.status, text);
    }

    try {
      const found = await findFile(resolution.filePath);
      if ('filePath' in found) return await fileResponse(found.filePath, isHead);

      if (isKnownAssetExtension(extensionOf(resolution.relativePath)) && resolution.relativePath !== INDEX_FILE) {
        return errorResponse(404, 'Not Found');
      }
      // An app route (or a folder): the single-page app's entry handles it.
      const index = await findFile(join(options.root, INDEX_FILE));
      if ('filePath' in index) return await fileResponse(index.filePath, isHead);
      return errorResponse(404, 'Not Found: the renderer is not built (npm run build:renderer)');
    } catch (error) {
      log(`app:// failed to serve ${request.url}: ${String(error)}`);
      return errorResponse(500, 'Internal Server Error');
    }
  };
}
