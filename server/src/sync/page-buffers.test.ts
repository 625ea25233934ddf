import { describe, expect, it } from 'vitest';
import { PageBuffers } from './page-buffers.js';
import { serializePullPage, type PullPage } from './pull.js';
import { unsealCursor } from './cursor-seal.js';

const key = Buffer.alloc(32, 7);

function pageOf(texts: string[], hasMore: boolean): PullPage {
  return {
    rows: texts.map((text, i) => ({
      row: { collection: 'notes', id: `n${i}`, tourId: 't1', deleted: false, scorerId: null, seq: i + 1 },
      json: Buffer.from(JSON.stringify({ collection: 'notes', id: `n${i}`, tourId: 't1', data: { text }, versions: {}, deleted: false })),
    })),
    cursor: { tx: '987654321', seq: 42 },
    hasMore,
  };
}

describe('PageBuffers', () => {
  it('hands a given-back buffer out again, and never one that is still out', () => {
    const buffers = new PageBuffers(4);
    const a = buffers.take(1000);
    const b = buffers.take(1000);
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(1000);
    buffers.give(a);
    expect(buffers.take(900)).toBe(a);
    expect(buffers.take(900)).not.toBe(a);
  });

  it('keeps at most maxFree buffers, the larger ones, and none above maxBytes', () => {
    const buffers = new PageBuffers(2, 1024 * 1024);
    const small = buffers.take(10);
    const middle = buffers.take(200_000);
    const large = buffers.take(600_000);
    const huge = buffers.take(2_000_000);
    expect(huge.length).toBe(2_000_000);
    buffers.give(huge);
    expect(buffers.size).toBe(0);
    buffers.give(small);
    buffers.give(middle);
    buffers.give(large);
    expect(buffers.size).toBe(2);
    expect(buffers.take(500_000)).toBe(large);
    expect(buffers.take(100_000)).toBe(middle);
  });
});

describe('serializePullPage', () => {
  it('writes the same answer into a reused buffer as into a fresh one, with nothing left of the answer before', () => {
    const buffers = new PageBuffers();
    const big = serializePullPage(pageOf(['很长的一条记录'.repeat(200), '第二条'], true), key, buffers);
    expect(JSON.parse(big.body.toString('utf8')).changes).toHaveLength(2);
    buffers.give(big.buffer);

    const small = pageOf(['进度快，质量好', 'b', 'c'], false);
    const reused = serializePullPage(small, key, buffers);
    expect(reused.buffer).toBe(big.buffer);
    const fresh = serializePullPage(small, key);
    const parsed = JSON.parse(reused.body.toString('utf8')) as { changes: Array<{ data: { text: string } }>; cursor: string; hasMore: boolean };
    expect(parsed.changes.map((c) => c.data.text)).toEqual(['进度快，质量好', 'b', 'c']);
    expect(parsed.hasMore).toBe(false);
    expect(unsealCursor(parsed.cursor, key)).toEqual({ tx: '987654321', seq: 42 });
    // the sealed cursor differs per call (random nonce); everything before it is byte for byte the same
    const head = (b: Buffer) => b.toString('utf8').split('"cursor"')[0];
    expect(head(reused.body)).toBe(head(fresh.body));
  });

  it('answers an empty page', () => {
    const { body } = serializePullPage(pageOf([], false), key, new PageBuffers());
    expect(JSON.parse(body.toString('utf8'))).toMatchObject({ changes: [], hasMore: false });
  });
});
