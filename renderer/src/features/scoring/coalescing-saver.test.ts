import { describe, expect, it } from 'vitest';
import { CoalescingSaver, type SaveState } from './coalescing-saver';

/** A write whose completion the test controls. */
function controlledWrites() {
  const calls: { value: string; resolve: (at: string) => void; reject: (e: unknown) => void }[] = [];
  const write = (value: string) => new Promise<string>((resolve, reject) => calls.push({ value, resolve, reject }));
  return { calls, write };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('CoalescingSaver', () => {
  it('writes the first change at once and merges changes made during a write into one next write', async () => {
    const { calls, write } = controlledWrites();
    const states: SaveState['status'][] = [];
    const saver = new CoalescingSaver(write, (s) => states.push(s.status));
    saver.schedule('1');
    expect(calls.map((c) => c.value)).toEqual(['1']);
    saver.schedule('12');
    saver.schedule('12.');
    saver.schedule('12.5');
    expect(calls).toHaveLength(1);
    calls[0]!.resolve('t1');
    await tick();
    expect(calls.map((c) => c.value)).toEqual(['1', '12.5']);
    calls[1]!.resolve('t2');
    await saver.flush();
    expect(saver.currentState).toEqual({ status: 'saved', at: 't2' });
    expect(saver.isBusy).toBe(false);
    expect(states).toEqual(['saving', 'saving', 'saved']);
  });

  it('keeps the value of a failed write and writes the newest one on retry or the next change', async () => {
    const { calls, write } = controlledWrites();
    const saver = new CoalescingSaver(write);
    saver.schedule('a');
    calls[0]!.reject(new DOMException('full', 'QuotaExceededError'));
    await saver.flush();
    expect(saver.currentState.status).toBe('error');
    expect(saver.isBusy).toBe(true); // still holds 'a'
    const retried = saver.retry();
    expect(calls.map((c) => c.value)).toEqual(['a', 'a']);
    calls[1]!.reject(new Error('still full'));
    await retried;
    saver.schedule('ab');
    expect(calls.map((c) => c.value)).toEqual(['a', 'a', 'ab']);
    calls[2]!.resolve('t');
    await saver.flush();
    expect(saver.currentState).toEqual({ status: 'saved', at: 't' });
  });

  it('with a debounce, waits for a pause unless flushed (window hidden or closing)', async () => {
    const { calls, write } = controlledWrites();
    const saver = new CoalescingSaver(write, () => {}, 10_000);
    saver.schedule('x');
    saver.schedule('xy');
    expect(calls).toHaveLength(0);
    const flushed = saver.flush();
    expect(calls.map((c) => c.value)).toEqual(['xy']);
    calls[0]!.resolve('t');
    await flushed;
    expect(saver.isBusy).toBe(false);
  });

  it('refuses values once closed, after writing what was pending', async () => {
    const { calls, write } = controlledWrites();
    const saver = new CoalescingSaver(write);
    saver.schedule('last');
    const closed = saver.close();
    calls[0]!.resolve('t');
    await closed;
    saver.schedule('after');
    expect(calls.map((c) => c.value)).toEqual(['last']);
  });
});
