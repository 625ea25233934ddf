/**
 * Carried by file on every backend: the carry key (per user, stable across password changes and
 * sign-ins), each laptop's report of unsynced work, the desk's list per tour, and a laptop
 * cleared once the same user's other laptop has pushed the file exported there.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { carryKeyResponseSchema, tourCarryDevicesSchema, type DeviceStatusReport } from '@shared/sync/carry-protocol';
import type { GuanmoApp } from '../app.js';
import { createSignedInUser, signIn } from '../test-support/auth-fixtures.js';
import { testBackends, type TestDatabase } from '../test-support/backends.js';
import { createCapturedApp } from '../test-support/server-fixtures.js';
import { buildTestTour, SyncClient, tourMutations } from '../test-support/sync-client.js';

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`carried by file on ${backend.kind}`, () => {
    let database: TestDatabase;
    let guanmo: GuanmoApp;

    beforeEach(async () => {
      database = await backend.create();
      guanmo = await createCapturedApp({ ...database.env, GUANMO_LOG_LEVEL: 'error' });
    });
    afterEach(async () => {
      await guanmo.close();
      await database.cleanup();
    });

    function inject(method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: unknown) {
      return guanmo.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    }
    const report = (over: Partial<DeviceStatusReport> & Pick<DeviceStatusReport, 'clientId'>): DeviceStatusReport => ({
      deviceName: '评委甲的笔记本',
      pending: [],
      newestPendingHlc: null,
      carried: [],
      ...over,
    });

    it('hands each user one key of their own, the same after signing in again, never to strangers', async () => {
      const zhang = await createSignedInUser(guanmo.app, guanmo.db, { username: 'zhang', role: 'scorer' });
      const li = await createSignedInUser(guanmo.app, guanmo.db, { username: 'li', role: 'scorer' });
      const first = carryKeyResponseSchema.parse((await inject('GET', '/api/carry/key', zhang.headers)).json());
      expect(first.userId).toBe(zhang.id);
      const again = await signIn(guanmo.app, 'zhang', zhang.password);
      const second = carryKeyResponseSchema.parse((await inject('GET', '/api/carry/key', { authorization: `Bearer ${again}` })).json());
      expect(second.key).toBe(first.key);
      const other = carryKeyResponseSchema.parse((await inject('GET', '/api/carry/key', li.headers)).json());
      expect(other.key).not.toBe(first.key);
      expect((await inject('GET', '/api/carry/key', {})).statusCode).toBe(401);
    });

    it('lists per tour the laptops holding unsynced work, and clears one carried in by file', async () => {
      const sec = await createSignedInUser(guanmo.app, guanmo.db, { username: 'mishu', role: 'secretariat', displayName: '秘书处王' });
      const zhang = await createSignedInUser(guanmo.app, guanmo.db, { username: 'zhang', role: 'scorer', displayName: '张评委' });
      const li = await createSignedInUser(guanmo.app, guanmo.db, { username: 'li', role: 'scorer', displayName: '李评委' });
      const staff = new SyncClient(guanmo.app, sec.token);
      const tour = buildTestTour('t1', [{ userId: zhang.id, name: '张评委' }]);
      await staff.pushOk(tourMutations(staff, tour));

      const laptopA = 'laptop-A';
      const laptopB = 'laptop-B';
      const pendingA = { tourId: 't1', sheets: 3, ballots: 0, notes: 1, photos: 3, other: 0 };
      const hlcA = '2026-12-03T10:00:00.000Z-0000-laptop-A';
      expect((await inject('POST', '/api/carry/device-status', zhang.headers, report({ clientId: laptopA, pending: [pendingA, { tourId: 't2', sheets: 0, ballots: 0, notes: 0, photos: 0, other: 0 }], newestPendingHlc: hlcA }))).statusCode).toBe(204);
      expect((await inject('POST', '/api/carry/device-status', zhang.headers, report({ clientId: laptopB, deviceName: '备用机' }))).statusCode).toBe(204);

      const list = async () => tourCarryDevicesSchema.parse((await inject('GET', '/api/tours/t1/carry-devices', sec.headers)).json());
      const before = await list();
      expect(before.devices).toHaveLength(1);
      expect(before.devices[0]).toMatchObject({ clientId: laptopA, deviceName: '评委甲的笔记本', user: { username: 'zhang', displayName: '张评委' }, pending: { sheets: 3, notes: 1, photos: 3 } });
      expect(before.carried).toEqual([]);

      // scorers see no desk; unknown tours are 404; a malformed report is 400 and changes nothing
      expect((await inject('GET', '/api/tours/t1/carry-devices', zhang.headers)).statusCode).toBe(403);
      expect((await inject('GET', '/api/tours/nope/carry-devices', sec.headers)).statusCode).toBe(404);
      const bad = await inject('POST', '/api/carry/device-status', zhang.headers, { ...report({ clientId: laptopA }), pending: [{ tourId: 't1', sheets: -1 }] });
      expect(bad.statusCode).toBe(400);
      expect((await list()).devices).toHaveLength(1);

      // another user cannot clear zhang's laptop by claiming to have carried it
      await inject('POST', '/api/carry/device-status', li.headers, report({ clientId: 'laptop-L', carried: [{ fromClientId: laptopA, throughHlc: hlcA }] }));
      expect((await list()).devices.map((d) => d.clientId)).toEqual([laptopA]);
      // a file exported before the laptop's newest work does not clear it
      await inject('POST', '/api/carry/device-status', zhang.headers, report({ clientId: laptopB, deviceName: '备用机', carried: [{ fromClientId: laptopA, throughHlc: '2026-12-03T09:00:00.000Z-0000-laptop-A' }] }));
      expect((await list()).devices.map((d) => d.clientId)).toEqual([laptopA]);
      // zhang's other laptop pushed all of the file: laptop A is cleared
      await inject('POST', '/api/carry/device-status', zhang.headers, report({ clientId: laptopB, deviceName: '备用机', carried: [{ fromClientId: laptopA, throughHlc: hlcA }] }));
      const after = await list();
      expect(after.devices).toEqual([]);
      expect(after.carried).toEqual([{ clientId: laptopA, deviceName: '评委甲的笔记本', user: expect.objectContaining({ username: 'zhang' }), carriedAt: expect.any(String) }]);

      // laptop A comes back with newer work of its own: listed again
      await inject('POST', '/api/carry/device-status', zhang.headers, report({ clientId: laptopA, pending: [pendingA], newestPendingHlc: '2026-12-03T11:00:00.000Z-0000-laptop-A' }));
      expect((await list()).devices.map((d) => d.clientId)).toEqual([laptopA]);
      // and after it synced, nothing is pending
      await inject('POST', '/api/carry/device-status', zhang.headers, report({ clientId: laptopA }));
      expect((await list()).devices).toEqual([]);
    });
  });
}
