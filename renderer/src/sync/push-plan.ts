/**
 * Outbox entries → the mutations of a push (pure; push.ts does the I/O).
 *
 * Each entry names the fields a local change set; the values sent are the record's CURRENT
 * local values of those fields. Several entries of one record are folded: every field is sent
 * once, stamped with the HLC of the LAST entry that changed it (so the server sees exactly the
 * per-field versions the edits had), under that entry's mutation id. Entries that are the last
 * for no field ride along with the record's newest mutation: they are done when it is.
 * A record the server has not sent back yet (no syncRecords entry: possibly new there) goes as
 * ONE mutation with all its changed fields, since the server validates the whole record each
 * mutation produces.
 *
 * What must stay true:
 * - Every entry given ends up either in exactly one planned mutation (`entrySeqs`) or in
 *   `obsolete` (nothing left to send: the record is gone locally and was never deleted through
 *   sync); nothing is silently lost from the plan.
 * - Mutation ids are the entries' own ids, so re-sending after a lost answer is answered
 *   `duplicate` by the server.
 */
import { MAX_PUSH_BYTES, MAX_PUSH_MUTATIONS, type Mutation } from '@shared/sync/protocol';
import type { OutboxEntry } from '../db/entities';

export interface PlannedMutation {
  mutation: Mutation;
  /** the outbox entries this mutation completes */
  entrySeqs: number[];
}

export interface PushPlan {
  mutations: PlannedMutation[];
  /** entries with nothing to send (their record vanished locally without a delete to sync) */
  obsolete: number[];
}

export interface RecordLookup {
  /** the record as stored locally now (undefined: not there, e.g. deleted) */
  local(collection: string, id: string): Record<string, unknown> | undefined;
  /**
   * the tour id the server knows the record under (for deletes of records gone locally);
   * undefined when the server has never sent this record (it may be new there)
   */
  serverTourId(collection: string, id: string): string | null | undefined;
}

type StampedEntry = OutboxEntry & { hlc: string };

export function planPush(entries: readonly StampedEntry[], lookup: RecordLookup): PushPlan {
  const groups = new Map<string, StampedEntry[]>();
  for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
    const key = `${entry.collection}\u0000${entry.recordId}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(entry);
  }
  const planned: PlannedMutation[] = [];
  const obsolete: number[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const { collection, recordId } = first;
    const record = lookup.local(collection, recordId);
    const tourIdOf = (r: Record<string, unknown> | undefined) =>
      collection === 'tours' ? recordId : typeof r?.tourId === 'string' ? r.tourId : lookup.serverTourId(collection, recordId) ?? null;

    if (record === undefined) {
      const lastDelete = [...group].reverse().find((e) => e.deleted);
      const tourId = tourIdOf(undefined);
      if (!lastDelete || !tourId) {
        obsolete.push(...group.map((e) => e.seq));
        continue;
      }
      planned.push({
        mutation: { id: lastDelete.mutationId, collection, recordId, tourId, op: 'delete', fields: {}, hlc: lastDelete.hlc },
        entrySeqs: group.map((e) => e.seq),
      });
      continue;
    }

    const tourId = tourIdOf(record);
    if (!tourId) {
      obsolete.push(...group.map((e) => e.seq));
      continue;
    }
    // field → last entry that changed it
    const lastFor = new Map<string, StampedEntry>();
    for (const entry of group) {
      if (entry.deleted) continue;
      for (const field of entry.changedFields) lastFor.set(field, entry);
    }
    const fieldsByEntry = new Map<number, string[]>();
    for (const [field, entry] of lastFor) {
      const list = fieldsByEntry.get(entry.seq) ?? [];
      list.push(field);
      fieldsByEntry.set(entry.seq, list);
    }
    const emitted = group.filter((e) => fieldsByEntry.has(e.seq));
    if (emitted.length === 0) {
      obsolete.push(...group.map((e) => e.seq));
      continue;
    }
    const newest = emitted[emitted.length - 1]!;
    if (lookup.serverTourId(collection, recordId) === undefined) {
      // Not known to have reached the server: ONE mutation with every field, stamped by the
      // newest entry. The server validates the record each mutation makes, so a new record
      // must arrive whole, not as its first entry's fields followed by later ones.
      const fields: Record<string, unknown> = {};
      for (const field of [...lastFor.keys()].sort()) if (record[field] !== undefined) fields[field] = record[field];
      planned.push({
        mutation: { id: newest.mutationId, collection, recordId, tourId, op: 'upsert', fields, hlc: newest.hlc },
        entrySeqs: [newest.seq, ...group.filter((e) => e !== newest).map((e) => e.seq)],
      });
      continue;
    }
    for (const entry of emitted) {
      const fields: Record<string, unknown> = {};
      for (const field of fieldsByEntry.get(entry.seq)!.sort()) {
        if (record[field] !== undefined) fields[field] = record[field];
      }
      const riders = entry === newest ? group.filter((e) => !fieldsByEntry.has(e.seq)).map((e) => e.seq) : [];
      planned.push({
        mutation: { id: entry.mutationId, collection, recordId, tourId, op: 'upsert', fields, hlc: entry.hlc },
        entrySeqs: [entry.seq, ...riders],
      });
    }
  }
  // server applies in order: keep the outbox order (a tour before its stops, a create before edits)
  planned.sort((a, b) => Math.min(...a.entrySeqs) - Math.min(...b.entrySeqs));
  return { mutations: planned, obsolete };
}

/** Room left in a push body for the envelope ({clientId, mutations:[…]}). */
const envelopeBytes = 16 * 1024;
const encoder = new TextEncoder();

/**
 * Splits planned mutations into pushes of at most `maxCount` mutations and `maxBytes` of JSON.
 * A single mutation larger than the limit goes alone (the server will refuse it with 413,
 * which is reported, not retried forever: see push.ts).
 */
export function splitBatches(planned: readonly PlannedMutation[], maxCount = MAX_PUSH_MUTATIONS, maxBytes = MAX_PUSH_BYTES): PlannedMutation[][] {
  const batches: PlannedMutation[][] = [];
  let current: PlannedMutation[] = [];
  let bytes = 0;
  const budget = Math.max(1, maxBytes - envelopeBytes);
  for (const item of planned) {
    const size = encoder.encode(JSON.stringify(item.mutation)).byteLength + 1;
    if (current.length > 0 && (current.length >= maxCount || bytes + size > budget)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
