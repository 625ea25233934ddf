/**
 * Rank-vote ballots (排序投票) through the renderer's real sync client and the REAL server
 * (in-process, SQLite in a temp folder): a scorer's laptop drafts and submits a ballot offline
 * with the field repository, syncs; the secretariat's laptop pulls it into its Dexie `ballots`
 * table and the desk's rankings rank the units from it; the secretariat reopens it (audited), the
 * scorer's laptop receives 'reopened', changes the order and submits again.
 */
import fs from 'node:fs/promises';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ballotId } from '@shared/domain/rank-vote';
import type { RunningServer } from '../../server/src/app';
import { getRecord } from '../../server/src/db/records';
import { createTestUser, signIn as serverSignIn } from '../../server/src/test-support/auth-fixtures';
import { makeTempDir } from '../../server/src/test-support/backends';
import { startCapturedServer } from '../../server/src/test-support/server-fixtures';
import { buildTestTour, SyncClient, tourMutations } from '../../server/src/test-support/sync-client';
import { getBallotContext, saveBallotDraft, submitBallot, BallotWriteRefused } from '../../renderer/src/db/ballots-repo';
import type { GuanmoDb } from '../../renderer/src/db/guanmo-db';
import { ensureClientId } from '../../renderer/src/db/meta-repo';
import { computeDeskRankings } from '../../renderer/src/features/desk/rankings/compute-desk-rankings';
import { loadTourRecords } from '../../renderer/src/features/desk/rankings/use-rankings-data';
import { signIn, usableToken } from '../../renderer/src/sync/session-store';
import { createSyncEngine } from '../../renderer/src/sync/sync-engine';
import { createTestDb } from '../../renderer/src/test-support/test-db';

let dataDir: string;
let server: RunningServer;
let baseUrl: string;
let sec: SyncClient;
const users: Record<string, { id: string; password: string }> = {};

beforeAll(async () => {
  dataDir = await makeTempDir('guanmo-ballots-sync-');
  server = await startCapturedServer({ GUANMO_DATA_DIR: dataDir, GUANMO_LOG_LEVEL: 'error', GUANMO_PORT: '0' });
  baseUrl = server.url.replace(/\/$/, '');
  for (const [username, role] of [['sec', 'secretariat'], ['s1', 'scorer'], ['s2', 'scorer']] as const) {
    const user = await createTestUser(server.db, { username, role, displayName: username });
    users[username] = { id: user.id, password: user.password };
  }
  sec = new SyncClient(server.app, await serverSignIn(server.app, 'sec'));
}, 60_000);

afterAll(async () => {
  await server?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function laptop(username: string) {
  const db: GuanmoDb = createTestDb({ factory: new IDBFactory(), name: 'guanmo' });
  await db.open();
  await ensureClientId(db);
  await signIn(db, baseUrl, username, users[username]!.password);
  const engine = createSyncEngine({ db, serverUrl: () => baseUrl, getToken: () => usableToken(db), lockName: null });
  const syncOk = async () => {
    const report = await engine.syncNow();
    expect(report.error).toBeNull();
    return report;
  };
  return { db, engine, syncOk, userId: users[username]!.id };
}

describe('rank-vote ballots through sync', () => {
  it('scorer submits offline, syncs; the desk ranks units from the pulled ballots; a reopen unlocks the ballot', async () => {
    const tourId = 'tour-rv-sync';
    // s2 comes from 文峰街道 (u2): under recusal they rank only the other unit
    const t = buildTestTour(tourId, [
      { userId: users.s1!.id, name: '评委甲' },
      { userId: users.s2!.id, name: '评委乙', homeUnit: 'u2' },
    ]);
    t.tour.rules = { ...t.tour.rules, method: 'rankVote', unitScope: 'tour' };
    await sec.pushOk(tourMutations(sec, t));
    const [u1, u2] = [`${tourId}-u1`, `${tourId}-u2`];

    const a = await laptop('s1');
    const b = await laptop('s2');
    await a.syncOk();
    await b.syncOk();
    const target = { tourId, group: null, userId: a.userId };
    expect((await getBallotContext(a.db, target))?.placement).toEqual({ placed: [], unplaced: [u1, u2] });

    // offline: a draft, then the submit
    await saveBallotDraft(a.db, target, [u2, u1]);
    await submitBallot(a.db, target, [u2, u1]);
    await submitBallot(b.db, { tourId, group: null, userId: b.userId }, [u1]);
    const pushed = await a.syncOk();
    expect(pushed.pushed).toMatchObject({ applied: 1, rejected: 0 }); // draft and submit of one new record: one mutation
    expect((await b.syncOk()).pushed).toMatchObject({ applied: 1, rejected: 0 });
    const id = ballotId(tourId, `${tourId}-p1`, null);
    expect((await getRecord(server.db, 'ballots', id))?.data).toMatchObject({ status: 'submitted', unitIds: [u2, u1] });

    // the secretariat's laptop stores both ballots and ranks the units from them
    const desk = await laptop('sec');
    await desk.syncOk();
    expect((await desk.db.ballots.where('tourId').equals(tourId).toArray()).map((x) => x.id).sort()).toEqual([id, ballotId(tourId, `${tourId}-p2`, null)].sort());
    const records = await loadTourRecords(desk.db, tourId);
    const { rankings } = computeDeskRankings(records!);
    // u2: 100 (s1 only; s2 recused); u1: 97 (s1) + 100 (s2) → 98.5
    expect(rankings.units.map((u) => [u.unitId, u.score?.display, u.rank])).toEqual([
      [u2, '100.00', 1],
      [u1, '98.50', 2],
    ]);
    expect(rankings.missingCount).toBe(0);

    // reopened by the secretariat (audited on the server); the scorer's laptop learns it on its next sync
    const reopen = await server.app.inject({ method: 'POST', url: `/api/sheets/${encodeURIComponent(id)}/reopen`, headers: sec.headers, payload: { reason: '评委要求调整' } });
    expect(reopen.statusCode).toBe(200);
    expect(reopen.json().audit).toMatchObject({ action: 'ballot_reopened', recordId: id });
    await a.syncOk();
    expect((await a.db.ballots.get(id))?.status).toBe('reopened');
    await submitBallot(a.db, target, [u1, u2]);
    await a.syncOk();
    await desk.syncOk();
    const again = computeDeskRankings((await loadTourRecords(desk.db, tourId))!).rankings;
    expect(again.units.map((u) => [u.unitId, u.score?.display])).toEqual([
      [u1, '100.00'],
      [u2, '97.00'],
    ]);
    // locked again on the laptop
    await expect(saveBallotDraft(a.db, target, [u2, u1])).rejects.toBeInstanceOf(BallotWriteRefused);
    for (const l of [a, b, desk]) l.db.close();
  }, 60_000);
});
