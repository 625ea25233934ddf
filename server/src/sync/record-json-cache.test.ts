/**
 * The record JSON cache of pull (pull.ts): pulls that miss the same record states at the same
 * time share one read of them; a failed read is not remembered.
 */
import { describe, expect, it } from 'vitest';
import { RecordJsonCache, type RecordJsonRow } from './pull.js';

function row(askedSeq: number, seq = askedSeq): RecordJsonRow {
  return { asked_seq: askedSeq, collection: 'notes', id: `note-${seq}`, tour_id: 'tour-1', deleted: 0, scorer_id: null, seq, json: `{"id":"note-${seq}"}` };
}

/** a fetch that answers when told to, and records what it was asked */
function controlledFetch() {
  const asked: number[][] = [];
  const pending: Array<{ seqs: readonly number[]; resolve: (rows: RecordJsonRow[]) => void; reject: (error: Error) => void }> = [];
  const fetch = (seqs: readonly number[]) =>
    new Promise<RecordJsonRow[]>((resolve, reject) => {
      asked.push([...seqs]);
      pending.push({ seqs, resolve, reject });
    });
  return { fetch, asked, pending };
}

describe('RecordJsonCache', () => {
  it('reads a state once when two pulls miss it at the same time, and each gets it', async () => {
    const cache = new RecordJsonCache(1024 * 1024);
    const { fetch, asked, pending } = controlledFetch();
    const first = cache.load([1, 2, 3], fetch);
    const second = cache.load([2, 3, 4], fetch);
    expect(asked).toEqual([[1, 2, 3], [4]]);
    for (const p of pending) p.resolve(p.seqs.map((seq) => row(seq)));
    const [a, b] = await Promise.all([first, second]);
    expect([...a.keys()]).toEqual([1, 2, 3]);
    expect([...b.keys()]).toEqual([2, 3, 4]);
    expect(b.get(2)).toBe(a.get(2)); // the same entry
    expect(b.get(4)!.json.toString()).toBe('{"id":"note-4"}');

    // now cached: no read at all
    expect(cache.get(3)?.row).toMatchObject({ collection: 'notes', id: 'note-3', tourId: 'tour-1', deleted: false, scorerId: null, seq: 3 });
  });

  it('answers a state that changed since the page with its newer state', async () => {
    const cache = new RecordJsonCache(1024 * 1024);
    const loaded = await cache.load([5], async () => [row(5, 9)]);
    expect(loaded.get(5)!.row.seq).toBe(9);
    expect(cache.get(9)).toBe(loaded.get(5));
    // kept under the older change too: the next page naming it reads nothing
    expect(cache.get(5)).toBe(loaded.get(5));
  });

  it('does not remember a failed read: the waiting pulls fail, the next one reads again', async () => {
    const cache = new RecordJsonCache(1024 * 1024);
    const { fetch, asked, pending } = controlledFetch();
    const first = cache.load([1], fetch);
    const second = cache.load([1], fetch);
    pending[0]!.reject(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await expect(second).rejects.toThrow('connection lost');
    const third = cache.load([1], fetch);
    expect(asked).toEqual([[1], [1]]);
    pending[1]!.resolve([row(1)]);
    expect((await third).get(1)!.row.id).toBe('note-1');
  });

  it('drops the oldest entries beyond its size', async () => {
    const cache = new RecordJsonCache(40);
    await cache.load([1, 2, 3], async (seqs) => seqs.map((seq) => row(seq))); // 15 bytes each
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(2)).toBeDefined();
    expect(cache.get(3)).toBeDefined();
  });
});
