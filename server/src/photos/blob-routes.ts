/**
 * Photo bytes by content address.
 *
 *   HEAD /api/blobs/:sha256  200 (with Content-Length) when the server has the bytes, 404 when not.
 *                            Any signed-in user: an uploader asks before uploading and before
 *                            dropping its local copy. Says nothing about who may see the photo.
 *   GET  /api/blobs/:sha256  the bytes, to users allowed to see a stop with a photo record of
 *                            that hash as its original or its thumbnail (photo-access.ts): 403 when
 *                            not allowed, 404 when no record or no bytes. Content-Type from the
 *                            photo record (JPEG for a thumbnail), ETag = the hash, cached privately
 *                            forever (the bytes of a hash never change), single byte ranges.
 *   POST /api/blobs/missing  {sha256s: [...]} → {missing: [...]}: which of up to 1000 hashes the
 *                            server has no bytes for (shared/sync/blob-protocol.ts). The rule of
 *                            HEAD: any signed-in user; one request instead of a HEAD per photo.
 *
 * A `:sha256` that is not 64 lower-case hex digits is a 400 before anything touches the disk.
 */
import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { missingBlobsRequestSchema, type MissingBlobsResponse } from '@shared/sync/blob-protocol';
import type { Kysely } from 'kysely';
import { requireUser } from '../auth/require-user.js';
import { isSha256Hex, type BlobStore } from '../blobs/blob-store.js';
import type { DbKind } from '../config.js';
import type { Database } from '../db/schema.js';
import { HttpError } from '../http/errors.js';
import { photoAccessFor } from './photo-access.js';

export const blobsPath = '/api/blobs';

const immutablePrivate = 'private, max-age=31536000, immutable';

export interface BlobRoutesOptions {
  db: Kysely<Database>;
  dbKind: DbKind;
  blobs: BlobStore;
}

function shaParam(request: FastifyRequest): string {
  const { sha256 } = request.params as { sha256?: string };
  if (typeof sha256 !== 'string' || !isSha256Hex(sha256)) {
    throw new HttpError(400, 'invalid_sha256', 'Expected a photo hash: 64 lower-case hexadecimal digits (sha256)');
  }
  return sha256;
}

/** 1000 hashes of 64 characters in JSON: well under this */
const missingBodyLimit = 128 * 1024;

export function registerBlobRoutes(app: FastifyInstance, { db, dbKind, blobs }: BlobRoutesOptions): void {
  app.post(`${blobsPath}/missing`, { bodyLimit: missingBodyLimit }, async (request, reply) => {
    await requireUser(request);
    const { sha256s } = missingBlobsRequestSchema.parse(request.body);
    const unique = [...new Set(sha256s)];
    const held = await Promise.all(unique.map((sha256) => blobs.has(sha256)));
    const body: MissingBlobsResponse = { missing: unique.filter((_, i) => !held[i]) };
    return reply.header('cache-control', 'no-store').send(body);
  });

  // declared before GET so that Fastify does not derive a HEAD from the GET handler
  app.head(`${blobsPath}/:sha256`, async (request, reply) => {
    await requireUser(request);
    const sha256 = shaParam(request);
    const blob = await blobs.stat(sha256);
    if (!blob) throw new HttpError(404, 'not_found', 'The server does not have these photo bytes');
    return reply
      .code(200)
      .header('cache-control', 'no-cache')
      .header('etag', `"${sha256}"`)
      .header('content-length', String(blob.size))
      .send();
  });

  app.get(`${blobsPath}/:sha256`, async (request, reply) => {
    const user = await requireUser(request);
    const sha256 = shaParam(request);
    const access = await photoAccessFor(db, dbKind, user, sha256);
    if (access.kind === 'unknown') throw new HttpError(404, 'not_found', 'No photo with these bytes');
    if (access.kind === 'forbidden') throw new HttpError(403, 'forbidden', 'This photo belongs to a tour you are not assigned to');
    const blob = await blobs.stat(sha256);
    if (!blob) throw new HttpError(404, 'photo_pending', 'The photo bytes have not been uploaded yet');

    const etag = `"${sha256}"`;
    reply
      .header('etag', etag)
      .header('cache-control', immutablePrivate)
      .header('accept-ranges', 'bytes')
      .type(access.mime ?? 'application/octet-stream');
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();

    const range = parseRange(request.headers.range, blob.size, request.headers['if-range'], etag);
    if (range === 'unsatisfiable') {
      return reply
        .code(416)
        .header('content-range', `bytes */${blob.size}`)
        .type('application/json; charset=utf-8')
        .send({ error: 'range_not_satisfiable', message: `The photo has ${blob.size} bytes` });
    }
    if (range) {
      return sendFile(reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${blob.size}`), blob.path, range);
    }
    return sendFile(reply.code(200), blob.path, { start: 0, end: blob.size - 1 });
  });
}

function sendFile(reply: FastifyReply, filePath: string, range: { start: number; end: number }): FastifyReply {
  reply.header('content-length', String(range.end - range.start + 1));
  return reply.send(createReadStream(filePath, range));
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}

/**
 * One `bytes=` range (RFC 9110 §14): `a-b`, `a-`, `-n`. null = serve the whole file (no Range, a
 * stale If-Range, or several ranges, which a server may ignore).
 */
export function parseRange(
  header: string | undefined,
  size: number,
  ifRange?: string | string[],
  etag?: string,
): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  if (typeof ifRange === 'string' && ifRange !== etag) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return null;
  let start: number;
  let end: number;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(first);
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
    if (last !== '' && Number(last) < start) return null; // invalid: ignore
  }
  if (start >= size || size === 0) return 'unsatisfiable';
  return { start, end };
}
