/**
 * Who may download which photo bytes. Bytes are addressed by sha256 only; what gives them a
 * place (a stop of a tour) is a photo record in the record store (collection 'photos',
 * data.sha256). A user may download the bytes when they may see a stop with a live photo record
 * referencing that hash: the staff (secretariat, admin) every stop, scorers and observers the
 * stops of the tours they take part in once published (the same rule as pull: sync/access.ts).
 *
 * The lookup by hash uses the partial expression index `records_photo_sha256` (migration
 * 0003): the expressions below must stay exactly those of the index, and `collection =
 * 'photos'` a literal, or the databases fall back to scanning every photo.
 */
import { sql, type Kysely } from 'kysely';
import type { PhotoMeta } from '@shared/domain/schemas';
import type { DbKind } from '../config.js';
import type { Database } from '../db/schema.js';
import { canSeeTour, loadViewerAccess, type Viewer } from '../sync/access.js';

export interface PhotoRef {
  id: string;
  tourId: string | null;
  mime: PhotoMeta['mime'] | null;
}

/** Live photo records (neither a deleted row nor deletedAt set) whose bytes have this sha256. */
export async function findPhotosBySha256(db: Kysely<Database>, kind: DbKind, sha256: string): Promise<PhotoRef[]> {
  const shaOfData = kind === 'postgres' ? sql`(data::jsonb ->> 'sha256')` : sql`json_extract(data, '$.sha256')`;
  const { rows } = await sql<{ id: string; tour_id: string | null; data: string }>`
    select id, tour_id, data from records
    where collection = 'photos' and ${shaOfData} = ${sha256} and deleted = 0
    order by seq`.execute(db);
  return rows.flatMap((row) => {
    const data = JSON.parse(row.data) as Partial<PhotoMeta>;
    // a photo deleted in the app is a tombstone inside the record (deletedAt), not only a deleted row
    if (data.deletedAt) return [];
    return [{ id: row.id, tourId: row.tour_id, mime: data.mime ?? null }];
  });
}

export type PhotoAccess =
  /** no live photo record references the hash */
  | { kind: 'unknown' }
  | { kind: 'forbidden' }
  | { kind: 'allowed'; mime: PhotoMeta['mime'] | null };

export async function photoAccessFor(db: Kysely<Database>, kind: DbKind, viewer: Viewer, sha256: string): Promise<PhotoAccess> {
  const photos = await findPhotosBySha256(db, kind, sha256);
  if (photos.length === 0) return { kind: 'unknown' };
  const access = await loadViewerAccess(db, kind, viewer);
  const visible = photos.filter((p) => p.tourId !== null && canSeeTour(access, p.tourId));
  if (visible.length === 0) return { kind: 'forbidden' };
  return { kind: 'allowed', mime: visible.find((p) => p.mime !== null)?.mime ?? null };
}
