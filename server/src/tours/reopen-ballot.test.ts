/**
 * Reopening a submitted rank-vote ballot (排序投票) on every backend: the same audited route as
 * score sheets (POST /api/sheets/:id/reopen, the id says which collection), after which the
 * scorer may change the order and submit again, also once scoring is closed.
 */
import type { InjectOptions } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ballotId } from '@shared/domain/rank-vote';
import type { GuanmoApp } from '../app.js';
import { getRecord } from '../db/records.js';
import { createSignedInUser } from '../test-support/auth-fixtures.js';
import { testBackends, type TestDatabase } from '../test-support/backends.js';
import { createCapturedApp } from '../test-support/server-fixtures.js';
import { buildTestTour, SyncClient, tourMutations } from '../test-support/sync-client.js';

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`ballot reopen on ${backend.kind}`, () => {
    let database: TestDatabase;
    let guanmo: GuanmoApp;
    let sec: Awaited<ReturnType<typeof createSignedInUser>>;
    let scorer: Awaited<ReturnType<typeof createSignedInUser>>;

    beforeEach(async () => {
      database = await backend.create();
      guanmo = await createCapturedApp({ ...database.env, GUANMO_LOG_LEVEL: 'error' });
      sec = await createSignedInUser(guanmo.app, guanmo.db, { username: 'sec', role: 'secretariat' });
      scorer = await createSignedInUser(guanmo.app, guanmo.db, { username: 'scorer1', role: 'scorer' });
    });
    afterEach(async () => {
      await guanmo.close();
      await database.cleanup();
    });

    const inject = (options: InjectOptions) => guanmo.app.inject(options);
    const reopen = (id: string, reason: string, headers = sec.headers) =>
      inject({ method: 'POST', url: `/api/sheets/${encodeURIComponent(id)}/reopen`, headers, payload: { reason } });

    it('reopens a submitted ballot with a reason, audited; the scorer reorders and submits again after the tour closed', async () => {
      const secClient = new SyncClient(guanmo.app, sec.token);
      const rv = buildTestTour('rv', [{ userId: scorer.id, name: '评委甲' }]);
      rv.tour.rules = { ...rv.tour.rules, method: 'rankVote', unitScope: 'tour' };
      await secClient.pushOk(tourMutations(secClient, rv));
      const scorerClient = new SyncClient(guanmo.app, scorer.token);
      const at = new Date().toISOString();
      const id = ballotId('rv', 'rv-p1', null);
      const ballot = { id, tourId: 'rv', scorerId: 'rv-p1', group: null, unitIds: ['rv-u2', 'rv-u1'], status: 'draft', submittedAt: null, updatedAt: at };
      await scorerClient.pushOk([scorerClient.mutation('ballots', 'rv', ballot)]);

      // a draft cannot be reopened; nor an unknown ballot; nor by the scorer
      expect((await reopen(id, '太早')).statusCode).toBe(409);
      expect((await reopen(ballotId('rv', 'rv-p9', null), 'x')).statusCode).toBe(404);
      await scorerClient.pushOk([scorerClient.change('ballots', 'rv', id, { status: 'submitted', submittedAt: at })]);
      expect((await reopen(id, 'mine', scorer.headers)).statusCode).toBe(403);

      // scoring closes; the secretariat still reopens
      await secClient.pushOk([secClient.change('tours', 'rv', 'rv', { status: 'closed' })]);
      const reopened = await reopen(id, '评委反映顺序填反');
      expect(reopened.statusCode).toBe(200);
      expect(reopened.json().record).toMatchObject({ status: 'reopened', unitIds: ['rv-u2', 'rv-u1'] });
      expect((await reopen(id, '再来')).statusCode).toBe(409);
      const audit = (await inject({ method: 'GET', url: '/api/audit?tourId=rv', headers: sec.headers })).json().entries;
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        action: 'ballot_reopened',
        collection: 'ballots',
        recordId: id,
        reason: '评委反映顺序填反',
        user: { username: 'sec' },
        before: { status: 'submitted', unitIds: ['rv-u2', 'rv-u1'] },
        after: { status: 'reopened' },
      });

      // the scorer's laptop receives the reopened ballot, reorders and submits again
      const pulled = await scorerClient.pullAll();
      expect(pulled.find((r) => r.id === id)?.data.status).toBe('reopened');
      await scorerClient.pushOk([scorerClient.change('ballots', 'rv', id, { unitIds: ['rv-u1', 'rv-u2'], status: 'submitted', submittedAt: new Date().toISOString() })]);
      expect((await getRecord(guanmo.db, 'ballots', id))?.data).toMatchObject({ status: 'submitted', unitIds: ['rv-u1', 'rv-u2'] });
      // locked again
      expect((await scorerClient.push([scorerClient.change('ballots', 'rv', id, { unitIds: ['rv-u2', 'rv-u1'] })])).results[0]!.code).toBe('sheet_locked');

      // the server's rankings rank from the ballot
      const rankings = (await inject({ method: 'GET', url: '/api/tours/rv/rankings', headers: sec.headers })).json();
      expect(rankings.units.map((u: { unitId: string; score: { display: string } | null }) => [u.unitId, u.score?.display])).toEqual([
        ['rv-u1', '100.00'],
        ['rv-u2', '97.00'],
      ]);
    });
  });
}
