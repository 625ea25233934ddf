import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-support/backends.js';
import { removeExpiredUploads } from './upload-cleanup.js';

const day = 24 * 60 * 60 * 1000;

describe('removeExpiredUploads', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('guanmo-uploads-');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function upload(id: string, createdAt: Date, options: { data?: boolean; info?: boolean } = {}) {
    if (options.data ?? true) await fs.writeFile(path.join(dir, id), 'partial bytes');
    if (options.info ?? true) {
      await fs.writeFile(path.join(dir, `${id}.json`), JSON.stringify({ id, size: 100, offset: 0, creation_date: createdAt.toISOString() }));
    }
  }

  it('removes uploads created longer ago than the expiry, keeps the others', async () => {
    const now = new Date('2021-12-20T00:00:00Z');
    await upload('old', new Date(now.getTime() - 15 * day));
    await upload('recent', new Date(now.getTime() - 13 * day));
    expect(await removeExpiredUploads(dir, 14 * day, now)).toBe(1);
    expect((await fs.readdir(dir)).sort()).toEqual(['recent', 'recent.json']);
  });

  it('removes stray halves a crash left behind once they are old', async () => {
    await upload('no-info', new Date(), { info: false });
    await upload('no-data', new Date('2000-01-01T00:00:00Z'), { data: false });
    const old = new Date(Date.now() - 30 * day);
    await fs.utimes(path.join(dir, 'no-info'), old, old);
    await upload('fresh-stray', new Date(), { info: false });
    expect(await removeExpiredUploads(dir, 14 * day)).toBe(2);
    expect(await fs.readdir(dir)).toEqual(['fresh-stray']);
  });

  it('removes uploads that received no byte for the idle time, however young', async () => {
    const now = new Date('2021-12-20T00:00:00Z');
    await upload('stalled', new Date(now.getTime() - 4 * day));
    await upload('moving', new Date(now.getTime() - 4 * day));
    const stalledAt = new Date(now.getTime() - 3.5 * day);
    await fs.utimes(path.join(dir, 'stalled'), stalledAt, stalledAt);
    const movedAt = new Date(now.getTime() - 1 * day);
    await fs.utimes(path.join(dir, 'moving'), movedAt, movedAt);
    expect(await removeExpiredUploads(dir, { expiryMs: 14 * day, idleMs: 3 * day }, now)).toBe(1);
    expect((await fs.readdir(dir)).sort()).toEqual(['moving', 'moving.json']);
  });

  it('treats a missing folder as empty', async () => {
    expect(await removeExpiredUploads(path.join(dir, 'absent'), day)).toBe(0);
  });
});
