// node environment on purpose: Blobs survive fake-indexeddb here, not under happy-dom
// (uploads against the real server: tests/integration/photo-thumbnails.test.ts, sync-client.test.ts)
import { afterEach, describe, expect, it } from 'vitest';
import type { PhotoMeta } from '@shared/domain/schemas';
import type { GuanmoDb } from '../db/guanmo-db';
import { shaOfText, testPhotoMeta } from '../test-support/photo-records';
import { createTestDb } from '../test-support/test-db';
import { BodyGate, planPhotoUploads, runLanes } from './photo-upload';

const opened: GuanmoDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});
function fresh(): GuanmoDb {
  const db = createTestDb();
  opened.push(db);
  return db;
}

const shaOf = shaOfText;

const photo = testPhotoMeta;

describe('BodyGate', () => {
  it('lets one holder through at a time, in the order asked; releasing twice frees nobody extra', async () => {
    const gate = new BodyGate();
    const log: string[] = [];
    const first = await gate.acquire();
    const second = gate.acquire().then((release) => {
      log.push('second');
      return release;
    });
    const third = gate.acquire().then((release) => {
      log.push('third');
      return release;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(log).toEqual([]);
    first();
    first();
    const releaseSecond = await second;
    await new Promise((r) => setTimeout(r, 5));
    expect(log).toEqual(['second']);
    releaseSecond();
    (await third)();
    expect(log).toEqual(['second', 'third']);
  });
});

describe('runLanes', () => {
  it('runs at most `lanes` at once, in order, and stops taking items after the first error', async () => {
    let running = 0;
    let most = 0;
    const started: number[] = [];
    await runLanes([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, n % 2 ? 5 : 1));
      running--;
    });
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);

    const done: number[] = [];
    await expect(
      runLanes([1, 2, 3, 4, 5], 2, async (n) => {
        if (n === 2) throw new Error('offline');
        await new Promise((r) => setTimeout(r, 5));
        done.push(n);
      }),
    ).rejects.toThrow('offline');
    expect(done).toEqual([1]);
  });
});

describe('planPhotoUploads', () => {
  it('plans the pending originals, oldest photo first, with the thumbnails their records name', async () => {
    const db = fresh();
    await db.photos.bulkAdd([
      photo(2),
      photo(1),
      photo(3, { thumbSha256: shaOf('another thumb') }), // the record names a thumbnail this device does not hold
      photo(4),
    ]);
    for (const n of [1, 2, 3]) {
      await db.photoBlobs.add({ sha256: shaOf(`photo ${n}`), blob: new Blob([`photo ${n}`], { type: 'image/jpeg' }), uploadState: 'pending' });
      await db.photoPreviews.add({ sha256: shaOf(`photo ${n}`), thumb: new Blob([`thumb ${n}`]), display: null, thumbSha256: shaOf(`thumb ${n}`) });
    }
    await db.photoBlobs.add({ sha256: shaOf('photo 4'), blob: new Blob(['photo 4']), uploadState: 'confirmed' });
    const plan = await planPhotoUploads(db);
    expect(plan.originals.map((o) => o.sha256)).toEqual([shaOf('photo 1'), shaOf('photo 2'), shaOf('photo 3')]);
    expect(plan.thumbnails.map((t) => t.sha256).sort()).toEqual([shaOf('thumb 1'), shaOf('thumb 2')].sort());
    expect(await plan.thumbnails.find((t) => t.sha256 === shaOf('thumb 1'))!.blob.text()).toBe('thumb 1');
  });
});
