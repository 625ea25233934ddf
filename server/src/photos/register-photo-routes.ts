/**
 * Photo bytes on the server: resumable uploads (tus) into a content-addressed blob store on disk
 * (`<data>/blobs/ab/cd/<sha256>`, partial uploads in `<data>/uploads/`), and HEAD/GET by hash.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { requireUser } from '../auth/require-user.js';
import { BlobStore } from '../blobs/blob-store.js';
import type { DbKind, ServerConfig } from '../config.js';
import type { Database } from '../db/schema.js';
import { registerBlobRoutes } from './blob-routes.js';
import { registerPhotoUploads } from './photo-uploads.js';
import { createUploadLocker } from './upload-locker.js';

export interface PhotoRoutesOptions {
  db: Kysely<Database>;
  dbKind: DbKind;
  config: Pick<ServerConfig, 'dataDir' | 'maxPhotoBytes' | 'databaseUrl'>;
}

export function blobDirOf(dataDir: string): string {
  return path.join(dataDir, 'blobs');
}

export function uploadDirOf(dataDir: string): string {
  return path.join(dataDir, 'uploads');
}

export async function registerPhotoRoutes(app: FastifyInstance, { db, dbKind, config }: PhotoRoutesOptions): Promise<void> {
  const blobs = new BlobStore(blobDirOf(config.dataDir));
  registerBlobRoutes(app, { db, dbKind, blobs });
  const uploadLocker = createUploadLocker(config.databaseUrl, { log: app.log });
  // after in-flight uploads have finished (onClose runs once requests are done)
  app.addHook('onClose', async () => uploadLocker.close());
  await registerPhotoUploads(app, {
    uploadDir: uploadDirOf(config.dataDir),
    blobs,
    maxPhotoBytes: config.maxPhotoBytes,
    authenticate: requireUser,
    locker: uploadLocker.locker,
  });
}
