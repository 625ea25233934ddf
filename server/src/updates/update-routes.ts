/**
 * GET/HEAD /updates/{file}: the update feeds and installers of the administrator's updates folder
 * (config.updatesDir; filled by `guanmo-server updates publish` or by copying electron-builder's
 * release output in), for electron-updater's generic provider. No sign-in: the updater runs
 * before anyone signs in, and installers hold nothing secret.
 *
 * Installers go by byte range (http/byte-ranges.ts) so an interrupted download resumes where it
 * stopped; If-Range against a strong ETag makes a replaced file start over instead of splicing.
 * Feeds are never cached, so a laptop sees a new release (or a raised rollout percentage) on its
 * next check.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { matchesEtag, parseRange, sendFileRange } from '../http/byte-ranges.js';
import { updateFileNameSchema } from './update-feed.js';

export const updatesPrefix = '/updates/';

function notFound(reply: import('fastify').FastifyReply) {
  return reply.code(404).type('application/json; charset=utf-8').send({ error: 'not_found', message: 'No such update file on this server' });
}

export function registerUpdateRoutes(app: FastifyInstance, updatesDir: string): void {
  app.get<{ Params: { file: string } }>('/updates/:file', async (request, reply) => {
    const name = request.params.file;
    // names only (no folders, no dotfiles: temporary .part files of a publish in progress stay hidden)
    if (!updateFileNameSchema.safeParse(name).success) return notFound(reply);
    const filePath = path.join(updatesDir, name);
    const stat = await fs.stat(filePath).catch(() => null);
    if (!stat?.isFile()) return notFound(reply);
    const isFeed = name.endsWith('.yml');
    const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    reply
      .header('etag', etag)
      .header('cache-control', 'no-cache')
      .header('accept-ranges', 'bytes')
      .type(isFeed ? 'text/yaml; charset=utf-8' : 'application/octet-stream');
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
    const range = parseRange(request.headers.range, stat.size, request.headers['if-range'], etag);
    if (range === 'unsatisfiable') {
      return reply
        .code(416)
        .header('content-range', `bytes */${stat.size}`)
        .type('application/json; charset=utf-8')
        .send({ error: 'range_not_satisfiable', message: `The file has ${stat.size} bytes` });
    }
    if (stat.size === 0) return reply.code(200).header('content-length', '0').send('');
    if (range) return sendFileRange(reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${stat.size}`), filePath, range);
    return sendFileRange(reply.code(200), filePath, { start: 0, end: stat.size - 1 });
  });
}
