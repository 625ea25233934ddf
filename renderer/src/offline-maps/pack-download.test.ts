import { afterEach, describe, expect, it } from 'vitest';
import type { GuanmoDb } from '../db/guanmo-db';
import { fakePackServer, packDescription } from '../test-support/fake-pack-server';
import { writeTestPmtiles, type TestTile } from '../test-support/pmtiles-test-writer';
import { createTestDb } from '../test-support/test-db';
import { downloadPack, PackChangedError } from './pack-download';
import { forgetPackReader, openPackReader } from './pack-reader';
import { packsOfTour, PackVerificationError } from './pack-store';

const opened: GuanmoDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});
const freshDb = () => {
  const db = createTestDb();
  opened.push(db);
  return db;
};

// tile bytes that vary, so a pack is several chunks of 4 KiB
const tiles: TestTile[] = [];
for (let x = 0; x < 6; x++) for (let y = 0; y < 6; y++) tiles.push({ z: 13, x: 6800 + x, y: 3200 + y, data: new TextEncoder().encode(`png ${x}/${y} `.repeat(60)) });
const bytes = writeTestPmtiles(tiles, { tileType: 'png' });
const pack = packDescription('tour-a', bytes, { tileCount: tiles.length });
const CHUNK = 4096;
const server = (overrides: Parameters<typeof fakePackServer>[0] = new Map([['tour-a', { bytes, pack }]])) => fakePackServer(overrides);
const at = (s: ReturnType<typeof fakePackServer>) => ({ fetch: s.fetch, baseUrl: 'http://sync.test/', token: 'token' });

describe('downloadPack', () => {
  it('stores the pack in chunks as they arrive, verifies it and reads tiles from it', async () => {
    const db = freshDb();
    const s = server();
    const progress: number[] = [];
    const record = await downloadPack(db, at(s), pack, { chunkBytes: CHUNK, onProgress: (r) => progress.push(r.bytesStored) });
    expect(bytes.length).toBeGreaterThan(3 * CHUNK);
    expect(record).toMatchObject({ state: 'ready', bytesStored: bytes.length, chunkCount: Math.ceil(bytes.length / CHUNK) });
    expect(progress).toEqual(Array.from({ length: record.chunkCount }, (_, i) => Math.min(bytes.length, (i + 1) * CHUNK)));
    expect(s.requests).toEqual([{ url: '/api/tours/tour-a/tile-pack/file', range: 'bytes=0-' }]);
    const reader = await openPackReader(db, record);
    expect(new Uint8Array((await reader.tile(13, 6803, 3204))!)).toEqual(tiles.find((t) => t.x === 6803 && t.y === 3204)!.data);
    expect(await reader.tile(13, 6700, 3204)).toBeNull();
    forgetPackReader(record.sha256);
  });

  it('resumes after the connection drops, from the first byte not stored, with the hash so far', async () => {
    const db = freshDb();
    const s = server();
    s.cutNextAfter = 2 * CHUNK + 100;
    await expect(downloadPack(db, at(s), pack, { chunkBytes: CHUNK })).rejects.toThrow(/network error/);
    const { pending, ready } = await packsOfTour(db, 'tour-a');
    expect(ready).toBeNull();
    expect(pending).toMatchObject({ state: 'downloading', bytesStored: 2 * CHUNK, chunkCount: 2 });
    expect(pending!.hash.length).toBe(2 * CHUNK);

    const record = await downloadPack(db, at(s), pack, { chunkBytes: CHUNK });
    expect(record.state).toBe('ready');
    expect(s.requests.map((r) => r.range)).toEqual(['bytes=0-', `bytes=${2 * CHUNK}-`]);
    expect(await db.tilePackChunks.count()).toBe(Math.ceil(bytes.length / CHUNK));
  });

  it('resumes from a server that ignores ranges, skipping what is stored', async () => {
    const db = freshDb();
    const s = server();
    s.cutNextAfter = CHUNK + 5;
    await expect(downloadPack(db, at(s), pack, { chunkBytes: CHUNK })).rejects.toThrow();
    s.ignoreRanges = true;
    expect((await downloadPack(db, at(s), pack, { chunkBytes: CHUNK })).state).toBe('ready');
  });

  it('never keeps a pack that does not hash to its sha256', async () => {
    const db = freshDb();
    const s = server();
    s.corrupt = true;
    await expect(downloadPack(db, at(s), pack, { chunkBytes: CHUNK })).rejects.toBeInstanceOf(PackVerificationError);
    expect(await db.tilePacks.count()).toBe(0);
    expect(await db.tilePackChunks.count()).toBe(0);
    // the next try starts over and succeeds
    s.corrupt = false;
    expect((await downloadPack(db, at(s), pack, { chunkBytes: CHUNK })).state).toBe('ready');
  });

  it('stops when the server serves another build (its ETag names another hash)', async () => {
    const db = freshDb();
    const s = server();
    s.etag = 'cd'.repeat(32);
    await expect(downloadPack(db, at(s), pack, { chunkBytes: CHUNK })).rejects.toBeInstanceOf(PackChangedError);
    expect(await db.tilePackChunks.count()).toBe(0);
  });

  it('replaces the tour\u2019s older pack once the new one is verified, and keeps it readable until then', async () => {
    const db = freshDb();
    const first = await downloadPack(db, at(server()), pack, { chunkBytes: CHUNK });
    const newer = writeTestPmtiles(tiles.slice(0, 10), { tileType: 'png' });
    const newerPack = packDescription('tour-a', newer, { builtAt: '2021-11-21T08:00:00.000Z' });
    const s = server(new Map([['tour-a', { bytes: newer, pack: newerPack }]]));
    s.cutNextAfter = 10;
    await expect(downloadPack(db, at(s), newerPack, { chunkBytes: CHUNK })).rejects.toThrow();
    expect((await packsOfTour(db, 'tour-a')).ready?.sha256).toBe(first.sha256);
    await downloadPack(db, at(s), newerPack, { chunkBytes: CHUNK });
    const { ready, pending } = await packsOfTour(db, 'tour-a');
    expect([ready?.sha256, pending]).toEqual([newerPack.sha256, null]);
    expect(await db.tilePackChunks.where('[sha256+index]').between([first.sha256, 0], [first.sha256, Infinity]).count()).toBe(0);
  });
});
