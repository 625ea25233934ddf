import { afterEach, describe, expect, it } from 'vitest';
import { tourSchema, type Tour } from '@shared/domain/schemas';
import type { TilePackRecord } from '../db/entities';
import type { GuanmoDb } from '../db/guanmo-db';
import { getMeta } from '../db/meta-repo';
import { fakePackServer, packDescription } from '../test-support/fake-pack-server';
import { writeTestPmtiles } from '../test-support/pmtiles-test-writer';
import { createTestDb } from '../test-support/test-db';
import { isTourOver, planEvictions, RESERVE_MIN_BYTES } from './pack-eviction';
import { syncTilePacks } from './pack-sync';

const opened: GuanmoDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

const tour = (id: string, over: Partial<Tour> = {}): Tour => tourSchema.parse({ id, name: `活动${id}`, kind: 'scored', startDate: '2021-11-23', endDate: '2021-11-24', status: 'scoring', ...over });
const packBytes = (seed: number) => writeTestPmtiles([{ z: 10, x: 850 + seed, y: 400, data: new TextEncoder().encode(`tile ${seed} `.repeat(50)) }], { tileType: 'png' });
const GiB = 1024 ** 3;
const roomy = async () => ({ usage: 0, quota: 100 * GiB, available: 100 * GiB });

async function setup(tours: Tour[], packs: Map<string, { bytes: Uint8Array; pack: ReturnType<typeof packDescription> } | null>) {
  const db = createTestDb();
  opened.push(db);
  await db.tours.bulkPut(tours);
  const server = fakePackServer(packs);
  return { db, server, deps: { db, server: { fetch: server.fetch, baseUrl: 'http://sync.test/', token: 'token' }, today: () => '2021-11-22', estimate: roomy } };
}

describe('syncTilePacks', () => {
  it('downloads the packs of the device\u2019s tours, and skips one whose sha256 is here already', async () => {
    const a = packBytes(1);
    const b = packBytes(2);
    const { db, server, deps } = await setup(
      [tour('a'), tour('b'), tour('none')],
      new Map([
        ['a', { bytes: a, pack: packDescription('a', a) }],
        ['b', { bytes: b, pack: packDescription('b', b) }],
        ['none', null],
      ]),
    );
    const first = await syncTilePacks(deps);
    expect(first).toMatchObject({ checked: 3, downloaded: ['a', 'b'], alreadyHere: 0, error: null });
    expect((await db.tilePacks.toArray()).map((r) => [r.tourId, r.state])).toEqual(expect.arrayContaining([['a', 'ready'], ['b', 'ready']]));

    server.requests.length = 0;
    const second = await syncTilePacks(deps);
    expect(second).toMatchObject({ checked: 3, downloaded: [], alreadyHere: 2 });
    expect(server.requests.filter((r) => r.url.endsWith('/file'))).toEqual([]);
  });

  it('never asks about a tour whose record waits in the outbox: one just created on the desk may not be on the server yet', async () => {
    const a = packBytes(1);
    const { db, server, deps } = await setup([tour('fresh', { status: 'draft' }), tour('a')], new Map([['a', { bytes: a, pack: packDescription('a', a) }]]));
    await db.outbox.add({ mutationId: 'm-1', collection: 'tours', recordId: 'fresh', changedFields: ['name'], hlc: null, createdAt: '2021-11-22T00:00:00.000Z' } as never);
    expect(await syncTilePacks(deps)).toMatchObject({ checked: 1, downloaded: ['a'], error: null, unpushed: 1 });
    expect(server.requests.filter((r) => r.url.includes('/fresh/'))).toEqual([]);
    // once pushed, it is asked about (a draft too: the desk draws its bulletin's route map from it)
    await db.outbox.clear();
    expect(await syncTilePacks(deps)).toMatchObject({ checked: 2, error: null, unpushed: 0 });
    expect(server.requests.filter((r) => r.url.includes('/fresh/'))).toHaveLength(1);
  });

  it('says nothing when the server has no maps API, and stops quietly when the network is gone', async () => {
    const { deps } = await setup([tour('a')], new Map());
    expect(await syncTilePacks(deps)).toMatchObject({ checked: 1, downloaded: [], error: null });
    const offline = { ...deps, server: { ...deps.server, fetch: (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch } };
    expect((await syncTilePacks(offline)).error).toMatch(/Failed to fetch/);
  });

  it('deletes the packs of tours that are over or gone, and tells the user', async () => {
    const a = packBytes(1);
    const b = packBytes(2);
    const packs = new Map([
      ['a', { bytes: a, pack: packDescription('a', a) }],
      ['b', { bytes: b, pack: packDescription('b', b) }],
    ]);
    const { db, deps } = await setup([tour('a'), tour('b')], packs);
    await syncTilePacks(deps);
    // three weeks later: a is closed, b was removed from this device
    await db.tours.put(tour('a', { status: 'closed' }));
    await db.tours.delete('b');
    const report = await syncTilePacks({ ...deps, today: () => '2021-12-15' });
    expect(report.evicted.map((e) => [e.tourId, e.reason]).sort()).toEqual([
      ['a', 'tourOver'],
      ['b', 'tourGone'],
    ]);
    expect(await db.tilePacks.count()).toBe(0);
    expect(await db.tilePackChunks.count()).toBe(0);
    expect((await getMeta(db, 'tilePackNotices'))?.map((n) => [n.tourId, n.kind, n.tourName]).sort()).toEqual([
      ['a', 'tourOver', '活动a'],
      ['b', 'tourGone', 'b'],
    ]);
  });

  it('does not download what would eat the reserve, remembers the size and tells the user', async () => {
    const a = packBytes(1);
    const { db, deps } = await setup([tour('a')], new Map([['a', { bytes: a, pack: packDescription('a', a) }]]));
    const report = await syncTilePacks({ ...deps, estimate: async () => ({ usage: 0, quota: 2 * GiB, available: RESERVE_MIN_BYTES }) });
    expect(report.noSpace).toEqual(['a']);
    expect(await db.tilePacks.toArray()).toEqual([expect.objectContaining({ tourId: 'a', state: 'noSpace', bytesStored: 0 })]);
    expect((await getMeta(db, 'tilePackNotices'))?.[0]).toMatchObject({ tourId: 'a', kind: 'noSpace', size: a.length });
    // space came back: the download goes ahead
    expect((await syncTilePacks(deps)).downloaded).toEqual(['a']);
  });

  it('throws a corrupt download away and says so', async () => {
    const a = packBytes(1);
    const { db, server, deps } = await setup([tour('a')], new Map([['a', { bytes: a, pack: packDescription('a', a) }]]));
    server.corrupt = true;
    expect((await syncTilePacks(deps)).corrupt).toEqual(['a']);
    expect(await db.tilePacks.count()).toBe(0);
    expect((await getMeta(db, 'tilePackNotices'))?.[0]).toMatchObject({ tourId: 'a', kind: 'corrupt' });
  });
});

describe('planEvictions', () => {
  const record = (sha: string, tourId: string, bytes: number, lastOpenedAt: string | null): TilePackRecord => ({
    sha256: sha.repeat(64).slice(0, 64),
    tourId,
    pack: packDescription(tourId, new Uint8Array(1), { size: Math.max(1, bytes) }),
    state: 'ready',
    bytesStored: bytes,
    chunkBytes: 1 << 20,
    chunkCount: 1,
    hash: { h: [], length: 0, tail: [] },
    startedAt: '2021-11-01T00:00:00.000Z',
    updatedAt: '2021-11-01T00:00:00.000Z',
    readyAt: '2021-11-01T00:00:00.000Z',
    lastOpenedAt,
  });
  const tours = new Map([
    ['running', tour('running', { startDate: '2021-11-22', endDate: '2021-11-23' })],
    ['ended-old', tour('ended-old', { startDate: '2021-11-01', endDate: '2021-11-02' })],
    ['ended-recent', tour('ended-recent', { startDate: '2021-11-10', endDate: '2021-11-11' })],
  ]);
  const MiB = 1024 * 1024;

  it('frees space from tours that have ended, least recently opened first, never from a running one', () => {
    const packs = [record('a', 'running', 500 * MiB, '2021-11-01T00:00:00.000Z'), record('b', 'ended-old', 100 * MiB, '2021-11-05T00:00:00.000Z'), record('c', 'ended-recent', 100 * MiB, '2021-11-12T00:00:00.000Z')];
    // the reserve is 256 MiB: 56 MiB short
    const estimate = { usage: 0, quota: 1024 * MiB, available: 200 * MiB };
    const short = planEvictions({ packs, tours, today: '2021-11-22', estimate });
    expect(short.evictions.map((e) => [e.tourId, e.reason])).toEqual([['ended-old', 'storageShort']]);
    expect(short.hasSpace).toBe(true);
    // a download that cannot fit even with both ended tours gone evicts nothing for it
    const big = planEvictions({ packs, tours, today: '2021-11-22', estimate, needBytes: 2000 * MiB });
    expect(big.evictions.map((e) => e.tourId)).toEqual(['ended-old']);
    expect(big.hasSpace).toBe(false);
    // one that fits once the other ended tour goes: both go
    expect(planEvictions({ packs, tours, today: '2021-11-22', estimate, needBytes: 50 * MiB }).evictions.map((e) => e.tourId)).toEqual(['ended-old', 'ended-recent']);
  });

  it('calls a tour over two weeks after it closed', () => {
    expect(isTourOver({ status: 'closed', endDate: '2021-11-01' }, '2021-11-15')).toBe(false);
    expect(isTourOver({ status: 'closed', endDate: '2021-11-01' }, '2021-11-16')).toBe(true);
    expect(isTourOver({ status: 'scoring', endDate: '2021-11-01' }, '2022-11-16')).toBe(false);
    expect(isTourOver({ status: 'results_published', endDate: '2021-11-01' }, '2021-12-16')).toBe(true);
  });
});
