/**
 * Settings → 导入未同步的工作: a `.guanmo` file merged into this device's outbox exactly as if
 * its work had been typed here.
 *
 *   readCarriedFile  checks, decrypts and validates the whole file, verifies every photo's bytes
 *                    against its sha256, and summarises it (nothing written yet);
 *   mergeCarried     writes it in ONE rw transaction: the outbox entries with their own mutation
 *                    ids, HLCs and changed fields (so the server answers `duplicate` for anything
 *                    it already has, and never applies a change twice); each record's changed
 *                    fields set as the original edit set them, unless this device holds a newer
 *                    version of that field (a later local edit, or what the server sent), per
 *                    field by HLC as the server merges; photo bytes stored as pending uploads.
 *
 * What must stay true:
 * - All or nothing: a record that fails its schema aborts the transaction; nothing is written.
 * - Re-importing a file changes nothing (its export id is remembered, and so is every mutation
 *   id it held: another export of the same laptop skips the entries already imported).
 * - No await of anything but Dexie inside the transaction (IndexedDB would commit it early):
 *   decryption and hashing happen in readCarriedFile.
 */
import { formatHlc, HlcClock, parseHlc } from '@shared/sync/hlc';
import type { CarryImport, OutboxEntry, PhotoBlob, PhotoPreview, SyncedCollection } from '../../db/entities';
import { syncedCollections } from '../../db/entities';
import type { GuanmoDb } from '../../db/guanmo-db';
import { ensureClientId, getMeta } from '../../db/meta-repo';
import { collectionSchemas } from '../../db/outbox';
import { getCarryKey } from '../../sync/carry-keys';
import { syncRecordsTable } from '../../sync/sync-tables';
import { newestHlc } from '../../sync/unsynced-work';
import { CarryFileError, openCarryFile, sha256Hex, type CarryHeader } from './carry-file';
import { carryPayloadSchema, summarizePayload, type CarryEntry, type CarryPayload } from './carry-payload';

export interface CarriedFile {
  header: CarryHeader;
  payload: CarryPayload;
  summary: ReturnType<typeof summarizePayload>;
  /** photo originals by sha256, verified */
  blobs: Map<string, Blob>;
  previews: PhotoPreview[];
  /** this file was imported here before: importing again changes nothing */
  isAlreadyImported: boolean;
}

function slice(bytes: Uint8Array<ArrayBuffer>, span: { offset: number; size: number }): Uint8Array<ArrayBuffer> {
  if (span.offset + span.size > bytes.byteLength) throw new CarryFileError('invalidContent', 'a photo lies outside the file');
  return bytes.slice(span.offset, span.offset + span.size);
}

/** Reads a file for the signed-in user. Throws CarryFileError; writes nothing. */
export async function readCarriedFile(db: GuanmoDb, file: Uint8Array<ArrayBuffer>, signedInUserId: string): Promise<CarriedFile> {
  const opened = await openCarryFile(file, signedInUserId, async (userId, keyId) => (await getCarryKey(db, userId, keyId))?.key ?? null);
  const parsed = carryPayloadSchema.safeParse(opened.json);
  if (!parsed.success) throw new CarryFileError('invalidContent', parsed.error.issues[0]?.message ?? 'invalid payload');
  const payload = parsed.data;
  const blobs = new Map<string, Blob>();
  for (const b of payload.blobs) {
    const bytes = slice(opened.bytes, b);
    if ((await sha256Hex(bytes)) !== b.sha256) throw new CarryFileError('damaged', `photo ${b.sha256.slice(0, 8)} does not match its checksum`);
    blobs.set(b.sha256, new Blob([bytes], { type: b.type }));
  }
  const previews: PhotoPreview[] = [];
  for (const p of payload.previews) {
    const thumb = slice(opened.bytes, p.thumb);
    if (p.thumbSha256 && (await sha256Hex(thumb)) !== p.thumbSha256) throw new CarryFileError('damaged', 'a thumbnail does not match its checksum');
    previews.push({
      sha256: p.sha256,
      thumb: new Blob([thumb], { type: 'image/jpeg' }),
      display: p.display ? new Blob([slice(opened.bytes, p.display)], { type: 'image/jpeg' }) : null,
      ...(p.thumbSha256 ? { thumbSha256: p.thumbSha256 } : {}),
    });
  }
  const imports = (await getMeta(db, 'carryImports')) ?? [];
  return { header: opened.header, payload, summary: summarizePayload(payload), blobs, previews, isAlreadyImported: imports.some((i) => i.exportId === opened.header.exportId) };
}

export interface MergeResult {
  status: 'imported' | 'alreadyImported';
  /** outbox entries added */
  entries: number;
  /** records written (created, updated or deleted) */
  records: number;
  /** photo originals stored (not here before) */
  photos: number;
}

const maxHlc = (a: string | null | undefined, b: string | null | undefined) => (!a ? (b ?? null) : !b ? a : a > b ? a : b);

export async function mergeCarried(db: GuanmoDb, file: CarriedFile, now: () => Date = () => new Date()): Promise<MergeResult> {
  const { header, payload } = file;
  const tables = [db.outbox, db.meta, db.photoBlobs, db.photoPreviews, syncRecordsTable(db), ...syncedCollections.map((c) => db.table(c))];
  return db.transaction('rw', tables, async () => {
    const imports = (await getMeta(db, 'carryImports')) ?? [];
    if (imports.some((i) => i.exportId === header.exportId)) return { status: 'alreadyImported', entries: 0, records: 0, photos: 0 };
    const imported = new Set(imports.flatMap((i) => i.mutationIds));

    const fresh: CarryEntry[] = [];
    for (const entry of payload.entries) {
      if (imported.has(entry.mutationId)) continue;
      if ((await db.outbox.where('mutationId').equals(entry.mutationId).count()) > 0) continue;
      fresh.push(entry);
    }

    // records, one group of entries per record
    const groups = new Map<string, CarryEntry[]>();
    for (const entry of fresh) {
      const key = `${entry.collection}\u0000${entry.recordId}`;
      groups.set(key, [...(groups.get(key) ?? []), entry]);
    }
    const carriedRecords = new Map(payload.records.map((r) => [`${r.collection}\u0000${r.id}`, r.record]));
    let records = 0;
    for (const [key, group] of groups) {
      const { collection, recordId } = group[0]!;
      const carried = carriedRecords.get(key) ?? null;
      if (await mergeRecord(db, collection, recordId, group, carried)) records++;
    }

    // outbox entries in the file's order, after this device's own
    for (const entry of fresh) {
      const added: Omit<OutboxEntry, 'seq'> = {
        mutationId: entry.mutationId,
        collection: entry.collection,
        recordId: entry.recordId,
        changedFields: entry.changedFields,
        hlc: entry.hlc,
        createdAt: entry.createdAt,
        ...(entry.deleted ? { deleted: true as const } : {}),
      };
      await db.outbox.add(added as OutboxEntry);
    }
    await advanceClock(db, newestHlc(fresh), now().getTime());

    let photos = 0;
    for (const [sha256, blob] of file.blobs) {
      if (await db.photoBlobs.get(sha256)) continue;
      const stored: PhotoBlob = { sha256, blob, uploadState: 'pending' };
      await db.photoBlobs.add(stored);
      photos++;
    }
    for (const preview of file.previews) {
      if (!(await db.photoPreviews.get(preview.sha256))) await db.photoPreviews.add(preview);
    }

    const record: CarryImport = {
      exportId: header.exportId,
      fromClientId: header.fromDevice.clientId,
      fromDeviceName: header.fromDevice.name,
      throughHlc: newestHlc(payload.entries),
      mutationIds: payload.entries.map((e) => e.mutationId),
      exportedAt: header.exportedAt,
      importedAt: now().toISOString(),
    };
    await db.meta.put({ key: 'carryImports', value: [...imports, record] });
    return { status: 'imported', entries: fresh.length, records, photos };
  });
}

/**
 * One record: the carried entries' fields (or their delete) applied where they are newer than
 * what this device holds for that field. Returns whether the record was written.
 */
async function mergeRecord(db: GuanmoDb, collection: SyncedCollection, recordId: string, group: readonly CarryEntry[], carried: Record<string, unknown> | null): Promise<boolean> {
  const table = db.table<Record<string, unknown>, string>(collection);
  const local = await table.get(recordId);
  const server = await syncRecordsTable(db).get([collection, recordId]);
  const ownEntries = await db.outbox.where('[collection+recordId]').equals([collection, recordId]).toArray();
  /** the newest version of a field this device already holds */
  const heldVersion = (field: string): string | null => {
    let newest = server?.versions[field] ?? null;
    for (const e of ownEntries) if (e.deleted || e.changedFields.includes(field)) newest = maxHlc(newest, e.hlc);
    return newest;
  };
  const isNewer = (hlc: string | null, field: string) => {
    const held = heldVersion(field);
    return held === null || (hlc !== null && hlc > held);
  };

  const lastDelete = [...group].reverse().find((e) => e.deleted);
  const lastEdit = [...group].reverse().find((e) => !e.deleted);
  const isDeleteLast = lastDelete !== undefined && (lastEdit === undefined || (lastDelete.hlc ?? '') >= (lastEdit.hlc ?? ''));
  if (isDeleteLast || carried === null) {
    if (local === undefined || !lastDelete || !isNewer(lastDelete.hlc, 'deleted')) return false;
    await table.delete(recordId);
    return true;
  }

  // field → hlc of the last carried entry that set it
  const carriedVersion = new Map<string, string | null>();
  for (const e of group) if (!e.deleted) for (const field of e.changedFields) carriedVersion.set(field, e.hlc);
  let next: Record<string, unknown>;
  if (local === undefined) {
    next = { ...carried };
  } else {
    next = { ...local };
    let isChanged = false;
    for (const [field, hlc] of carriedVersion) {
      if (!isNewer(hlc, field)) continue;
      if (carried[field] === undefined) delete next[field];
      else next[field] = carried[field];
      isChanged = true;
    }
    if (!isChanged) return false;
  }
  const parsed = collectionSchemas[collection].safeParse(next);
  if (!parsed.success) throw new CarryFileError('invalidContent', `${collection} ${recordId}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  await table.put(parsed.data as Record<string, unknown>);
  return true;
}

/** This device's clock moves past the carried stamps, so its next edit is newer than any of them. */
async function advanceClock(db: GuanmoDb, newest: string | null, now: number): Promise<void> {
  if (newest === null) return;
  const clientId = await ensureClientId(db);
  const last = await getMeta(db, 'hlc');
  if (last && newest <= last) return;
  const clock = new HlcClock(clientId, { initial: last ? parseHlc(last) : undefined, maxDriftMs: Number.MAX_SAFE_INTEGER });
  await db.meta.put({ key: 'hlc', value: formatHlc(clock.receive(parseHlc(newest), now)) });
}
