/**
 * Issue 14 item 3: odd text at the boundary. A NUL in a user name at sign-in (no sign-in
 * needed), in a tour or sheet id in rankings, reopen and audit, or in a pushed id answered 500 on
 * PostgreSQL; a lone surrogate in a pushed recordId answered 500 on SQLite and lost the valid
 * mutation of the same batch. Now every text at the boundary is well-formed Unicode without NUL
 * (shared/domain/clean-text.ts, server/src/http/clean-text-guard.ts), and a bad mutation is
 * rejected alone, with its reason.
 *
 * The property test throws random strings (any UTF-16 code units, lone surrogates and NUL
 * included) at push, pull, login, rankings, reopen and audit: never a 5xx, and the valid
 * mutation beside every bad one is stored.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends, type TestDatabase } from '../../server/src/test-support/backends';
import { buildSheet, buildTestTour, tourMutations, type SyncClient } from '../../server/src/test-support/sync-client';
import { checkStored, laptopOf, newTally, startHostileServer, writeTally, type HostileServer } from './support/hostile-server';
import { encodeRaw, oddString } from './support/odd-strings';

/** runs per property and database (6 properties): CPU is shared, so a few dozen each */
const numRuns = Number(process.env.GUANMO_HOSTILE_RUNS ?? 40);

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`odd text on ${backend.kind}`, () => {
    const tally = newTally();
    let database: TestDatabase;
    let s: HostileServer;
    let sec: { id: string; token: string; client: SyncClient };
    let scorer: { id: string; token: string; client: SyncClient; password: string };
    const tourId = 'odd-tour';
    const written: Array<{ collection: string; id: string; fields: Record<string, unknown> }> = [];

    beforeAll(async () => {
      database = await backend.create();
      s = await startHostileServer(database, backend.kind, tally);
      sec = await laptopOf(s, 'sec', 'secretariat');
      scorer = await laptopOf(s, 'scorer1', 'scorer');
      const t = buildTestTour(tourId, [{ userId: scorer.id, name: '评委甲' }]);
      await sec.client.pushOk(tourMutations(sec.client, t));
      // a submitted sheet, so that reopen has something real beside the odd ids
      await scorer.client.pushOk([scorer.client.mutation('sheets', tourId, buildSheet(tourId, `${tourId}-s1`, `${tourId}-p1`, { progress: 30, quality: 20, benefit: 20 }, 'submitted'))]);
    }, 60_000);

    afterAll(async () => {
      const lost = await checkStored(s, tally, written);
      await s.close();
      await database.cleanup();
      writeTally('odd-text', backend.kind, tally);
      expect(lost).toEqual([]);
    });

    const inject = (options: InjectOptions) => s.server.app.inject(options);
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });

    describe('the reproductions of the review', () => {
      it('a NUL in a user name at sign-in is a 400, not a 500', async () => {
        const response = await inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'scorer1\u0000', password: 'x' } });
        expect(response.statusCode).toBe(400);
        expect(response.json()).toMatchObject({ error: 'invalid_text' });
      });

      it('a NUL in a tour or sheet id in rankings, reopen and audit is a 400', async () => {
        for (const [method, url, payload] of [
          ['GET', `/api/tours/${encodeRaw('odd-tour\u0000')}/rankings`, undefined],
          ['POST', `/api/sheets/${encodeRaw('sheet\u0000x')}/reopen`, { reason: '复核' }],
          ['POST', `/api/sheets/${encodeRaw('sheet:x')}/reopen`, { reason: '复核\u0000' }],
          ['GET', `/api/audit?tourId=${encodeRaw('odd-tour\u0000')}`, undefined],
        ] as const) {
          const response = await inject({ method, url, headers: auth(sec.token), ...(payload ? { payload } : {}) });
          expect(response.statusCode, `${method} ${url}`).toBe(400);
          expect(response.json().error).toMatch(/^invalid_/);
        }
        // a lone surrogate's bytes in a URL are no valid UTF-8: decoded as U+FFFD, a well-formed string
        const surrogate = await inject({ method: 'GET', url: `/api/audit?tourId=${encodeRaw('\udc00bad')}`, headers: auth(sec.token) });
        expect([200, 400]).toContain(surrogate.statusCode);
      });

      it('a lone surrogate or a NUL in a pushed id is rejected alone, with a reason; the valid mutation beside it is stored', async () => {
        const at = new Date().toISOString();
        const valid = { id: `note-${randomUUID()}`, tourId, stopId: `${tourId}-s1`, authorId: scorer.id, kind: 'highlight', text: '好', createdAt: at, updatedAt: at };
        const bad = [
          scorer.client.mutation('notes', tourId, { ...valid, id: '\udc00bad' }),
          scorer.client.mutation('notes', tourId, { ...valid, id: 'nul\u0000id' }),
          scorer.client.mutation('notes', '\u0000', { ...valid, id: 'x' }),
          scorer.client.mutation('notes', tourId, { ...valid, id: 'odd-text-field', text: 'a\u0000b' }),
        ];
        const good = scorer.client.mutation('notes', tourId, valid);
        const response = await scorer.client.pushRaw([...bad, good]);
        expect(response.statusCode).toBe(200);
        const results = response.json().results as Array<{ id: string; status: string; code?: string; reason?: string }>;
        expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'applied']);
        for (const r of results.slice(0, 4)) {
          expect(r.code).toBe('invalid');
          expect(r.reason).toMatch(/well-formed Unicode without NUL/);
        }
        written.push({ collection: 'notes', id: valid.id, fields: { text: '好' } });
        expect(await s.db.selectFrom('records').select('id').where('collection', '=', 'notes').where('id', 'in', ['\ufffdbad', 'x', 'odd-text-field']).execute()).toEqual([]);
      });
    });

    describe('random strings, every route the review named: never a 5xx', () => {
      const expectNo5xx = (status: number, what: string) => expect(status, what).toBeLessThan(500);

      it('push: odd ids, tour ids, field values and client ids; the valid neighbour is always stored', async () => {
        await fc.assert(
          fc.asyncProperty(oddString, oddString, oddString, async (recordId, text, clientId) => {
            const at = new Date().toISOString();
            const valid = { id: `note-${randomUUID()}`, tourId, stopId: `${tourId}-s2`, authorId: scorer.id, kind: 'problem', text: '正常', createdAt: at, updatedAt: at };
            const odd = [
              scorer.client.mutation('notes', tourId, { ...valid, id: recordId }),
              scorer.client.mutation('notes', recordId, { ...valid, id: `n-${randomUUID()}`, tourId: recordId }),
              scorer.client.mutation('notes', tourId, { ...valid, id: `n-${randomUUID()}`, text }),
              { ...scorer.client.mutation('notes', tourId, { ...valid, id: `n-${randomUUID()}` }), id: recordId },
            ];
            const good = scorer.client.mutation('notes', tourId, valid);
            const response = await scorer.client.pushRaw([...odd, good]);
            expectNo5xx(response.statusCode, `push ${JSON.stringify(recordId)}`);
            expect(response.json().results.at(-1).status).toBe('applied');
            written.push({ collection: 'notes', id: valid.id, fields: { text: '正常' } });
            const envelope = await inject({ method: 'POST', url: '/api/sync/push', headers: auth(scorer.token), payload: { clientId, mutations: [good] } });
            expectNo5xx(envelope.statusCode, `push clientId ${JSON.stringify(clientId)}`);
          }),
          { numRuns },
        );
      });

      it('pull: odd cursors and limits', async () => {
        await fc.assert(
          fc.asyncProperty(oddString, oddString, async (cursor, limit) => {
            const response = await inject({ method: 'GET', url: `/api/sync/pull?cursor=${encodeRaw(cursor)}&limit=${encodeRaw(limit)}`, headers: auth(scorer.token) });
            expectNo5xx(response.statusCode, `pull ${JSON.stringify(cursor)}`);
          }),
          { numRuns },
        );
      });

      it('login: odd user names and passwords (no sign-in needed)', async () => {
        await fc.assert(
          fc.asyncProperty(oddString, oddString, fc.integer({ min: 1, max: 250 }), async (username, password, host) => {
            const response = await inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: `10.66.${host}.${host}` });
            expectNo5xx(response.statusCode, `login ${JSON.stringify(username)}`);
            expect([400, 401, 429]).toContain(response.statusCode);
          }),
          { numRuns },
        );
      });

      it('rankings: odd tour ids', async () => {
        await fc.assert(
          fc.asyncProperty(oddString, async (id) => {
            for (const token of [sec.token, scorer.token]) {
              const response = await inject({ method: 'GET', url: `/api/tours/${encodeRaw(id)}/rankings`, headers: auth(token) });
              expectNo5xx(response.statusCode, `rankings ${JSON.stringify(id)}`);
            }
          }),
          { numRuns },
        );
      });

      it('reopen: odd sheet ids and reasons', async () => {
        await fc.assert(
          fc.asyncProperty(oddString, oddString, async (id, reason) => {
            const response = await inject({ method: 'POST', url: `/api/sheets/${encodeRaw(id)}/reopen`, headers: auth(sec.token), payload: { reason } });
            expectNo5xx(response.statusCode, `reopen ${JSON.stringify(id)}`);
          }),
          { numRuns },
        );
      });

      it('audit: odd tour ids, limits and cursors', async () => {
        await fc.assert(
          fc.asyncProperty(oddString, oddString, oddString, async (tour, limit, before) => {
            const response = await inject({ method: 'GET', url: `/api/audit?tourId=${encodeRaw(tour)}&limit=${encodeRaw(limit)}&before=${encodeRaw(before)}`, headers: auth(sec.token) });
            expectNo5xx(response.statusCode, `audit ${JSON.stringify(tour)}`);
          }),
          { numRuns },
        );
      });
    });
  });
}
