/**
 * The built renderer (Vite output) at /, so an office browser can use the same app as the
 * desktop shell.
 *
 * - Files are read from disk per request: rebuilding the renderer needs no server restart, and a
 *   server started before the first build starts serving as soon as the build exists.
 * - Caching: Vite's content-hashed files under assets/ never change → cached for a year,
 *   immutable. index.html and every other file → no-cache (always revalidated by ETag), so a
 *   new build reaches browsers at once.
 * - SPA fallback: a GET for a path without a file extension (a client-side route) answers
 *   index.html; a missing file (/assets/x.js) stays a 404 rather than HTML that breaks a script.
 * - Not built yet: a clear 503 page telling what to run.
 * - Source maps are never served (404 as if absent): they would hand out the app's whole source
 *   with its comments. The build writes them without a sourceMappingURL ('hidden').
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errors.js';

const immutable = 'public, max-age=31536000, immutable';
const revalidate = 'no-cache';

/** Vite's `assets/[name]-[hash].[ext]` (the hash is 8+ url-safe base64 characters). */
const hashedAssetPattern = /(^|[\\/])assets[\\/][^\\/]*-[A-Za-z0-9_-]{8,}\.[A-Za-z0-9]+$/;

export function cacheControlFor(filePath: string): string {
  return hashedAssetPattern.test(filePath) ? immutable : revalidate;
}

export interface StaticSite {
  /** Handles a request no route matched that is not an /api request. */
  handleNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply;
}

export async function registerStaticSite(app: FastifyInstance, staticDir: string): Promise<StaticSite> {
  const indexFile = path.join(staticDir, 'index.html');
  if (!fs.existsSync(indexFile)) {
    app.log.warn({ staticDir }, 'the web app is not built: / answers 503 until `npm run build` has been run');
  }
  // source maps: not for the network (see the top)
  app.addHook('onRequest', async (request, reply) => {
    let filePath = pathOf(request);
    try {
      filePath = decodeURIComponent(filePath); // x.js.m%61p is x.js.map to the file server
    } catch {
      // not decodable: the file server will not find it either
    }
    if (/\.map\s*$/i.test(filePath) && !request.url.startsWith('/api/')) {
      return sendError(reply, 404, 'not_found', `No file ${pathOf(request)}`);
    }
  });
  await app.register(fastifyStatic, {
    root: staticDir,
    prefix: '/',
    wildcard: true,
    index: 'index.html',
    // dotfiles (.env, .git) are never part of a build: behave as if they did not exist
    dotfiles: 'ignore',
    cacheControl: false,
    preCompressed: false,
    suppressWarning: true,
    setHeaders: (reply, filePath) => {
      reply.header('cache-control', cacheControlFor(filePath));
    },
  });

  return {
    handleNotFound(request, reply) {
      const isRead = request.method === 'GET' || request.method === 'HEAD';
      if (!isRead) return sendError(reply, 404, 'not_found', `No route ${request.method} ${pathOf(request)}`);
      if (!fs.existsSync(indexFile)) return sendNotBuiltPage(reply);
      if (looksLikeFile(pathOf(request))) return sendError(reply, 404, 'not_found', `No file ${pathOf(request)}`);
      return reply.code(200).sendFile('index.html');
    },
  };
}

function pathOf(request: FastifyRequest): string {
  const url = request.url;
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function looksLikeFile(urlPath: string): boolean {
  const last = urlPath.slice(urlPath.lastIndexOf('/') + 1);
  return /\.[A-Za-z0-9]{1,8}$/.test(last);
}

function sendNotBuiltPage(reply: FastifyReply): FastifyReply {
  return reply
    .code(503)
    .header('cache-control', 'no-store')
    .header('retry-after', '30')
    .type('text/html; charset=utf-8')
    .send(notBuiltPage);
}

// The folder it looked in is in the server log (not here: no server paths to the network).
const notBuiltPage = `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>观摩 Guanmo: 网页版尚未构建 / web app not built</title></head>
<body>
<h1>观摩 Guanmo</h1>
<p>同步服务器正在运行，但网页版尚未构建。请在项目目录运行 <code>npm run build</code>，然后刷新本页。</p>
<p>The sync server is running, but the web app has not been built yet. Run <code>npm run build</code> in the project folder, then reload this page.</p>
<p>构建目录可用 GUANMO_STATIC_DIR 指定。 The build folder can be set with GUANMO_STATIC_DIR.</p>
</body>
</html>
`;
