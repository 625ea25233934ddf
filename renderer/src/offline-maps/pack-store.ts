/**
 * Offline basemap packs on this device (IndexedDB, in the browser and in Electron alike): a pack's
 * description and progress (tilePacks) and its bytes in chunks (tilePackChunks). Every write is a
 * `rw` transaction, so a chunk and the progress that counts it are stored together or not at all:
 * after a crash or a closed laptop the download resumes exactly after the last stored chunk, with
 * the sha256 of everything before it.
 *
 * What must stay true:
 * - A pack is `ready` only when all `size` bytes are stored and their sha256 is the pack's:
 *   markReady checks both. A pack that fails the check is deleted whole (discardPack), never kept.
 * - Readers only ever open `ready` packs; a pack being replaced stays readable until the new one
 *   of its tour is ready, then goes.
 */
import type { TilePack } from '@shared/maps/pack-protocol';
import { Sha256 } from '@shared/photos/sha256';
import type { TilePackNotice, TilePackRecord } from '../db/entities';
import type { GuanmoDb } from '../db/guanmo-db';
import { getMeta } from '../db/meta-repo';

/** Bytes per stored chunk: small enough to lose little when a download breaks, big enough to keep records few. */
export const PACK_CHUNK_BYTES = 1024 * 1024;

/** How many notices are kept (newest first). */
const MAX_NOTICES = 20;

export class PackGoneError extends Error {
  override readonly name = 'PackGoneError';
}

export class PackVerificationError extends Error {
  override readonly name = 'PackVerificationError';
}

const packTables = (db: GuanmoDb) => [db.tilePacks, db.tilePackChunks];

/** The pack's record, created for a download (or returned as it is when it exists). */
export function beginPack(db: GuanmoDb, pack: TilePack, now = new Date(), chunkBytes = PACK_CHUNK_BYTES): Promise<TilePackRecord> {
  return db.transaction('rw', db.tilePacks, async () => {
    const existing = await db.tilePacks.get(pack.sha256);
    if (existing) {
      if (existing.state === 'noSpace') {
        const resumed: TilePackRecord = { ...existing, state: 'downloading', updatedAt: now.toISOString() };
        await db.tilePacks.put(resumed);
        return resumed;
      }
      return existing;
    }
    const record: TilePackRecord = {
      sha256: pack.sha256,
      tourId: pack.tourId,
      pack,
      state: 'downloading',
      bytesStored: 0,
      chunkBytes,
      chunkCount: 0,
      hash: new Sha256().state(),
      startedAt: now.toISOString(),
      updatedAt: now.toISOString(),
      readyAt: null,
      lastOpenedAt: null,
    };
    await db.tilePacks.put(record);
    return record;
  });
}

/**
 * Stores the next chunk (`bytes` must start at the record's bytesStored) and the hash that now
 * covers it, in one transaction. Throws PackGoneError when the pack was deleted meanwhile (evicted,
 * or replaced), so the download stops.
 */
export function appendChunk(db: GuanmoDb, sha256: string, bytes: Uint8Array, now = new Date()): Promise<TilePackRecord> {
  return db.transaction('rw', packTables(db), async () => {
    const record = await db.tilePacks.get(sha256);
    if (!record || record.state === 'ready') throw new PackGoneError(`pack ${sha256} is no longer being downloaded`);
    const isLast = record.bytesStored + bytes.length >= record.pack.size;
    if (bytes.length !== record.chunkBytes && !isLast) throw new Error(`a chunk of ${bytes.length} bytes where ${record.chunkBytes} are expected`);
    if (record.bytesStored + bytes.length > record.pack.size) throw new PackVerificationError(`more bytes than the pack's ${record.pack.size}`);
    const hash = new Sha256(record.hash).update(bytes).state();
    await db.tilePackChunks.put({ sha256, index: record.chunkCount, blob: new Blob([bytes as Uint8Array<ArrayBuffer>]) });
    const next: TilePackRecord = { ...record, bytesStored: record.bytesStored + bytes.length, chunkCount: record.chunkCount + 1, hash, updatedAt: now.toISOString() };
    await db.tilePacks.put(next);
    return next;
  });
}

/**
 * Marks a completely stored pack ready when its bytes hash to its sha256 — and then deletes the
 * tour's older packs. A pack that does not match is deleted whole and PackVerificationError thrown.
 */
export async function markReady(db: GuanmoDb, sha256: string, now = new Date()): Promise<TilePackRecord> {
  const verdict = await db.transaction('rw', packTables(db), async () => {
    const record = await db.tilePacks.get(sha256);
    if (!record) throw new PackGoneError(`pack ${sha256} is gone`);
    if (record.state === 'ready') return { record, isValid: true };
    const isComplete = record.bytesStored === record.pack.size;
    const isValid = isComplete && new Sha256(record.hash).hex() === sha256;
    if (!isValid) {
      await deletePackRows(db, sha256);
      return { record, isValid: false };
    }
    const ready: TilePackRecord = { ...record, state: 'ready', readyAt: now.toISOString(), updatedAt: now.toISOString() };
    await db.tilePacks.put(ready);
    for (const older of await db.tilePacks.where('tourId').equals(record.tourId).toArray()) {
      if (older.sha256 !== sha256) await deletePackRows(db, older.sha256);
    }
    return { record: ready, isValid: true };
  });
  if (!verdict.isValid) {
    throw new PackVerificationError(
      verdict.record.bytesStored === verdict.record.pack.size ? `the downloaded pack does not hash to ${sha256}` : `only ${verdict.record.bytesStored} of ${verdict.record.pack.size} bytes arrived`,
    );
  }
  return verdict.record;
}

/** Marks a pack that waits for space (the user is told, see addNotice). */
export function markNoSpace(db: GuanmoDb, sha256: string, now = new Date()): Promise<void> {
  return db.transaction('rw', db.tilePacks, async () => {
    const record = await db.tilePacks.get(sha256);
    if (record && record.state !== 'ready') await db.tilePacks.put({ ...record, state: 'noSpace', updatedAt: now.toISOString() });
  });
}

/** Deletes a pack and its chunks (eviction, a failed check, a superseded download). */
export function discardPack(db: GuanmoDb, sha256: string): Promise<void> {
  return db.transaction('rw', packTables(db), () => deletePackRows(db, sha256));
}

async function deletePackRows(db: GuanmoDb, sha256: string): Promise<void> {
  await db.tilePackChunks.where('[sha256+index]').between([sha256, 0], [sha256, Infinity]).delete();
  await db.tilePacks.delete(sha256);
}

export function listPacks(db: GuanmoDb): Promise<TilePackRecord[]> {
  return db.tilePacks.toArray();
}

/** The tour's packs: the ready one (if any) and one being downloaded (if any). */
export async function packsOfTour(db: GuanmoDb, tourId: string): Promise<{ ready: TilePackRecord | null; pending: TilePackRecord | null }> {
  const records = await db.tilePacks.where('tourId').equals(tourId).toArray();
  const ready = records.filter((r) => r.state === 'ready').sort((a, b) => (b.readyAt ?? '').localeCompare(a.readyAt ?? ''))[0] ?? null;
  const pending = records.find((r) => r.state !== 'ready') ?? null;
  return { ready, pending };
}

/** The stored chunks of a ready pack, in order (Blob handles: no bytes are read here). */
export async function packChunks(db: GuanmoDb, record: TilePackRecord): Promise<Blob[]> {
  const chunks = await db.tilePackChunks.where('[sha256+index]').between([record.sha256, 0], [record.sha256, Infinity]).toArray();
  if (chunks.length !== record.chunkCount || chunks.some((c, i) => c.index !== i)) throw new PackGoneError(`pack ${record.sha256} has ${chunks.length} of ${record.chunkCount} chunks`);
  return chunks.map((c) => c.blob);
}

/** Remembers that a map used the pack (eviction under storage pressure keeps recently used packs). */
export function touchPack(db: GuanmoDb, sha256: string, now = new Date()): Promise<void> {
  return db.transaction('rw', db.tilePacks, async () => {
    const record = await db.tilePacks.get(sha256);
    if (record) await db.tilePacks.put({ ...record, lastOpenedAt: now.toISOString() });
  });
}

/** Tells the user something the app did to offline maps by itself (shown until read). */
export function addNotice(db: GuanmoDb, notice: TilePackNotice): Promise<void> {
  return db.transaction('rw', db.meta, async () => {
    const notices = (await getMeta(db, 'tilePackNotices')) ?? [];
    const same = (n: TilePackNotice) => n.tourId === notice.tourId && n.kind === notice.kind;
    await db.meta.put({ key: 'tilePackNotices', value: [notice, ...notices.filter((n) => !same(n))].slice(0, MAX_NOTICES) });
  });
}

export function clearNotices(db: GuanmoDb): Promise<void> {
  return db.transaction('rw', db.meta, async () => {
    await db.meta.put({ key: 'tilePackNotices', value: [] });
  });
}
