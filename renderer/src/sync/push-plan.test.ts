import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../db/entities';
import { planPush, splitBatches, type RecordLookup } from './push-plan';

const T = (n: number) => `2026-11-22T08:00:0${n}.000Z-0000-dev`;
let seq = 0;
const entry = (recordId: string, changedFields: string[], n: number, extra: Partial<OutboxEntry> = {}): OutboxEntry & { hlc: string } => ({
  seq: ++seq,
  mutationId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
  collection: 'notes',
  recordId,
  changedFields,
  hlc: T(n),
  createdAt: '2026-11-22T08:00:00.000Z',
  ...extra,
}) as OutboxEntry & { hlc: string };

const lookup = (records: Record<string, Record<string, unknown>>, serverTours: Record<string, string> = {}): RecordLookup => ({
  local: (_c, id) => records[id],
  serverTourId: (_c, id) => serverTours[id],
});

describe('planPush', () => {
  it('sends current values; each field once, stamped by the last entry that changed it', () => {
    const a = entry('n1', ['id', 'tourId', 'text', 'kind'], 1);
    const b = entry('n1', ['text'], 2);
    const c = entry('n1', ['text'], 3);
    const plan = planPush([a, b, c], lookup({ n1: { id: 'n1', tourId: 't', text: 'v3', kind: 'problem' } }, { n1: 't' }));
    expect(plan.obsolete).toEqual([]);
    expect(plan.mutations.map((m) => [m.mutation.id, m.mutation.fields, m.mutation.hlc, m.entrySeqs])).toEqual([
      [a.mutationId, { id: 'n1', kind: 'problem', tourId: 't' }, T(1), [a.seq]],
      [c.mutationId, { text: 'v3' }, T(3), [c.seq, b.seq]],
    ]);
  });

  it('a record the server has not sent back goes whole, as one mutation stamped by the newest entry', () => {
    const a = entry('n9', ['id', 'tourId', 'text', 'kind'], 1);
    const b = entry('n9', ['text'], 2);
    const plan = planPush([a, b], lookup({ n9: { id: 'n9', tourId: 't', text: 'v2', kind: 'problem' } }));
    expect(plan.mutations).toEqual([
      { mutation: { id: b.mutationId, collection: 'notes', recordId: 'n9', tourId: 't', op: 'upsert', fields: { id: 'n9', kind: 'problem', text: 'v2', tourId: 't' }, hlc: T(2) }, entrySeqs: [b.seq, a.seq] },
    ]);
  });

  it('a record gone locally with a delete entry becomes one delete; without one, its entries are obsolete', () => {
    const e1 = entry('n2', ['text'], 1);
    const del = entry('n2', ['deleted'], 2, { deleted: true });
    const orphan = entry('n3', ['text'], 3);
    const plan = planPush([e1, del, orphan], lookup({}, { n2: 't' }));
    expect(plan.mutations).toEqual([{ mutation: { id: del.mutationId, collection: 'notes', recordId: 'n2', tourId: 't', op: 'delete', fields: {}, hlc: T(2) }, entrySeqs: [e1.seq, del.seq] }]);
    expect(plan.obsolete).toEqual([orphan.seq]);
  });

  it('keeps outbox order across records', () => {
    const x = entry('x', ['text'], 1);
    const y = entry('y', ['text'], 2);
    const x2 = entry('x', ['kind'], 3);
    const plan = planPush([y, x2, x], lookup({ x: { id: 'x', tourId: 't', text: 'a', kind: 'b' }, y: { id: 'y', tourId: 't', text: 'c' } }, { x: 't', y: 't' }));
    expect(plan.mutations.map((m) => m.entrySeqs[0])).toEqual([x.seq, y.seq, x2.seq]);
  });
});

describe('splitBatches', () => {
  it('respects the count and byte limits', () => {
    const plan = planPush(
      Array.from({ length: 10 }, (_, i) => entry(`r${i}`, ['text'], 1)),
      lookup(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`r${i}`, { id: `r${i}`, tourId: 't', text: 'x'.repeat(1000) }]))),
    );
    expect(splitBatches(plan.mutations, 4).map((b) => b.length)).toEqual([4, 4, 2]);
    const bySize = splitBatches(plan.mutations, 500, 16 * 1024 + 3000);
    expect(bySize.every((b) => b.length <= 2)).toBe(true);
    expect(bySize.flat()).toHaveLength(10);
  });
});
