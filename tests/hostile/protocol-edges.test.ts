/**
 * Issue 14 items 7 and 8.
 *
 * 7. Unknown fields named like Object.prototype members (toString, constructor, hasOwnProperty,
 *    valueOf …) were accepted: the value was dropped but `versions` kept the key, and every
 *    client pulled it. Now such a mutation is rejected as invalid (own-property checks and the
 *    field-name rule), alone, and nothing of it reaches a record.
 * 8. Upload errors that were not JSON: POST /api/uploads without Tus-Resumable answered 412 with
 *    the plain text "Tus-Resumable Required" under Content-Type application/json, a bad
 *    Upload-Length or Upload-Metadata likewise. Now every one is `{error, message}`.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends, type TestDatabase } from '../../server/src/test-support/backends';
import { buildTestTour, tourMutations, type SyncClient } from '../../server/src/test-support/sync-client';
import { checkStored, laptopOf, newTally, startHostileServer, writeTally, type HostileServer } from './support/hostile-server';
import { tusMetadata } from './support/photo-bytes';

const prototypeNames = ['toString', 'constructor', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupSetter__'];
const tourId = 'tour-edges';

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`protocol edges on ${backend.kind}`, () => {
    const tally = newTally();
    let database: TestDatabase;
    let s: HostileServer;
    let scorer: { id: string; token: string; client: SyncClient };
    const written: Array<{ collection: string; id: string; fields: Record<string, unknown> }> = [];

    beforeAll(async () => {
      database = await backend.create();
      s = await startHostileServer(database, backend.kind, tally);
      const sec = await laptopOf(s, 'sec', 'secretariat');
      scorer = await laptopOf(s, 'scorer', 'scorer');
      await sec.client.pushOk(tourMutations(sec.client, buildTestTour(tourId, [{ userId: scorer.id, name: '评委' }])));
    }, 60_000);
    afterAll(async () => {
      const lost = await checkStored(s, tally, written);
      await s.close();
      await database.cleanup();
      writeTally('protocol-edges', backend.kind, tally);
      expect(lost).toEqual([]);
    }, 60_000);

    const note = () => {
      const at = new Date().toISOString();
      return { id: `note-${randomUUID()}`, tourId, stopId: `${tourId}-s1`, authorId: scorer.id, kind: 'highlight', text: '原文', createdAt: at, updatedAt: at };
    };

    it('fields named like Object.prototype members are rejected, each alone, on new and existing records', async () => {
      const existing = note();
      await scorer.client.pushOk([scorer.client.mutation('notes', tourId, existing)]);
      written.push({ collection: 'notes', id: existing.id, fields: { text: '原文' } });
      for (const name of prototypeNames) {
        const fresh = note();
        const neighbour = note();
        const response = await scorer.client.push([
          scorer.client.mutation('notes', tourId, { ...fresh, [name]: 'x' }),
          scorer.client.change('notes', tourId, existing.id, { [name]: 1 }),
          scorer.client.mutation('notes', tourId, neighbour),
        ]);
        expect(response.results.map((r) => r.status), name).toEqual(['rejected', 'rejected', 'applied']);
        for (const r of response.results.slice(0, 2)) expect(r.code, name).toBe('invalid');
        written.push({ collection: 'notes', id: neighbour.id, fields: { text: '原文' } });
      }
      // nothing of them anywhere: no record, no version key, nothing pulled
      const row = await s.db.selectFrom('records').select(['data', 'versions']).where('collection', '=', 'notes').where('id', '=', existing.id).executeTakeFirstOrThrow();
      for (const name of prototypeNames) {
        expect(Object.hasOwn(JSON.parse(row.versions) as object, name), name).toBe(false);
        expect(Object.hasOwn(JSON.parse(row.data) as object, name), name).toBe(false);
      }
      const pulled = await scorer.client.pullAll();
      for (const record of pulled) for (const name of prototypeNames) expect(Object.hasOwn(record.versions, name)).toBe(false);
    });

    it('__proto__ in a body is refused as a bad request (JSON), never a 5xx', async () => {
      const response = await s.server.app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: { authorization: `Bearer ${scorer.token}`, 'content-type': 'application/json' },
        payload: `{"clientId":"laptop-x","mutations":[{"id":"${randomUUID()}","collection":"notes","recordId":"n","tourId":"${tourId}","op":"upsert","fields":{"__proto__":{"polluted":true}},"hlc":"2021-12-08T09:30:00.000Z-0000-x"}]}`,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('every tus refusal is the JSON error shape', async () => {
      const upload = (headers: Record<string, string>, method = 'POST', path = 'api/uploads') =>
        fetch(new URL(path, s.url), { method, headers: { authorization: `Bearer ${scorer.token}`, ...headers } });
      const meta = tusMetadata({ sha256: 'a'.repeat(64), filetype: 'image/jpeg', tourId });
      const cases: Array<[string, Promise<Response>, number]> = [
        ['no Tus-Resumable', upload({ 'upload-length': '10', 'upload-metadata': meta }), 412],
        ['an old Tus-Resumable', upload({ 'tus-resumable': '0.2.2', 'upload-length': '10', 'upload-metadata': meta }), 412],
        ['Upload-Length abc', upload({ 'tus-resumable': '1.0.0', 'upload-length': 'abc', 'upload-metadata': meta }), 400],
        ['Upload-Length -1', upload({ 'tus-resumable': '1.0.0', 'upload-length': '-1', 'upload-metadata': meta }), 400],
        ['no Upload-Length', upload({ 'tus-resumable': '1.0.0', 'upload-metadata': meta }), 400],
        ['Upload-Metadata not base64', upload({ 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': 'sha256 !!!' }), 400],
        ['Upload-Metadata garbage', upload({ 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': ',,, ,' }), 400],
        ['Upload-Defer-Length (the quotas need the length up front)', upload({ 'tus-resumable': '1.0.0', 'upload-defer-length': '1', 'upload-metadata': meta }), 400],
        ['an unknown upload', upload({ 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, 'PATCH', `api/uploads/${'f'.repeat(32)}`), 404],
        ['a bad Content-Type', upload({ 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'text/plain' }, 'PATCH', `api/uploads/${'f'.repeat(32)}`), 415],
      ];
      for (const [what, pending, status] of cases) {
        const response = await pending;
        const text = await response.text();
        expect(response.status, what).toBeGreaterThanOrEqual(400);
        expect(response.status, what).toBeLessThan(500);
        expect([status, 400, 404, 412, 415], what).toContain(response.status);
        expect(response.headers.get('content-type'), what).toMatch(/^application\/json/);
        expect(JSON.parse(text) as unknown, what).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      }
    });
  });
}
