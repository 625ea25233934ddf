/**
 * Push and pull through HTTP on every backend: idempotency, per-field LWW, clock clamping,
 * authorisation per mutation, blind scoring, visibility that grows later.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ballotId } from '@shared/domain/rank-vote';
import { formatHlc, parseHlc } from '@shared/sync/hlc';
import { pullResponseSchema } from '@shared/sync/protocol';
import type { GuanmoApp } from '../app.js';
import { getRecord } from '../db/records.js';
import { createSignedInUser } from '../test-support/auth-fixtures.js';
import { testBackends, type TestDatabase } from '../test-support/backends.js';
import { createCapturedApp } from '../test-support/server-fixtures.js';
import { buildSheet, buildTestTour, SyncClient, tourMutations, type TestTour } from '../test-support/sync-client.js';
import { maxPageChanges } from './pull.js';
import { ServerClock } from './server-clock.js';

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`sync on ${backend.kind}`, () => {
    let database: TestDatabase;
    let guanmo: GuanmoApp;
    let sec: SyncClient;
    let s1: SyncClient;
    let s2: SyncClient;
    let observer: SyncClient;
    let outsider: SyncClient;
    let users: Record<'sec' | 's1' | 's2' | 'obs' | 'out', { id: string }>;
    let t: TestTour;
    const tourId = 'tour-a';

    beforeEach(async () => {
      database = await backend.create();
      guanmo = await createCapturedApp({ ...database.env, GUANMO_LOG_LEVEL: 'error' });
      const make = async (username: string, role: 'secretariat' | 'scorer' | 'observer') => {
        const user = await createSignedInUser(guanmo.app, guanmo.db, { username, role });
        return { user, client: new SyncClient(guanmo.app, user.token) };
      };
      const a = await make('sec', 'secretariat');
      const b = await make('scorer1', 'scorer');
      const c = await make('scorer2', 'scorer');
      const d = await make('observer1', 'observer');
      const e = await make('outsider', 'scorer');
      [sec, s1, s2, observer, outsider] = [a.client, b.client, c.client, d.client, e.client];
      users = { sec: a.user, s1: b.user, s2: c.user, obs: d.user, out: e.user };
      t = buildTestTour(tourId, [
        { userId: b.user.id, name: '评委甲' },
        { userId: c.user.id, name: '评委乙', homeUnit: 'u2' },
        { userId: d.user.id, name: '观察员', role: 'observer' },
      ]);
      await sec.pushOk(tourMutations(sec, t));
    });
    afterEach(async () => {
      await guanmo.close();
      await database.cleanup();
    });

    const [p1, p2] = ['tour-a-p1', 'tour-a-p2'];
    const stop = (n: number) => `tour-a-s${n}`;
    const fullScores = { progress: 35.5, quality: 27, benefit: 28 };
    const countChanges = async () => Number((await guanmo.db.selectFrom('changes').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    describe('push', () => {
      it('applies a batch once: the same push sent twice changes nothing the second time', async () => {
        const sheet = buildSheet(tourId, stop(1), p1, { progress: 30, quality: null, benefit: null });
        const note = { id: 'n1', tourId, stopId: stop(1), authorId: users.s1.id, kind: 'highlight', text: '进度快', createdAt: sheet.updatedAt, updatedAt: sheet.updatedAt };
        const batch = [s1.mutation('sheets', tourId, sheet), s1.mutation('notes', tourId, note)];

        const first = await s1.push(batch);
        expect(first.results.map((r) => r.status)).toEqual(['applied', 'applied']);
        const changesAfterFirst = await countChanges();
        const recordsAfterFirst = await guanmo.db.selectFrom('records').selectAll().orderBy('collection').orderBy('id').execute();

        const second = await s1.push(batch);
        expect(second.results).toEqual(batch.map((m) => ({ id: m.id, status: 'duplicate' })));
        expect(await countChanges()).toBe(changesAfterFirst);
        expect(await guanmo.db.selectFrom('records').selectAll().orderBy('collection').orderBy('id').execute()).toEqual(recordsAfterFirst);

        // the same mutation twice within one push: the second is a duplicate
        const m = s1.change('sheets', tourId, sheet.id, { comment: '好' });
        expect((await s1.push([m, m])).results.map((r) => r.status)).toEqual(['applied', 'duplicate']);
      });

      it('merges per field, last writer wins by HLC, whatever order the writes arrive in', async () => {
        const sheet = buildSheet(tourId, stop(1), p1, { progress: 30, quality: null, benefit: null });
        const base = Date.now() - 60_000;
        const at = (ms: number, node: string) => formatHlc({ millis: base + ms, counter: 0, node });
        await s1.pushOk([{ ...s1.mutation('sheets', tourId, sheet), hlc: at(0, 'laptop-one') }]);
        // a second laptop of the same scorer edits scores and the comment at +1 s, offline;
        // the first laptop edits the comment at +2 s; the older edit reaches the server last
        const newer = { ...s1.change('sheets', tourId, sheet.id, { comment: '新的意见' }), hlc: at(2000, 'laptop-one') };
        const older = {
          ...s1.change('sheets', tourId, sheet.id, { comment: '旧的意见', scores: { progress: 30, quality: 25, benefit: null } }),
          hlc: at(1000, 'laptop-two'),
        };
        const olderStamp = older.hlc;
        await s1.pushOk([newer]);
        await s1.pushOk([older]);

        const stored = await getRecord(guanmo.db, 'sheets', sheet.id);
        expect(stored?.data).toMatchObject({ comment: '新的意见', scores: { progress: 30, quality: 25, benefit: null } });
        expect(stored?.versions.comment).toBe(newer.hlc);
        expect(stored?.versions.scores).toBe(olderStamp);
      });

      it('re-stamps a client clock that runs ahead and persists the server clock', async () => {
        const ahead = Date.now() + 3 * 60 * 60 * 1000;
        const fast = new SyncClient(guanmo.app, s1.token, 'fast-laptop', () => ahead);
        const sheet = buildSheet(tourId, stop(1), p1, { progress: 30, quality: null, benefit: null });
        const m1 = fast.mutation('sheets', tourId, sheet);
        const m2 = fast.change('sheets', tourId, sheet.id, { comment: 'later' });
        const response = await fast.pushOk([m1, m2]);
        const [r1, r2] = response.results;
        expect(r1!.hlc).toBeDefined();
        expect(parseHlc(r1!.hlc!).millis).toBeLessThan(Date.now() + 60_000);
        // order within the push survives the re-stamping
        expect(r2!.hlc! > r1!.hlc!).toBe(true);
        expect(response.serverHlc >= r2!.hlc!).toBe(true);
        const stored = await getRecord(guanmo.db, 'sheets', sheet.id);
        expect(stored?.versions.comment).toBe(r2!.hlc);

        // a correct clock edits the comment a moment later and wins (the fast clock did not)
        const fix = s1.change('sheets', tourId, sheet.id, { comment: 'fixed' });
        await s1.pushOk([fix]);
        expect((await getRecord(guanmo.db, 'sheets', sheet.id))?.data.comment).toBe('fixed');

        // persisted: a restarted server (new clock) starts at or after what this one issued
        const reopened = await ServerClock.open(guanmo.db, 'srv-next');
        expect(reopened.current >= response.serverHlc.replace(/-[^-]+$/, '')).toBe(true);
        expect(parseHlc(reopened.stampAfter([])) .millis).toBeGreaterThanOrEqual(parseHlc(r2!.hlc!).millis);
      });

      it('rejects per mutation with a code and a reason, never failing the batch', async () => {
        const own = buildSheet(tourId, stop(1), p1, { progress: 30, quality: null, benefit: null });
        const others = buildSheet(tourId, stop(1), p2, { progress: 30, quality: null, benefit: null });
        const noteOfOther = { id: 'n-x', tourId, stopId: stop(1), authorId: users.s2.id, kind: 'problem', text: '冒名', createdAt: own.updatedAt, updatedAt: own.updatedAt };
        const tooHigh = buildSheet(tourId, stop(2), p1, { progress: 41, quality: null, benefit: null });
        const offStep = buildSheet(tourId, stop(3), p1, { progress: 30.25, quality: null, benefit: null });
        const response = await s1.push([
          s1.mutation('sheets', tourId, own),
          s1.mutation('sheets', tourId, others),
          s1.mutation('notes', tourId, noteOfOther),
          s1.mutation('stops', tourId, { ...t.stops[0]!, name: '改名' }),
          s1.mutation('sheets', tourId, tooHigh),
          s1.mutation('sheets', tourId, offStep),
          s1.mutation('sheets', tourId, { ...buildSheet(tourId, stop(4), p1, { progress: 1, quality: null, benefit: null }), id: 'sheet:made-up' }),
          s1.mutation('sheets', tourId, { ...buildSheet(tourId, stop(4), p1, { progress: 1, quality: null, benefit: null }), mood: 'happy' }),
          s1.mutation('notes', tourId, { id: 'n-gone', tourId, stopId: 'no-such-stop', authorId: users.s1.id, kind: 'problem', text: 'x', createdAt: own.updatedAt, updatedAt: own.updatedAt }),
          s1.mutation('notes', tourId, { id: 'never-existed' }, 'delete'),
        ]);
        const summary = response.results.map((r) => [r.status, r.code ?? null]);
        expect(summary).toEqual([
          ['applied', null],
          ['rejected', 'forbidden'],
          ['rejected', 'forbidden'],
          ['rejected', 'forbidden'],
          ['rejected', 'invalid'],
          ['rejected', 'invalid'],
          ['rejected', 'forbidden'], // an id that is not one of this scorer's sheet ids
          ['rejected', 'invalid'],
          ['rejected', 'not_found'],
          ['rejected', 'not_found'],
        ]);
        for (const r of response.results.slice(1)) expect(r.reason).toMatch(/\w/);
        expect(response.results[3]!.reason).toMatch(/secretariat/);
        expect(response.results[7]!.reason).toMatch(/mood/);
        expect(await getRecord(guanmo.db, 'sheets', others.id)).toBeNull();
        expect((await getRecord(guanmo.db, 'stops', stop(1)))?.data.name).toBe('项目1');
        // a rejected mutation is not remembered: it is rejected again, not called a duplicate
        expect((await s1.push([s1.mutation('sheets', tourId, others)])).results[0]!.status).toBe('rejected');
      });

      it('takes the bulletin header as a tour field from the secretariat only, validated, and hands it to participants', async () => {
        const header = { issuingAuthority: '聊城市重点项目观摩活动办公室', documentNumber: '聊观办〔2018〕5号', addressees: '各县（市、区）党委和人民政府', signedBy: '聊城市重点项目观摩活动办公室', issueDate: '2018-12-30' };
        await sec.pushOk([sec.change('tours', tourId, tourId, { status: 'results_published' }), sec.change('tours', tourId, tourId, { bulletin: header })]);
        expect((await getRecord(guanmo.db, 'tours', tourId))?.data).toMatchObject({ name: t.tour.name, status: 'results_published', bulletin: header });
        // no impossible date, and no scorer writes it
        const bad = await sec.push([sec.change('tours', tourId, tourId, { bulletin: { ...header, issueDate: '2018-02-30' } })]);
        expect(bad.results[0]).toMatchObject({ status: 'rejected', code: 'invalid' });
        const byScorer = await s1.push([s1.change('tours', tourId, tourId, { bulletin: { ...header, signedBy: '评委甲' } })]);
        expect(byScorer.results[0]).toMatchObject({ status: 'rejected', code: 'forbidden' });
        const pulled = (await s1.pullAll()).find((r) => r.collection === 'tours' && r.id === tourId);
        expect(pulled?.data).toMatchObject({ bulletin: header });
      });

      it('enforces recusal, observer and outsider limits', async () => {
        // scorer2's home unit is u2 (stops 3 and 4)
        const recused = await s2.push([s2.mutation('sheets', tourId, buildSheet(tourId, stop(3), p2, { progress: 1, quality: null, benefit: null }))]);
        expect(recused.results[0]).toMatchObject({ status: 'rejected', code: 'recused' });
        await s2.pushOk([s2.mutation('sheets', tourId, buildSheet(tourId, stop(1), p2, { progress: 1, quality: null, benefit: null }))]);

        const obsSheet = await observer.push([observer.mutation('sheets', tourId, buildSheet(tourId, stop(1), 'tour-a-p3', { progress: 1, quality: null, benefit: null }))]);
        expect(obsSheet.results[0]).toMatchObject({ status: 'rejected', code: 'forbidden' });
        const at = new Date().toISOString();
        await observer.pushOk([observer.mutation('notes', tourId, { id: 'obs-note', tourId, stopId: stop(2), authorId: users.obs.id, kind: 'suggestion', text: '建议', createdAt: at, updatedAt: at })]);

        const out = await outsider.push([
          outsider.mutation('notes', tourId, { id: 'out-note', tourId, stopId: stop(2), authorId: users.out.id, kind: 'suggestion', text: '外人', createdAt: at, updatedAt: at }),
        ]);
        expect(out.results[0]).toMatchObject({ status: 'rejected', code: 'forbidden', reason: 'you are not assigned to this tour' });
        // nor can a participant edit someone else's note
        const hijack = await s1.push([s1.change('notes', tourId, 'obs-note', { text: '改了' })]);
        expect(hijack.results[0]).toMatchObject({ status: 'rejected', code: 'forbidden' });
      });

      it('locks a submitted sheet against its scorer and everyone else', async () => {
        const sheet = buildSheet(tourId, stop(1), p1, fullScores, 'submitted');
        await s1.pushOk([s1.mutation('sheets', tourId, sheet)]);
        const edit = await s1.push([s1.change('sheets', tourId, sheet.id, { scores: { ...fullScores, benefit: 30 } })]);
        expect(edit.results[0]).toMatchObject({ status: 'rejected', code: 'sheet_locked' });
        expect(edit.results[0]!.reason).toMatch(/submitted/);
        // another scorer learns nothing about it: the same answer as for a sheet that does not exist
        const probe = await s2.push([s2.change('sheets', tourId, sheet.id, { comment: '?' })]);
        const probeNothing = await s2.push([s2.change('sheets', tourId, buildSheet(tourId, stop(2), p1, {}).id, { comment: '?' })]);
        expect(probe.results[0]).toMatchObject({ status: 'rejected', code: 'forbidden' });
        expect(probeNothing.results[0]).toMatchObject({ status: 'rejected', code: probe.results[0]!.code });
        const staffEdit = await sec.push([sec.change('sheets', tourId, sheet.id, { status: 'draft' })]);
        expect(staffEdit.results[0]).toMatchObject({ status: 'rejected', code: 'sheet_locked' });
        // re-sending the submit itself (another id, same values) changes nothing and is fine
        expect((await s1.push([s1.mutation('sheets', tourId, sheet)])).results[0]!.status).toBe('applied');
        expect((await getRecord(guanmo.db, 'sheets', sheet.id))?.data.scores).toEqual(fullScores);
      });

      it('refuses to submit an incomplete sheet and to set reopened through push', async () => {
        const partial = buildSheet(tourId, stop(1), p1, { progress: 30, quality: null, benefit: 20 }, 'submitted');
        const response = await s1.push([s1.mutation('sheets', tourId, partial)]);
        expect(response.results[0]).toMatchObject({ status: 'rejected', code: 'invalid' });
        expect(response.results[0]!.reason).toMatch(/quality is not scored/);
        await s1.pushOk([s1.mutation('sheets', tourId, { ...partial, status: 'draft', submittedAt: null })]);
        const reopen = await s1.push([s1.change('sheets', tourId, partial.id, { status: 'reopened' })]);
        expect(reopen.results[0]).toMatchObject({ status: 'rejected', code: 'forbidden' });
      });

      it('keeps a record in its tour: no moving it, no writing another tour through a tour you are in', async () => {
        const other = buildTestTour('tour-b', [{ userId: users.out.id, name: '外' }]);
        await sec.pushOk(tourMutations(sec, other));
        const at = new Date().toISOString();
        await outsider.pushOk([outsider.mutation('notes', 'tour-b', { id: 'b-note', tourId: 'tour-b', stopId: 'tour-b-s1', authorId: users.out.id, kind: 'problem', text: 'b', createdAt: at, updatedAt: at })]);
        // s1 names its own tour but another tour's record
        const sneaky = await s1.push([s1.change('notes', tourId, 'b-note', { text: 'hacked' })]);
        expect(sneaky.results[0]).toMatchObject({ status: 'rejected', code: 'invalid' });
        // or moves a record to another tour
        await s1.pushOk([s1.mutation('notes', tourId, { id: 'a-note', tourId, stopId: stop(1), authorId: users.s1.id, kind: 'problem', text: 'a', createdAt: at, updatedAt: at })]);
        const move = await s1.push([s1.change('notes', tourId, 'a-note', { tourId: 'tour-b', stopId: 'tour-b-s1' })]);
        expect(move.results[0]!.status).toBe('rejected');
        expect((await getRecord(guanmo.db, 'notes', 'b-note'))?.data.text).toBe('b');
      });

      it('validates the request itself: 400 JSON for a bad body, 401 without a token, 413 when too large', async () => {
        // a malformed mutation is rejected in its place; the well-formed one beside it is applied
        const at = new Date().toISOString();
        const note = { id: 'malformed-neighbour', tourId, stopId: stop(1), authorId: users.s1.id, kind: 'highlight', text: '旁边的', createdAt: at, updatedAt: at };
        const mixed = await s1.pushRaw([{ id: 'not-a-uuid' } as never, s1.mutation('notes', tourId, note)]);
        expect(mixed.statusCode).toBe(200);
        const [malformed, fine] = mixed.json().results;
        expect(malformed).toMatchObject({ id: 'not-a-uuid', status: 'rejected', code: 'invalid' });
        expect(malformed.reason).not.toMatch(/node_modules|\.ts:\d/);
        expect(fine.status).toBe('applied');
        const bad = await guanmo.app.inject({ method: 'POST', url: '/api/sync/push', headers: s1.headers, payload: { clientId: 'not a node id!', mutations: [{}] } });
        expect(bad.statusCode).toBe(400);
        expect(bad.json().error).toBe('invalid_request');
        const empty = await guanmo.app.inject({ method: 'POST', url: '/api/sync/push', headers: s1.headers, payload: { clientId: 'x', mutations: [] } });
        expect(empty.statusCode).toBe(400);
        const anonymous = await guanmo.app.inject({ method: 'POST', url: '/api/sync/push', payload: { clientId: 'x', mutations: [] } });
        expect(anonymous.statusCode).toBe(401);
        const huge = await guanmo.app.inject({
          method: 'POST',
          url: '/api/sync/push',
          headers: { ...s1.headers, 'content-type': 'application/json' },
          payload: JSON.stringify({ clientId: 'x', mutations: [], pad: 'x'.repeat(5 * 1024 * 1024) }),
        });
        expect(huge.statusCode).toBe(413);
        expect(huge.json().error).toBe('payload_too_large');
        const badCursor = await guanmo.app.inject({ method: 'GET', url: '/api/sync/pull?cursor=abc', headers: s1.headers });
        expect(badCursor.statusCode).toBe(400);
        expect(badCursor.json().error).toBe('invalid_cursor');
        const badLimit = await guanmo.app.inject({ method: 'GET', url: '/api/sync/pull?limit=0', headers: s1.headers });
        expect(badLimit.statusCode).toBe(400);
      });
    });

    describe('pull', () => {
      it('gives each user only what they may see: blind scoring until results are published', async () => {
        const sheet1 = buildSheet(tourId, stop(1), p1, fullScores, 'submitted');
        const sheet2 = buildSheet(tourId, stop(2), p2, fullScores, 'submitted');
        await s1.pushOk([s1.mutation('sheets', tourId, sheet1)]);
        await s2.pushOk([s2.mutation('sheets', tourId, sheet2)]);

        for (const client of [sec, s1, s2, observer, outsider]) await client.pullAll(3);
        expect(sec.seenIds('sheets')).toEqual([sheet1.id, sheet2.id].sort());
        expect(s1.seenIds('sheets')).toEqual([sheet1.id]);
        expect(s2.seenIds('sheets')).toEqual([sheet2.id]);
        expect(observer.seenIds('sheets')).toEqual([]);
        expect(s1.seenIds('stops')).toEqual(t.stops.map((s) => s.id).sort());
        expect(s1.seenIds('tours')).toEqual([tourId]);
        expect(outsider.seen.size).toBe(0);

        // results published: the sheets are re-announced, so cursors already past them get them
        await sec.pushOk([sec.change('tours', tourId, tourId, { status: 'results_published' })]);
        for (const client of [s1, s2, observer, outsider]) await client.pullAll(3);
        expect(s1.seenIds('sheets')).toEqual([sheet1.id, sheet2.id].sort());
        expect(s2.seenIds('sheets')).toEqual([sheet1.id, sheet2.id].sort());
        expect(observer.seenIds('sheets')).toEqual([sheet1.id, sheet2.id].sort());
        expect(outsider.seen.size).toBe(0);
      });

      it('delivers a tour to a user assigned after they pulled, and a draft tour only once published', async () => {
        const draft = buildTestTour('tour-d', [{ userId: users.s1.id, name: '评委甲' }], 'draft');
        await sec.pushOk(tourMutations(sec, draft));
        await outsider.pullAll();
        await s1.pullAll();
        expect(outsider.seen.size).toBe(0);
        expect(s1.seenIds('tours')).toEqual([tourId]);

        const at = new Date().toISOString();
        await observer.pushOk([observer.mutation('notes', tourId, { id: 'early-note', tourId, stopId: stop(1), authorId: users.obs.id, kind: 'highlight', text: '早', createdAt: at, updatedAt: at })]);
        await sec.pushOk([sec.mutation('scorers', tourId, { id: 'tour-a-p9', tourId, userId: users.out.id, name: '新评委', role: 'scorer', homeUnitId: null, weightGroup: null })]);
        await outsider.pullAll();
        expect(outsider.seenIds('tours')).toEqual([tourId]);
        expect(outsider.seenIds('stops')).toEqual(t.stops.map((s) => s.id).sort());
        expect(outsider.seenIds('notes')).toEqual(['early-note']);
        expect(outsider.seenIds('sheets')).toEqual([]);

        await sec.pushOk([sec.change('tours', 'tour-d', 'tour-d', { status: 'published' })]);
        await s1.pullAll();
        expect(s1.seenIds('tours')).toEqual([tourId, 'tour-d'].sort());
        expect(s1.seenIds('stops')).toEqual([...t.stops, ...draft.stops].map((s) => s.id).sort());
      });

      it('tells a participant they were removed, or the tour deleted, with the tombstone only', async () => {
        await s1.pullAll();
        await observer.pullAll();
        await sec.pushOk([sec.mutation('scorers', tourId, { id: 'tour-a-p3' }, 'delete')]);
        const forObserver = await observer.pullAll();
        expect(forObserver.map((r) => [r.collection, r.id, r.deleted])).toEqual([['scorers', 'tour-a-p3', true]]);
        // and nothing of the tour any more
        await sec.pushOk([sec.change('stops', tourId, stop(1), { name: '改名后' })]);
        expect(await observer.pullAll()).toEqual([]);
        expect((await s1.pullAll()).map((r) => r.id)).toEqual(expect.arrayContaining([stop(1)]));

        await sec.pushOk([sec.mutation('tours', tourId, { id: tourId }, 'delete')]);
        const forScorer = await s1.pullAll();
        expect(forScorer.map((r) => [r.collection, r.id, r.deleted])).toEqual([['tours', tourId, true]]);
      });

      it('handles photo metadata and rank-vote ballots by the same rules', async () => {
        const at = new Date().toISOString();
        const photo = {
          id: 'ph1', tourId, stopId: stop(2), authorId: users.obs.id, sha256: 'a'.repeat(64), size: 1234, mime: 'image/jpeg',
          width: 800, height: 600, takenAt: null, lat: null, lng: null, caption: '现场', isCover: false, createdAt: at,
        };
        await observer.pushOk([observer.mutation('photos', tourId, photo)]);
        const stolen = await s1.push([s1.change('photos', tourId, 'ph1', { caption: '我的' })]);
        expect(stolen.results[0]).toMatchObject({ status: 'rejected', code: 'forbidden' });
        const badHash = await observer.push([observer.mutation('photos', tourId, { ...photo, id: 'ph2', sha256: 'xyz' })]);
        expect(badHash.results[0]).toMatchObject({ status: 'rejected', code: 'invalid' });
        await s2.pullAll();
        expect(s2.seenIds('photos')).toEqual(['ph1']);

        // a rank-vote tour: ballots instead of sheets
        const rv = buildTestTour('tour-rv', [{ userId: users.s1.id, name: '评委甲' }, { userId: users.s2.id, name: '评委乙' }]);
        rv.tour.rules = { ...rv.tour.rules, method: 'rankVote', unitScope: 'tour' };
        await sec.pushOk(tourMutations(sec, rv));
        const ballot = { id: ballotId('tour-rv', 'tour-rv-p1', null), tourId: 'tour-rv', scorerId: 'tour-rv-p1', group: null, unitIds: ['tour-rv-u2', 'tour-rv-u1'], status: 'submitted', submittedAt: at, updatedAt: at };
        const response = await s1.push([
          s1.mutation('ballots', 'tour-rv', ballot),
          s1.mutation('ballots', 'tour-rv', { ...ballot, id: ballotId('tour-rv', 'tour-rv-p2', null), scorerId: 'tour-rv-p2' }),
          s1.mutation('sheets', 'tour-rv', buildSheet('tour-rv', 'tour-rv-s1', 'tour-rv-p1', { progress: 1, quality: null, benefit: null })),
        ]);
        expect(response.results.map((r) => r.code ?? r.status)).toEqual(['applied', 'forbidden', 'tour_closed']);
        expect((await s1.push([s1.change('ballots', 'tour-rv', ballot.id, { unitIds: ['tour-rv-u1', 'tour-rv-u2'] })])).results[0]!.code).toBe('sheet_locked');
        await s2.pullAll();
        expect(s2.seenIds('ballots')).toEqual([]);
      });

      it('stores drafts of a ballot as the voter builds it, and submits only a complete order', async () => {
        // 评委乙 comes from 文峰街道 (u2): under recusal they rank only the other units
        const rv = buildTestTour('tour-rv2', [{ userId: users.s1.id, name: '评委甲' }, { userId: users.s2.id, name: '评委乙', homeUnit: 'u2' }]);
        rv.tour.rules = { ...rv.tour.rules, method: 'rankVote', unitScope: 'tour', recusal: true };
        rv.units.push({ id: 'tour-rv2-u3', tourId: 'tour-rv2', name: '崇川区', group: null, indicatorScore: null });
        await sec.pushOk(tourMutations(sec, rv));
        const [u1, u2, u3] = ['tour-rv2-u1', 'tour-rv2-u2', 'tour-rv2-u3'];
        const at = new Date().toISOString();
        const id = ballotId('tour-rv2', 'tour-rv2-p1', null);
        const draft = { id, tourId: 'tour-rv2', scorerId: 'tour-rv2-p1', group: null, unitIds: [] as string[], status: 'draft', submittedAt: null, updatedAt: at };
        const codes = async (client: SyncClient, mutations: Parameters<SyncClient['push']>[0]) => (await client.push(mutations)).results.map((r) => r.code ?? r.status);
        // nothing placed yet, then part of the order: drafts
        expect(await codes(s1, [s1.mutation('ballots', 'tour-rv2', draft)])).toEqual(['applied']);
        expect(await codes(s1, [s1.change('ballots', 'tour-rv2', id, { unitIds: [u3] })])).toEqual(['applied']);
        // submitting the untouched order, a partial one, a repeat, or a unit of no list: refused, the draft stays
        const submit = (unitIds: string[]) => s1.change('ballots', 'tour-rv2', id, { unitIds, status: 'submitted', submittedAt: at });
        for (const unitIds of [[], [u3], [u3, u1, u1, u2], [u3, u1, u2, 'tour-a-u1']]) {
          const [result] = (await s1.push([submit(unitIds)])).results;
          expect(result, JSON.stringify(unitIds)).toMatchObject({ status: 'rejected', code: 'invalid' });
        }
        expect((await s1.push([submit([u3, u1])])).results[0]!.reason).toContain(`not ranked by the voter: ${u2}`);
        expect((await getRecord(guanmo.db, 'ballots', id))?.data).toMatchObject({ status: 'draft', unitIds: [u3] });
        expect(await codes(s1, [submit([u3, u1, u2])])).toEqual(['applied']);

        // recusal: 评委乙 may leave their own unit out (or rank it: the engine skips it)
        const id2 = ballotId('tour-rv2', 'tour-rv2-p2', null);
        const ballot2 = { ...draft, id: id2, scorerId: 'tour-rv2-p2', unitIds: [u1], status: 'submitted', submittedAt: at };
        expect(await codes(s2, [s2.mutation('ballots', 'tour-rv2', ballot2)])).toEqual(['invalid']);
        expect(await codes(s2, [s2.mutation('ballots', 'tour-rv2', { ...ballot2, unitIds: [u3, u1] })])).toEqual(['applied']);
        // a ballot for a group on a tour ranking all units in one list: no such list
        const grouped = { ...ballot2, id: ballotId('tour-rv2', 'tour-rv2-p2', '县组'), group: '县组', unitIds: [u3, u1] };
        expect(await codes(s2, [s2.mutation('ballots', 'tour-rv2', grouped)])).toEqual(['invalid']);
      });

      it('answers at most maxPageChanges per page, the current state of each record, and walks past what is not visible', async () => {
        const at = new Date().toISOString();
        const note = (n: number, text: string) => ({ id: `bulk-${n}`, tourId, stopId: stop(1), authorId: users.s1.id, kind: 'highlight', text, createdAt: at, updatedAt: at });
        const count = maxPageChanges + 20;
        const bulk = Array.from({ length: count }, (_, n) => s1.mutation('notes', tourId, note(n, 'v1')));
        // a push holds at most 500 mutations, as a page holds at most maxPageChanges changes
        for (let i = 0; i < bulk.length; i += 400) await s1.pushOk(bulk.slice(i, i + 400));
        const first = await s1.pullPage(2000);
        expect(first.changes.length).toBeLessThanOrEqual(maxPageChanges);
        expect(first.hasMore).toBe(true);
        await s1.pullAll(2000);
        expect(s1.seenIds('notes')).toHaveLength(count);

        // another scorer's sheets: never sent, but the cursor moves past them
        const before = s1.cursor;
        await s2.pushOk([s2.mutation('sheets', tourId, buildSheet(tourId, stop(1), p2, fullScores, 'draft'))]);
        const page = await s1.pullPage(10);
        expect(page.changes).toEqual([]);
        expect(page.hasMore).toBe(false);
        expect(page.cursor).not.toBe(before);

        // a record changed after it was served goes out in its new state, to a fresh pull as well
        await s1.pushOk([s1.change('notes', tourId, 'bulk-3', { text: 'v2' })]);
        expect(await s1.pullAll()).toMatchObject([{ id: 'bulk-3', data: { text: 'v2' } }]);
        const fresh = new SyncClient(guanmo.app, s1.token);
        const all = await fresh.pullAll(2000);
        expect(all.find((r) => r.id === 'bulk-3')).toMatchObject({ data: { text: 'v2' } });
        expect(all.filter((r) => r.collection === 'sheets')).toEqual([]);
      });

      it('sends tombstones and the latest state, and nothing new once up to date', async () => {
        const at = new Date().toISOString();
        await s1.pushOk([s1.mutation('notes', tourId, { id: 'n1', tourId, stopId: stop(1), authorId: users.s1.id, kind: 'highlight', text: 'v1', createdAt: at, updatedAt: at })]);
        await s1.pullAll();
        await s1.pushOk([s1.change('notes', tourId, 'n1', { text: 'v2' })]);
        await s1.pushOk([s1.mutation('notes', tourId, { id: 'n1' }, 'delete')]);
        const raw = await guanmo.app.inject({ method: 'GET', url: `/api/sync/pull?cursor=${s1.cursor}`, headers: s1.headers });
        expect(raw.headers['content-type']).toMatch(/^application\/json/);
        expect(pullResponseSchema.parse(raw.json()).changes).toHaveLength(1);
        const received = await s1.pullAll();
        expect(received).toHaveLength(1);
        expect(received[0]).toMatchObject({ collection: 'notes', id: 'n1', deleted: true, data: { text: 'v2' } });
        expect(received[0]!.versions.$deleted).toBeDefined();
        expect(await s1.pullAll()).toEqual([]);
        // a late edit merges into the tombstone and does not bring the note back
        await s1.pushOk([s1.change('notes', tourId, 'n1', { text: 'v3' })]);
        expect((await getRecord(guanmo.db, 'notes', 'n1'))).toMatchObject({ deleted: true, data: { text: 'v3' } });
      });
    });
  });
}
