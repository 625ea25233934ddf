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
import { ERRORS, Server as TusServer, type CancellationContext, type Locker, type Upload } from '@tus/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NodeRequest } from 'srvx/node';
import { photoMetaSchema, type Role } from '@shared/domain/schemas';
import type { BlobStore } from '../blobs/blob-store.js';
import { isSha256Hex } from '../blobs/blob-store.js';
import { errorCodeFor } from '../http/errors.js';
import { BodyCutError, HashingFileStore } from './hashing-file-store.js';
import { removeExpiredUploads } from './upload-cleanup.js';

export const uploadsPath = '/api/uploads';

/** who may upload photos: everyone who takes them (scorers, observers) and the staff */
export const uploaderRoles: readonly Role[] = ['scorer', 'observer', 'secretariat', 'admin'];

/**
 * An unfinished upload is dropped this long after it was created. Generous: a laptop may be out
 * of signal for the days of a tour and resume afterwards.
 */
export const uploadExpiryMs = 14 * 24 * 60 * 60 * 1000;
const cleanupIntervalMs = 6 * 60 * 60 * 1000;

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

/** Registers the tus routes; returns a cleanup for expired partial uploads (also run on a timer). */
export async function registerPhotoUploads(
  app: FastifyInstance,
  options: PhotoUploadOptions,
): Promise<{ removeExpiredUploads(): Promise<number> }> {
  const { uploadDir, blobs, maxPhotoBytes } = options;
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
      return { metadata: { ...metadata, [ownerKey]: user.id } };
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
      if (typeof sha256 !== 'string' || !isSha256Hex(sha256)) {
        // unreachable: onUploadCreate refused such uploads
        await forgetUpload(store, upload.id);
        throw refusal(400, 'invalid_metadata', 'The upload has no sha256');
      }
      const dataPath = upload.storage?.path ?? store.dataPathOf(upload.id);
      const size = upload.size ?? upload.offset;
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
      app.log.info({ upload: upload.id, sha256, size: result.blob.size, blob: result.status }, 'photo bytes stored');
      return { headers: { 'Guanmo-Blob': result.status } };
    },

    onResponseError(_req, error) {
      if (isTusRefusal(error)) {
        if (isJsonErrorBody(error.body)) return error;
        const message = error.body.trim() || 'Upload refused';
        return refusal(error.status_code, errorCodeFor(error.status_code), message);
      }
      app.log.error({ err: error }, 'photo upload failed');
      return refusal(500, 'internal_error', 'Internal server error');
    },
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
    if (request.method !== 'OPTIONS') uploaders.set(webRequest, await options.authenticate(request, uploaderRoles));
    const response = await tus.handleWeb(webRequest);
    return sendWebResponse(reply, response);
  };

  await app.register(async (scope) => {
    // leave upload bodies unread: tus streams them to disk
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    scope.route({ method: ['POST', 'OPTIONS'], url: uploadsPath, handler: handle });
    scope.route({ method: ['HEAD', 'PATCH', 'DELETE', 'OPTIONS'], url: `${uploadsPath}/:id`, handler: handle });
  });

  const removeExpired = async (): Promise<number> => {
    const removed = await removeExpiredUploads(uploadDir, uploadExpiryMs);
    if (removed > 0) app.log.info({ removed }, 'expired partial photo uploads removed');
    return removed;
  };
  const cleanUp = () => {
    Promise.all([removeExpired(), blobs.removeStaleTempFiles()]).catch((error: unknown) => {
      // another process may be cleaning the same folder; try again next time
      app.log.warn({ err: error }, 'cleaning up partial photo uploads failed');
    });
  };
  const timer = setInterval(cleanUp, cleanupIntervalMs);
  timer.unref();
  app.addHook('onReady', async () => cleanUp());
  app.addHook('onClose', async () => clearInterval(timer));
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
  if (body === '' || response.status === 204) return reply.send();
  if (response.status >= 400) reply.type('application/json; charset=utf-8');
  else reply.type('text/plain; charset=utf-8');
  return reply.send(body);
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
