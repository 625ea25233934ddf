/**
 * Blob garbage collection with real files in a real store and real photo records, on every
 * backend: what is referenced (original, thumbnail) stays, what is unreferenced goes only after
 * the grace period both since stored and since first found unreferenced, a dry run changes
 * nothing, and `guanmo-server blobs gc` prints what it did.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PhotoMeta } from '@shared/domain/schemas';
import type { GuanmoApp } from '../app.js';
import { runBlobsCommand } from '../cli/blobs-command.js';
import { serverOrigin, writeRecord } from '../db/records.js';
import { runBlobHousekeeping } from '../housekeeping.js';
import { blobDirOf } from '../photos/register-photo-routes.js';
import { testBackends, type TestDatabase } from '../test-support/backends.js';
import { createCapturedApp } from '../test-support/server-fixtures.js';
import { collectBlobGarbage, referencedBlobHashes } from './blob-gc.js';
import { BlobStore } from './blob-store.js';

const hour = 3_600_000;
const day = 24 * hour;

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`blob garbage collection on ${backend.kind}`, () => {
    let database: TestDatabase;
    let guanmo: GuanmoApp;
    let blobs: BlobStore;
    let scratch: string;

    beforeEach(async () => {
      database = await backend.create();
      guanmo = await createCapturedApp({ ...database.env, GUANMO_LOG_LEVEL: 'error' });
      blobs = new BlobStore(blobDirOf(database.dataDir));
      scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-gc-'));
    });
    afterEach(async () => {
      await guanmo.close();
      await database.cleanup();
      await fs.rm(scratch, { recursive: true, force: true });
    });

    /** stores real bytes the way an upload does; `storedAt` back-dates the file */
    async function storeBlob(text: string, storedAt: Date): Promise<string> {
      const bytes = Buffer.from(`photo bytes of ${text} `.repeat(100));
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const source = path.join(scratch, text);
      await fs.writeFile(source, bytes);
      const result = await blobs.adoptFile(source, sha256);
      expect(result.status).toBe('stored');
      await fs.utimes(blobs.pathOf(sha256), storedAt, storedAt);
      return sha256;
    }

    async function putPhoto(id: string, fields: Partial<PhotoMeta> & { sha256: string }, deleted = false) {
      const photo: PhotoMeta = {
        id,
        tourId: 'tour-1',
        stopId: 'stop-1',
        authorId: 'someone',
        size: 1,
        mime: 'image/jpeg',
        width: 4000,
        height: 3000,
        takenAt: null,
        lat: null,
        lng: null,
        caption: '',
        isCover: false,
        createdAt: '2021-12-08T09:30:00.000Z',
        deletedAt: null,
        ...fields,
      };
      await guanmo.db
        .transaction()
        .execute((trx) => writeRecord(trx, { collection: 'photos', id, tourId: 'tour-1', data: photo, versions: {}, deleted }, serverOrigin));
    }

    it('keeps referenced originals and thumbnails; removes the unreferenced after the grace period since found unreferenced', async () => {
      const longAgo = new Date(Date.now() - 30 * day);
      const original = await storeBlob('original', longAgo);
      const thumb = await storeBlob('thumb', longAgo);
      const ofDeletedPhoto = await storeBlob('deleted-photo', longAgo);
      const ofDeletedRow = await storeBlob('deleted-row', longAgo);
      const orphan = await storeBlob('orphan', longAgo);
      const fresh = await storeBlob('fresh upload, record not pushed yet', new Date());
      await putPhoto('p1', { sha256: original, thumbSha256: thumb });
      await putPhoto('p2', { sha256: ofDeletedPhoto, deletedAt: '2021-12-09T10:00:00.000Z' });
      await putPhoto('p3', { sha256: ofDeletedRow }, true);

      expect([...(await referencedBlobHashes(guanmo.db))].sort()).toEqual([original, thumb].sort());

      // first collection: nothing was known to be unreferenced before, so nothing goes yet
      const now = new Date();
      const first = await collectBlobGarbage(guanmo.db, blobs, { now });
      expect(first).toMatchObject({ removed: [], referenced: 2, waiting: 4 });
      expect((await blobs.listUnreferencedMarks()).sort()).toEqual([ofDeletedPhoto, ofDeletedRow, orphan, fresh].sort());

      // six days later: still within the grace period
      const sixDays = await collectBlobGarbage(guanmo.db, blobs, { now: new Date(now.getTime() + 6 * day) });
      expect(sixDays.removed).toEqual([]);

      // a week later: the three long unreferenced go; the fresh upload is now old enough too
      const week = await collectBlobGarbage(guanmo.db, blobs, { now: new Date(now.getTime() + 7 * day + hour) });
      expect(week.removed.map((r) => r.sha256).sort()).toEqual([ofDeletedPhoto, ofDeletedRow, orphan, fresh].sort());
      expect(week.removedBytes).toBe(week.removed.reduce((n, r) => n + r.size, 0));
      for (const sha of [ofDeletedPhoto, ofDeletedRow, orphan, fresh]) expect(await blobs.has(sha)).toBe(false);
      expect(await blobs.has(original)).toBe(true);
      expect(await blobs.has(thumb)).toBe(true);
      expect(await blobs.listUnreferencedMarks()).toEqual([]);
    });

    it('never takes bytes uploaded recently whose record has not arrived, even with a short grace', async () => {
      const fresh = await storeBlob('just uploaded', new Date());
      const result = await collectBlobGarbage(guanmo.db, blobs, { graceMs: day, now: new Date(Date.now() + 2 * hour) });
      expect(result).toMatchObject({ removed: [], waiting: 1 });
      // the record arrives: the mark is cleared, and the blob stays for good
      await putPhoto('late', { sha256: fresh });
      const later = await collectBlobGarbage(guanmo.db, blobs, { graceMs: day, now: new Date(Date.now() + 30 * day) });
      expect(later).toMatchObject({ removed: [], referenced: 1, waiting: 0 });
      expect(await blobs.listUnreferencedMarks()).toEqual([]);
    });

    it('a blob found unreferenced is kept again when a client is told the server has it', async () => {
      const sha = await storeBlob('shared photo', new Date(Date.now() - 30 * day));
      const now = Date.now();
      await collectBlobGarbage(guanmo.db, blobs, { now: new Date(now) }); // marks it
      // 6 days later another laptop uploads the same bytes (or is told HEAD 200): keep() resets both clocks
      const source = path.join(scratch, 'again');
      await fs.writeFile(source, Buffer.from(`photo bytes of shared photo `.repeat(100)));
      expect((await blobs.adoptFile(source, sha)).status).toBe('existing');
      expect(await blobs.listUnreferencedMarks()).toEqual([]);
      // a week after the first mark it is still there: its clock restarted at the upload
      const result = await collectBlobGarbage(guanmo.db, blobs, { now: new Date(now + 7 * day + hour) });
      expect(result.removed).toEqual([]);
      expect(await blobs.has(sha)).toBe(true);
    });

    it('a dry run reports what would go and changes nothing; the housekeeping run logs what it removed', async () => {
      const orphan = await storeBlob('orphan', new Date(Date.now() - 30 * day));
      const dry = await collectBlobGarbage(guanmo.db, blobs, { graceMs: 0, dryRun: true });
      expect(dry).toMatchObject({ dryRun: true, removed: [{ sha256: orphan }] });
      expect(await blobs.has(orphan)).toBe(true);
      expect(await blobs.listUnreferencedMarks()).toEqual([]);

      const logged: Array<{ obj: object; msg: string }> = [];
      const log = { info: (obj: object, msg: string) => logged.push({ obj, msg }), warn: () => undefined };
      const result = await runBlobHousekeeping(guanmo.db, guanmo.dbKind, blobs, log, 0);
      expect(result?.removed.map((r) => r.sha256)).toEqual([orphan]);
      expect(await blobs.has(orphan)).toBe(false);
      expect(logged).toEqual([{ obj: expect.objectContaining({ removed: 1 }), msg: 'housekeeping: unreferenced photo bytes removed' }]);
    });

    it('guanmo-server blobs gc prints what it removed or would remove', async () => {
      const kept = await storeBlob('kept', new Date(Date.now() - 30 * day));
      const orphan = await storeBlob('orphan', new Date(Date.now() - 30 * day));
      await putPhoto('p1', { sha256: kept });
      const run = async (args: string[]) => {
        let out = '';
        let err = '';
        const code = await runBlobsCommand(['gc', ...args], { out: (t) => void (out += t), err: (t) => void (err += t), env: { ...database.env, GUANMO_LOG_LEVEL: 'silent' }, cwd: process.cwd() });
        return { code, out, err };
      };
      const dry = await run(['--dry-run', '--grace-hours', '0']);
      expect(dry.code).toBe(0);
      expect(dry.out).toContain(`would remove ${orphan}`);
      expect(dry.out).toMatch(/dry run: would remove 1 blob\(s\), [\d.]+ (B|KB); 1 in use; 0 unreferenced within the grace period of 0 h/);
      expect(await blobs.has(orphan)).toBe(true);

      const defaultGrace = await run([]);
      expect(defaultGrace.out).toMatch(/^removed 0 blob\(s\), 0 B; 1 in use; 1 unreferenced within the grace period of 168 h\n$/);

      const now = await run(['--grace-hours', '0', '--json']);
      expect(JSON.parse(now.out)).toMatchObject({ removed: [{ sha256: orphan }], referenced: 1, dryRun: false });
      expect(await blobs.has(orphan)).toBe(false);
      expect(await blobs.has(kept)).toBe(true);

      expect((await run(['--grace-hours', 'soon'])).code).toBe(2);
      expect((await runBlobsCommand(['sweep'], { out: () => undefined, err: () => undefined, env: database.env, cwd: process.cwd() }))).toBe(2);
    });
  });
}
