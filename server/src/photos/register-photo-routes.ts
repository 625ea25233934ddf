/**
 * Photo bytes on the server: resumable uploads (tus) into a content-addressed blob store on disk
 * (`<data>/blobs/ab/cd/<sha256>`, partial uploads in `<data>/uploads/`), and HEAD/GET by hash.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { requireUser } from '../auth/require-user.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { DbKind, ServerConfig } from '../config.js';
import type { Database } from '../db/schema.js';
import { registerBlobRoutes } from './blob-routes.js';
import { registerPhotoUploads } from './photo-uploads.js';
import { createUploadLocker } from './upload-locker.js';
import type { UploadLimits } from './upload-limits.js';

export interface PhotoRoutesOptions {
  db: Kysely<Database>;
  dbKind: DbKind;
  config: Pick<ServerConfig, 'dataDir' | 'maxPhotoBytes' | 'databaseUrl'>;
  blobs: BlobStore;
  limits: UploadLimits;
}

export function blobDirOf(dataDir: string): string {
  return path.join(dataDir, 'blobs');
}

export function uploadDirOf(dataDir: string): string {
  return path.join(dataDir, 'uploads');
}

/** Registers the routes; returns the clean-up of abandoned partial uploads (for housekeeping). */
export async function registerPhotoRoutes(app: FastifyInstance, { db, dbKind, config, blobs, limits }: PhotoRoutesOptions): Promise<{ removeExpiredUploads(): Promise<number> }> {
  registerBlobRoutes(app, { db, dbKind, blobs, limits });
  const uploadLocker = createUploadLocker(config.databaseUrl, { log: app.log });
  // after in-flight uploads have finished (onClose runs once requests are done)
  app.addHook('onClose', async () => uploadLocker.close());
  return registerPhotoUploads(app, {
    uploadDir: uploadDirOf(config.dataDir),
    blobs,
    db,
    limits,
    maxPhotoBytes: config.maxPhotoBytes,
    authenticate: requireUser,
    locker: uploadLocker.locker,
  });
}
