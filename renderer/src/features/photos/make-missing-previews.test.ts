// node environment: Blobs survive fake-indexeddb here
import { sha256Hex } from '@shared/photos/sha256';
import { afterEach, describe, expect, it } from 'vitest';
import type { GuanmoDb } from '../../db/guanmo-db';
import { createTestDb } from '../../test-support/test-db';
import type { PhotoProcessor } from './import-photos';
import { makeMissingDisplay, makeMissingPreviews } from './make-missing-previews';
import type { PhotoJobResult } from './photo-worker-protocol';

const opened: GuanmoDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

const shaOf = (text: string) => sha256Hex(new TextEncoder().encode(text));

/** "Decodes" any text but 'garbage' and makes a thumbnail named after it. */
const processor: PhotoProcessor & { calls: number } = {
  size: 1,
  calls: 0,
  async process(file: Blob): Promise<PhotoJobResult> {
    this.calls++;
    const text = await file.text();
    if (text === 'garbage') return { jobId: 0, ok: false, failure: { kind: 'undecodable' } };
    return {
      jobId: 0,
      ok: true,
      photo: { sha256: shaOf(text), size: file.size, mime: 'image/jpeg', width: 10, height: 10, takenLocal: null, takenAt: null, lat: null, lng: null, thumb: new Blob([`thumb of ${text}`]), thumbSha256: shaOf(`thumb of ${text}`), display: text.startsWith('big') ? new Blob([`display of ${text}`]) : null },
    };
  },
};

describe('makeMissingPreviews', () => {
  it('makes previews for local bytes without them, and leaves the rest alone', async () => {
    const db = createTestDb();
    opened.push(db);
    const synced = shaOf('downloaded photo');
    const hasPreview = shaOf('imported photo');
    const notHere = shaOf('not on this device');
    const broken = shaOf('garbage');
    await db.photoBlobs.bulkAdd([
      { sha256: synced, blob: new Blob(['downloaded photo']), uploadState: 'confirmed' },
      { sha256: hasPreview, blob: new Blob(['imported photo']), uploadState: 'pending' },
      { sha256: broken, blob: new Blob(['garbage']), uploadState: 'confirmed' },
    ]);
    await db.photoPreviews.add({ sha256: hasPreview, thumb: new Blob(['kept']), display: null });
    processor.calls = 0;

    expect(await makeMissingPreviews(db, processor, [synced, hasPreview, notHere, broken, synced])).toBe(1);
    expect(processor.calls).toBe(2);
    expect(await (await db.photoPreviews.get(synced))?.thumb.text()).toBe('thumb of downloaded photo');
    expect(await (await db.photoPreviews.get(hasPreview))?.thumb.text()).toBe('kept');
    expect(await db.photoPreviews.get(notHere)).toBeUndefined();
    expect(await db.photoPreviews.get(broken)).toBeUndefined();
    // nothing to sync: previews are local
    expect(await db.outbox.count()).toBe(0);
  });
});

describe('makeMissingDisplay', () => {
  it('adds the display copy to the fetched thumbnail once the original of a big photo is here, keeping the thumbnail', async () => {
    const db = createTestDb();
    opened.push(db);
    const big = shaOf('big downloaded photo');
    const notYet = shaOf('big photo still remote');
    await db.photoBlobs.add({ sha256: big, blob: new Blob(['big downloaded photo']), uploadState: 'confirmed' });
    for (const sha of [big, notYet]) await db.photoPreviews.add({ sha256: sha, thumb: new Blob(['fetched thumb']), display: null, thumbSha256: shaOf('fetched thumb') });
    processor.calls = 0;

    expect(await makeMissingDisplay(db, processor, { sha256: notYet, width: 4000, height: 3000 })).toBe(false);
    expect(await makeMissingDisplay(db, processor, { sha256: big, width: 1600, height: 1200 })).toBe(false); // small enough as it is
    expect(processor.calls).toBe(0);
    expect(await makeMissingDisplay(db, processor, { sha256: big, width: 4000, height: 3000 })).toBe(true);
    const preview = await db.photoPreviews.get(big);
    expect(await preview?.display?.text()).toBe('display of big downloaded photo');
    expect(await preview?.thumb.text()).toBe('fetched thumb');
    expect(preview?.thumbSha256).toBe(shaOf('fetched thumb'));
    // once there, never made again
    expect(await makeMissingDisplay(db, processor, { sha256: big, width: 4000, height: 3000 })).toBe(false);
    expect(processor.calls).toBe(1);
  });
});
