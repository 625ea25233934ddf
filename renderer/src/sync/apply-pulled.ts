/**
 * How one pulled record lands on this device (pure; pull.ts runs it inside the page's
 * transaction). The one merge rule is shared/sync/merge.ts mergeRecord, fed with:
 *   - the local record, its fields versioned as the server last sent them (syncRecords), except
 *     fields with a change still in the outbox, which carry that change's HLC: a local edit not
 *     pushed yet survives a pull unless the server holds a NEWER write of that field (then the
 *     server would keep its value anyway when the edit arrives, so showing it now is right);
 *   - the pulled record (server data, versions, tombstone).
 * A record whose delete is still in the outbox stays deleted. A tombstone from the server
 * removes the local record. Fields the server does not know (never versioned) stay as they are.
 */
import { canonicalJson, mergeRecord, type FieldVersions, type VersionedRecord } from '@shared/sync/merge';
import type { PulledRecord } from '@shared/sync/protocol';
import type { ServerRecord } from './sync-tables';

/** Pending local change of a record: field → HLC of its newest outbox entry (null: not stamped yet). */
export interface PendingChange {
  fields: ReadonlyMap<string, string | null>;
  isDeleted: boolean;
}

export const noPendingChange: PendingChange = { fields: new Map(), isDeleted: false };

export interface LocalView {
  /** the record in the local table now (undefined: none) */
  record: Record<string, unknown> | undefined;
  /** what the server sent last time (undefined: never) */
  server: ServerRecord | undefined;
  pending: PendingChange;
}

export type ApplyDecision =
  | { kind: 'put'; record: Record<string, unknown> }
  | { kind: 'delete' }
  /** the local table stays as it is */
  | { kind: 'keep' }
  /** the merged record fails the collection's schema: not stored (reported, cursor still moves) */
  | { kind: 'invalid'; reason: string };

/** Greater than every HLC string: an unstamped local change (older release) wins until pushed. */
const UNSTAMPED = '\uffff';

export type ParseRecord = (data: Record<string, unknown>) => { success: true; data: unknown } | { success: false; error: { message: string } };

export function decideApply(view: LocalView, remote: PulledRecord, parse: ParseRecord): ApplyDecision {
  const { record, server, pending } = view;
  if (pending.isDeleted) return { kind: 'keep' };

  let local: VersionedRecord | null = null;
  if (record !== undefined) {
    const versions: FieldVersions = {};
    const serverVersions = server?.versions ?? {};
    for (const field of Object.keys(record)) {
      const pendingHlc = pending.fields.get(field);
      if (pending.fields.has(field)) versions[field] = pendingHlc ?? UNSTAMPED;
      else if (Object.prototype.hasOwnProperty.call(serverVersions, field)) versions[field] = serverVersions[field]!;
    }
    local = { data: record, versions, deleted: false };
  }
  const merged = mergeRecord(local, { data: remote.data, versions: remote.versions, deleted: remote.deleted });
  if (merged.deleted) return record === undefined ? { kind: 'keep' } : { kind: 'delete' };

  const parsed = parse(merged.data);
  if (!parsed.success) return { kind: 'invalid', reason: parsed.error.message };
  const next = parsed.data as Record<string, unknown>;
  if (record !== undefined && canonicalJson(next) === canonicalJson(record)) return { kind: 'keep' };
  return { kind: 'put', record: next };
}

/** Pending changes per record from outbox entries (newest entry per field wins). */
export function pendingChangesOf(
  entries: ReadonlyArray<{ seq: number; collection: string; recordId: string; changedFields: readonly string[]; hlc: string | null; deleted?: true }>,
): Map<string, PendingChange> {
  const byRecord = new Map<string, { fields: Map<string, string | null>; isDeleted: boolean }>();
  for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
    const key = recordKey(entry.collection, entry.recordId);
    let change = byRecord.get(key);
    if (!change) byRecord.set(key, (change = { fields: new Map(), isDeleted: false }));
    if (entry.deleted) change.isDeleted = true;
    else for (const field of entry.changedFields) change.fields.set(field, entry.hlc);
  }
  return byRecord;
}

export function recordKey(collection: string, id: string): string {
  return `${collection}\u0000${id}`;
}
