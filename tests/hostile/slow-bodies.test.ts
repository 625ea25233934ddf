/**
 * Issue 14 item 5: slow and oversized bodies. A socket sending `Content-Length: 1000` and then
 * only `{"user` to /api/auth/login stayed open for 400 s and more (no sign-in needed); a stalled
 * push body too. A push of 70 MB sent with `Expect: 100-continue` got "100 Continue", then a
 * reset, never the 413 it should read. Now every route has a body-progress timeout (tus PATCH
 * included), a body longer than the route takes is refused on its Content-Length before a byte
 * is read or a 100 Continue is sent, and a normal laptop syncs while many sockets stall.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends, type TestDatabase } from '../../server/src/test-support/backends';
import { buildTestTour, tourMutations, type SyncClient } from '../../server/src/test-support/sync-client';
import { laptopOf, newTally, startHostileServer, writeTally, type HostileServer } from './support/hostile-server';
import { createEmptyUpload, fakeJpeg } from './support/photo-bytes';

const stalledSockets = Number(process.env.GUANMO_HOSTILE_STALLED ?? 150);
const tourId = 'tour-slow';

interface RawExchange {
  /** everything the server sent */
  received: string;
  /** ms from connecting until the server closed the connection */
  closedAfterMs: number;
}

/** Connects, sends `head` (and `body` when given), and collects what comes back until the server closes. */
function rawRequest(url: string, head: string, options: { body?: Buffer | string; onData?: (text: string, socket: net.Socket) => void } = {}): { done: Promise<RawExchange>; socket: net.Socket } {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  const started = performance.now();
  let received = '';
  const done = new Promise<RawExchange>((resolve) => {
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      options.onData?.(received, socket);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ received, closedAfterMs: performance.now() - started }));
  });
  socket.write(head);
  if (options.body !== undefined) socket.write(options.body);
  return { done, socket };
}

const headOf = (method: string, path: string, headers: Record<string, string>) =>
  `${method} ${path} HTTP/1.1\r\nHost: guanmo\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`slow and oversized bodies on ${backend.kind}`, () => {
    const tally = newTally();
    let database: TestDatabase;
    let s: HostileServer;
    let scorer: { id: string; token: string; client: SyncClient };

    beforeAll(async () => {
      database = await backend.create();
      // a body may go 1 s without a byte (30 s by default)
      s = await startHostileServer(database, backend.kind, tally, { GUANMO_BODY_TIMEOUT: '1', GUANMO_RATE_LIMIT_UNAUTHENTICATED: 'off' });
      const sec = await laptopOf(s, 'sec', 'secretariat');
      scorer = await laptopOf(s, 'scorer', 'scorer');
      await sec.client.pushOk(tourMutations(sec.client, buildTestTour(tourId, [{ userId: scorer.id, name: '评委' }])));
    }, 60_000);
    afterAll(async () => {
      await s.close();
      await database.cleanup();
      writeTally('slow-bodies', backend.kind, tally);
    }, 60_000);

    it(`${stalledSockets} stalled bodies (login, push, tus PATCH) are cut after the idle time, while a laptop syncs normally`, { timeout: 120_000 }, async () => {
      const upload = await createEmptyUpload(s.url, scorer.token, fakeJpeg(4000, 3000, 2_000_000), { tourId });
      expect(upload.status).toBe(201);
      const uploadPath = upload.headers.get('location')!;
      const auth = `Bearer ${scorer.token}`;
      const heads = [
        () => headOf('POST', '/api/auth/login', { 'content-type': 'application/json', 'content-length': '1000' }) + '{"user',
        () => headOf('POST', '/api/sync/push', { authorization: auth, 'content-type': 'application/json', 'content-length': '100000' }) + '{"clientId":"x","mutations":[',
        () => headOf('PATCH', uploadPath, { authorization: auth, 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream', 'content-length': '2000000' }) + 'x'.repeat(100),
      ];
      const stalled = Array.from({ length: stalledSockets }, (_, i) => rawRequest(s.url, heads[i % heads.length]!()));
      tally.rawAttempts += stalled.length;

      // meanwhile a laptop pushes and pulls over real sockets
      const at = new Date().toISOString();
      const note = { id: `note-${randomUUID()}`, tourId, stopId: `${tourId}-s1`, authorId: scorer.id, kind: 'highlight', text: '照常同步', createdAt: at, updatedAt: at };
      const push = await fetch(new URL('api/sync/push', s.url), {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: scorer.client.clientId, mutations: [scorer.client.mutation('notes', tourId, note)] }),
      });
      expect(push.status).toBe(200);
      const pull = await fetch(new URL('api/sync/pull', s.url), { headers: { authorization: auth } });
      expect(pull.status).toBe(200);
      expect(((await pull.json()) as { changes: Array<{ id: string }> }).changes.map((c) => c.id)).toContain(note.id);

      const exchanges = await Promise.all(stalled.map((r) => r.done));
      const closedAfter = exchanges.map((e) => e.closedAfterMs).sort((a, b) => a - b);
      console.log(`[hostile] ${stalledSockets} stalled bodies closed after ${Math.round(closedAfter[0]!)}–${Math.round(closedAfter.at(-1)!)} ms (body idle timeout 1 s)`);
      const answers = exchanges.map((e) => e.received.split('\r\n')[0] ?? '');
      answers.forEach((answer, i) => {
        // login and push: 408 (or closed). The PATCHes share one upload: each stalls (408), finds the
        // offset moved by another one's bytes (409), or is ended by tus when the next one asks for
        // the upload's lock, keeping what arrived (204): what tus says in each case
        const allowed = i % heads.length === 2 ? /^(|HTTP\/1\.1 (204|408|409) .*)$/ : /^(|HTTP\/1\.1 408 .*)$/;
        expect(answer, `socket ${i}`).toMatch(allowed);
      });
      expect(answers.filter((a) => a.startsWith('HTTP/1.1 408')).length).toBeGreaterThan(stalledSockets / 2);
      // the partial tus upload kept what arrived and can be resumed
      const head = await fetch(new URL(uploadPath, s.url), { method: 'HEAD', headers: { authorization: auth, 'tus-resumable': '1.0.0' } });
      expect(head.status).toBe(200);
    });

    it('a body that keeps arriving slowly is not cut', { timeout: 60_000 }, async () => {
      const body = JSON.stringify({ username: 'scorer', password: 'wrong password here' });
      const exchange = rawRequest(s.url, headOf('POST', '/api/auth/login', { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), connection: 'close' }));
      tally.rawAttempts++;
      // one piece every 400 ms: 2.4 s in all, never 1 s without a byte
      const pieces = body.match(/.{1,8}/g)!.slice(0, 6);
      const rest = body.slice(pieces.join('').length);
      for (const piece of pieces) {
        exchange.socket.write(piece);
        await new Promise((r) => setTimeout(r, 400));
      }
      exchange.socket.write(rest);
      const { received } = await exchange.done;
      expect(received).toMatch(/^HTTP\/1\.1 401/);
    });

    it('Content-Length over the limit is refused before reading, without 100 Continue (push 70 MB, login, tus)', async () => {
      const auth = `Bearer ${scorer.token}`;
      const upload = await createEmptyUpload(s.url, scorer.token, fakeJpeg(4000, 3000, 1_000_000), { tourId });
      for (const [method, path, headers] of [
        ['POST', '/api/sync/push', { authorization: auth, 'content-type': 'application/json', 'content-length': String(70 * 1024 * 1024), expect: '100-continue' }],
        ['POST', '/api/auth/login', { 'content-type': 'application/json', 'content-length': String(5 * 1024 * 1024), expect: '100-continue' }],
        ['POST', '/api/sync/push', { authorization: auth, 'content-type': 'application/json', 'content-length': String(70 * 1024 * 1024) }],
        ['PATCH', upload.headers.get('location')!, { authorization: auth, 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream', 'content-length': String(60 * 1024 * 1024), expect: '100-continue' }],
      ] as const) {
        const { done } = rawRequest(s.url, headOf(method, path, headers));
        tally.rawAttempts++;
        const { received } = await done;
        expect(received, `${method} ${path}`).not.toMatch(/100 Continue/);
        expect(received.split('\r\n')[0], `${method} ${path}`).toMatch(/^HTTP\/1\.1 413/);
        expect(received).toMatch(/"error":"payload_too_large"/);
      }
    });

    it('an honest Expect: 100-continue gets its 100 Continue and then the answer', async () => {
      const at = new Date().toISOString();
      const note = { id: `note-${randomUUID()}`, tourId, stopId: `${tourId}-s2`, authorId: scorer.id, kind: 'problem', text: '先问再发', createdAt: at, updatedAt: at };
      const body = Buffer.from(JSON.stringify({ clientId: scorer.client.clientId, mutations: [scorer.client.mutation('notes', tourId, note)] }));
      let isBodySent = false;
      const { done } = rawRequest(
        s.url,
        headOf('POST', '/api/sync/push', { authorization: `Bearer ${scorer.token}`, 'content-type': 'application/json', 'content-length': String(body.length), expect: '100-continue', connection: 'close' }),
        {
          onData: (text, socket) => {
            if (!isBodySent && text.includes('100 Continue')) {
              isBodySent = true;
              socket.write(body);
            }
          },
        },
      );
      tally.rawAttempts++;
      const { received } = await done;
      expect(received).toMatch(/^HTTP\/1\.1 100 Continue/);
      expect(received).toMatch(/HTTP\/1\.1 200 OK/);
      expect(received).toMatch(/"status":"applied"/);
    });
  });
}
