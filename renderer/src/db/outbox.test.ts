import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../test-support/test-db';
import type { GuanmoDb } from './guanmo-db';
import { ensureClientId, getMeta } from './meta-repo';
import { parseHlc } from '@shared/sync/hlc';
import { appendToOutbox, deleteSynced, outboxTables, putSynced } from './outbox';

const opened: GuanmoDb[] = [];
const fresh = () => {
  const db = createTestDb();
  opened.push(db);
  return db;
};
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

const note = {
  id: 'n1',
  tourId: 't1',
  stopId: 's1',
  authorId: 'u1',
  kind: 'highlight',
  text: '厂房已封顶',
  createdAt: '2021-12-08T02:00:00.000Z',
  updatedAt: '2021-12-08T02:00:00.000Z',
  deletedAt: null,
};

describe('outbox', () => {
  it('writes a synced record and its outbox entry together', async () => {
    const db = fresh();
    await putSynced(db, 'notes', note, ['text', 'kind']);
    expect(await db.notes.get('n1')).toEqual(note);
    const [entry, ...rest] = await db.outbox.toArray();
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ seq: 1, collection: 'notes', recordId: 'n1', changedFields: ['text', 'kind'] });
    expect(entry?.mutationId).toMatch(/^[0-9a-f-]{36}$/);
    // stamped by this device's clock (node = client id), and the clock persisted with it
    const clientId = await getMeta(db, 'clientId');
    expect(parseHlc(entry!.hlc!).node).toBe(clientId);
    expect(await getMeta(db, 'hlc')).toBe(entry!.hlc);
  });

  it('writes neither when the record is invalid', async () => {
    const db = fresh();
    await expect(putSynced(db, 'notes', { ...note, text: '' }, ['text'])).rejects.toThrow();
    expect(await db.notes.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('rolls back both when the surrounding transaction fails', async () => {
    const db = fresh();
    const failing = db.transaction('rw', [db.notes, ...outboxTables(db)], async () => {
      await putSynced(db, 'notes', note, ['text']);
      throw new Error('later step failed');
    });
    await expect(failing).rejects.toThrow('later step failed');
    expect(await db.notes.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    // the clock did not move either: it only advances with the changes it stamped
    expect(await getMeta(db, 'hlc')).toBeUndefined();
  });

  it('refuses an outbox entry outside a rw transaction over the record table, the outbox and meta', async () => {
    const db = fresh();
    await db.open();
    await expect(appendToOutbox(db, { collection: 'notes', recordId: 'n1', changedFields: ['text'] })).rejects.toThrow(/rw transaction/);
    await expect(db.transaction('r', db.notes, db.outbox, () => appendToOutbox(db, { collection: 'notes', recordId: 'n1', changedFields: ['text'] }))).rejects.toThrow(
      /rw transaction/,
    );
    await expect(db.transaction('rw', db.outbox, () => appendToOutbox(db, { collection: 'notes', recordId: 'n1', changedFields: ['text'] }))).rejects.toThrow(/rw transaction/);
    // without meta the clock could not be persisted with the change
    await expect(db.transaction('rw', db.notes, db.outbox, () => appendToOutbox(db, { collection: 'notes', recordId: 'n1', changedFields: ['text'] }))).rejects.toThrow(/'meta'/);
    expect(await db.outbox.count()).toBe(0);
  });

  it('gives every change its own mutation id, in order', async () => {
    const db = fresh();
    await putSynced(db, 'notes', note, ['text']);
    await putSynced(db, 'notes', { ...note, text: '主体已完工' }, ['text']);
    const entries = await db.outbox.orderBy('seq').toArray();
    expect(entries.map((e) => e.seq)).toEqual([1, 2]);
    expect(new Set(entries.map((e) => e.mutationId)).size).toBe(2);
    // strictly increasing stamps, even within one millisecond
    expect(entries[0]!.hlc! < entries[1]!.hlc!).toBe(true);
  });
});

describe('deleteSynced', () => {
  it('removes the record and appends a tombstone in one transaction', async () => {
    const db = fresh();
    await putSynced(db, 'notes', note, ['text']);
    expect(await deleteSynced(db, 'notes', 'n1')).toBe(true);
    expect(await db.notes.get('n1')).toBeUndefined();
    const entries = await db.outbox.orderBy('seq').toArray();
    expect(entries[0]?.deleted).toBeUndefined();
    expect(entries[1]).toMatchObject({ collection: 'notes', recordId: 'n1', changedFields: ['deleted'], deleted: true });
  });

  it('writes nothing for a record that does not exist, and rolls back with its caller', async () => {
    const db = fresh();
    expect(await deleteSynced(db, 'notes', 'missing')).toBe(false);
    expect(await db.outbox.count()).toBe(0);
    await putSynced(db, 'notes', note, ['text']);
    const failing = db.transaction('rw', [db.notes, ...outboxTables(db)], async () => {
      await deleteSynced(db, 'notes', 'n1');
      throw new Error('later step failed');
    });
    await expect(failing).rejects.toThrow('later step failed');
    expect(await db.notes.get('n1')).toEqual(note);
    expect(await db.outbox.count()).toBe(1);
  });
});

describe('HLC stamps', () => {
  it('keep increasing when the wall clock goes back, and never refuse a local write', async () => {
    const db = fresh();
    const { nextHlc } = await import('./hlc-clock');
    // (async callback: Dexie keeps the transaction across native awaits only for async functions)
    const stamp = (now: number) => db.transaction('rw', db.meta, async () => nextHlc(db, now));
    const first = await stamp(Date.parse('2021-12-08T10:00:00.000Z'));
    // the laptop's clock was set back by a day: stamps still move forward (same millis, next counter)
    const second = await stamp(Date.parse('2021-12-07T10:00:00.000Z'));
    expect(second > first).toBe(true);
    expect(parseHlc(second).millis).toBe(parseHlc(first).millis);
    await expect(db.transaction('r', db.meta, async () => nextHlc(db))).rejects.toThrow(/'meta'/);
  });
});

describe('client id', () => {
  it('is created once and then kept, also when two starts race', async () => {
    const db = fresh();
    const [a, b] = await Promise.all([ensureClientId(db), ensureClientId(db)]);
    expect(a).toBe(b);
    expect(await ensureClientId(db)).toBe(a);
    expect(await getMeta(db, 'clientId')).toBe(a);
  });
});
