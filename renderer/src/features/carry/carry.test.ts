// node environment on purpose: Blobs survive fake-indexeddb here, and WebCrypto is Node's own
/**
 * Unsynced work carried by file, end to end between two local databases: export on laptop A,
 * import on laptop B signed in as the same user, with real AES-GCM and real IndexedDB (fake).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ScoreSheet } from '@shared/domain/schemas';
import type { GuanmoDb } from '../../db/guanmo-db';
import { addPhoto } from '../../db/photos-repo';
import { putSynced } from '../../db/outbox';
import { ensureClientId } from '../../db/meta-repo';
import { saveCarryKey } from '../../sync/carry-keys';
import { buildDeviceStatusReport } from '../../sync/device-status-report';
import { setSyncState } from '../../sync/sync-tables';
import { createTestDb } from '../../test-support/test-db';
import { CarryFileError } from './carry-file';
import { exportUnsynced } from './export-unsynced';
import { mergeCarried, readCarriedFile } from './import-carried';
import { toBase64 } from './carry-file';

const opened: GuanmoDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

const keyOf = (seed: number) => toBase64(new Uint8Array(32).fill(seed));
const users = {
  zhang: { id: 'u-zhang', username: 'zhang', displayName: '张评委', role: 'scorer' },
  li: { id: 'u-li', username: 'li', displayName: '李评委', role: 'scorer' },
};

async function laptop(user: (typeof users)[keyof typeof users], keySeed = user === users.zhang ? 7 : 9): Promise<GuanmoDb> {
  const db = createTestDb();
  opened.push(db);
  await ensureClientId(db);
  await setSyncState(db, 'session', { serverUrl: 'http://server', token: 't', expiresAt: '2030-01-01T00:00:00.000Z', user });
  await saveCarryKey(db, { userId: user.id, keyId: 'k1', key: keyOf(keySeed), serverUrl: 'http://server', savedAt: '2026-12-03T00:00:00.000Z' });
  return db;
}

const sheet = (stop: number, score: number): ScoreSheet => ({
  id: `t1:s${stop}:p1`,
  tourId: 't1',
  stopId: `s${stop}`,
  scorerId: 'p1',
  scores: { plan: score, progress: null },
  status: 'draft',
  comment: '',
  submittedAt: null,
  updatedAt: '2026-12-03T08:00:00.000Z',
});

async function scoreOffline(db: GuanmoDb) {
  for (const stop of [1, 2, 3]) {
    await putSynced(db, 'sheets', sheet(stop, 10 + stop), ['id', 'tourId', 'stopId', 'scorerId', 'scores', 'status', 'comment', 'submittedAt', 'updatedAt']);
    // typed again: two outbox entries for one sheet
    await putSynced(db, 'sheets', { ...sheet(stop, 20 + stop) }, ['scores']);
    const original = new Blob([`photo bytes of stop ${stop}`], { type: 'image/jpeg' });
    const sha256 = await shaOfBlob(original);
    await addPhoto(db, {
      tourId: 't1',
      stopId: `s${stop}`,
      authorId: users.zhang.id,
      sha256,
      size: original.size,
      mime: 'image/jpeg',
      width: 10,
      height: 10,
      takenAt: null,
      lat: null,
      lng: null,
      original,
      thumb: new Blob([`thumb ${stop}`], { type: 'image/jpeg' }),
      display: null,
    });
  }
  await db.tours.put({ id: 't1', name: '观摩 2026', kind: 'study', startDate: '2026-12-03', endDate: '2026-12-03', status: 'published' } as never);
}

async function shaOfBlob(blob: Blob): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CarryFileError) return error.failure;
    throw error;
  }
  return 'none';
}

describe('carrying unsynced work by file', () => {
  it('merges the file into the other laptop exactly as typed there, once', async () => {
    const a = await laptop(users.zhang);
    await scoreOffline(a);
    const exported = await exportUnsynced(a);
    expect(exported.fileName).toMatch(/^观摩未同步-张评委-\d{8}-\d{4}\.guanmo$/);
    expect(exported.summary.tours).toEqual([{ tourId: 't1', name: '观摩 2026', sheets: 3, ballots: 0, notes: 0, photos: 3, other: 0 }]);
    // the file says whose it is in plain text, and nothing of the scores
    const text = new TextDecoder().decode(exported.bytes);
    expect(text).toContain('"username":"zhang"');
    expect(text).not.toContain('photo bytes of stop');

    const b = await laptop(users.zhang);
    const file = await readCarriedFile(b, exported.bytes, users.zhang.id);
    expect(file.isAlreadyImported).toBe(false);
    expect(file.summary).toEqual(exported.summary);
    const result = await mergeCarried(b, file);
    expect(result).toEqual({ status: 'imported', entries: 9, records: 6, photos: 3 });

    const strip = (entries: { seq: number }[]) => entries.map(({ seq: _seq, ...e }) => e);
    expect(strip(await b.outbox.orderBy('seq').toArray())).toEqual(strip(await a.outbox.orderBy('seq').toArray()));
    expect(await b.sheets.orderBy('id').toArray()).toEqual(await a.sheets.orderBy('id').toArray());
    expect(await b.photos.orderBy('id').toArray()).toEqual(await a.photos.orderBy('id').toArray());
    const blobsA = await a.photoBlobs.orderBy('sha256').toArray();
    const blobsB = await b.photoBlobs.orderBy('sha256').toArray();
    expect(blobsB.map((x) => [x.sha256, x.uploadState])).toEqual(blobsA.map((x) => [x.sha256, 'pending']));
    expect(await blobsB[0]!.blob.text()).toBe(await blobsA[0]!.blob.text());
    expect(await b.photoPreviews.count()).toBe(3);
    // B's clock is past every carried stamp
    const newest = (await a.outbox.toArray()).map((e) => e.hlc!).sort().at(-1)!;
    expect(String((await b.meta.get("hlc"))?.value) > newest).toBe(true);

    // re-importing changes nothing
    const before = await b.outbox.count();
    const again = await readCarriedFile(b, exported.bytes, users.zhang.id);
    expect(again.isAlreadyImported).toBe(true);
    expect(await mergeCarried(b, again)).toMatchObject({ status: 'alreadyImported', entries: 0 });
    expect(await b.outbox.count()).toBe(before);

    // a second export of A skips what the first already brought
    const second = await exportUnsynced(a);
    expect(await mergeCarried(b, await readCarriedFile(b, second.bytes, users.zhang.id))).toMatchObject({ status: 'imported', entries: 0, records: 0, photos: 0 });

    // the desk learns what B holds, and (once pushed) that A's work was carried
    const report = await buildDeviceStatusReport(b, await ensureClientId(b));
    expect(report.pending).toEqual([{ tourId: 't1', sheets: 3, ballots: 0, notes: 0, photos: 3, other: 0 }]);
    expect(report.carried).toEqual([]);
    await b.outbox.clear();
    const afterPush = await buildDeviceStatusReport(b, await ensureClientId(b));
    expect(afterPush.carried).toEqual([{ fromClientId: await ensureClientId(a), throughHlc: newest }]);
  });

  it('keeps a newer local edit of a field and takes the carried ones elsewhere', async () => {
    const a = await laptop(users.zhang);
    await scoreOffline(a);
    const b = await laptop(users.zhang);
    const exported = await exportUnsynced(a);
    // B edits sheet 1's comment AFTER A's edits (B's clock is ahead)
    await b.meta.put({ key: 'hlc', value: '2099-01-01T00:00:00.000Z-0000-laptopb' });
    await putSynced(b, 'sheets', { ...sheet(1, 5), comment: 'B 的意见' }, ['id', 'tourId', 'stopId', 'scorerId', 'scores', 'status', 'comment', 'submittedAt', 'updatedAt']);
    await mergeCarried(b, await readCarriedFile(b, exported.bytes, users.zhang.id));
    const merged = await b.sheets.get('t1:s1:p1');
    expect(merged?.comment).toBe('B 的意见');
    expect(merged?.scores.plan).toBe(5);
    expect((await b.sheets.get('t1:s2:p1'))?.scores.plan).toBe(22);
  });

  it('refuses a truncated, damaged or foreign file and writes nothing', async () => {
    const a = await laptop(users.zhang);
    await scoreOffline(a);
    const exported = await exportUnsynced(a);
    const b = await laptop(users.zhang);
    const cut = exported.bytes.slice(0, exported.bytes.byteLength - 100);
    expect(await failureOf(readCarriedFile(b, cut, users.zhang.id))).toBe('truncated');
    const flipped = exported.bytes.slice();
    flipped[flipped.byteLength - 50]! ^= 1;
    expect(await failureOf(readCarriedFile(b, flipped, users.zhang.id))).toBe('damaged');
    expect(await failureOf(readCarriedFile(b, new TextEncoder().encode('PK\u0003\u0004 a zip'), users.zhang.id))).toBe('notCarryFile');

    // li's file on zhang's laptop, and zhang's file for li
    const li = await laptop(users.li);
    await scoreOffline(li);
    const liFile = await exportUnsynced(li);
    expect(await failureOf(readCarriedFile(b, liFile.bytes, users.zhang.id))).toBe('otherUser');
    // a laptop without the user's key
    const c = createTestDb();
    opened.push(c);
    expect(await failureOf(readCarriedFile(c, exported.bytes, users.zhang.id))).toBe('noKey');

    expect(await b.outbox.count()).toBe(0);
    expect(await b.sheets.count()).toBe(0);
    expect(await b.photoBlobs.count()).toBe(0);
  });
});
