/**
 * Resumable photo uploads: the tus 1.0 protocol (@tus/server) under /api/uploads.
 *
 *   POST   /api/uploads          create (Upload-Length, Upload-Metadata: sha256, filename, filetype)
 *   HEAD   /api/uploads/:id      current Upload-Offset (resume after a cut, even after a restart)
 *   PATCH  /api/uploads/:id      append bytes at Upload-Offset
 *   DELETE /api/uploads/:id      abandon
 *   OPTIONS /api/uploads[/:id]   capabilities (Tus-Version, Tus-Max-Size, Tus-Extension)
 *
 * Partial uploads live on disk in `<data>/uploads/` (a data file and a .json of its metadata per
 * upload), so they survive restarts. The bytes are hashed as they are written (hashing-file-store.ts);
 * on the last byte, when the hash matches the `sha256` the client declared, the file is renamed
 * into the content-addressed blob store; otherwise it is
 * deleted and the client gets 460 Checksum Mismatch with a JSON body. Either way the upload
 * resource is gone afterwards; `HEAD /api/blobs/:sha256` is how a client learns what the server has.
 *
 * Every upload names its tour (metadata `tourId`, a tour the user takes part in) and starts only
 * within the user's and the tour's quotas, the cap on unfinished uploads and the upload rates
 * (upload-limits.ts); the bytes must be a JPEG, PNG or WebP (by their signature, matching the
 * declared `filetype`) before they become servable; a finished upload records the uploader's
 * claim on the bytes (blobs/blob-claims.ts), which is what lets their photo records grant access.
 *
 * What must stay true:
 * - Every request except OPTIONS carries a valid bearer token; an upload belongs to the user who
 *   created it, and nobody else can see, append to or delete it (they get 404, as for an id that
 *   does not exist).
 * - Fastify never reads an upload body (this scope has a pass-through content-type parser): tus
 *   streams it to disk, limited by `maxSize`, so a 50 MB photo never sits in memory. The body goes
 *   from the Node request straight into the file (writeNodeBody below), not through web streams
 *   (at most a few MiB of it wait in memory for the disk).
 * - Responses go out through Fastify (not a hijacked socket), so the request log, security headers
 *   and CORS (http/cors.ts) apply as everywhere else; tus's own CORS headers are dropped.
 * - Several processes may share the data folder behind a load balancer. Writes to one upload are
 *   serialised across processes by the locker (upload-locker.ts: PostgreSQL advisory locks; the
 *   in-memory locker on single-process SQLite); completion is safe across processes because the
 *   blob store claims the finished file with an atomic rename.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ERRORS, EVENTS, Server as TusServer, type CancellationContext, type Locker, type Upload } from '@tus/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { NodeRequest } from 'srvx/node';
import { photoMetaSchema, type Role } from '@shared/domain/schemas';
import { sniffImage, sniffLength } from '@shared/photos/sniff-image';
import { addPendingUpload, recordClaim, removePendingUpload } from '../blobs/blob-claims.js';
import { readHead } from '../blobs/blob-facts.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { isSha256Hex } from '../blobs/blob-store.js';
import { classifyDbError } from '../db/db-trouble.js';
import type { Database } from '../db/schema.js';
import { errorCodeFor, HttpError } from '../http/errors.js';
import { BodyCutError, HashingFileStore } from './hashing-file-store.js';
import { removeExpiredUploads } from './upload-cleanup.js';
import type { UploadLimits } from './upload-limits.js';

export const uploadsPath = '/api/uploads';

/** who may upload photos: everyone who takes them (scorers, observers) and the staff */
export const uploaderRoles: readonly Role[] = ['scorer', 'observer', 'secretariat', 'admin'];

/**
 * An unfinished upload is dropped this long after it was created. Generous: a laptop may be out
 * of signal for the days of a tour and resume afterwards.
 */
export const uploadExpiryMs = 14 * 24 * 60 * 60 * 1000;
/**
 * An unfinished upload that received no byte for this long is abandoned and removed too (its
 * reservation against the quotas and the cap on unfinished uploads goes with it). A laptop that
 * comes back later starts that photo again.
 */
export const uploadIdleExpiryMs = 3 * 24 * 60 * 60 * 1000;

/** Status of a refused checksum (tus checksum extension: 460 Checksum Mismatch). */
export const checksumMismatchStatus = 460;

const photoMimes: readonly string[] = photoMetaSchema.shape.mime.options;

export interface Uploader {
  id: string;
  role: Role;
}

export interface PhotoUploadOptions {
  /** the upload folder (partial uploads); survives restarts */
  uploadDir: string;
  blobs: BlobStore;
  db: Kysely<Database>;
  limits: UploadLimits;
  maxPhotoBytes: number;
  /** resolves the signed-in user or throws HttpError 401/403 */
  authenticate(request: FastifyRequest, roles: readonly Role[]): Promise<Uploader>;
  /** one writer per upload (upload-locker.ts); default tus's in-memory locker (one process) */
  locker?: Locker;
}

/** A tus hook's refusal: tus answers with this status and body. */
interface TusRefusal {
  status_code: number;
  body: string;
}

function refusal(status: number, code: string, message: string): TusRefusal {
  return { status_code: status, body: JSON.stringify({ error: code, message }) };
}

function isTusRefusal(value: unknown): value is TusRefusal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as TusRefusal).status_code === 'number' &&
    typeof (value as TusRefusal).body === 'string'
  );
}

function isJsonErrorBody(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as unknown;
    return typeof parsed === 'object' && parsed !== null && 'error' in parsed && 'message' in parsed;
  } catch {
    return false;
  }
}

/** the upload metadata key naming its owner (set by the server, whatever the client sent) */
const ownerKey = 'uploadedBy';
/** the upload metadata key naming the tour the photo belongs to (quotas count per tour) */
const tourKey = 'tourId';

/** A refusal of ours (HttpError) in the form tus answers with; its headers kept for the response. */
function refusalOf(error: HttpError, request: object, headersOf: WeakMap<object, Readonly<Record<string, string>>>): TusRefusal {
  if (Object.keys(error.headers).length > 0) headersOf.set(request, error.headers);
  return refusal(error.statusCode, error.code, error.message);
}

/** Registers the tus routes; returns the clean-up of abandoned partial uploads (housekeeping runs it). */
export async function registerPhotoUploads(
  app: FastifyInstance,
  options: PhotoUploadOptions,
): Promise<{ removeExpiredUploads(): Promise<number> }> {
  const { uploadDir, blobs, maxPhotoBytes, db, limits } = options;
  /** headers (Retry-After) of a refusal made inside a tus hook, by web request */
  const refusalHeaders = new WeakMap<object, Readonly<Record<string, string>>>();
  await fs.mkdir(uploadDir, { recursive: true });
  // no tus expiration extension: upload-cleanup.ts says why and does the expiring instead
  const store = new HashingFileStore({ directory: uploadDir });
  /** the user of each request tus is handling (the tus hooks only see the web request) */
  const uploaders = new WeakMap<object, Uploader>();

  const uploaderOf = (req: object): Uploader => {
    const user = uploaders.get(req);
    if (!user) throw refusal(401, 'unauthorized', 'Sign in first');
    return user;
  };

  const tus = new TusServer({
    path: uploadsPath,
    datastore: store,
    ...(options.locker ? { locker: options.locker } : {}),
    maxSize: maxPhotoBytes,
    // relative to this server: correct behind a reverse proxy without trusting Forwarded headers
    relativeLocation: true,
    // CORS is http/cors.ts's job, for every API route alike
    allowedOrigins: () => false,
    namingFunction: () => randomBytes(16).toString('hex'),
    // one disconnected PATCH must not hold the lock of its upload for long
    lockDrainTimeout: 1000,

    async onUploadCreate(req, upload) {
      const user = uploaderOf(req);
      const metadata = upload.metadata ?? {};
      const sha256 = metadata.sha256;
      if (typeof sha256 !== 'string' || !isSha256Hex(sha256)) {
        throw refusal(400, 'invalid_metadata', 'Upload-Metadata must carry sha256: the lower-case hex SHA-256 of the whole file');
      }
      const mime = metadata.filetype ?? metadata.mime ?? null;
      if (mime !== null && !photoMimes.includes(mime)) {
        throw refusal(415, 'unsupported_media_type', `Only photos can be uploaded (${photoMimes.join(', ')}), not ${mime}`);
      }
      const filename = metadata.filename ?? null;
      if (filename !== null && filename.length > 255) {
        throw refusal(400, 'invalid_metadata', 'The file name is longer than 255 characters');
      }
      if (upload.size === 0) throw refusal(400, 'invalid_metadata', 'A photo cannot be empty');
      // the length up front (no Upload-Defer-Length): what counts against the quotas from the start
      if (upload.size === undefined) throw refusal(400, 'invalid_metadata', 'Send Upload-Length: uploads of a length not known yet are not accepted');
      const size = upload.size;
      let tourId: string;
      try {
        tourId = await limits.checkTour(user, metadata[tourKey]);
        await limits.checkRoom(user, tourId, size, { isPending: true });
        await addPendingUpload(db, { id: upload.id, userId: user.id, tourId, size });
      } catch (error) {
        if (error instanceof HttpError) throw refusalOf(error, req, refusalHeaders);
        throw error;
      }
      return { metadata: { ...metadata, [ownerKey]: user.id, [tourKey]: tourId } };
    },

    async onIncomingRequest(req, id) {
      const user = uploaderOf(req);
      if (req.method === 'POST') return; // creating: the id is new
      let upload: Upload;
      try {
        upload = await store.getUpload(id);
      } catch {
        return; // unknown or gone: tus answers 404/410 itself
      }
      if (upload.metadata?.[ownerKey] !== user.id) throw ERRORS.FILE_NOT_FOUND;
    },

    async onUploadFinish(_req, upload) {
      const sha256 = upload.metadata?.sha256;
      const userId = upload.metadata?.[ownerKey];
      const tourId = upload.metadata?.[tourKey] ?? null;
      await removePendingUpload(db, upload.id);
      if (typeof sha256 !== 'string' || !isSha256Hex(sha256) || typeof userId !== 'string') {
        // unreachable: onUploadCreate refused such uploads
        await forgetUpload(store, upload.id);
        throw refusal(400, 'invalid_metadata', 'The upload has no sha256');
      }
      const dataPath = upload.storage?.path ?? store.dataPathOf(upload.id);
      const size = upload.size ?? upload.offset;
      // a photo, by its first bytes, of the type declared: before the bytes can ever be served
      const declared = upload.metadata?.filetype ?? upload.metadata?.mime ?? null;
      const sniffed = sniffImage(await readHead(dataPath, sniffLength).catch(() => new Uint8Array()));
      if (sniffed.kind !== 'supported' || (declared !== null && declared !== sniffed.mime)) {
        store.forget(upload.id);
        await fs.rm(dataPath, { force: true });
        await forgetUpload(store, upload.id);
        const what = sniffed.kind === 'supported' ? sniffed.mime : 'not a JPEG, PNG or WebP image';
        app.log.warn({ upload: upload.id, declared, found: what }, 'photo upload refused: content is not the declared image type');
        throw refusal(415, 'content_mismatch', `The uploaded bytes are ${what}${declared ? `, not ${declared} as declared` : ''}; nothing was stored`);
      }
      const hashedSha256 = store.finishedSha256(upload.id, size);
      let result;
      try {
        result = await blobs.adoptFile(dataPath, sha256, hashedSha256 === null ? undefined : { sha256: hashedSha256, size });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        // a concurrent request finished this upload first
        if (await blobs.has(sha256)) return { headers: { 'Guanmo-Blob': 'existing' } };
        throw ERRORS.FILE_NO_LONGER_EXISTS;
      } finally {
        await forgetUpload(store, upload.id);
      }
      if (result.status === 'mismatch') {
        app.log.warn({ upload: upload.id, expected: sha256, actual: result.actualSha256 }, 'photo upload refused: sha256 mismatch');
        throw refusal(
          checksumMismatchStatus,
          'checksum_mismatch',
          `The received bytes have sha256 ${result.actualSha256}, not ${sha256} as declared; nothing was stored. Upload the photo again.`,
        );
      }
      await recordClaim(db, { sha256, userId, tourId, size: result.blob.size, how: result.status === 'stored' ? 'stored' : 'uploaded' });
      app.log.info({ upload: upload.id, sha256, size: result.blob.size, blob: result.status }, 'photo bytes stored');
      return { headers: { 'Guanmo-Blob': result.status } };
    },

    onResponseError(req, error) {
      if (isTusRefusal(error)) {
        if (isJsonErrorBody(error.body)) return error;
        const message = error.body.trim() || 'Upload refused';
        return refusal(error.status_code, errorCodeFor(error.status_code), message);
      }
      // a full disk or a database that cannot take it now: 503 with Retry-After, like every route
      const trouble = classifyDbError(error);
      if (trouble) {
        app.log.error({ err: error, cause: trouble.cause }, `photo upload refused: ${trouble.kind === 'full' ? 'no space left' : 'database busy'} (${trouble.cause})`);
        refusalHeaders.set(req, { 'retry-after': String(trouble.retryAfterSeconds) });
        return trouble.kind === 'full'
          ? refusal(503, 'storage_full', 'The server has run out of storage space; the bytes received so far are kept. Try again later')
          : refusal(503, 'busy', 'The server is busy; try again in a moment');
      }
      app.log.error({ err: error }, 'photo upload failed');
      return refusal(500, 'internal_error', 'Internal server error');
    },
  });
  // an upload the client abandons (DELETE) gives back its reservation
  tus.on(EVENTS.POST_TERMINATE, (_req: unknown, _res: unknown, id: string) => {
    removePendingUpload(db, id).catch((error: unknown) => app.log.warn({ err: error, upload: id }, 'forgetting an abandoned upload failed'));
  });

  // upload bodies: from the Node request into the file without web streams in between
  for (const handler of [tus.handlers.POST, tus.handlers.PATCH]) {
    const writer = handler as unknown as Partial<StoreWriter>;
    if (typeof writer.writeToStore !== 'function') throw new Error('@tus/server changed: handlers no longer have writeToStore');
    writer.writeToStore = async (body, upload, maxBodySize, context) =>
      writeNodeBody(store, nodeBodyOf(body), upload, maxBodySize, context);
  }

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const webRequest = new NodeBodyRequest({ req: request.raw, res: reply.raw });
    // OPTIONS is capability discovery (and CORS preflights never carry credentials)
    if (request.method !== 'OPTIONS') {
      const user = await options.authenticate(request, uploaderRoles);
      uploaders.set(webRequest, user);
      // the rates, before a byte of the body is read (HttpError: 429 with Retry-After)
      if (request.method === 'POST') await limits.takeCreation(user);
      if (request.method === 'POST' || request.method === 'PATCH') await limits.takeBytes(user, Number(request.headers['content-length'] ?? 0) || 0);
    }
    const response = await tus.handleWeb(webRequest);
    for (const [name, value] of Object.entries(refusalHeaders.get(webRequest) ?? {})) reply.header(name, value);
    return sendWebResponse(reply, response);
  };

  await app.register(async (scope) => {
    // leave upload bodies unread: tus streams them to disk
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    // the body-progress timeout and the Content-Length refusal (http/body-guard.ts) use this limit
    const config = { maxBodyBytes: maxPhotoBytes };
    scope.route({ method: ['POST', 'OPTIONS'], url: uploadsPath, handler: handle, config });
    scope.route({ method: ['HEAD', 'PATCH', 'DELETE', 'OPTIONS'], url: `${uploadsPath}/:id`, handler: handle, config });
  });

  const removeExpired = async (): Promise<number> => {
    const removed = await removeExpiredUploads(uploadDir, { expiryMs: uploadExpiryMs, idleMs: uploadIdleExpiryMs, db });
    await blobs.removeStaleTempFiles();
    if (removed > 0) app.log.info({ removed }, 'abandoned partial photo uploads removed');
    return removed;
  };
  return { removeExpiredUploads: removeExpired };
}

/** Drops the upload's metadata file (its data file has been moved or deleted already). */
async function forgetUpload(store: HashingFileStore, id: string): Promise<void> {
  store.forget(id);
  try {
    await store.configstore.delete(id);
  } catch {
    // already gone
  }
  await fs.rm(path.join(store.directory, id), { force: true });
}

const skippedHeaders = new Set(['content-length', 'content-type', 'connection', 'transfer-encoding']);

async function sendWebResponse(reply: FastifyReply, response: Response): Promise<FastifyReply> {
  reply.code(response.status);
  for (const [name, value] of response.headers) {
    const lower = name.toLowerCase();
    if (skippedHeaders.has(lower) || lower.startsWith('access-control-')) continue;
    reply.header(name, value);
  }
  // tus closes the connection after an aborted body so the rest is not read
  if (response.headers.get('connection') === 'close') reply.header('connection', 'close');
  const body = await response.text();
  if (response.status >= 400) {
    // every error in the one JSON shape of the API, also tus's own (412 without Tus-Resumable,
    // a bad Upload-Length …), which it answers as plain text before any hook of ours runs
    return reply.type('application/json; charset=utf-8').send(isJsonErrorBody(body) ? body : jsonErrorBody(response.status, body));
  }
  if (body === '' || response.status === 204) return reply.send();
  reply.type('text/plain; charset=utf-8');
  return reply.send(body);
}

function jsonErrorBody(status: number, text: string): string {
  const message = text.trim() || (status >= 500 ? 'Internal server error' : 'Upload refused');
  return JSON.stringify({ error: errorCodeFor(status), message });
}

/** tus's BaseHandler.writeToStore (protected; @tus/server is pinned, and the check above fails loudly if it goes). */
interface StoreWriter {
  writeToStore(body: ReadableStream | null, upload: Upload, maxBodySize: number, context: CancellationContext): Promise<number>;
}

/** stands in for a request body: the Node request it is to be read from */
const nodeBodyKey = Symbol('guanmo.nodeBody');

interface NodeBody {
  [nodeBodyKey]: IncomingMessage;
}

/**
 * srvx's NodeRequest, whose `body` is the Node request itself (wrapped) rather than a web
 * ReadableStream: tus would turn that back into a Node stream, two conversions per chunk that
 * cost a large share of the upload throughput. Only writeNodeBody reads it.
 */
class NodeBodyRequest extends NodeRequest {}
// a getter like NodeRequest's own (typed there as a plain property, hence not a class accessor)
Object.defineProperty(NodeBodyRequest.prototype, 'body', {
  get(this: NodeBodyRequest): ReadableStream | null {
    const method = this.method;
    const req = this.runtime?.node?.req;
    if (method === 'GET' || method === 'HEAD' || !req) return null;
    const body: NodeBody = { [nodeBodyKey]: req as IncomingMessage };
    return body as unknown as ReadableStream;
  },
});

function nodeBodyOf(body: ReadableStream | null): IncomingMessage | null {
  if (body === null) return null;
  const source = (body as unknown as Partial<NodeBody>)[nodeBodyKey];
  if (!source) throw new Error('upload body is not a Node request');
  return source;
}

/**
 * tus's writeToStore with the Node request as the source, read straight into the store (no
 * PassThrough, limiter and hashing streams per piece): the same limit (413 beyond
 * `maxBodySize`) and the same abort handling (tus ending the write keeps the bytes that arrived,
 * so the client resumes from there; a dropped connection fails the write with ABORTED after
 * writing what arrived). A failing write leaves the request itself alone, so the client gets
 * tus's answer instead of a socket hang-up.
 */
async function writeNodeBody(
  store: HashingFileStore,
  source: IncomingMessage | null,
  upload: Upload,
  maxBodySize: number,
  context: CancellationContext,
): Promise<number> {
  if (context.signal.aborted) throw ERRORS.ABORTED;
  if (source === null) return store.write(Readable.from([]), upload.id, upload.offset);
  // a connection reset while the store prepares (hashing a prefix, opening the file) must not be
  // an unhandled 'error': append sees it as source.errored
  const quiet = () => undefined;
  source.on('error', quiet);
  try {
    return await store.append(source, upload.id, upload.offset ?? 0, { maxBytes: maxBodySize, signal: context.signal });
  } catch (error) {
    throw error instanceof BodyCutError ? ERRORS.ABORTED : error;
  } finally {
    source.off('error', quiet);
  }
}
