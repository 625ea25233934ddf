/**
 * Removes abandoned partial uploads from the tus upload folder: an upload whose creation lies
 * more than `expiryMs` in the past, one that has received no byte for `idleMs` (its data file
 * untouched for that long), and stray files a crash left without their partner (a data file
 * without its `.json`, or a `.json` without its data file). With `db`, their rows in
 * pending_uploads go too (giving back what they reserved against the quotas and the cap on
 * unfinished uploads), as do rows whose files are long gone. Scheduled by housekeeping.ts.
 *
 * Done here rather than by the tus file store's expiration extension: with that extension on,
 * @tus/server re-reads a just-finished upload after onUploadFinish has moved it into the blob
 * store, and answers 410 to a creation-with-upload that succeeded.
 *
 * Safe to run in several processes sharing the folder at once: every removal tolerates a file
 * that another process removed first.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { pendingUploadIds, removePendingUpload } from '../blobs/blob-claims.js';
import type { Database } from '../db/schema.js';

export interface UploadExpiry {
  /** remove uploads created longer ago than this */
  expiryMs: number;
  /** and those whose bytes have not grown for this long (default: expiryMs) */
  idleMs?: number;
  /** forget the pending_uploads rows of what was removed */
  db?: Kysely<Database>;
}

export async function removeExpiredUploads(uploadDir: string, expiry: UploadExpiry | number, now: Date = new Date()): Promise<number> {
  const { expiryMs, idleMs = expiryMs, db } = typeof expiry === 'number' ? { expiryMs: expiry } : expiry;
  let names: string[];
  try {
    names = await fs.readdir(uploadDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    names = [];
  }
  const present = new Set(names);
  const cutoff = now.getTime() - expiryMs;
  const idleCutoff = now.getTime() - idleMs;
  let removed = 0;
  for (const name of names) {
    const isInfo = name.endsWith('.json');
    const id = isInfo ? name.slice(0, -'.json'.length) : name;
    if (!isInfo && present.has(`${id}.json`)) continue; // judged with its .json
    const createdAt = isInfo ? await creationTime(path.join(uploadDir, name)) : await modifiedTime(path.join(uploadDir, name));
    const lastByteAt = isInfo && present.has(id) ? await modifiedTime(path.join(uploadDir, id)) : createdAt;
    const isExpired = createdAt !== null && createdAt <= cutoff;
    const isIdle = lastByteAt !== null && lastByteAt <= idleCutoff;
    if (!isExpired && !isIdle) continue;
    await fs.rm(path.join(uploadDir, id), { force: true });
    await fs.rm(path.join(uploadDir, `${id}.json`), { force: true });
    if (db) await removePendingUpload(db, id);
    removed++;
  }
  if (db) {
    // rows of uploads whose files are gone (finished elsewhere, removed by another process, a crash)
    const left = new Set(await fs.readdir(uploadDir).catch(() => [] as string[]));
    for (const row of await pendingUploadIds(db)) {
      const isOld = Date.parse(row.createdAt) <= now.getTime() - 60 * 60 * 1000;
      if (isOld && !left.has(`${row.id}.json`)) await removePendingUpload(db, row.id);
    }
  }
  return removed;
}

/** creation_date recorded by tus, else the file's time; null when the file is gone */
async function creationTime(infoPath: string): Promise<number | null> {
  try {
    const info = JSON.parse(await fs.readFile(infoPath, 'utf8')) as { creation_date?: unknown };
    const created = typeof info.creation_date === 'string' ? Date.parse(info.creation_date) : NaN;
    if (Number.isFinite(created)) return created;
  } catch {
    // unreadable or half-written: fall back to the file's time
  }
  return modifiedTime(infoPath);
}

async function modifiedTime(filePath: string): Promise<number | null> {
  try {
    return (await fs.stat(filePath)).mtimeMs;
  } catch {
    return null;
  }
}
