import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ByteCountingProxy } from './byte-counting-proxy';
import { describeCutUploads, HttpRequestTap, summariseResends, tusPatches } from './http-request-tap';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A raw TCP server that collects what each connection sends and answers `reply` once it has `expect` bytes. */
async function startSink(reply: Buffer, expectBytes: number) {
  const received: Buffer[] = [];
  const closed: Array<Promise<void>> = [];
  const server = net.createServer((socket) => {
    const parts: Buffer[] = [];
    let total = 0;
    closed.push(new Promise<void>((resolve) => socket.on('close', () => resolve())));
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      total += chunk.length;
      if (total === expectBytes) socket.end(reply);
    });
    // a client that half-closes gets the answer too
    socket.on('end', () => socket.end(reply));
    socket.on('close', () => received.push(Buffer.concat(parts)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address() as net.AddressInfo;
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: address.port, received, allClosed: () => Promise.all(closed) };
}

/** Connects through the proxy, sends `data`, resolves with what came back and how it ended. */
function exchange(port: number, data: Buffer, { halfClose = false } = {}): Promise<{ reply: Buffer; error: string | null }> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const parts: Buffer[] = [];
    let error: string | null = null;
    socket.on('data', (chunk: Buffer) => parts.push(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => resolve({ reply: Buffer.concat(parts), error }));
    if (halfClose) socket.end(data);
    else socket.write(data);
  });
}

/** Waits (bounded) until the proxy has closed both sides of every connection. */
async function idle(proxy: ByteCountingProxy): Promise<void> {
  for (let i = 0; i < 200 && proxy.openConnectionCount > 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(proxy.openConnectionCount).toBe(0);
}

async function startProxy(targetPort: number, tap?: HttpRequestTap) {
  const proxy = await ByteCountingProxy.start({
    targetPort,
    onUpstreamData: tap ? (id, chunk) => tap.feed(id, chunk) : undefined,
    onConnectionEnd: tap ? (id) => tap.end(id) : undefined,
  });
  cleanups.push(() => proxy.close());
  return proxy;
}

describe('ByteCountingProxy', () => {
  it('forwards bytes unchanged and counts each direction exactly, per connection and in total', async () => {
    const request = randomBytes(1_000_000);
    const response = randomBytes(300_000);
    const sink = await startSink(response, request.length);
    const proxy = await startProxy(sink.port);

    const [a, b] = await Promise.all([exchange(proxy.port, request), exchange(proxy.port, request)]);
    await sink.allClosed();
    await idle(proxy);

    expect(sha(a.reply)).toBe(sha(response));
    expect(sha(b.reply)).toBe(sha(response));
    expect(sink.received.map(sha)).toEqual([sha(request), sha(request)]);
    expect(proxy.bytesUp).toBe(2 * request.length);
    expect(proxy.bytesDown).toBe(2 * response.length);
    expect(proxy.connections.map((c) => [c.up, c.down])).toEqual([
      [request.length, response.length],
      [request.length, response.length],
    ]);

    proxy.resetCounters();
    expect([proxy.bytesUp, proxy.bytesDown, proxy.connections.length]).toEqual([0, 0, 0]);
  });

  it('cuts every open connection once the upstream threshold is reached, forwarding only up to it', async () => {
    const request = randomBytes(2_000_000);
    const sink = await startSink(Buffer.from('never'), request.length);
    const proxy = await startProxy(sink.port);

    const cut = proxy.cutAt(700_000);
    const [result] = await Promise.all([exchange(proxy.port, request), cut]);
    const event = await cut;
    await sink.allClosed();

    expect(event).toEqual({ upstreamBytes: 700_000, connectionsCut: 1 });
    expect(proxy.bytesUp).toBe(700_000);
    expect(proxy.cutCount).toBe(1);
    expect(result.reply.length).toBe(0);
    expect(result.error).not.toBeNull();
    // the server got a prefix of what was sent, never more than the threshold
    const got = sink.received[0]!;
    expect(got.length).toBeLessThanOrEqual(700_000);
    expect(got.equals(request.subarray(0, got.length))).toBe(true);

    // the network is back: a new connection goes through and is counted
    const after = randomBytes(10_000);
    const again = await exchange(proxy.port, after, { halfClose: true });
    expect(again.error).toBeNull();
    expect(again.reply.toString()).toBe('never');
    expect(proxy.bytesUp).toBe(700_000 + after.length);
    await idle(proxy);
  });

  it('refuses connections while the network is down after a cut', async () => {
    const sink = await startSink(Buffer.from('ok'), 3);
    const proxy = await startProxy(sink.port);
    proxy.cutNow({ downForMs: 60_000 });
    const result = await exchange(proxy.port, Buffer.from('abc'));
    expect(result.reply.length).toBe(0);
    expect(result.error).toBe('ECONNRESET');
    expect(proxy.bytesUp).toBe(0);
  });

  it('lets the tap see HTTP/1.1 requests on keep-alive connections, including a cut PATCH', async () => {
    const server = http.createServer((req, res) => {
      req.on('data', () => {});
      req.on('end', () => res.end('ok'));
      req.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const tap = new HttpRequestTap();
    const proxy = await startProxy((server.address() as net.AddressInfo).port, tap);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => agent.destroy());

    const send = (method: string, path: string, body: Buffer | null, headers: Record<string, string> = {}) =>
      new Promise<string>((resolve) => {
        const req = http.request({ host: '127.0.0.1', port: proxy.port, method, path, agent, headers }, (res) => {
          res.resume();
          res.on('end', () => resolve(`${res.statusCode}`));
        });
        req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        if (body) req.end(body);
        else req.end();
      });

    const chunk = randomBytes(200_000);
    expect(await send('PATCH', '/api/uploads/u1', chunk, { 'upload-offset': '0' })).toBe('200');
    expect(await send('HEAD', '/api/uploads/u1', null)).toBe('200');
    // chunked body (no Content-Length)
    const chunked = await new Promise<string>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: proxy.port, method: 'POST', path: '/api/sync/push', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(`${res.statusCode}`));
      });
      req.write('{"a":');
      req.write('1}');
      req.end();
    });
    expect(chunked).toBe('200');
    const cut = proxy.cutAt(proxy.bytesUp + 50_000);
    expect(await send('PATCH', '/api/uploads/u1', chunk, { 'upload-offset': '200000' })).not.toBe('200');
    await cut;

    expect(tap.unparsedConnections).toBe(0);
    expect(tap.requests.map((r) => [r.method, r.target, r.bodyBytes, r.isComplete])).toEqual([
      ['PATCH', '/api/uploads/u1', 200_000, true],
      ['HEAD', '/api/uploads/u1', 0, true],
      ['POST', '/api/sync/push', 7, true],
      ['PATCH', '/api/uploads/u1', expect.any(Number), false],
    ]);
    const cutPatch = tap.requests[3]!;
    expect(cutPatch.bodyBytes).toBeGreaterThan(0);
    expect(cutPatch.bodyBytes).toBeLessThan(50_000);
    expect(tusPatches(tap.requests, '/api/uploads')).toEqual([
      { upload: '/api/uploads/u1', offset: 0, bytes: 200_000, isComplete: true },
      { upload: '/api/uploads/u1', offset: 200_000, bytes: cutPatch.bodyBytes, isComplete: false },
    ]);
  });
});

describe('HttpRequestTap', () => {
  const wire = Buffer.concat([
    Buffer.from('POST /api/uploads HTTP/1.1\r\nHost: x\r\nUpload-Length: 10\r\nContent-Length: 0\r\n\r\n'),
    Buffer.from('PATCH /api/uploads/a?x=1 HTTP/1.1\r\nUpload-Offset: 0\r\nContent-Length: 6\r\n\r\nabcdef'),
    Buffer.from('POST /api/sync/push HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nX-Trailer: 1\r\n\r\n'),
    Buffer.from('\r\nPOST /api/uploads/a HTTP/1.1\r\nX-HTTP-Method-Override: PATCH\r\nUpload-Offset: 6\r\ncontent-length: 4\r\n\r\nghij'),
    Buffer.from('GET /api/sync/pull HTTP/1.1\r\nAccept: a\r\naccept: b\r\n\r\n'),
  ]);
  const expected = [
    ['POST', '/api/uploads', 0, true],
    ['PATCH', '/api/uploads/a?x=1', 6, true],
    ['POST', '/api/sync/push', 19, true],
    ['POST', '/api/uploads/a', 4, true],
    ['GET', '/api/sync/pull', 0, true],
  ];

  it('parses requests however the bytes are split into segments', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: wire.length - 1 }), { maxLength: 40 }), (cuts) => {
        const tap = new HttpRequestTap();
        let start = 0;
        for (const end of [...cuts.sort((a, b) => a - b), wire.length]) {
          tap.feed(7, wire.subarray(start, end));
          start = end;
        }
        expect(tap.unparsedConnections).toBe(0);
        expect(tap.requests.map((r) => [r.method, r.target, r.bodyBytes, r.isComplete])).toEqual(expected);
        expect(tap.requests[4]!.headers.accept).toBe('a, b');
        expect(tap.requests.every((r) => r.connectionId === 7)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('finds tus PATCHes, method overrides included', () => {
    const tap = new HttpRequestTap();
    tap.feed(1, wire);
    expect(tusPatches(tap.requests, '/api/uploads')).toEqual([
      { upload: '/api/uploads/a', offset: 0, bytes: 6, isComplete: true },
      { upload: '/api/uploads/a', offset: 6, bytes: 4, isComplete: true },
    ]);
  });

  it('counts the bytes of creating POSTs (creation-with-upload) when asked, as uploads of their own', () => {
    const tap = new HttpRequestTap();
    tap.feed(1, wire);
    tap.feed(2, Buffer.from('POST /api/uploads HTTP/1.1\r\nUpload-Length: 9\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: 5\r\n\r\n12345'));
    tap.feed(2, Buffer.from('PATCH /api/uploads/b HTTP/1.1\r\nUpload-Offset: 5\r\nContent-Length: 4\r\n\r\n67'));
    expect(tusPatches(tap.requests, '/api/uploads', { withCreations: true })).toEqual([
      { upload: '/api/uploads/a', offset: 0, bytes: 6, isComplete: true },
      { upload: '/api/uploads/a', offset: 6, bytes: 4, isComplete: true },
      { upload: 'POST #5', offset: 0, bytes: 5, isComplete: true },
      { upload: '/api/uploads/b', offset: 5, bytes: 2, isComplete: false },
    ]);
    // without: PATCHes only, as before
    expect(tusPatches(tap.requests, '/api/uploads').map((p) => p.upload)).toEqual(['/api/uploads/a', '/api/uploads/a', '/api/uploads/b']);
  });

  it('stops parsing a connection that is not HTTP/1.1, and only that one', () => {
    const tap = new HttpRequestTap();
    tap.feed(1, Buffer.from('\x16\x03\x01 TLS hello\r\n\r\nGET / HTTP/1.1\r\n\r\n'));
    tap.feed(2, Buffer.from('GET /ok HTTP/1.1\r\n\r\n'));
    expect(tap.unparsedConnections).toBe(1);
    expect(tap.requests.map((r) => r.target)).toEqual(['/ok']);
  });
});

describe('summariseResends', () => {
  it('counts bytes sent more than once per upload, and PATCHes that restart inside sent ranges', () => {
    const summary = summariseResends([
      { upload: '/u/a', offset: 0, bytes: 100, isComplete: true },
      { upload: '/u/a', offset: 100, bytes: 40, isComplete: false }, // cut after 40 bytes
      { upload: '/u/a', offset: 100, bytes: 100, isComplete: true }, // resumed from the last confirmed offset
      { upload: '/u/b', offset: 0, bytes: 50, isComplete: true },
      { upload: '/u/b', offset: 50, bytes: 50, isComplete: true },
    ]);
    expect(summary).toEqual({ bytesSent: 340, bytesCovered: 300, bytesResent: 40, patchesRepeated: 1, patches: 5 });
  });

  it('sees no re-sends when a resumed PATCH starts at the byte the server kept', () => {
    const summary = summariseResends([
      { upload: '/u/a', offset: 0, bytes: 140, isComplete: false },
      { upload: '/u/a', offset: 140, bytes: 60, isComplete: true },
    ]);
    expect(summary.bytesResent).toBe(0);
    expect(summary.patchesRepeated).toBe(0);
  });
});

describe('describeCutUploads', () => {
  it('tells apart a repeat of the cut request and the resume at the offset the server kept', () => {
    expect(
      describeCutUploads([
        { upload: '/u/a', offset: 0, bytes: 100, isComplete: true },
        { upload: '/u/a', offset: 100, bytes: 70, isComplete: false },
        { upload: '/u/b', offset: 0, bytes: 10, isComplete: true },
        { upload: '/u/a', offset: 100, bytes: 100, isComplete: true }, // sent again whole, refused (409)
        { upload: '/u/a', offset: 150, bytes: 50, isComplete: true }, // resumed where the server was
      ]),
    ).toEqual([{ upload: '/u/a', offset: 100, bytesBeforeCut: 70, repeatedBytes: 100, resumedAt: 150 }]);
  });
});
