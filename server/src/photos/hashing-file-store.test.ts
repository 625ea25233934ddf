import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { ERRORS, Upload } from '@tus/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BodyCutError, HashingFileStore } from './hashing-file-store.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-hashing-store-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** a body arriving in pieces of `piece` bytes, as a socket delivers it */
function body(bytes: Buffer, piece = 7_000): Readable {
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += piece) pieces.push(bytes.subarray(i, i + piece));
  return Readable.from(pieces);
}

/** a body that delivers `bytes` and then fails, like a connection reset mid-request */
function cutBody(bytes: Buffer): Readable {
  return Readable.from(
    (async function* () {
      yield bytes;
      throw new Error('connection reset');
    })(),
  );
}

async function newUpload(store: HashingFileStore, size: number): Promise<string> {
  const id = randomBytes(8).toString('hex');
  await store.create(new Upload({ id, size, offset: 0 }));
  return id;
}

describe('HashingFileStore (hashes upload bytes while writing them)', () => {
  const bytes = randomBytes(300_000);

  it('hashes a chunked upload in one pass: the digest is the sha256 of the file', async () => {
    const store = new HashingFileStore({ directory: dir });
    const id = await newUpload(store, bytes.length);
    let offset = 0;
    for (const end of [100_000, 250_000, bytes.length]) offset = await store.write(body(bytes.subarray(offset, end)), id, offset);
    expect(offset).toBe(bytes.length);
    expect(await fs.readFile(store.dataPathOf(id))).toEqual(bytes);
    expect(store.finishedSha256(id, bytes.length)).toBe(sha256(bytes));
    // taken once: the running hash is gone afterwards
    expect(store.finishedSha256(id, bytes.length)).toBeNull();
  });

  it('after a restart (no running hash) re-hashes the written prefix once and goes on', async () => {
    const before = new HashingFileStore({ directory: dir });
    const id = await newUpload(before, bytes.length);
    await before.write(body(bytes.subarray(0, 120_000)), id, 0);
    const after = new HashingFileStore({ directory: dir });
    const offset = await after.write(body(bytes.subarray(120_000)), id, 120_000);
    expect(offset).toBe(bytes.length);
    expect(after.finishedSha256(id, bytes.length)).toBe(sha256(bytes));
  });

  it('when another process wrote the previous chunk, the stale running hash is not used', async () => {
    const a = new HashingFileStore({ directory: dir });
    const b = new HashingFileStore({ directory: dir });
    const id = await newUpload(a, bytes.length);
    await a.write(body(bytes.subarray(0, 100_000)), id, 0);
    await b.write(body(bytes.subarray(100_000, 200_000)), id, 100_000);
    await a.write(body(bytes.subarray(200_000)), id, 200_000);
    expect(a.finishedSha256(id, bytes.length)).toBe(sha256(bytes));
  });

  it('a write cut midway drops its running hash; the resumed upload still hashes what is on disk', async () => {
    const store = new HashingFileStore({ directory: dir });
    const id = await newUpload(store, bytes.length);
    await store.write(body(bytes.subarray(0, 50_000)), id, 0);
    await expect(store.write(cutBody(bytes.subarray(50_000, 90_000)), id, 50_000)).rejects.toBeDefined();
    expect(store.finishedSha256(id, 50_000)).toBeNull();
    // resume where the file really ends (what tus's HEAD reports)
    const onDisk = (await fs.stat(store.dataPathOf(id))).size;
    expect(onDisk).toBeGreaterThanOrEqual(50_000);
    const offset = await store.write(body(bytes.subarray(onDisk)), id, onDisk);
    expect(offset).toBe(bytes.length);
    expect(await fs.readFile(store.dataPathOf(id))).toEqual(bytes);
    expect(store.finishedSha256(id, bytes.length)).toBe(sha256(bytes));
  });

  it('gives no digest for an upload that has not reached the given size', async () => {
    const store = new HashingFileStore({ directory: dir });
    const id = await newUpload(store, bytes.length);
    await store.write(body(bytes.subarray(0, 1000)), id, 0);
    expect(store.finishedSha256(id, bytes.length)).toBeNull();
  });

  it('append: bytes of a body that stalls are on disk while it stalls; ending the write keeps them and their hash', async () => {
    const store = new HashingFileStore({ directory: dir });
    const id = await newUpload(store, bytes.length);
    const stalling = new PassThrough();
    const stop = new AbortController();
    const writing = store.append(stalling, id, 0, { signal: stop.signal });
    stalling.write(bytes.subarray(0, 40_000));
    await expect.poll(async () => (await fs.stat(store.dataPathOf(id))).size).toBe(40_000);
    stop.abort(); // what tus does when the request goes away or another one needs the lock
    expect(await writing).toBe(40_000);
    expect(await store.write(body(bytes.subarray(40_000)), id, 40_000)).toBe(bytes.length);
    expect(store.finishedSha256(id, bytes.length)).toBe(sha256(bytes));
  });

  it('append: a cut body fails with BodyCutError after writing what arrived; more than maxBytes fails with 413', async () => {
    const store = new HashingFileStore({ directory: dir });
    const id = await newUpload(store, bytes.length);
    await expect(store.append(cutBody(bytes.subarray(0, 30_000)), id, 0)).rejects.toBeInstanceOf(BodyCutError);
    expect((await fs.stat(store.dataPathOf(id))).size).toBe(30_000);
    await expect(store.append(body(bytes.subarray(30_000, 90_000)), id, 30_000, { maxBytes: 50_000 })).rejects.toBe(ERRORS.ERR_MAX_SIZE_EXCEEDED);
    const onDisk = (await fs.stat(store.dataPathOf(id))).size;
    expect(onDisk).toBeLessThanOrEqual(80_000);
    expect(await fs.readFile(store.dataPathOf(id))).toEqual(bytes.subarray(0, onDisk));
  });
});
