import { describe, expect, it } from 'vitest';
import { applyFieldChanges, canonicalJson, DELETED_VERSION_KEY, mergeRecord, type VersionedRecord } from './merge';

const t = (second: number, counter = 0, node = 'a') =>
  `2021-12-08T09:30:${String(second).padStart(2, '0')}.000Z-${counter.toString(16).padStart(4, '0')}-${node}`;

const rec = (data: Record<string, unknown>, versions: Record<string, string>, deleted = false): VersionedRecord => ({ data, versions, deleted });

describe('applyFieldChanges', () => {
  it.each([
    {
      name: 'a new record takes every field, stamped with the change',
      current: null,
      change: { op: 'upsert' as const, fields: { id: 'n1', text: 'x' }, hlc: t(1) },
      expected: rec({ id: 'n1', text: 'x' }, { id: t(1), text: t(1) }),
      changed: ['id', 'text'],
    },
    {
      name: 'a newer write wins a field, other fields stay',
      current: rec({ id: 'n1', text: 'x', kind: 'problem' }, { id: t(1), text: t(1), kind: t(1) }),
      change: { op: 'upsert' as const, fields: { text: 'y' }, hlc: t(2) },
      expected: rec({ id: 'n1', text: 'y', kind: 'problem' }, { id: t(1), text: t(2), kind: t(1) }),
      changed: ['text'],
    },
    {
      name: 'an older write loses (it arrived late)',
      current: rec({ text: 'new' }, { text: t(5) }),
      change: { op: 'upsert' as const, fields: { text: 'old' }, hlc: t(3) },
      expected: rec({ text: 'new' }, { text: t(5) }),
      changed: [],
    },
    {
      name: 'same millisecond: the higher counter wins',
      current: rec({ text: 'a' }, { text: t(5, 1) }),
      change: { op: 'upsert' as const, fields: { text: 'b' }, hlc: t(5, 2) },
      expected: rec({ text: 'b' }, { text: t(5, 2) }),
      changed: ['text'],
    },
    {
      name: 'same millisecond and counter: the node id breaks the tie',
      current: rec({ text: 'from b' }, { text: t(5, 0, 'b') }),
      change: { op: 'upsert' as const, fields: { text: 'from a' }, hlc: t(5, 0, 'a') },
      expected: rec({ text: 'from b' }, { text: t(5, 0, 'b') }),
      changed: [],
    },
    {
      name: 'a field never written through sync loses to any versioned write',
      current: rec({ text: 'seeded' }, {}),
      change: { op: 'upsert' as const, fields: { text: 'edited' }, hlc: t(0) },
      expected: rec({ text: 'edited' }, { text: t(0) }),
      changed: ['text'],
    },
    {
      name: 'a delete keeps the data as a tombstone',
      current: rec({ text: 'x' }, { text: t(1) }),
      change: { op: 'delete' as const, fields: {}, hlc: t(2) },
      expected: rec({ text: 'x' }, { text: t(1), [DELETED_VERSION_KEY]: t(2) }, true),
      changed: [],
    },
    {
      name: 'a later edit merges into a tombstone without bringing it back',
      current: rec({ text: 'x' }, { text: t(1), [DELETED_VERSION_KEY]: t(2) }, true),
      change: { op: 'upsert' as const, fields: { text: 'y' }, hlc: t(3) },
      expected: rec({ text: 'y' }, { text: t(3), [DELETED_VERSION_KEY]: t(2) }, true),
      changed: ['text'],
    },
  ])('$name', ({ current, change, expected, changed }) => {
    const result = applyFieldChanges(current, change);
    expect(result.record).toEqual(expected);
    expect(result.changedFields).toEqual(changed);
  });

  it('reports no change for a write it has already seen (idempotent)', () => {
    const change = { op: 'upsert' as const, fields: { text: 'y', scores: { a: 1, b: null } }, hlc: t(2) };
    const once = applyFieldChanges(null, change).record;
    const twice = applyFieldChanges(once, change);
    expect(twice.isChanged).toBe(false);
    expect(twice.record).toEqual(once);
  });

  it('breaks an exact version tie on the value, the same way on every replica', () => {
    const x = rec({ text: 'x' }, { text: t(1) });
    const y = rec({ text: 'y' }, { text: t(1) });
    expect(mergeRecord(x, y)).toEqual(mergeRecord(y, x));
    expect(mergeRecord(x, y).data.text).toBe('y');
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null }, u: undefined })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
  });
});
