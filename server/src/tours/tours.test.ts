/**
 * The secretariat's side on every backend: importing a tour table (.csv and .xlsx) and a
 * template, reopening a submitted sheet with an audited reason, and rankings with their
 * visibility rules.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { InjectOptions } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCsv } from '@shared/import';
import type { GuanmoApp } from '../app.js';
import { defaultDemoDir } from '../config.js';
import { getRecord, listRecords } from '../db/records.js';
import { createSignedInUser } from '../test-support/auth-fixtures.js';
import { testBackends, type TestDatabase } from '../test-support/backends.js';
import { createCapturedApp } from '../test-support/server-fixtures.js';
import { buildSheet, buildTestTour, SyncClient, tourMutations } from '../test-support/sync-client.js';

const demoTourCsv = path.join(defaultDemoDir, 'tour-chongchuan-2021-scored.csv');
const demoTemplateCsv = path.join(defaultDemoDir, 'template-standard.csv');

async function csvAsXlsx(csvFile: string): Promise<Buffer> {
  const rows = parseCsv((await fs.readFile(csvFile, 'utf8')).replace(/^\uFEFF/, ''));
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('点位表');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`secretariat on ${backend.kind}`, () => {
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
    const importTour = (query: Record<string, string>, body: Buffer | string, headers: Record<string, string> = {}) =>
      inject({
        method: 'POST',
        url: `/api/tours/import?${new URLSearchParams(query)}`,
        headers: { ...sec.headers, 'content-type': 'application/octet-stream', ...headers },
        payload: body,
      });

    describe('tour import', () => {
      it('creates the tour, its units and stops from the CSV table, through the write path, audited', async () => {
        const response = await importTour({ fileName: 'tour.csv', tourId: 'cc-2021', name: '崇川区2021年重点项目现场观摩', kind: 'scored' }, await fs.readFile(demoTourCsv));
        expect(response.statusCode).toBe(201);
        const body = response.json();
        expect(body.tour).toMatchObject({ id: 'cc-2021', kind: 'scored', status: 'draft', startDate: '2021-12-08' });
        expect(body.units).toBeGreaterThan(1);
        expect(body.stops).toBe(5); // the demo table has five projects
        expect(await listRecords(guanmo.db, { collection: 'stops', tourId: 'cc-2021' })).toHaveLength(body.stops);
        expect(await listRecords(guanmo.db, { collection: 'units', tourId: 'cc-2021' })).toHaveLength(body.units);
        // through the sync write path: the change log and the applied mutations know them
        const applied = await guanmo.db.selectFrom('applied_mutations').selectAll().where('client_id', '=', 'server-import').execute();
        expect(applied).toHaveLength(1 + body.units + body.stops);
        const audit = (await inject({ method: 'GET', url: '/api/audit?tourId=cc-2021', headers: sec.headers })).json();
        expect(audit.entries).toMatchObject([{ action: 'tour_imported', user: { username: 'sec' }, reason: '导入 tour.csv' }]);

        // the same tour id again
        const again = await importTour({ fileName: 'tour.csv', tourId: 'cc-2021', name: 'x', kind: 'scored' }, await fs.readFile(demoTourCsv));
        expect(again.statusCode).toBe(409);
        expect(again.json().error).toBe('tour_exists');
      });

      it('reads .xlsx too, with the file name from X-File-Name', async () => {
        const response = await importTour({ name: '观摩', kind: 'scored', tourId: 'x-1' }, await csvAsXlsx(demoTourCsv), {
          'x-file-name': encodeURIComponent('崇川点位表.xlsx'),
          'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        });
        expect(response.statusCode).toBe(201);
        const csv = await importTour({ name: '观摩', kind: 'scored', tourId: 'x-2', fileName: 't.csv' }, await fs.readFile(demoTourCsv));
        expect(response.json().stops).toBe(csv.json().stops);
      });

      it('answers row errors as 422 JSON with the Chinese messages, and stores nothing', async () => {
        const bad = '序号,观摩日期,顺序,县市区,项目名称,纬度,经度\n1,2021-12-08,1,文峰街道,项目甲,北纬35,120.1\n2,2021-13-01,2,文峰街道,项目乙,32.1,120.2\n';
        const response = await importTour({ fileName: 'bad.csv', tourId: 'bad', name: '坏表', kind: 'scored' }, bad, { 'content-type': 'text/csv' });
        expect(response.statusCode).toBe(422);
        const body = response.json();
        expect(body.error).toBe('import_failed');
        expect(body.issues.length).toBeGreaterThanOrEqual(2);
        expect(body.issues[0]).toMatchObject({ row: 2, column: '纬度', value: '北纬35' });
        expect(body.issues.map((i: { message: string }) => i.message).join('\n')).toMatch(/第2行「纬度」/);
        expect(body.issues.map((i: { message: string }) => i.message).join('\n')).toMatch(/第3行/);
        expect(body.message).toMatch(/第2行/);
        expect(await getRecord(guanmo.db, 'tours', 'bad')).toBeNull();
        expect(await guanmo.db.selectFrom('records').selectAll().execute()).toEqual([]);
      });

      it('refuses bad requests clearly', async () => {
        const csv = await fs.readFile(demoTourCsv);
        expect((await importTour({ tourId: 'a', name: 'x', kind: 'scored' }, csv)).json()).toMatchObject({ error: 'invalid_request', message: expect.stringMatching(/file name/) });
        expect((await importTour({ fileName: 't.pdf', name: 'x', kind: 'scored' }, csv)).statusCode).toBe(400);
        expect((await importTour({ fileName: 't.csv', name: 'x', kind: 'party' }, csv)).statusCode).toBe(400);
        const dates = await importTour({ fileName: 't.csv', name: 'x', kind: 'scored', startDate: '2021-12-10', endDate: '2021-12-01' }, csv);
        expect(dates.statusCode).toBe(422);
        expect(dates.json().issues[0].message).toMatch(/endDate/);
        const json = await inject({ method: 'POST', url: '/api/tours/import?fileName=t.csv&name=x&kind=scored', headers: sec.headers, payload: { rows: [] } });
        expect(json.statusCode).toBe(415);
        const asScorer = await importTour({ fileName: 't.csv', name: 'x', kind: 'scored' }, csv, scorer.headers);
        expect(asScorer.statusCode).toBe(403);
      });

      it('imports a template table into the tour', async () => {
        await importTour({ fileName: 'tour.csv', tourId: 'cc', name: '崇川', kind: 'scored' }, await fs.readFile(demoTourCsv));
        const response = await inject({
          method: 'POST',
          url: '/api/tours/cc/template/import?fileName=template.csv',
          headers: { ...sec.headers, 'content-type': 'text/csv' },
          payload: await fs.readFile(demoTemplateCsv),
        });
        expect(response.statusCode).toBe(200);
        const tour = await getRecord(guanmo.db, 'tours', 'cc');
        expect((tour?.data.template as { criteria: unknown[] }).criteria.length).toBeGreaterThanOrEqual(4);
        const bad = await inject({ method: 'POST', url: '/api/tours/cc/template/import?fileName=t.csv', headers: { ...sec.headers, 'content-type': 'text/csv' }, payload: '评分项目,分值\n进度,abc\n' });
        expect(bad.statusCode).toBe(422);
        expect(bad.json().issues[0].message).toMatch(/第2行/);
      });
    });

    describe('reopen and audit', () => {
      async function scoredTour() {
        const secClient = new SyncClient(guanmo.app, sec.token);
        const tour = buildTestTour('t1', [{ userId: scorer.id, name: '评委甲' }]);
        await secClient.pushOk(tourMutations(secClient, tour));
        return { secClient, scorerClient: new SyncClient(guanmo.app, scorer.token), tour };
      }

      it('reopens a submitted sheet with a reason; the scorer then edits and submits again', async () => {
        const { scorerClient } = await scoredTour();
        const sheet = buildSheet('t1', 't1-s1', 't1-p1', { progress: 30, quality: 20, benefit: 20 }, 'submitted');
        await scorerClient.pushOk([scorerClient.mutation('sheets', 't1', sheet)]);
        expect((await scorerClient.push([scorerClient.change('sheets', 't1', sheet.id, { scores: { progress: 40, quality: 20, benefit: 20 } })])).results[0]!.code).toBe('sheet_locked');

        const asScorer = await inject({ method: 'POST', url: `/api/sheets/${encodeURIComponent(sheet.id)}/reopen`, headers: scorer.headers, payload: { reason: 'mine' } });
        expect(asScorer.statusCode).toBe(403);
        const noReason = await inject({ method: 'POST', url: `/api/sheets/${encodeURIComponent(sheet.id)}/reopen`, headers: sec.headers, payload: { reason: '  ' } });
        expect(noReason.statusCode).toBe(400);
        expect(noReason.json().message).toMatch(/reason/);

        const reopened = await inject({ method: 'POST', url: `/api/sheets/${encodeURIComponent(sheet.id)}/reopen`, headers: sec.headers, payload: { reason: '评委反映第2项误填' } });
        expect(reopened.statusCode).toBe(200);
        expect(reopened.json().record.status).toBe('reopened');
        const again = await inject({ method: 'POST', url: `/api/sheets/${encodeURIComponent(sheet.id)}/reopen`, headers: sec.headers, payload: { reason: '再来' } });
        expect(again.statusCode).toBe(409);
        expect((await inject({ method: 'POST', url: '/api/sheets/sheet%3Anone/reopen', headers: sec.headers, payload: { reason: 'x' } })).statusCode).toBe(404);

        const audit = (await inject({ method: 'GET', url: '/api/audit?tourId=t1', headers: sec.headers })).json().entries;
        expect(audit).toHaveLength(1);
        expect(audit[0]).toMatchObject({
          action: 'sheet_reopened',
          recordId: sheet.id,
          reason: '评委反映第2项误填',
          user: { username: 'sec', id: sec.id },
          before: { status: 'submitted', scores: sheet.scores },
          after: { status: 'reopened', scores: sheet.scores },
        });
        expect(Date.parse(audit[0].createdAt)).toBeGreaterThan(Date.now() - 60_000);
        expect((await inject({ method: 'GET', url: '/api/audit?tourId=t1', headers: scorer.headers })).statusCode).toBe(403);

        // the scorer's laptop receives the reopened state, edits and submits again
        const pulled = await scorerClient.pullAll();
        expect(pulled.find((r) => r.id === sheet.id)?.data).toMatchObject({ status: 'reopened', reopenReason: '评委反映第2项误填' });
        // the reason is the secretariat's words: a scorer's push cannot rewrite it
        const rewrite = await scorerClient.push([scorerClient.change('sheets', 't1', sheet.id, { reopenReason: '我自己改的' })]);
        expect(rewrite.results[0]).toMatchObject({ status: 'rejected', code: 'forbidden' });
        await scorerClient.pushOk([scorerClient.change('sheets', 't1', sheet.id, { scores: { progress: 40, quality: 20, benefit: 20 }, status: 'submitted' })]);
        expect((await getRecord(guanmo.db, 'sheets', sheet.id))?.data).toMatchObject({ status: 'submitted', scores: { progress: 40 } });
      });

      it('a reopen wins over a submit stamped by a laptop clock slightly ahead', async () => {
        const { scorerClient } = await scoredTour();
        const ahead = new SyncClient(guanmo.app, scorer.token, 'ahead', () => Date.now() + 45_000);
        const sheet = buildSheet('t1', 't1-s2', 't1-p1', { progress: 30, quality: 20, benefit: 20 }, 'submitted');
        await ahead.pushOk([ahead.mutation('sheets', 't1', sheet)]);
        const reopened = await inject({ method: 'POST', url: `/api/sheets/${encodeURIComponent(sheet.id)}/reopen`, headers: sec.headers, payload: { reason: '复核' } });
        expect(reopened.statusCode).toBe(200);
        const stored = await getRecord(guanmo.db, 'sheets', sheet.id);
        expect(stored?.data.status).toBe('reopened');
        expect(stored!.versions.status! > stored!.versions.scores!).toBe(true);
        expect(scorerClient).toBeDefined();
      });
    });

    describe('rankings', () => {
      it('are computed by the shared engine, for the secretariat, and for participants once published', async () => {
        const scorer2 = await createSignedInUser(guanmo.app, guanmo.db, { username: 'scorer2', role: 'scorer' });
        const outsider = await createSignedInUser(guanmo.app, guanmo.db, { username: 'outsider', role: 'scorer' });
        const secClient = new SyncClient(guanmo.app, sec.token);
        const tour = buildTestTour('r1', [
          { userId: scorer.id, name: '甲' },
          { userId: scorer2.id, name: '乙' },
        ]);
        await secClient.pushOk(tourMutations(secClient, tour));
        for (const [user, scorerId, base] of [[scorer, 'r1-p1', 30], [scorer2, 'r1-p2', 20]] as const) {
          const client = new SyncClient(guanmo.app, user.token);
          await client.pushOk(tour.stops.map((s, i) => client.mutation('sheets', 'r1', buildSheet('r1', s.id, scorerId, { progress: base + i, quality: 20, benefit: 20 }, 'submitted'))));
        }
        const get = (headers: Record<string, string>) => inject({ method: 'GET', url: '/api/tours/r1/rankings', headers });

        const forSec = await get(sec.headers);
        expect(forSec.statusCode).toBe(200);
        const rankings = forSec.json();
        expect(rankings.tourId).toBe('r1');
        expect(rankings.projects).toHaveLength(4);
        // stop 4: (33 + 23) / 2 + 20 + 20 = 68 → first
        const first = rankings.projects.find((p: { rank: number }) => p.rank === 1);
        expect(first).toMatchObject({ stopId: 'r1-s4', score: { display: '68.00' } });
        expect(rankings.units.map((u: { rank: number }) => u.rank).sort()).toEqual([1, 2]);
        expect(typeof first.score.exact).toBe('string'); // exact values as fraction strings

        const early = await get(scorer.headers);
        expect(early.statusCode).toBe(403);
        expect(early.json().error).toBe('results_not_published');
        expect((await get(outsider.headers)).statusCode).toBe(404);
        expect((await inject({ method: 'GET', url: '/api/tours/nope/rankings', headers: sec.headers })).statusCode).toBe(404);

        await secClient.pushOk([secClient.change('tours', 'r1', 'r1', { status: 'results_published' })]);
        const published = await get(scorer.headers);
        expect(published.statusCode).toBe(200);
        expect(published.json().projects).toEqual(rankings.projects);
        expect((await get(outsider.headers)).statusCode).toBe(404);
      });

      it('rank projects and units in their own scopes, and read a tour stored before the scopes by its old switch', async () => {
        const secClient = new SyncClient(guanmo.app, sec.token);
        const tour = buildTestTour('r2', [{ userId: scorer.id, name: '甲' }]);
        // 港闸开发区 (区组) is visited first, so 区组 comes before 县组 (tour order, not code points)
        tour.units[0]!.group = '区组';
        tour.units[1]!.group = '县组';
        tour.tour.rules = { ...tour.tour.rules, projectScope: 'tour', unitScope: 'group' };
        await secClient.pushOk(tourMutations(secClient, tour));
        const client = new SyncClient(guanmo.app, scorer.token);
        await client.pushOk(tour.stops.map((s, i) => client.mutation('sheets', 'r2', buildSheet('r2', s.id, 'r2-p1', { progress: 30 + i, quality: 20, benefit: 20 }, 'submitted'))));
        // the stored record carries the legacy switch as a mirror of the unit scope, for older laptops
        expect((await getRecord(guanmo.db, 'tours', 'r2'))!.data.rules).toMatchObject({ projectScope: 'tour', unitScope: 'group', rankWithinGroups: true });

        const rankingsNow = async () => (await inject({ method: 'GET', url: '/api/tours/r2/rankings', headers: sec.headers })).json();
        const scoped = await rankingsNow();
        expect(scoped.projectLists).toEqual([{ scope: 'tour', group: null, stopIds: ['r2-s4', 'r2-s3', 'r2-s2', 'r2-s1'] }]);
        expect(scoped.unitLists).toEqual([
          { scope: 'group', group: '区组', unitIds: ['r2-u1'] },
          { scope: 'group', group: '县组', unitIds: ['r2-u2'] },
        ]);

        // a record written by an older release: no scopes, rankWithinGroups false → both over the tour
        const stored = (await getRecord(guanmo.db, 'tours', 'r2'))!.data as { rules: Record<string, unknown> };
        const { projectScope: _p, unitScope: _u, ...legacyRules } = stored.rules;
        await guanmo.db.updateTable('records').set({ data: JSON.stringify({ ...stored, rules: { ...legacyRules, rankWithinGroups: false } }) }).where('collection', '=', 'tours').where('id', '=', 'r2').execute();
        const legacy = await rankingsNow();
        expect(legacy.rules).toMatchObject({ projectScope: 'tour', unitScope: 'tour' });
        expect(legacy.unitLists).toEqual([{ scope: 'tour', group: null, unitIds: ['r2-u2', 'r2-u1'] }]);
        expect(legacy.projectLists).toHaveLength(1);
      });
    });
  });
}
