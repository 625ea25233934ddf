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
 *   POST /api/blobs/batch    small blobs (thumbnails) one after the other in the body, the
 *                            Guanmo-Blobs header listing each one's sha256 and size and
 *                            Guanmo-Tour naming their tour (shared/sync/blob-protocol.ts); each
 *                            stored only if its bytes match and are a JPEG, PNG or WebP. Who may
 *                            upload: as for tus uploads, a participant of the tour (staff: any),
 *                            within the quotas and rates of upload-limits.ts; what nobody refers
 *                            to is collected (blobs/blob-gc.ts).
 *   POST /api/blobs/challenges, /api/blobs/proofs
 *                            possession challenges for bytes the server holds already
 *                            (possession.ts): what makes a user's photo records count for access
 *                            to bytes they did not upload themselves.
 *
 * A `:sha256` that is not 64 lower-case hex digits is a 400 before anything touches the disk.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import {
  BLOB_BATCH_HEADER,
  BLOB_BATCH_TOUR_HEADER,
  blobChallengeRequestSchema,
  blobProofRequestSchema,
  MAX_BATCH_BYTES,
  missingBlobsRequestSchema,
  parseBlobBatchHeader,
  type BlobBatchResponse,
  type BlobChallengeResponse,
  type BlobProofResponse,
  type MissingBlobsResponse,
} from '@shared/sync/blob-protocol';
import { sniffImage } from '@shared/photos/sniff-image';
import type { Kysely } from 'kysely';
import { requireUser } from '../auth/require-user.js';
import { recordClaim } from '../blobs/blob-claims.js';
import { isSha256Hex, type BlobStore } from '../blobs/blob-store.js';
import type { DbKind } from '../config.js';
import type { Database } from '../db/schema.js';
import { matchesEtag, parseRange, sendFileRange } from '../http/byte-ranges.js';
import { HttpError } from '../http/errors.js';
import { photoAccessFor } from './photo-access.js';
import { checkProofs, issueChallenges } from './possession.js';
import type { UploadLimits } from './upload-limits.js';

export const blobsPath = '/api/blobs';

const immutablePrivate = 'private, max-age=31536000, immutable';

export interface BlobRoutesOptions {
  db: Kysely<Database>;
  dbKind: DbKind;
  blobs: BlobStore;
  limits: UploadLimits;
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

export function registerBlobRoutes(app: FastifyInstance, { db, dbKind, blobs, limits }: BlobRoutesOptions): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: MAX_BATCH_BYTES }, (_request, body, done) => done(null, body));
    scope.post(
      `${blobsPath}/batch`,
      {
        bodyLimit: MAX_BATCH_BYTES,
        // limits before the body is read (onRequest: nothing of it has been received yet)
        onRequest: async (request) => {
          const user = await requireUser(request);
          await limits.takeCreation(user);
          await limits.takeBytes(user, Number(request.headers['content-length'] ?? 0) || 0);
        },
      },
      async (request, reply) => {
        const user = await requireUser(request);
        const header = request.headers[BLOB_BATCH_HEADER];
        const entries = typeof header === 'string' ? parseBlobBatchHeader(header) : null;
        if (!entries) {
          throw new HttpError(400, 'invalid_blob_batch', `The ${BLOB_BATCH_HEADER} header must list sha256:size of each blob (at most 100, each at most 512 KiB)`);
        }
        const tourHeader = request.headers[BLOB_BATCH_TOUR_HEADER];
        let tourName: string | undefined;
        try {
          tourName = typeof tourHeader === 'string' ? decodeURIComponent(tourHeader) : undefined;
        } catch {
          throw new HttpError(400, 'invalid_blob_batch', `The ${BLOB_BATCH_TOUR_HEADER} header must be the URL-encoded tour id`);
        }
        const tourId = await limits.checkTour(user, tourName);
        const body = request.body;
        const expected = entries.reduce((sum, e) => sum + e.size, 0);
        if (!Buffer.isBuffer(body) || body.length !== expected) {
          throw new HttpError(400, 'invalid_blob_batch', `The body must hold exactly the ${expected} bytes the ${BLOB_BATCH_HEADER} header lists`);
        }
        const missing = await Promise.all(entries.map(async (e) => !(await blobs.has(e.sha256))));
        await limits.checkRoom(user, tourId, entries.reduce((sum, e, i) => sum + (missing[i] ? e.size : 0), 0), { isPending: false });
        const results: BlobBatchResponse['results'] = [];
        let offset = 0;
        for (const { sha256, size } of entries) {
          const bytes = body.subarray(offset, offset + size);
          offset += size;
          const actual = createHash('sha256').update(bytes).digest('hex');
          // only photos (JPEG, PNG, WebP) are ever stored: a mismatch, as for a wrong hash
          if (actual !== sha256 || sniffImage(bytes).kind !== 'supported') {
            results.push({ sha256, status: 'mismatch' });
            continue;
          }
          const stored = await blobs.adoptBytes(bytes, sha256, { sha256: actual, size });
          if (stored.status === 'mismatch') {
            results.push({ sha256, status: 'mismatch' });
            continue;
          }
          await recordClaim(db, { sha256, userId: user.id, tourId, size, how: stored.status === 'stored' ? 'stored' : 'uploaded' });
          results.push({ sha256, status: stored.status });
        }
        const refused = results.filter((r) => r.status === 'mismatch').length;
        if (refused > 0) request.log.warn({ refused, blobs: results.length }, 'blob batch: bytes that do not match their hash, or are no photo, were refused');
        return reply.header('cache-control', 'no-store').send({ results } satisfies BlobBatchResponse);
      },
    );
  });

  app.post(`${blobsPath}/challenges`, { bodyLimit: missingBodyLimit }, async (request, reply) => {
    const user = await requireUser(request);
    // each answer reads the disk: paced like starting uploads (upload-limits.ts)
    await limits.takeCreation(user);
    const { sha256s } = blobChallengeRequestSchema.parse(request.body);
    const outcome = await issueChallenges(db, blobs, user.id, sha256s);
    return reply.header('cache-control', 'no-store').send(outcome satisfies BlobChallengeResponse);
  });

  app.post(`${blobsPath}/proofs`, { bodyLimit: missingBodyLimit }, async (request, reply) => {
    const user = await requireUser(request);
    await limits.takeCreation(user);
    const { proofs } = blobProofRequestSchema.parse(request.body);
    const results = await checkProofs(db, blobs, user.id, proofs);
    const wrong = results.filter((r) => r.status === 'wrong').length;
    if (wrong > 0) request.log.warn({ user: user.username, wrong, proofs: results.length }, 'possession proofs that do not match');
    return reply.header('cache-control', 'no-store').send({ results } satisfies BlobProofResponse);
  });

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
    if (access.kind === 'unproven') throw new HttpError(404, 'photo_pending', 'The photo bytes have not been uploaded by its author yet');
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
      return sendFileRange(reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${blob.size}`), blob.path, range);
    }
    return sendFileRange(reply.code(200), blob.path, { start: 0, end: blob.size - 1 });
  });
}
