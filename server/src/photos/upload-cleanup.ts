/**
 * Removes abandoned partial uploads from the tus upload folder: an upload whose creation lies
 * more than `expiryMs` in the past, and stray files a crash left without their partner (a data
 * file without its `.json`, or a `.json` without its data file).
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

export async function removeExpiredUploads(uploadDir: string, expiryMs: number, now: Date = new Date()): Promise<number> {
  let names: string[];
  try {
    names = await fs.readdir(uploadDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const present = new Set(names);
  const cutoff = now.getTime() - expiryMs;
  let removed = 0;
  for (const name of names) {
    const isInfo = name.endsWith('.json');
    const id = isInfo ? name.slice(0, -'.json'.length) : name;
    if (!isInfo && present.has(`${id}.json`)) continue; // judged with its .json
    const createdAt = isInfo ? await creationTime(path.join(uploadDir, name)) : await modifiedTime(path.join(uploadDir, name));
    if (createdAt === null || createdAt > cutoff) continue;
    await fs.rm(path.join(uploadDir, id), { force: true });
    await fs.rm(path.join(uploadDir, `${id}.json`), { force: true });
    removed++;
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
