// node environment: Blobs survive fake-indexeddb here (not under happy-dom)
import type { DBCore, DBCoreMutateRequest } from 'dexie';
import { sha256Hex } from '@shared/photos/sha256';
import { afterEach, describe, expect, it } from 'vitest';
import type { GuanmoDb } from '../../db/guanmo-db';
import { listStopPhotos } from '../../db/photos-repo';
import { createTestDb } from '../../test-support/test-db';
import { analysePhotos, importPhotosToStop, saveAnalysedPhotos, type PhotoProcessor, type PhotoSource } from './import-photos';
import { PhotoImportStore } from './import-store';
import type { PhotoJobResult } from './photo-worker-protocol';

const opened: GuanmoDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function fresh(options: { quotaAfterBlobs?: number } = {}): GuanmoDb {
  const db = createTestDb();
  opened.push(db);
  if (options.quotaAfterBlobs !== undefined) {
    let left = options.quotaAfterBlobs;
    db.use({
      stack: 'dbcore',
      name: 'fill-the-disk',
      create: (down: DBCore): DBCore => ({
        ...down,
        table(name) {
          const table = down.table(name);
          if (name !== 'photoBlobs') return table;
          return {
            ...table,
            mutate: (req: DBCoreMutateRequest) => {
              if (req.type !== 'add') return table.mutate(req);
              if (left === 0) return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
              left--;
              return table.mutate(req);
            },
          };
        },
      }),
    });
  }
  return db;
}

const target = { tourId: 't1', stopId: 's1', authorId: 'u1' };
const source = (name: string, content = `bytes of ${name}`): PhotoSource => ({ file: new Blob([content]), name });

/**
 * Stands in for the worker pool: "processes" a file by hashing its text; files whose text
 * starts with "heic"/"broken" fail like the worker reports them. Records how many photos are
 * being worked on at once, and `gate` lets a test hold processing.
 */
class FakeProcessor implements PhotoProcessor {
  inFlight = 0;
  maxInFlight = 0;
  started: string[] = [];
  gate: Promise<void> = Promise.resolve();
  constructor(readonly size = 2) {}

  async process(file: Blob): Promise<PhotoJobResult> {
    const text = await file.text();
    this.started.push(text);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.gate;
      await new Promise((r) => setTimeout(r, 1));
      if (text.startsWith('crash')) throw new Error('worker crashed');
      if (text.startsWith('heic')) return { jobId: 0, ok: false, failure: { kind: 'unsupported-format', format: 'heic' } };
      if (text.startsWith('broken')) return { jobId: 0, ok: false, failure: { kind: 'undecodable' } };
      const hasTime = !text.includes('no-exif');
      return {
        jobId: 0,
        ok: true,
        photo: {
          sha256: sha256Hex(new TextEncoder().encode(text)),
          size: file.size,
          mime: 'image/jpeg',
          width: 4000,
          height: 3000,
          takenLocal: hasTime ? '2021-12-08T10:00:00' : null,
          takenAt: hasTime ? '2021-12-08T02:00:00.000Z' : null,
          lat: 32.02751,
          lng: 120.87891,
          thumb: new Blob([`thumb of ${text}`]),
          thumbSha256: sha256Hex(new TextEncoder().encode(`thumb of ${text}`)),
          display: new Blob(['display']),
        },
      };
    } finally {
      this.inFlight--;
    }
  }
}

describe('importPhotosToStop', () => {
  it('stores the good photos and names every file that could not be used', async () => {
    const db = fresh();
    const report = await importPhotosToStop(db, new FakeProcessor(), [source('a.jpg'), source('IMG_1.HEIC', 'heic…'), source('b.jpg'), source('broken.jpg', 'broken…'), source('x.jpg', 'crash')], target);
    expect(report.added.map((p) => p.stopId)).toEqual(['s1', 's1']);
    expect(report.failed).toEqual([
      { name: 'IMG_1.HEIC', failure: { kind: 'unsupported-format', format: 'heic' } },
      { name: 'broken.jpg', failure: { kind: 'undecodable' } },
      { name: 'x.jpg', failure: { kind: 'processing-failed', detail: 'worker crashed' } },
    ]);
    expect(report).toMatchObject({ duplicates: [], storageError: null, notSaved: [], cancelled: false });
    expect(await listStopPhotos(db, 's1')).toHaveLength(2);
    expect(await db.photoBlobs.count()).toBe(2);
    expect(await db.outbox.count()).toBe(2);
  });

  it('stores the very bytes that were hashed, typed with the sniffed format', async () => {
    const db = fresh();
    await importPhotosToStop(db, new FakeProcessor(), [source('a.jpg', 'the original bytes')], target);
    const [photo] = await listStopPhotos(db, 's1');
    const stored = await db.photoBlobs.get(photo!.sha256);
    expect(await stored?.blob.text()).toBe('the original bytes');
    expect(stored?.blob.type).toBe('image/jpeg');
    expect(photo!.sha256).toBe(sha256Hex(new TextEncoder().encode('the original bytes')));
  });

  it('reports a file already on the stop as a duplicate, also within one batch', async () => {
    const db = fresh();
    const report = await importPhotosToStop(db, new FakeProcessor(), [source('a.jpg', 'same'), source('copy of a.jpg', 'same')], target);
    expect(report.added).toHaveLength(1);
    expect(report.duplicates).toHaveLength(1);
    const again = await importPhotosToStop(db, new FakeProcessor(), [source('a.jpg', 'same')], target);
    expect(again).toMatchObject({ added: [], duplicates: ['a.jpg'] });
  });

  it('uses the capture time for a photo without EXIF time (the laptop camera)', async () => {
    const db = fresh();
    const report = await importPhotosToStop(db, new FakeProcessor(), [{ ...source('camera.jpg', 'no-exif capture'), takenAtFallback: '2021-12-08T03:04:05.000Z' }], target);
    expect(report.added[0]?.takenAt).toBe('2021-12-08T03:04:05.000Z');
  });

  it('has at most `lanes` photos in the works at once (default: twice the pool), however many files', async () => {
    const sources = Array.from({ length: 12 }, (_, i) => source(`p${i}.jpg`));
    const processor = new FakeProcessor(2);
    const report = await importPhotosToStop(fresh(), processor, sources, target);
    expect(report.added).toHaveLength(12);
    expect(processor.maxInFlight).toBe(4);
    // files are taken in the order given
    expect(processor.started).toEqual(sources.map((s) => `bytes of ${s.name}`));

    const narrow = new FakeProcessor(2);
    expect((await importPhotosToStop(fresh(), narrow, sources, target, { lanes: 3 })).added).toHaveLength(12);
    expect(narrow.maxInFlight).toBe(3);
  });

  it('stops when the disk is full: earlier photos intact, the rest named as not saved', async () => {
    const db = fresh({ quotaAfterBlobs: 3 });
    const sources = Array.from({ length: 8 }, (_, i) => source(`p${i}.jpg`));
    const report = await importPhotosToStop(db, new FakeProcessor(1), sources, target);
    expect(report.added).toHaveLength(3);
    expect(report.storageError?.kind).toBe('quota');
    expect(report.notSaved).toEqual(['p3.jpg', 'p4.jpg', 'p5.jpg', 'p6.jpg', 'p7.jpg']);
    expect(report.failed).toEqual([]);
    // nothing half-written: 3 photos, 3 blobs, 3 previews, 3 outbox entries
    expect([await db.photos.count(), await db.photoBlobs.count(), await db.photoPreviews.count(), await db.outbox.count()]).toEqual([3, 3, 3, 3]);
  });

  it('stops taking new files when cancelled; photos already in the works are still stored', async () => {
    const db = fresh();
    const processor = new FakeProcessor(2);
    let release!: () => void;
    processor.gate = new Promise((r) => (release = r));
    const controller = new AbortController();
    const sources = Array.from({ length: 6 }, (_, i) => source(`p${i}.jpg`));
    const running = importPhotosToStop(db, processor, sources, target, { signal: controller.signal, lanes: 2 });
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    release();
    const report = await running;
    expect(report.cancelled).toBe(true);
    expect(report.added).toHaveLength(2);
    expect(report.notSaved).toEqual(['p2.jpg', 'p3.jpg', 'p4.jpg', 'p5.jpg']);
  });

  it('reports progress for every file', async () => {
    const db = fresh();
    const seen: number[] = [];
    await importPhotosToStop(db, new FakeProcessor(), [source('a'), source('b', 'heic'), source('c')], target, { onProgress: ({ done, total }) => seen.push(done * 10 + total) });
    expect(seen).toEqual([13, 23, 33]);
  });
});

describe('analysePhotos + saveAnalysedPhotos (the tour import)', () => {
  it('processes without storing, then stores each photo at the stop chosen for it', async () => {
    const db = fresh();
    const analysed = await analysePhotos(new FakeProcessor(), [source('a.jpg'), source('b.HEIC', 'heic'), source('c.jpg')]);
    expect(analysed?.map((a) => [a.source.name, a.ok])).toEqual([
      ['a.jpg', true],
      ['b.HEIC', false],
      ['c.jpg', true],
    ]);
    expect(await db.photos.count()).toBe(0);
    const report = await saveAnalysedPhotos(
      db,
      [
        { analysed: analysed![0]!, stopId: 's2' },
        { analysed: analysed![2]!, stopId: 's3' },
      ],
      { tourId: 't1', authorId: 'u1' },
    );
    expect(report.added.map((p) => p.stopId)).toEqual(['s2', 's3']);
    expect((await listStopPhotos(db, 's3')).map((p) => p.authorId)).toEqual(['u1']);
  });

  it('gives nothing back when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await analysePhotos(new FakeProcessor(), [source('a.jpg')], { signal: controller.signal })).toBeNull();
  });
});

describe('PhotoImportStore', () => {
  it('queues batches per stop, merges their reports, and starts afresh after a finished import', async () => {
    const db = fresh();
    const processor = new FakeProcessor();
    const store = new PhotoImportStore(() => db, () => processor);
    const states: boolean[] = [];
    store.subscribe(() => states.push(store.get('s1').isRunning));
    const first = store.start(target, [source('a.jpg'), source('b.HEIC', 'heic')]);
    const second = store.start(target, [source('c.jpg')]);
    expect(store.get('s1')).toMatchObject({ isRunning: true, total: 3 });
    await Promise.all([first, second]);
    const state = store.get('s1');
    expect(state).toMatchObject({ isRunning: false, total: 3, done: 3 });
    expect(state.report?.added).toHaveLength(2);
    expect(state.report?.failed.map((f) => f.name)).toEqual(['b.HEIC']);
    expect(states.at(-1)).toBe(false);
    // another batch later: its own report
    await store.start(target, [source('d.jpg')]);
    expect(store.get('s1')).toMatchObject({ total: 1, done: 1 });
    expect(store.get('s1').report?.added).toHaveLength(1);
    store.dismiss('s1');
    expect(store.get('s1')).toEqual({ isRunning: false, total: 0, done: 0, report: null });
    expect(store.get('other')).toEqual({ isRunning: false, total: 0, done: 0, report: null });
  });
});
