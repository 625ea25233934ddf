/**
 * The live channel (GET /api/sync/live) on every backend, through a listening server and fetch()
 * as the app reads it: who hears what (the secretariat every change, a scorer never another
 * scorer's sheet, participants the re-announcements), that a pull after an event returns the
 * change, heartbeats, and every way a stream ends (client gone, sign-out, session revoked, too
 * many streams, shutdown).
 *
 * "Hears nothing" is checked without waiting for a time to pass: once the hub has judged every
 * change (live.idle()), a heartbeat is written to every stream; a stream's items before that
 * heartbeat are everything the server sent it for those changes (one ordered connection).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatHlc } from '@shared/sync/hlc';
import type { RunningServer } from '../app.js';
import { revokeUserSessions } from '../db/sessions.js';
import { createSignedInUser } from '../test-support/auth-fixtures.js';
import { testBackends, type TestDatabase } from '../test-support/backends.js';
import { LiveTestClient } from '../test-support/live-client.js';
import { startCapturedServer } from '../test-support/server-fixtures.js';
import { buildSheet, buildTestTour, SyncClient, tourMutations, type TestTour } from '../test-support/sync-client.js';

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`live channel on ${backend.kind}`, () => {
    let database: TestDatabase;
    let server: RunningServer;
    let sec: SyncClient;
    let s1: SyncClient;
    let s2: SyncClient;
    let outsider: SyncClient;
    let users: Record<'sec' | 's1' | 's2' | 'out', { id: string; token: string }>;
    let t: TestTour;
    const streams: LiveTestClient[] = [];
    const tourId = 'tour-live';
    const p1 = `${tourId}-p1`;
    const stop = (n: number) => `${tourId}-s${n}`;

    async function start(env: Record<string, string> = {}) {
      server = await startCapturedServer({ ...database.env, GUANMO_LOG_LEVEL: 'error', ...env }, { live: { maxPerUser: 2 } });
      const make = async (username: string, role: 'secretariat' | 'scorer') => {
        const user = await createSignedInUser(server.app, server.db, { username, role });
        return { user, client: new SyncClient(server.app, user.token) };
      };
      const a = await make('sec', 'secretariat');
      const b = await make('scorer1', 'scorer');
      const c = await make('scorer2', 'scorer');
      const d = await make('outsider', 'scorer');
      [sec, s1, s2, outsider] = [a.client, b.client, c.client, d.client];
      users = { sec: a.user, s1: b.user, s2: c.user, out: d.user };
      t = buildTestTour(tourId, [
        { userId: b.user.id, name: '评委甲' },
        { userId: c.user.id, name: '评委乙', homeUnit: 'u2' },
      ]);
      await sec.pushOk(tourMutations(sec, t));
      // on PostgreSQL announcements travel through NOTIFY: let the tour's pass before anyone listens
      await server.live.idle();
    }

    /** a stream of `client`'s user, after its hello */
    async function listen(client: SyncClient, options: { clientId?: string } = {}): Promise<LiveTestClient> {
      const stream = await LiveTestClient.open(server.url, client.token, options);
      streams.push(stream);
      expect(stream.response?.status).toBe(200);
      await stream.next('hello');
      return stream;
    }

    /** everything the server sent these streams for the changes so far, up to a heartbeat written now */
    async function settle(...listening: LiveTestClient[]): Promise<Map<LiveTestClient, string[]>> {
      await server.live.idle();
      await server.live.beat();
      const sent = new Map<LiveTestClient, string[]>();
      for (const stream of listening) {
        await stream.next('heartbeat');
        const upTo = stream.items.map((i) => i.kind).lastIndexOf('heartbeat');
        sent.set(
          stream,
          stream.items
            .slice(0, upTo)
            .filter((i) => i.kind !== 'heartbeat')
            .map((i) => i.kind),
        );
      }
      return sent;
    }

    beforeEach(async () => {
      database = await backend.create();
    });
    afterEach(async () => {
      for (const stream of streams.splice(0)) stream.close();
      await server?.close();
      await database.cleanup();
    });

    const fullScores = { progress: 35.5, quality: 27, benefit: 28 };

    it("tells the secretariat of a scorer's sheet, and a pull after the event returns it; another scorer hears nothing", async () => {
      await start();
      const desk = await listen(sec);
      const other = await listen(s2);
      const sheet = buildSheet(tourId, stop(1), p1, fullScores, 'submitted');
      await s1.pushOk([s1.mutation('sheets', tourId, sheet)]);

      expect((await desk.next('changes')).data).toBe('{}'); // a hint, nothing more
      const pulled = await sec.pullAll();
      expect(pulled.map((r) => r.id)).toContain(sheet.id);

      const sent = await settle(desk, other);
      expect(sent.get(other)).toEqual(['hello']);
      expect(sent.get(desk)).toEqual(['hello', 'changes']);
      // and what a pull shows scorer2 agrees: no sheet of scorer1
      expect((await s2.pullAll()).filter((r) => r.collection === 'sheets')).toEqual([]);
    });

    it("tells a scorer of another scorer's note, of their own sheet pushed from another laptop, never the pushing laptop itself", async () => {
      await start();
      const otherScorer = await listen(s2);
      const sameLaptop = await listen(s1, { clientId: s1.clientId });
      const otherLaptop = await listen(s1, { clientId: 'second-laptop' });
      const note = { id: 'n1', tourId, stopId: stop(1), authorId: users.s1.id, kind: 'highlight', text: '进度快', createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
      await s1.pushOk([s1.mutation('notes', tourId, note)]);
      await otherScorer.next('changes');
      expect((await s2.pullAll()).map((r) => r.id)).toContain('n1');

      await s1.pushOk([s1.mutation('sheets', tourId, buildSheet(tourId, stop(1), p1, fullScores))]);
      const sent = await settle(otherScorer, sameLaptop, otherLaptop);
      expect(sent.get(otherScorer)).toEqual(['hello', 'changes']); // the note only
      expect(sent.get(sameLaptop)).toEqual(['hello']);
      expect(sent.get(otherLaptop)).toEqual(['hello', 'changes', 'changes']); // the note, then the sheet
    });

    it('a participant hears re-announcements: results published, a tour leaving draft, being assigned', async () => {
      await start();
      await s1.pushOk([s1.mutation('sheets', tourId, buildSheet(tourId, stop(1), p1, fullScores, 'submitted'))]);
      const scorer2 = await listen(s2);
      expect((await s2.pullAll()).filter((r) => r.collection === 'sheets')).toEqual([]);

      // results published: everybody's sheets become visible to scorer2
      await sec.pushOk([sec.change('tours', tourId, tourId, { status: 'results_published' })]);
      await scorer2.next('changes');
      expect((await s2.pullAll()).filter((r) => r.collection === 'sheets').map((r) => r.id)).toEqual([buildSheet(tourId, stop(1), p1, {}).id]);

      // a draft tour with the outsider assigned: nothing to see yet, so nothing to hear
      const newcomer = await listen(outsider);
      const draft = buildTestTour('tour-draft', [{ userId: users.out.id, name: '新评委' }], 'draft');
      await sec.pushOk(tourMutations(sec, draft));
      await sec.pushOk([sec.change('stops', 'tour-draft', 'tour-draft-s1', { name: '改名的项目' })]);
      expect((await settle(newcomer)).get(newcomer)).toEqual(['hello']);
      // published: the tour leaves draft
      await sec.pushOk([sec.change('tours', 'tour-draft', 'tour-draft', { status: 'published' })]);
      await newcomer.next('changes');
      expect((await outsider.pullAll()).map((r) => r.id)).toContain('tour-draft-s1');

      // assigned to a tour that is already running
      const scorer = { id: `${tourId}-p9`, tourId, userId: users.out.id, name: '后加评委', role: 'scorer', homeUnitId: null, weightGroup: null };
      await sec.pushOk([sec.mutation('scorers', tourId, scorer)]);
      await newcomer.next('changes');
      expect((await outsider.pullAll()).map((r) => r.id)).toEqual(expect.arrayContaining([tourId, stop(1), scorer.id]));
    });

    it("tells a scorer that the secretariat reopened their sheet, and nobody else of the scorers", async () => {
      await start();
      const sheet = buildSheet(tourId, stop(1), p1, fullScores, 'submitted');
      await s1.pushOk([s1.mutation('sheets', tourId, sheet)]);
      const owner = await listen(s1, { clientId: s1.clientId });
      const other = await listen(s2);
      const reopened = await server.app.inject({ method: 'POST', url: `/api/sheets/${encodeURIComponent(sheet.id)}/reopen`, headers: sec.headers, payload: { reason: '分数录错' } });
      expect(reopened.statusCode).toBe(200);
      await owner.next('changes');
      expect((await s1.pullAll()).find((r) => r.id === sheet.id)?.data).toMatchObject({ status: 'reopened' });
      expect((await settle(other)).get(other)).toEqual(['hello']);
    });

    it('coalesces a burst into few events', async () => {
      await start();
      const desk = await listen(sec);
      for (let i = 0; i < 10; i++) {
        await s1.pushOk([s1.mutation('sheets', tourId, buildSheet(tourId, stop(1), p1, { progress: i, quality: null, benefit: null }))]);
      }
      const sent = (await settle(desk)).get(desk)!;
      // the first at once, the rest at most one per coalescing interval: far fewer than ten
      expect(sent[0]).toBe('hello');
      expect(sent.filter((e) => e === 'changes').length).toBeGreaterThanOrEqual(1);
      expect(sent.filter((e) => e === 'changes').length).toBeLessThan(10);
      expect(server.live.stats.batchesJudged).toBe(10);
    });

    it('answers with event-stream headers for proxies, CORS for the desktop app, and 401 without a sign-in', async () => {
      await start();
      const stream = await LiveTestClient.open(server.url, sec.token, { origin: 'app://guanmo' });
      streams.push(stream);
      const headers = stream.response!.headers;
      expect(headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(headers.get('cache-control')).toContain('no-cache');
      expect(headers.get('x-accel-buffering')).toBe('no');
      expect(headers.get('access-control-allow-origin')).toBe('app://guanmo');
      expect(JSON.parse((await stream.next('hello')).data)).toEqual({ heartbeatMs: server.live.options.heartbeatMs });

      const anonymous = await LiveTestClient.open(server.url, null);
      expect(anonymous.response?.status).toBe(401);
      await anonymous.done;
      const badClient = await fetch(new URL('api/sync/live?clientId=no%20spaces', server.url), { headers: sec.headers });
      expect(badClient.status).toBe(400);
    });

    it('writes heartbeats on its own timer', async () => {
      server = await startCapturedServer({ ...database.env, GUANMO_LOG_LEVEL: 'error' }, { live: { heartbeatMs: 100 } });
      const user = await createSignedInUser(server.app, server.db, { username: 'sec', role: 'secretariat' });
      const stream = await LiveTestClient.open(server.url, user.token);
      streams.push(stream);
      await stream.next('hello');
      await stream.next('heartbeat');
      await stream.next('heartbeat');
      expect(stream.isEnded).toBe(false);
    });

    it('forgets a stream whose client went away', async () => {
      await start();
      const stream = await listen(sec);
      await listen(s2);
      expect(server.live.size).toBe(2);
      stream.close();
      await vi.waitFor(() => expect(server.live.size).toBe(1), { timeout: 10_000 });
      // changes after that go to the streams that are left, and nothing fails
      await s1.pushOk([s1.mutation('sheets', tourId, buildSheet(tourId, stop(1), p1, fullScores))]);
      await server.live.idle();
    });

    it('ends the streams of a session at sign-out, and of a revoked session at the next heartbeat', async () => {
      await start();
      const signedOut = await listen(s2);
      const stays = await listen(sec);
      const logout = await server.app.inject({ method: 'POST', url: '/api/auth/logout', headers: s2.headers });
      expect(logout.statusCode).toBe(204);
      expect(JSON.parse((await signedOut.next('bye')).data)).toEqual({ reason: 'signed_out' });
      await signedOut.done;
      expect(signedOut.isEnded).toBe(true);

      const revoked = await listen(s1);
      await revokeUserSessions(server.db, users.s1.id); // e.g. `guanmo-server user disable`, in another process
      await server.live.beat();
      expect(JSON.parse((await revoked.next('bye')).data)).toEqual({ reason: 'session_ended' });
      await revoked.done;
      expect(stays.isEnded).toBe(false);
      expect(server.live.size).toBe(1);
    });

    it('ends the oldest stream of a user over the cap', async () => {
      await start();
      const first = await listen(sec);
      const second = await listen(sec);
      const third = await listen(sec);
      expect(JSON.parse((await first.next('bye')).data)).toEqual({ reason: 'replaced' });
      await first.done;
      expect([second.isEnded, third.isEnded]).toEqual([false, false]);
      expect(server.live.size).toBe(2);
    });

    it('ends every stream at shutdown, and close() does not wait for them', async () => {
      await start();
      const a = await listen(sec);
      const b = await listen(s1);
      await server.close();
      for (const stream of [a, b]) {
        expect(JSON.parse((await stream.next('bye')).data)).toEqual({ reason: 'server_closing' });
        await stream.done;
      }
    });

    it('counts opening a stream against the pull rate limit', async () => {
      await start({ GUANMO_RATE_LIMIT_PULL: '2/min' });
      await listen(sec);
      await listen(sec);
      const refused = await LiveTestClient.open(server.url, sec.token);
      expect(refused.response?.status).toBe(429);
      expect(refused.response?.headers.get('retry-after')).toMatch(/^\d+$/);
    });

    it('a write that waited behind another is announced once it can be pulled', async () => {
      await start();
      const desk = await listen(sec);
      // two pushes at once (PostgreSQL runs them side by side; SQLite one after the other)
      const hlc = () => formatHlc(s1.clock.send(Date.now()));
      await Promise.all([
        s1.pushOk([{ ...s1.mutation('sheets', tourId, buildSheet(tourId, stop(1), p1, fullScores)), hlc: hlc() }]),
        s1.pushOk([{ ...s1.mutation('sheets', tourId, buildSheet(tourId, stop(2), p1, fullScores)), hlc: hlc() }]),
      ]);
      await desk.next('changes');
      await server.live.idle();
      const ids = (await sec.pullAll()).map((r) => r.id);
      expect(ids).toEqual(expect.arrayContaining([buildSheet(tourId, stop(1), p1, {}).id, buildSheet(tourId, stop(2), p1, {}).id]));
    });
  });
}
