/**
 * Per-field last-writer-wins merge of synced records: the one merge rule of Guanmo, used by the
 * server when it applies a pushed mutation and by the desktop app when it applies a pulled record.
 *
 * Each field of a record carries the HLC timestamp (formatHlc string) of the write that set it.
 * For every field the entry with the greater (present, version, value) wins:
 *   1. a field that exists beats one that does not;
 *   2. a greater HLC string wins (fixed-width strings: string order = compareHlc, whose last
 *      part, the node id, already separates two devices writing in the same millisecond);
 *      a field without a version (never written through sync) loses to any versioned write;
 *   3. equal versions (only possible for the very same write, or a faulty client reusing a
 *      timestamp) fall back to the greater canonical JSON of the value, so even then every
 *      replica picks the same value.
 * Deletes are tombstones and sticky: `deleted` is the OR of both sides, and a later edit merges
 * into the tombstone instead of bringing the record back. The newest delete's timestamp is kept
 * in `versions[DELETED_VERSION_KEY]`.
 *
 * Because each field takes the maximum of a total order, merging is commutative, associative
 * and idempotent: replicas that have seen the same writes, in any order and any number of
 * times, hold the same record (see merge.property.test.ts).
 */

/** field name → HLC timestamp (formatHlc) of the write that set it */
export type FieldVersions = Record<string, string>;

export interface VersionedRecord {
  data: Record<string, unknown>;
  versions: FieldVersions;
  deleted: boolean;
}

/** The version entry of a record's deletion (not a data field: data fields never start with $). */
export const DELETED_VERSION_KEY = '$deleted';

export interface FieldChange {
  op: 'upsert' | 'delete';
  /** changed fields → new values (a delete may carry none) */
  fields: Readonly<Record<string, unknown>>;
  /** HLC timestamp of the change, stamped on every field it sets */
  hlc: string;
}

export interface MergeResult {
  record: VersionedRecord;
  /** data fields whose value changed */
  changedFields: string[];
  /** true when anything (a value, a version, the tombstone) differs from `current` */
  isChanged: boolean;
}

/** JSON with object keys sorted, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** <0 when field `key` of `a` loses to that of `b`, >0 when it wins, 0 when they are the same. */
function compareField(a: VersionedRecord, b: VersionedRecord, key: string): number {
  const aPresent = hasOwn(a.data, key);
  const bPresent = hasOwn(b.data, key);
  if (aPresent !== bPresent) return aPresent ? 1 : -1;
  if (!aPresent) return 0;
  const av = hasOwn(a.versions, key) ? a.versions[key] : undefined;
  const bv = hasOwn(b.versions, key) ? b.versions[key] : undefined;
  if (av !== bv) {
    if (av === undefined) return -1;
    if (bv === undefined) return 1;
    return av < bv ? -1 : 1;
  }
  const aj = canonicalJson(a.data[key]);
  const bj = canonicalJson(b.data[key]);
  return aj === bj ? 0 : aj < bj ? -1 : 1;
}

function maxVersion(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? b : a;
}

const emptyRecord: VersionedRecord = { data: {}, versions: {}, deleted: false };

/** Merges two replicas of one record (either may be null: not known there yet). */
export function mergeRecord(local: VersionedRecord | null, remote: VersionedRecord | null): VersionedRecord {
  const a = local ?? emptyRecord;
  const b = remote ?? emptyRecord;
  const data: Record<string, unknown> = {};
  const versions: FieldVersions = {};
  const keys = new Set([...Object.keys(a.data), ...Object.keys(b.data)]);
  for (const key of [...keys].sort()) {
    const winner = compareField(a, b, key) >= 0 ? a : b;
    data[key] = winner.data[key];
    const version = hasOwn(winner.versions, key) ? winner.versions[key] : undefined;
    if (version !== undefined) versions[key] = version;
  }
  const deleted = a.deleted || b.deleted;
  if (deleted) {
    const deletedAt = maxVersion(
      a.deleted ? a.versions[DELETED_VERSION_KEY] : undefined,
      b.deleted ? b.versions[DELETED_VERSION_KEY] : undefined,
    );
    if (deletedAt !== undefined) versions[DELETED_VERSION_KEY] = deletedAt;
  }
  return { data, versions, deleted };
}

/** The record a single change would make on its own (every field it sets stamped with its hlc). */
export function changeAsRecord(change: FieldChange): VersionedRecord {
  const data: Record<string, unknown> = {};
  const versions: FieldVersions = {};
  for (const [key, value] of Object.entries(change.fields)) {
    if (value === undefined) continue;
    data[key] = value;
    versions[key] = change.hlc;
  }
  const deleted = change.op === 'delete';
  if (deleted) versions[DELETED_VERSION_KEY] = change.hlc;
  return { data, versions, deleted };
}

/** Applies one change (a pushed mutation) to the current state of a record (null: new record). */
export function applyFieldChanges(current: VersionedRecord | null, change: FieldChange): MergeResult {
  const record = mergeRecord(current, changeAsRecord(change));
  return { record, ...diffRecords(current, record) };
}

/** What differs between two states of a record. */
export function diffRecords(before: VersionedRecord | null, after: VersionedRecord): { changedFields: string[]; isChanged: boolean } {
  const prev = before ?? emptyRecord;
  const changedFields: string[] = [];
  for (const key of new Set([...Object.keys(prev.data), ...Object.keys(after.data)])) {
    if (hasOwn(prev.data, key) !== hasOwn(after.data, key) || canonicalJson(prev.data[key]) !== canonicalJson(after.data[key])) {
      changedFields.push(key);
    }
  }
  const isChanged =
    before === null ||
    changedFields.length > 0 ||
    prev.deleted !== after.deleted ||
    canonicalJson(prev.versions) !== canonicalJson(after.versions);
  return { changedFields: changedFields.sort(), isChanged };
}
