/**
 * Who may download which photo bytes. Bytes are addressed by sha256 only; what gives them a
 * place (a stop of a tour) is a photo record in the record store (collection 'photos'): its
 * original (data.sha256) or its thumbnail (data.thumbSha256, a separate blob the importing
 * device uploads). A user may download the bytes when they may see a stop with a live photo
 * record referencing that hash either way: the staff (secretariat, admin) every stop, scorers
 * and observers the stops of the tours they take part in once published (the same rule as pull:
 * sync/access.ts). A thumbnail is thus exactly as visible as its photo.
 *
 * A record counts only when its author holds a claim on the bytes (blobs/blob-claims.ts: they
 * uploaded them, or answered a possession challenge): anyone can write a photo record naming a
 * hash they have seen, and without this rule such a record in a tour they still belong to would
 * hand the bytes of another tour's photo to everyone there (issue 14).
 *
 * The lookups by hash use the partial expression indexes `records_photo_sha256` (migration
 * 0003) and `records_photo_thumb_sha256` (0004): the expressions below must stay exactly those
 * of the indexes, and `collection = 'photos'` a literal, or the databases fall back to scanning
 * every photo. Two selects joined by `union all` (not one `or`) so that each uses its index.
 */
import { sql, type Kysely } from 'kysely';
import type { PhotoMeta } from '@shared/domain/schemas';
import type { DbKind } from '../config.js';
import type { Database } from '../db/schema.js';
import { claimantsOf } from '../blobs/blob-claims.js';
import { canSeeTour, loadViewerAccess, type Viewer } from '../sync/access.js';

export interface PhotoRef {
  id: string;
  tourId: string | null;
  /** the Content-Type of the bytes of this hash: the photo's for its original, JPEG for its thumbnail */
  mime: PhotoMeta['mime'] | null;
  /** whether the hash is this photo's original or its thumbnail */
  role: 'original' | 'thumbnail';
  /** the record's authorId (whose claim on the bytes makes the record count) */
  authorId: string | null;
}

/** Thumbnails are always JPEG (renderer/src/features/photos/process-photo.ts draws them). */
const thumbnailMime: PhotoMeta['mime'] = 'image/jpeg';

/**
 * Live photo records (neither a deleted row nor deletedAt set) whose original or thumbnail
 * bytes have this sha256.
 */
export async function findPhotosBySha256(db: Kysely<Database>, kind: DbKind, sha256: string): Promise<PhotoRef[]> {
  const shaOfData = kind === 'postgres' ? sql`(data::jsonb ->> 'sha256')` : sql`json_extract(data, '$.sha256')`;
  const thumbShaOfData = kind === 'postgres' ? sql`(data::jsonb ->> 'thumbSha256')` : sql`json_extract(data, '$.thumbSha256')`;
  const { rows } = await sql<{ id: string; tour_id: string | null; data: string; role: 'original' | 'thumbnail'; seq: number }>`
    select id, tour_id, data, 'original' as role, seq from records
    where collection = 'photos' and ${shaOfData} = ${sha256} and deleted = 0
    union all
    select id, tour_id, data, 'thumbnail' as role, seq from records
    where collection = 'photos' and ${thumbShaOfData} = ${sha256} and deleted = 0
    order by seq`.execute(db);
  return rows.flatMap((row) => {
    const data = JSON.parse(row.data) as Partial<PhotoMeta>;
    // a photo deleted in the app is a tombstone inside the record (deletedAt), not only a deleted row
    if (data.deletedAt) return [];
    const role = row.role === 'thumbnail' ? 'thumbnail' : 'original';
    return [{ id: row.id, tourId: row.tour_id, mime: role === 'thumbnail' ? thumbnailMime : (data.mime ?? null), role, authorId: typeof data.authorId === 'string' ? data.authorId : null }];
  });
}

export type PhotoAccess =
  /** no live photo record references the hash */
  | { kind: 'unknown' }
  | { kind: 'forbidden' }
  /** the viewer sees photo records of the hash, but no author of theirs holds the bytes (yet) */
  | { kind: 'unproven' }
  | { kind: 'allowed'; mime: PhotoMeta['mime'] | null };

export async function photoAccessFor(db: Kysely<Database>, kind: DbKind, viewer: Viewer, sha256: string): Promise<PhotoAccess> {
  const photos = await findPhotosBySha256(db, kind, sha256);
  if (photos.length === 0) return { kind: 'unknown' };
  const access = await loadViewerAccess(db, kind, viewer);
  const visible = photos.filter((p) => p.tourId !== null && canSeeTour(access, p.tourId));
  if (visible.length === 0) return { kind: 'forbidden' };
  const claimants = await claimantsOf(db, sha256);
  const backed = visible.filter((p) => p.authorId !== null && claimants.has(p.authorId));
  if (backed.length === 0) return { kind: 'unproven' };
  return { kind: 'allowed', mime: backed.find((p) => p.mime !== null)?.mime ?? null };
}
