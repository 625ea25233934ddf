import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareHlc,
  DEFAULT_MAX_DRIFT_MS,
  formatHlc,
  HLC_MAX_COUNTER,
  HLC_MAX_MILLIS,
  HlcClock,
  HlcError,
  hlcReceive,
  hlcSend,
  hlcStringSchema,
  parseHlc,
  tryParseHlc,
  type Hlc,
} from './hlc';

const T0 = Date.UTC(2021, 11, 8, 9, 30); // 2021-12-08T09:30:00.000Z

function expectHlcError(fn: () => unknown, code: HlcError['code']): HlcError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HlcError);
    expect((e as HlcError).code).toBe(code);
    return e as HlcError;
  }
  throw new Error('expected an HlcError');
}

const hlcArb: fc.Arbitrary<Hlc> = fc.record({
  millis: fc.oneof(fc.integer({ min: 0, max: HLC_MAX_MILLIS }), fc.integer({ min: T0 - 5, max: T0 + 5 })),
  counter: fc.oneof(fc.integer({ min: 0, max: HLC_MAX_COUNTER }), fc.constantFrom(0, 1, 9, 10, 15, 16, 255, 256)),
  node: fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/),
});

describe('HlcClock.send', () => {
  it('follows physical time and counts events within one millisecond', () => {
    const clock = new HlcClock('laptop-a');
    expect(clock.send(T0)).toEqual({ millis: T0, counter: 0, node: 'laptop-a' });
    expect(clock.send(T0)).toEqual({ millis: T0, counter: 1, node: 'laptop-a' });
    expect(clock.send(T0 + 7)).toEqual({ millis: T0 + 7, counter: 0, node: 'laptop-a' });
  });

  it('never goes backwards when the wall clock does (within the drift limit)', () => {
    const clock = new HlcClock('a');
    const first = clock.send(T0);
    const second = clock.send(T0 - 60_000); // the clock was set back one minute
    expect(second).toEqual({ millis: T0, counter: 1, node: 'a' });
    expect(compareHlc(second, first)).toBe(1);
  });

  it('is strictly monotonic for any sequence of sends and receives', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('send' as const), jitter: fc.integer({ min: -120_000, max: 1000 }) }),
            fc.record({
              kind: fc.constant('receive' as const),
              jitter: fc.integer({ min: -120_000, max: 1000 }),
              remoteAhead: fc.integer({ min: -600_000, max: DEFAULT_MAX_DRIFT_MS }),
              counter: fc.integer({ min: 0, max: HLC_MAX_COUNTER }),
            }),
          ),
          { minLength: 1, maxLength: 200 },
        ),
        (events) => {
          const clock = new HlcClock('me');
          let wall = T0;
          let previous: Hlc = clock.current;
          for (const e of events) {
            wall = Math.max(0, wall + e.jitter);
            let next: Hlc;
            try {
              if (e.kind === 'send') next = clock.send(wall);
              else {
                const remote = { millis: wall + e.remoteAhead, counter: e.counter, node: 'other' };
                next = clock.receive(remote, wall);
                expect(compareHlc(next, remote)).toBe(1);
              }
            } catch (err) {
              // The only allowed refusal: our wall clock went back further than the drift limit.
              expect((err as HlcError).code).toBe('drift');
              expect(previous.millis - wall).toBeGreaterThanOrEqual(DEFAULT_MAX_DRIFT_MS);
              expect(clock.current).toBe(previous); // a refused event leaves the state alone
              continue;
            }
            expect(compareHlc(next, previous)).toBe(1);
            expect(next.millis).toBeGreaterThanOrEqual(wall);
            previous = next;
          }
        },
      ),
    );
  });

  it('refuses to issue when its own time is more than maxDrift ahead of the wall clock', () => {
    const clock = new HlcClock('a', { maxDriftMs: 1000 });
    clock.send(T0);
    expect(clock.send(T0 - 1000).millis).toBe(T0); // exactly at the limit: allowed
    const err = expectHlcError(() => clock.send(T0 - 1001), 'drift');
    expect(err.aheadMs).toBe(1001);
    expect(err.message).toMatch(/ahead of physical time/);
  });

  it('borrows the next millisecond when the counter would overflow', () => {
    const clock = new HlcClock('a', { initial: { millis: T0, counter: HLC_MAX_COUNTER - 1, node: 'a' } });
    expect(clock.send(T0)).toEqual({ millis: T0, counter: HLC_MAX_COUNTER, node: 'a' });
    const overflowed = clock.send(T0);
    expect(overflowed).toEqual({ millis: T0 + 1, counter: 0, node: 'a' });
    expect(formatHlc(overflowed) > formatHlc({ millis: T0, counter: HLC_MAX_COUNTER, node: 'a' })).toBe(true);
    // The wall clock catching up continues from the borrowed millisecond.
    expect(clock.send(T0 + 1)).toEqual({ millis: T0 + 1, counter: 1, node: 'a' });
  });

  it('refuses a physical time that is not whole ms since the epoch', () => {
    const clock = new HlcClock('a');
    expectHlcError(() => clock.send(Number.NaN), 'invalid');
    expectHlcError(() => clock.send(1.5), 'invalid');
    expectHlcError(() => clock.send(-1), 'invalid');
  });

  it('resumes from a persisted state after a restart', () => {
    const before = new HlcClock('a');
    before.send(T0);
    const saved = formatHlc(before.send(T0));
    const after = new HlcClock('a', { initial: saved });
    expect(after.send(T0 - 10)).toEqual({ millis: T0, counter: 2, node: 'a' });
  });

  it('refuses a bad node id', () => {
    expectHlcError(() => new HlcClock(''), 'invalid');
    expectHlcError(() => new HlcClock('has space'), 'invalid');
    expectHlcError(() => new HlcClock('x'.repeat(65)), 'invalid');
  });
});

describe('HlcClock.receive', () => {
  it('moves past a remote timestamp from the future within the drift limit', () => {
    const clock = new HlcClock('a', { maxDriftMs: 60_000 });
    clock.send(T0);
    const remote = { millis: T0 + 30_000, counter: 4, node: 'b' };
    expect(clock.receive(remote, T0)).toEqual({ millis: T0 + 30_000, counter: 5, node: 'a' });
    // later local events stay after the remote one even though the wall clock is behind it
    expect(clock.send(T0 + 1)).toEqual({ millis: T0 + 30_000, counter: 6, node: 'a' });
  });

  it('takes the larger counter when all three times are equal', () => {
    const last = { millis: T0, counter: 3, node: 'a' };
    expect(hlcReceive(last, { millis: T0, counter: 9, node: 'b' }, T0)).toEqual({ millis: T0, counter: 10, node: 'a' });
    expect(hlcReceive(last, { millis: T0, counter: 1, node: 'b' }, T0)).toEqual({ millis: T0, counter: 4, node: 'a' });
  });

  it('follows the wall clock when it is ahead of both', () => {
    const last = { millis: T0, counter: 3, node: 'a' };
    expect(hlcReceive(last, { millis: T0 - 5, counter: 9, node: 'b' }, T0 + 10)).toEqual({ millis: T0 + 10, counter: 0, node: 'a' });
  });

  it('refuses a remote clock beyond the drift limit and keeps its own state', () => {
    const clock = new HlcClock('a', { maxDriftMs: 60_000 });
    const before = clock.send(T0);
    const err = expectHlcError(() => clock.receive({ millis: T0 + 60_001, counter: 0, node: 'b' }, T0), 'drift');
    expect(err.aheadMs).toBe(60_001);
    expect(err.message).toMatch(/remote clock is 60001 ms \(1\.0 min\) ahead/);
    expect(clock.current).toBe(before);
    expect(clock.receive({ millis: T0 + 60_000, counter: 0, node: 'b' }, T0).millis).toBe(T0 + 60_000);
  });

  it('borrows the next millisecond when a remote counter is at its maximum', () => {
    const clock = new HlcClock('a');
    expect(clock.receive({ millis: T0, counter: HLC_MAX_COUNTER, node: 'b' }, T0)).toEqual({ millis: T0 + 1, counter: 0, node: 'a' });
  });

  it('refuses a malformed remote timestamp', () => {
    const clock = new HlcClock('a');
    expectHlcError(() => clock.receive({ millis: T0, counter: HLC_MAX_COUNTER + 1, node: 'b' }, T0), 'invalid');
    expectHlcError(() => clock.receive({ millis: T0, counter: 0, node: 'b:c' }, T0), 'invalid');
    expectHlcError(() => clock.receive({ millis: 1.5, counter: 0, node: 'b' }, T0), 'invalid');
  });

  it('pure functions do not mutate their input', () => {
    const last = Object.freeze({ millis: T0, counter: 0, node: 'a' });
    expect(hlcSend(last, T0)).toEqual({ millis: T0, counter: 1, node: 'a' });
    expect(last.counter).toBe(0);
  });
});

describe('HlcClock.clamp (server)', () => {
  it('keeps a timestamp within the allowance and merges it', () => {
    const server = new HlcClock('server', { maxDriftMs: 60_000 });
    const remote = { millis: T0 + 1000, counter: 2, node: 'laptop' };
    expect(server.clamp(remote, T0)).toEqual({ timestamp: remote, clamped: false });
    expect(compareHlc(server.send(T0), remote)).toBe(1);
  });

  it('re-stamps a client that runs a day ahead, keeping the order of its writes', () => {
    const server = new HlcClock('server', { maxDriftMs: 60_000 });
    const day = 86_400_000;
    const first = server.clamp({ millis: T0 + day, counter: 0, node: 'fast' }, T0);
    const second = server.clamp({ millis: T0 + day + 5, counter: 0, node: 'fast' }, T0);
    expect(first).toEqual({ timestamp: { millis: T0, counter: 0, node: 'server' }, clamped: true });
    expect(second.clamped).toBe(true);
    expect(compareHlc(second.timestamp, first.timestamp)).toBe(1);
    // a normal client writing a second later in real time wins over the fast client's writes
    const later = server.clamp({ millis: T0 + 1000, counter: 0, node: 'normal' }, T0 + 1000);
    expect(later.clamped).toBe(false);
    expect(compareHlc(later.timestamp, second.timestamp)).toBe(1);
  });

  it('can clamp anything ahead of the server clock at all', () => {
    const server = new HlcClock('server');
    expect(server.clamp({ millis: T0 + 1, counter: 0, node: 'x' }, T0, 0).clamped).toBe(true);
    expect(server.clamp({ millis: T0, counter: 0, node: 'x' }, T0, 0).clamped).toBe(false);
    expectHlcError(() => server.clamp({ millis: T0, counter: 0, node: 'x' }, T0, DEFAULT_MAX_DRIFT_MS + 1), 'invalid');
  });
});

describe('string form', () => {
  it('formats fixed-width and parses back', () => {
    const ts = { millis: T0, counter: 0x1a, node: 'laptop-a' };
    expect(formatHlc(ts)).toBe('2021-12-08T09:30:00.000Z-001a-laptop-a');
    expect(parseHlc('2021-12-08T09:30:00.000Z-001a-laptop-a')).toEqual(ts);
    expect(formatHlc({ millis: 0, counter: 0, node: 'n' })).toBe('1970-01-01T00:00:00.000Z-0000-n');
  });

  it('round-trips any valid timestamp', () => {
    fc.assert(
      fc.property(hlcArb, (ts) => {
        expect(parseHlc(formatHlc(ts))).toEqual(ts);
      }),
    );
  });

  it('orders strings exactly like timestamps', () => {
    fc.assert(
      fc.property(hlcArb, hlcArb, (a, b) => {
        const sa = formatHlc(a);
        const sb = formatHlc(b);
        const byString = sa < sb ? -1 : sa > sb ? 1 : 0;
        expect(byString).toBe(compareHlc(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects garbage', () => {
    const bad = [
      '',
      'hello',
      '2021-12-08T09:30:00.000Z-001a', // no node
      '2021-12-08T09:30:00.000Z-1a-n', // short counter
      '2021-12-08T09:30:00.000Z-001A-n', // upper-case hex would break string order
      '2021-12-08T09:30:00.000Z-0001a-n', // long counter
      '2021-12-08T09:30:00Z-0000-n', // no millis
      '2021-02-30T09:30:00.000Z-0000-n', // no such day
      '2021-12-08T24:30:00.000Z-0000-n',
      '2021-12-08 09:30:00.000Z-0000-n',
      '2021-12-08T09:30:00.000+08:00-0000-n',
      '2021-12-08T09:30:00.000Z-0000-a b',
      '2021-12-08T09:30:00.000Z-0000-' + 'x'.repeat(65),
      ' 2021-12-08T09:30:00.000Z-0000-n',
      '2021-12-08T09:30:00.000Z-0000-n\n',
    ];
    for (const s of bad) {
      expect(tryParseHlc(s), s).toBeNull();
      expect(hlcStringSchema.safeParse(s).success, s).toBe(false);
      expectHlcError(() => parseHlc(s), 'invalid');
    }
    expect(tryParseHlc(42)).toBeNull();
    expect(hlcStringSchema.safeParse('2021-12-08T09:30:00.000Z-ffff-A_b-9').success).toBe(true);
  });

  it('refuses to format an invalid timestamp', () => {
    expectHlcError(() => formatHlc({ millis: HLC_MAX_MILLIS + 1, counter: 0, node: 'n' }), 'invalid');
    expectHlcError(() => formatHlc({ millis: T0, counter: -1, node: 'n' }), 'invalid');
  });
});
