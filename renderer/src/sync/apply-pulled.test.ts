/**
 * Table tests of how a pulled record lands locally (decideApply), with the shared merge rule.
 */
import { describe, expect, it } from 'vitest';
import type { PulledRecord } from '@shared/sync/protocol';
import { decideApply, noPendingChange, pendingChangesOf, type LocalView, type ParseRecord } from './apply-pulled';
import type { ServerRecord } from './sync-tables';

const T1 = '2026-11-22T08:00:00.000Z-0000-a';
const T2 = '2026-11-22T09:00:00.000Z-0000-b';
const T3 = '2026-11-22T10:00:00.000Z-0000-c';

const acceptAll: ParseRecord = (data) => ({ success: true, data });
const needsText: ParseRecord = (data) => (typeof data.text === 'string' ? { success: true, data } : { success: false, error: { message: 'text: required' } });

const remote = (data: Record<string, unknown>, versions: Record<string, string>, deleted = false): PulledRecord => ({
  collection: 'notes',
  id: 'n1',
  tourId: 't1',
  data,
  versions,
  deleted,
});
const server = (data: Record<string, unknown>, versions: Record<string, string>): ServerRecord => ({
  collection: 'notes',
  id: 'n1',
  tourId: 't1',
  data,
  versions,
  deleted: false,
});
const pending = (fields: Record<string, string | null>, isDeleted = false) => ({ fields: new Map(Object.entries(fields)), isDeleted });

interface Row {
  name: string;
  view: LocalView;
  pulled: PulledRecord;
  parse?: ParseRecord;
  expected: ReturnType<typeof decideApply>;
}

const rows: Row[] = [
  {
    name: 'new record: stored as the server sent it',
    view: { record: undefined, server: undefined, pending: noPendingChange },
    pulled: remote({ id: 'n1', text: 'a' }, { id: T1, text: T1 }),
    expected: { kind: 'put', record: { id: 'n1', text: 'a' } },
  },
  {
    name: 'no local change: the server value wins',
    view: { record: { id: 'n1', text: 'old' }, server: server({ id: 'n1', text: 'old' }, { id: T1, text: T1 }), pending: noPendingChange },
    pulled: remote({ id: 'n1', text: 'new' }, { id: T1, text: T2 }),
    expected: { kind: 'put', record: { id: 'n1', text: 'new' } },
  },
  {
    name: 'pushed local value, server sends its merged state: server wins even without a base',
    view: { record: { id: 'n1', text: 'mine' }, server: undefined, pending: noPendingChange },
    pulled: remote({ id: 'n1', text: 'mine' }, { id: T2, text: T2 }),
    expected: { kind: 'keep' },
  },
  {
    name: 'pending local change newer than the server write: local survives until pushed',
    view: { record: { id: 'n1', text: 'typing' }, server: server({ id: 'n1', text: 'old' }, { id: T1, text: T1 }), pending: pending({ text: T3 }) },
    pulled: remote({ id: 'n1', text: 'other laptop' }, { id: T1, text: T2 }),
    expected: { kind: 'keep' },
  },
  {
    name: 'pending local change older than the server write: the newer server value is shown (the server keeps it too)',
    view: { record: { id: 'n1', text: 'typing' }, server: server({ id: 'n1', text: 'old' }, { id: T1, text: T1 }), pending: pending({ text: T1 }) },
    pulled: remote({ id: 'n1', text: 'newer' }, { id: T1, text: T2 }),
    expected: { kind: 'put', record: { id: 'n1', text: 'newer' } },
  },
  {
    name: 'unstamped pending change (older release) wins until pushed',
    view: { record: { id: 'n1', text: 'typing' }, server: undefined, pending: pending({ text: null }) },
    pulled: remote({ id: 'n1', text: 'server' }, { id: T1, text: T3 }),
    expected: { kind: 'keep' },
  },
  {
    name: 'per field: pending field kept, other fields from the server',
    view: {
      record: { id: 'n1', text: 'typing', kind: 'highlight' },
      server: server({ id: 'n1', text: 'old', kind: 'highlight' }, { id: T1, text: T1, kind: T1 }),
      pending: pending({ text: T3 }),
    },
    pulled: remote({ id: 'n1', text: 'x', kind: 'problem' }, { id: T1, text: T2, kind: T2 }),
    expected: { kind: 'put', record: { id: 'n1', text: 'typing', kind: 'problem' } },
  },
  {
    name: 'a reopened sheet: the server status wins when nothing is pending',
    view: { record: { id: 'n1', status: 'submitted' }, server: server({ id: 'n1', status: 'submitted' }, { id: T1, status: T1 }), pending: noPendingChange },
    pulled: remote({ id: 'n1', status: 'reopened' }, { id: T1, status: T2 }),
    expected: { kind: 'put', record: { id: 'n1', status: 'reopened' } },
  },
  {
    name: 'server tombstone removes the local record',
    view: { record: { id: 'n1', text: 'a' }, server: undefined, pending: noPendingChange },
    pulled: remote({ id: 'n1', text: 'a' }, { id: T1, text: T1, $deleted: T2 }, true),
    expected: { kind: 'delete' },
  },
  {
    name: 'server tombstone of a record never stored here: nothing to do',
    view: { record: undefined, server: undefined, pending: noPendingChange },
    pulled: remote({ id: 'n1' }, { id: T1, $deleted: T2 }, true),
    expected: { kind: 'keep' },
  },
  {
    name: 'a delete still in the outbox: the record stays deleted',
    view: { record: undefined, server: undefined, pending: pending({}, true) },
    pulled: remote({ id: 'n1', text: 'edited elsewhere' }, { id: T1, text: T3 }),
    expected: { kind: 'keep' },
  },
  {
    name: 'merged record failing the schema is not stored',
    view: { record: undefined, server: undefined, pending: noPendingChange },
    pulled: remote({ id: 'n1' }, { id: T1 }),
    parse: needsText,
    expected: { kind: 'invalid', reason: 'text: required' },
  },
  {
    name: 'the same state again (idempotent): nothing written',
    view: { record: { id: 'n1', text: 'a' }, server: server({ id: 'n1', text: 'a' }, { id: T1, text: T1 }), pending: noPendingChange },
    pulled: remote({ id: 'n1', text: 'a' }, { id: T1, text: T1 }),
    expected: { kind: 'keep' },
  },
];

describe('decideApply', () => {
  it.each(rows)('$name', ({ view, pulled, parse, expected }) => {
    expect(decideApply(view, pulled, parse ?? acceptAll)).toEqual(expected);
  });
});

describe('pendingChangesOf', () => {
  it('keeps the newest entry per field and notes deletes', () => {
    const map = pendingChangesOf([
      { seq: 2, collection: 'notes', recordId: 'n1', changedFields: ['text'], hlc: T2 },
      { seq: 1, collection: 'notes', recordId: 'n1', changedFields: ['text', 'kind'], hlc: T1 },
      { seq: 3, collection: 'notes', recordId: 'n2', changedFields: ['deleted'], hlc: T3, deleted: true },
    ]);
    expect([...map.get('notes\u0000n1')!.fields]).toEqual([
      ['text', T2],
      ['kind', T1],
    ]);
    expect(map.get('notes\u0000n2')!.isDeleted).toBe(true);
  });
});
