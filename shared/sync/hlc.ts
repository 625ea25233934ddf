/**
 * Hybrid logical clock (Kulkarni, Demirbas et al., "Logical Physical Clocks", 2014), used to
 * order per-field writes for last-writer-wins sync.
 *
 * A timestamp is (millis, counter, node): `millis` follows physical time (ms since the Unix
 * epoch), `counter` orders events within one millisecond, `node` (the client or server id)
 * breaks the remaining ties, so two different nodes never produce equal timestamps.
 *
 * What must stay true:
 * - Every timestamp a clock issues (send, receive, clamp) is strictly greater than every
 *   timestamp it issued or merged before: a later local edit always wins over what this node
 *   has already seen.
 * - Logic never reads the wall clock: `now` is always passed in (Date.now() at the call site),
 *   so the clock is deterministic under test.
 * - `formatHlc` gives fixed-width strings whose plain string comparison equals `compareHlc`,
 *   so the server and IndexedDB can index and compare the string form directly.
 *
 * Decisions:
 * - Counter overflow: the counter has 16 bits (0..0xffff, four hex digits). When an event would
 *   push it past 0xffff, the clock borrows the next millisecond (millis + 1, counter 0) instead
 *   of failing. Only a burst of > 65 536 events in one millisecond does that (a bulk import
 *   stamping every field), and failing such an import would be worse than running 1 ms ahead;
 *   the drift limit still bounds how far the clock can get ahead of physical time.
 * - Drift: a clock (ours or a remote one) more than `maxDriftMs` ahead of physical time is
 *   refused with an `HlcError` of code 'drift' carrying how far ahead it is, so the UI can say
 *   "this computer's clock is N minutes behind". The default is 5 minutes: laptops on a bus
 *   are often minutes off and must still be able to pull from the server, while a clock hours
 *   or days ahead is a real fault that must not silently win every future conflict.
 * - The server does not refuse a client that runs ahead: it re-stamps that client's writes
 *   with its own clock (`HlcClock.clamp`), so a laptop whose clock is a day fast cannot win
 *   every conflict for a day, and the order of that client's writes within a push survives.
 */
import { z } from 'zod';

export type Hlc = {
  /** ms since the Unix epoch */
  readonly millis: number;
  /** 0..HLC_MAX_COUNTER */
  readonly counter: number;
  /** id of the node that issued the timestamp; see `hlcNodeSchema` */
  readonly node: string;
};

export const HLC_MAX_COUNTER = 0xffff;
/** 9999-12-31T23:59:59.999Z: the last instant with a four-digit ISO year, so string order holds. */
export const HLC_MAX_MILLIS = 253_402_300_799_999;
export const DEFAULT_MAX_DRIFT_MS = 5 * 60_000;

/** Node ids: 1–64 characters of A–Z a–z 0–9 _ - (no separator ambiguity, safe in any key). */
export const hlcNodeSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'node id must be 1-64 characters of A-Z a-z 0-9 _ -');

export const hlcSchema = z.object({
  millis: z.number().int().min(0).max(HLC_MAX_MILLIS),
  counter: z.number().int().min(0).max(HLC_MAX_COUNTER),
  node: hlcNodeSchema,
});

export type HlcErrorCode = 'drift' | 'invalid';

export class HlcError extends Error {
  override readonly name = 'HlcError';
  constructor(
    readonly code: HlcErrorCode,
    message: string,
    /** for 'drift': how many ms the refused clock is ahead of physical time */
    readonly aheadMs?: number,
  ) {
    super(message);
  }
}

export type HlcOptions = {
  /** how far (ms) a clock may run ahead of physical time; default DEFAULT_MAX_DRIFT_MS */
  maxDriftMs?: number;
};

// ---------------------------------------------------------------------------------------------
// Pure core: each function takes the last timestamp and returns the next one.

/** Local event (an edit): the next timestamp after `last` at physical time `now`. */
export function hlcSend(last: Hlc, now: number, options: HlcOptions = {}): Hlc {
  const maxDrift = driftOf(options);
  assertNow(now);
  const millis = Math.max(last.millis, now);
  const next = bump(millis, millis === last.millis ? last.counter + 1 : 0, last.node);
  assertWithinDrift(next.millis, now, maxDrift, 'local');
  return next;
}

/**
 * Merge a timestamp received from another node (a pulled record): the result is greater than
 * both `last` and `remote`. Refuses a remote clock more than maxDrift ahead of `now`.
 */
export function hlcReceive(last: Hlc, remote: Hlc, now: number, options: HlcOptions = {}): Hlc {
  const maxDrift = driftOf(options);
  assertNow(now);
  assertValid(remote, 'remote timestamp');
  assertWithinDrift(remote.millis, now, maxDrift, 'remote');
  const millis = Math.max(last.millis, remote.millis, now);
  let counter: number;
  if (millis === last.millis && millis === remote.millis) counter = Math.max(last.counter, remote.counter) + 1;
  else if (millis === last.millis) counter = last.counter + 1;
  else if (millis === remote.millis) counter = remote.counter + 1;
  else counter = 0;
  const next = bump(millis, counter, last.node);
  assertWithinDrift(next.millis, now, maxDrift, 'local');
  return next;
}

/** Total order: millis, then counter, then node (plain code-unit string order). */
export function compareHlc(a: Hlc, b: Hlc): number {
  if (a.millis !== b.millis) return a.millis < b.millis ? -1 : 1;
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}

/** The smallest timestamp of a node: the starting point of a fresh clock. */
export function hlcZero(node: string): Hlc {
  return { millis: 0, counter: 0, node: parseNode(node) };
}

// ---------------------------------------------------------------------------------------------
// Stateful clock for one node.

export class HlcClock {
  private last: Hlc;
  readonly maxDriftMs: number;

  /**
   * @param node this node's id (client id or server id)
   * @param options.initial the last timestamp this node issued or merged, as persisted before a
   *   restart; without it a restarted node whose wall clock went back could issue timestamps
   *   older than its own earlier edits.
   */
  constructor(node: string, options: HlcOptions & { initial?: Hlc | string } = {}) {
    this.maxDriftMs = driftOf(options);
    const zero = hlcZero(node);
    const initial = typeof options.initial === 'string' ? parseHlc(options.initial) : options.initial;
    if (initial) assertValid(initial, 'initial timestamp');
    // The persisted state may come from an older node id; keep its time, use our node.
    this.last = initial ? { millis: initial.millis, counter: initial.counter, node: zero.node } : zero;
  }

  get node(): string {
    return this.last.node;
  }

  /** The last timestamp issued or merged (persist it to survive restarts). */
  get current(): Hlc {
    return this.last;
  }

  /** Timestamp for a local event. Throws HlcError('drift') if this clock is too far ahead of `now`. */
  send(now: number): Hlc {
    this.last = hlcSend(this.last, now, { maxDriftMs: this.maxDriftMs });
    return this.last;
  }

  /** Merge a remote timestamp. Throws HlcError('drift') when it is too far ahead of `now`. */
  receive(remote: Hlc, now: number): Hlc {
    this.last = hlcReceive(this.last, remote, now, { maxDriftMs: this.maxDriftMs });
    return this.last;
  }

  /**
   * Server side: admit a client's timestamp. One at most `maxAheadMs` ahead of `now` is kept
   * as it is (and merged into this clock); one further ahead is replaced by a fresh timestamp
   * of this (server) clock, which is ≤ now + drift and greater than everything this clock
   * has seen, so the client's writes keep their relative order and do not outrank writes
   * that come later in real time.
   */
  clamp(remote: Hlc, now: number, maxAheadMs: number = this.maxDriftMs): { timestamp: Hlc; clamped: boolean } {
    assertNow(now);
    assertValid(remote, 'remote timestamp');
    if (!(maxAheadMs >= 0) || !Number.isFinite(maxAheadMs) || maxAheadMs > this.maxDriftMs) {
      throw new HlcError('invalid', `maxAheadMs must be between 0 and the clock's maxDriftMs (${this.maxDriftMs}), got ${maxAheadMs}`);
    }
    if (remote.millis - now > maxAheadMs) return { timestamp: this.send(now), clamped: true };
    this.receive(remote, now);
    return { timestamp: remote, clamped: false };
  }
}

// ---------------------------------------------------------------------------------------------
// String form: "2021-12-08T09:30:00.000Z-0000-node" (ISO instant, 4 hex digit counter, node).
// The first two parts have a fixed width, so comparing strings compares millis, then counter,
// then node, exactly like compareHlc.

const HLC_STRING_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)-([0-9a-f]{4})-([A-Za-z0-9_-]{1,64})$/;

export function formatHlc(ts: Hlc): string {
  assertValid(ts, 'timestamp');
  return `${new Date(ts.millis).toISOString()}-${ts.counter.toString(16).padStart(4, '0')}-${ts.node}`;
}

/** Parse a string made by formatHlc; throws HlcError('invalid') on anything else. */
export function parseHlc(text: string): Hlc {
  const parsed = tryParseHlc(text);
  if (!parsed) {
    const shown = typeof text === 'string' ? JSON.stringify(text.slice(0, 100)) : typeof text;
    throw new HlcError('invalid', `not an HLC timestamp: ${shown} (expected e.g. 2021-12-08T09:30:00.000Z-0000-node1)`);
  }
  return parsed;
}

export function tryParseHlc(text: unknown): Hlc | null {
  if (typeof text !== 'string') return null;
  const m = HLC_STRING_RE.exec(text);
  if (!m) return null;
  const [, iso, hex, node] = m as unknown as [string, string, string, string];
  const millis = Date.parse(iso);
  // Round trip refuses impossible instants such as 2021-02-30 or 25:00 that Date would roll over.
  if (!Number.isFinite(millis) || millis < 0 || new Date(millis).toISOString() !== iso) return null;
  return { millis, counter: parseInt(hex, 16), node };
}

/** A valid HLC string, for validating sync messages at the trust boundary. */
export const hlcStringSchema = z.string().refine((s) => tryParseHlc(s) !== null, {
  message: 'expected an HLC timestamp like 2021-12-08T09:30:00.000Z-0000-node1',
});

// ---------------------------------------------------------------------------------------------

function bump(millis: number, counter: number, node: string): Hlc {
  // Counter overflow borrows the next millisecond (see the decision at the top).
  if (counter > HLC_MAX_COUNTER) return { millis: millis + 1, counter: 0, node };
  return { millis, counter, node };
}

function driftOf(options: HlcOptions): number {
  const drift = options.maxDriftMs ?? DEFAULT_MAX_DRIFT_MS;
  if (!Number.isFinite(drift) || drift < 0) throw new HlcError('invalid', `maxDriftMs must be a non-negative number, got ${drift}`);
  return drift;
}

function assertNow(now: number): void {
  if (!Number.isSafeInteger(now) || now < 0 || now > HLC_MAX_MILLIS) {
    throw new HlcError('invalid', `physical time must be whole ms since the epoch (Date.now()), got ${now}`);
  }
}

function assertWithinDrift(millis: number, now: number, maxDrift: number, whose: 'local' | 'remote'): void {
  const ahead = millis - now;
  if (ahead <= maxDrift) return;
  const minutes = (ahead / 60_000).toFixed(1);
  const message =
    whose === 'remote'
      ? `remote clock is ${ahead} ms (${minutes} min) ahead of this computer's clock, more than the allowed ${maxDrift} ms; check the time settings of both computers`
      : `this clock is ${ahead} ms (${minutes} min) ahead of physical time, more than the allowed ${maxDrift} ms; was the computer's clock set back?`;
  throw new HlcError('drift', message, ahead);
}

function assertValid(ts: Hlc, what: string): void {
  const r = hlcSchema.safeParse(ts);
  if (!r.success) {
    throw new HlcError('invalid', `invalid ${what}: ${r.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`);
  }
}

function parseNode(node: string): string {
  const r = hlcNodeSchema.safeParse(node);
  if (!r.success) throw new HlcError('invalid', `invalid node id ${JSON.stringify(node)}: ${r.error.issues[0]?.message ?? ''}`);
  return r.data;
}
