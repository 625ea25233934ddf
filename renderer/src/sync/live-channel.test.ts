/**
 * The live channel's client side against a scripted server (a fetch stand-in answering with
 * text/event-stream bodies the test writes to): when it retries and when it does not. The real
 * server is in tests/integration/live-sync.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLiveChannel, type LiveChannel, type LiveChannelOptions, type LiveState } from './live-channel';

interface Call {
  at: number;
  url: string;
  token: string | null;
  /** write SSE text to the stream; close() ends it */
  write(text: string): void;
  close(): void;
  aborted: boolean;
}

const channels: LiveChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) c.stop();
});

/** A channel whose fetch answers each request with `answer(callIndex)`: a status, or an open stream. */
function setUp(answer: (n: number) => { status: number; headers?: Record<string, string> } | 'stream', options: Partial<LiveChannelOptions> = {}) {
  const calls: Call[] = [];
  const states: LiveState[] = [];
  const events: string[] = [];
  let token = 'token-1';
  const fetchStub = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const n = calls.length;
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
    const encoder = new TextEncoder();
    const call: Call = {
      at: Date.now(),
      url: String(input),
      token: new Headers(init?.headers).get('authorization'),
      write: (text) => controller.enqueue(encoder.encode(text)),
      close: () => controller.close(),
      aborted: false,
    };
    calls.push(call);
    init?.signal?.addEventListener('abort', () => {
      call.aborted = true;
      try {
        controller.error(new DOMException('aborted', 'AbortError'));
      } catch {
        // already closed
      }
    });
    const a = answer(n);
    if (a === 'stream') return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
    return new Response(JSON.stringify({ error: 'x', message: 'x' }), { status: a.status, headers: { 'content-type': 'application/json', ...a.headers } });
  }) as typeof fetch;
  const channel = createLiveChannel({
    fetch: fetchStub,
    serverUrl: async () => 'http://server.test',
    getToken: async () => token,
    getClientId: async () => 'laptop-1',
    isOnline: () => true,
    onHello: () => events.push('hello'),
    onChanges: () => events.push('changes'),
    onState: (s) => states.push(s),
    random: () => 0.5,
    backoffBaseMs: 50,
    backoffMaxMs: 400,
    ...options,
  });
  channels.push(channel);
  return { channel, calls, states, events, setToken: (t: string) => void (token = t) };
}

const hello = (heartbeatMs = 20_000) => `event: hello\ndata: {"heartbeatMs":${heartbeatMs}}\n\n`;

describe('live channel (client)', () => {
  it('opens one stream with the token and device id, turns live on hello, and passes changes on', async () => {
    const { channel, calls, states, events } = setUp(() => 'stream');
    channel.ensure();
    channel.ensure();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]!.url).toBe('http://server.test/api/sync/live?clientId=laptop-1');
    expect(calls[0]!.token).toBe('Bearer token-1');
    calls[0]!.write(hello());
    await vi.waitFor(() => expect(channel.state).toBe('live'));
    calls[0]!.write(': heartbeat\n\nevent: changes\ndata: {}\n\n');
    await vi.waitFor(() => expect(events).toEqual(['hello', 'changes']));
    channel.ensure();
    expect(calls).toHaveLength(1);
    expect(states).toEqual(['connecting', 'live']);
  });

  it('retries after a back-off when the stream breaks, and never sooner than Retry-After', async () => {
    const { channel, calls } = setUp((n) => (n === 0 ? 'stream' : n === 1 ? { status: 503, headers: { 'retry-after': '1' } } : 'stream'));
    channel.ensure();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    calls[0]!.write(hello());
    await vi.waitFor(() => expect(channel.state).toBe('live'));
    calls[0]!.close(); // cut without a word
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(channel.state).not.toBe('live');
    await vi.waitFor(() => expect(calls).toHaveLength(3), { timeout: 5_000 });
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(1_000);
  });

  it('drops a stream that stays silent past its heartbeats and opens another', async () => {
    const { channel, calls } = setUp(() => 'stream');
    channel.ensure();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    calls[0]!.write(hello(40)); // silence limit 100 ms
    await vi.waitFor(() => expect(calls).toHaveLength(2), { timeout: 5_000 });
    expect(calls[0]!.aborted).toBe(true);
  });

  it('stays off after a 401 or a sign-out until asked again, and replaces the stream for a new token', async () => {
    const { channel, calls, setToken } = setUp((n) => (n === 0 ? { status: 401 } : 'stream'));
    channel.ensure();
    await vi.waitFor(() => expect(channel.state).toBe('off'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toHaveLength(1);

    channel.ensure(); // e.g. after the round of a new sign-in
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    calls[1]!.write(hello());
    await vi.waitFor(() => expect(channel.state).toBe('live'));
    setToken('token-2');
    channel.ensure();
    await vi.waitFor(() => expect(calls).toHaveLength(3));
    expect(calls[1]!.aborted).toBe(true);
    expect(calls[2]!.token).toBe('Bearer token-2');

    calls[2]!.write(hello() + 'event: bye\ndata: {"reason":"signed_out"}\n\n');
    calls[2]!.close();
    await vi.waitFor(() => expect(channel.state).toBe('off'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toHaveLength(3);
  });

  it('leaves a server without the route, or one that says too many streams, alone for a long while', async () => {
    const older = setUp(() => ({ status: 404 }));
    older.channel.ensure();
    await vi.waitFor(() => expect(older.channel.state).toBe('unavailable'));
    const crowded = setUp(() => 'stream');
    crowded.channel.ensure();
    await vi.waitFor(() => expect(crowded.calls).toHaveLength(1));
    crowded.calls[0]!.write(hello() + 'event: bye\ndata: {"reason":"replaced"}\n\n');
    crowded.calls[0]!.close();
    await vi.waitFor(() => expect(crowded.channel.state).toBe('unavailable'));
    older.channel.ensure();
    crowded.channel.ensure();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([older.calls.length, crowded.calls.length]).toEqual([1, 1]);
  });

  it('pause() closes the stream until ensure()', async () => {
    const { channel, calls } = setUp(() => 'stream');
    channel.ensure();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    calls[0]!.write(hello());
    await vi.waitFor(() => expect(channel.state).toBe('live'));
    channel.pause();
    expect(channel.state).toBe('off');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(calls).toHaveLength(1);
    channel.ensure();
    await vi.waitFor(() => expect(calls).toHaveLength(2));
  });
});
