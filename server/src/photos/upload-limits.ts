/**
 * What one user (and one tour) may store on the server, and how fast, so that no signed-in role
 * can fill the disk (issue 14):
 *
 * - per-user quota: the bytes the user's uploads brought to the server (claims 'stored'), plus
 *   what their unfinished uploads reserve (Upload-Length), at most `perUserBytes`;
 * - per-tour quota: the same per tour (every upload names its tour: tus metadata `tourId`, the
 *   batch header Guanmo-Tour), at most `perTourBytes`;
 * - at most `maxPendingPerUser` unfinished tus uploads per user;
 * - token buckets per user for starting uploads (tus creations, thumbnail batches) and for the
 *   bytes sent (Content-Length of each PATCH, creation-with-upload POST and batch).
 * Over a quota: 413 `quota_exceeded` / `tour_quota_exceeded`; too many or too fast: 429
 * `too_many_uploads` / `too_many_pending_uploads` / `upload_rate_limited` with Retry-After. The
 * app shows what each means (renderer/src/sync/photo-upload.ts). Only uploads that put new bytes on
 * the server count against the quotas; bytes the server had already cost nothing.
 *
 * The checks run when an upload starts; several processes (or requests) starting uploads at the
 * same instant may each pass a check the sum would fail: the quotas are a bound on abuse, exact
 * to within a few uploads. The rate buckets hold for the whole deployment (auth/shared-buckets.ts:
 * in the database on PostgreSQL, in memory on SQLite's single process), as for sync.
 */
import type { Kysely } from 'kysely';
import type { Role } from '@shared/domain/schemas';
import { createRateBuckets, type RateBuckets } from '../auth/shared-buckets.js';
import { tourStorageUse, userStorageUse } from '../blobs/blob-claims.js';
import type { DbKind, UploadLimitsConfig } from '../config.js';
import type { Database } from '../db/schema.js';
import { HttpError } from '../http/errors.js';
import { userCanSeeTour } from '../sync/access.js';

export interface LimitedUser {
  id: string;
  role: Role;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

function retryAfter(ms: number): Record<string, string> {
  return { 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))) };
}

export class UploadLimits {
  private readonly creations: RateBuckets | null;
  private readonly bytes: RateBuckets | null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly kind: DbKind,
    readonly config: UploadLimitsConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.creations = config.creations ? createRateBuckets(db, kind, 'upload_creations', config.creations) : null;
    this.bytes = config.bytes ? createRateBuckets(db, kind, 'upload_bytes', config.bytes) : null;
  }

  /** The tour an upload names: the user must take part in it (staff: any). Throws HttpError. */
  async checkTour(user: LimitedUser, tourId: string | undefined | null): Promise<string> {
    if (typeof tourId !== 'string' || tourId.length === 0 || tourId.length > 128) {
      throw new HttpError(400, 'invalid_metadata', 'Name the tour the photo belongs to (tus metadata tourId, or the Guanmo-Tour header of a batch)');
    }
    if (!(await userCanSeeTour(this.db, this.kind, user, tourId))) {
      throw new HttpError(403, 'forbidden', 'You can upload photos only for tours you take part in');
    }
    return tourId;
  }

  /** Counts an upload start against the user's creation rate. Throws 429. */
  async takeCreation(user: LimitedUser): Promise<void> {
    const waitMs = (await this.creations?.take(user.id, this.now())) ?? 0;
    if (waitMs > 0) throw new HttpError(429, 'too_many_uploads', `Too many uploads started; try again in ${Math.ceil(waitMs / 1000)} s`, retryAfter(waitMs));
  }

  /** Counts `bytes` about to be received against the user's byte rate. Throws 429. */
  async takeBytes(user: LimitedUser, bytes: number): Promise<void> {
    if (bytes <= 0) return;
    const waitMs = (await this.bytes?.take(user.id, this.now(), bytes)) ?? 0;
    if (waitMs > 0) throw new HttpError(429, 'upload_rate_limited', `Photos are arriving faster than the server takes them from one account; try again in ${Math.ceil(waitMs / 1000)} s`, retryAfter(waitMs));
  }

  /**
   * Whether `size` more bytes fit the user's and the tour's quotas, and (for a tus upload, which
   * stays pending until its last byte) one more unfinished upload. Throws 413 / 429.
   */
  async checkRoom(user: LimitedUser, tourId: string, size: number, options: { isPending: boolean }): Promise<void> {
    const { perUserBytes, perTourBytes, maxPendingPerUser } = this.config;
    if (perUserBytes !== null || maxPendingPerUser !== null) {
      const use = await userStorageUse(this.db, user.id);
      if (options.isPending && maxPendingPerUser !== null && use.pendingUploads >= maxPendingPerUser) {
        throw new HttpError(
          429,
          'too_many_pending_uploads',
          `You have ${use.pendingUploads} unfinished photo uploads on the server (at most ${maxPendingPerUser}); finish those first`,
          retryAfter(60_000),
        );
      }
      if (perUserBytes !== null && use.storedBytes + use.pendingBytes + size > perUserBytes) {
        throw new HttpError(413, 'quota_exceeded', `Your photo storage on the server is full: ${formatBytes(use.storedBytes + use.pendingBytes)} of ${formatBytes(perUserBytes)} used; ask the secretariat`);
      }
    }
    if (perTourBytes !== null) {
      const use = await tourStorageUse(this.db, tourId);
      if (use.storedBytes + use.pendingBytes + size > perTourBytes) {
        throw new HttpError(413, 'tour_quota_exceeded', `The photo storage of this tour is full: ${formatBytes(use.storedBytes + use.pendingBytes)} of ${formatBytes(perTourBytes)} used; ask the secretariat`);
      }
    }
  }
}
