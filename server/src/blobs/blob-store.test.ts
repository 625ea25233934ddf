import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-support/backends.js';
import { BlobStore, isSha256Hex, sha256OfFile } from './blob-store.js';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('BlobStore', () => {
  let dir: string;
  let store: BlobStore;

  beforeEach(async () => {
    dir = await makeTempDir('guanmo-blobs-');
    store = new BlobStore(path.join(dir, 'blobs'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function offer(bytes: Uint8Array, name = `upload-${Math.random()}`): Promise<string> {
    const file = path.join(dir, name);
    await fs.writeFile(file, bytes);
    return file;
  }

  it('stores verified bytes under ab/cd/<sha> and consumes the offered file', async () => {
    const bytes = new TextEncoder().encode('观摩 photo bytes');
    const hash = sha(bytes);
    const source = await offer(bytes);

    const result = await store.adoptFile(source, hash);

    expect(result.status).toBe('stored');
    const expectedPath = path.join(dir, 'blobs', hash.slice(0, 2), hash.slice(2, 4), hash);
    expect(store.pathOf(hash)).toBe(expectedPath);
    expect(new Uint8Array(await fs.readFile(expectedPath))).toEqual(bytes);
    await expect(fs.stat(source)).rejects.toThrow(/ENOENT/);
    expect(await store.stat(hash)).toEqual({ sha256: hash, size: bytes.length, path: expectedPath });
    expect(await fs.readdir(path.join(dir, 'blobs', '.tmp'))).toEqual([]);
  });

  it('refuses bytes that do not match the expected hash and stores nothing', async () => {
    const bytes = new TextEncoder().encode('real bytes');
    const claimed = sha(new TextEncoder().encode('other bytes'));
    const source = await offer(bytes);

    const result = await store.adoptFile(source, claimed);

    expect(result).toEqual({ status: 'mismatch', actualSha256: sha(bytes) });
    expect(await store.has(claimed)).toBe(false);
    expect(await store.has(sha(bytes))).toBe(false);
    await expect(fs.stat(source)).rejects.toThrow(/ENOENT/);
    expect(await fs.readdir(path.join(dir, 'blobs', '.tmp'))).toEqual([]);
  });

  it('trusts a hash computed while writing (same size), and hashes the file itself when the size differs', async () => {
    const bytes = new TextEncoder().encode('hashed while written');
    const hash = sha(bytes);
    // the writer's hash decides: a wrong one is refused, nothing stored
    const refused = await store.adoptFile(await offer(bytes), hash, { sha256: sha(new TextEncoder().encode('x')), size: bytes.length });
    expect(refused.status).toBe('mismatch');
    expect(await store.has(hash)).toBe(false);
    // a size that does not match the file: the writer's hash is ignored and the bytes are hashed here
    const rehashed = await store.adoptFile(await offer(bytes), hash, { sha256: sha(new TextEncoder().encode('x')), size: bytes.length + 1 });
    expect(rehashed.status).toBe('stored');
    expect(await sha256OfFile(store.pathOf(hash))).toBe(hash);
    expect(await fs.readdir(path.join(dir, 'blobs', '.tmp'))).toEqual([]);
  });

  it('stores the same bytes once; a second and concurrent adoptions are no-ops', async () => {
    const bytes = new Uint8Array(200_000).map((_, i) => (i * 7) % 251);
    const hash = sha(bytes);
    expect((await store.adoptFile(await offer(bytes), hash)).status).toBe('stored');
    const before = await fs.stat(store.pathOf(hash));

    expect((await store.adoptFile(await offer(bytes), hash)).status).toBe('existing');
    const results = await Promise.all([1, 2, 3, 4].map(async () => store.adoptFile(await offer(bytes), hash)));
    expect(results.every((r) => r.status === 'existing' || r.status === 'stored')).toBe(true);

    expect(sha(new Uint8Array(await fs.readFile(store.pathOf(hash))))).toBe(hash);
    expect((await fs.stat(store.pathOf(hash))).size).toBe(before.size);
    expect(await fs.readdir(path.join(dir, 'blobs', '.tmp'))).toEqual([]);
  });

  it('concurrent first completions of one hash (two processes sharing the folder) leave one good blob', async () => {
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 13) % 256);
    const hash = sha(bytes);
    const other = new BlobStore(path.join(dir, 'blobs'));
    const results = await Promise.all([
      store.adoptFile(await offer(bytes), hash),
      other.adoptFile(await offer(bytes), hash),
      store.adoptFile(await offer(bytes), hash),
    ]);
    expect(results.map((r) => r.status).every((s) => s === 'stored' || s === 'existing')).toBe(true);
    expect(await sha256OfFile(store.pathOf(hash))).toBe(hash);
  });

  it('rejects anything but a lower-case hex sha256 as a name (no path traversal)', async () => {
    for (const bad of ['../../etc/passwd', 'A'.repeat(64), 'a'.repeat(63), `${'a'.repeat(62)}/x`, '']) {
      expect(isSha256Hex(bad)).toBe(false);
      expect(() => store.pathOf(bad)).toThrow(RangeError);
    }
    expect(await store.has('a'.repeat(64))).toBe(false);
  });

  it('removes stale temp files left by a crash, keeps fresh ones', async () => {
    const tmp = path.join(dir, 'blobs', '.tmp');
    await fs.mkdir(tmp, { recursive: true });
    await fs.writeFile(path.join(tmp, 'old'), 'x');
    await fs.writeFile(path.join(tmp, 'new'), 'y');
    const old = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    await fs.utimes(path.join(tmp, 'old'), old, old);

    expect(await store.removeStaleTempFiles()).toBe(1);
    expect(await fs.readdir(tmp)).toEqual(['new']);
  });
});
