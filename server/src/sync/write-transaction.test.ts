import { describe, expect, it } from 'vitest';
import { WritesInFlight } from './write-transaction.js';

describe('WritesInFlight', () => {
  it('calls back at once when no write is open, else once every write open at the call has ended', () => {
    const writes = new WritesInFlight();
    const calls: string[] = [];
    writes.whenOpenWritesEnd(() => calls.push('idle'));
    expect(calls).toEqual(['idle']);

    const a = writes.begin();
    const b = writes.begin();
    writes.whenOpenWritesEnd(() => calls.push('after a and b'));
    const c = writes.begin(); // began later: not waited for
    writes.end(b);
    expect(calls).toEqual(['idle']);
    writes.end(a);
    expect(calls).toEqual(['idle', 'after a and b']);
    writes.whenOpenWritesEnd(() => calls.push('after c'));
    writes.end(c);
    expect(calls).toEqual(['idle', 'after a and b', 'after c']);
    expect(writes.size).toBe(0);
  });
});
