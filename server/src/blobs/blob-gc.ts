/**
 * Garbage collection of photo bytes no photo record needs any more.
 *
 * A blob is removed only when all three hold:
 *   1. no live photo record references its hash: neither a deleted row nor a record with
 *      `deletedAt`; every field of the record whose name ends in `sha256` counts (`sha256` of the
 *      original, `thumbSha256` of its thumbnail, and any such field added later);
 *   2. it was stored (file mtime) more than the grace period ago;
 *   3. it has been seen unreferenced by collections for the whole grace period: the first
 *      collection that finds it unreferenced leaves a mark (`<root>/.unreferenced/<sha256>`, whose
 *      mtime is that moment), a collection that finds it referenced again removes the mark.
 *
 * Why (2) and (3). Clients upload bytes and push the record in either order, possibly days apart
 * (a laptop offline for a whole tour): bytes whose record has not arrived yet are unreferenced
 * but young, and (2) keeps them. A laptop that sees HEAD 200 for a hash (the same photo already
 * uploaded by someone else) skips the upload and may push its record days later; if the other
 * record was deleted meanwhile, (3) keeps the bytes for the grace period after that deletion.
 * When the server tells a client it has a blob (an upload of existing bytes, HEAD), it calls
 * BlobStore.keep(), which resets both clocks. With the default 7 days, a laptop must come back
 * within a week, which is longer than any tour.
 *
 * Several server processes may collect at once: every step tolerates a file another process
 * removed first. Marks live beside the blobs, so every process sharing the store shares them.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { forgetClaims } from './blob-claims.js';
import { isSha256Hex, type BlobStore } from './blob-store.js';

export const defaultBlobGraceMs = 7 * 24 * 60 * 60 * 1000;

export interface BlobGcOptions {
  /** see the module comment; default 7 days */
  graceMs?: number;
  /** report what would be removed; change nothing (no marks either) */
  dryRun?: boolean;
  now?: Date;
}

export interface BlobGcResult {
  /** blobs removed (dry run: that would be removed) */
  removed: Array<{ sha256: string; size: number }>;
  removedBytes: number;
  /** unreferenced blobs kept because their grace period has not passed */
  waiting: number;
  /** blobs a live photo record references */
  referenced: number;
  dryRun: boolean;
}

/** Every hash a live photo record references (original, thumbnail, any `…sha256` field). */
export async function referencedBlobHashes(db: Kysely<Database>): Promise<Set<string>> {
  const hashes = new Set<string>();
  const pageSize = 5000;
  let after = '';
  for (;;) {
    // keyset pages by id: bounded memory however many photos there are
    const rows = await db
      .selectFrom('records')
      .select(['id', 'data'])
      .where('collection', '=', 'photos')
      .where('deleted', '=', 0)
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    for (const row of rows) collectHashes(row.data, hashes);
    if (rows.length < pageSize) return hashes;
    after = rows[rows.length - 1]!.id;
  }
}

function collectHashes(json: string, into: Set<string>): void {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return;
  }
  if (typeof data !== 'object' || data === null) return;
  const record = data as Record<string, unknown>;
  if (record.deletedAt) return; // a photo deleted in the app: a tombstone inside the record
  for (const [key, value] of Object.entries(record)) {
    if (/sha256$/i.test(key) && typeof value === 'string' && isSha256Hex(value)) into.add(value);
  }
}

export async function collectBlobGarbage(db: Kysely<Database>, blobs: BlobStore, options: BlobGcOptions = {}): Promise<BlobGcResult> {
  const graceMs = options.graceMs ?? defaultBlobGraceMs;
  const now = (options.now ?? new Date()).getTime();
  const isDryRun = options.dryRun ?? false;
  // Read the references BEFORE listing the files: bytes stored after this read are young and
  // kept by the stored-time rule, whatever the list says.
  const referenced = await referencedBlobHashes(db);
  const result: BlobGcResult = { removed: [], removedBytes: 0, waiting: 0, referenced: 0, dryRun: isDryRun };
  const marked = new Set(await blobs.listUnreferencedMarks());

  for await (const blob of blobs.list()) {
    if (referenced.has(blob.sha256)) {
      result.referenced++;
      if (marked.has(blob.sha256) && !isDryRun) await blobs.clearUnreferencedMark(blob.sha256);
      continue;
    }
    const markedAt = marked.has(blob.sha256) ? await blobs.unreferencedMarkTime(blob.sha256) : null;
    if (markedAt === null && !isDryRun) await blobs.markUnreferenced(blob.sha256, new Date(now));
    const unreferencedFor = markedAt === null ? 0 : now - markedAt;
    const storedFor = now - blob.mtimeMs;
    if (storedFor < graceMs || unreferencedFor < graceMs) {
      result.waiting++;
      continue;
    }
    if (!isDryRun && !(await blobs.remove(blob.sha256))) continue; // another process was first
    // whoever held the bytes no longer does: uploading them again claims them anew
    if (!isDryRun) await forgetClaims(db, blob.sha256);
    result.removed.push({ sha256: blob.sha256, size: blob.size });
    result.removedBytes += blob.size;
  }

  // marks whose blob is gone (removed by another process, or by hand)
  if (!isDryRun) {
    for (const sha256 of marked) if (!(await blobs.has(sha256))) await blobs.clearUnreferencedMark(sha256);
  }
  return result;
}

export function formatBytesShort(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}
