/**
 * The server through real HTTP on every database backend: migrations, first start (accounts
 * printed once), demo seeding, health, static site, errors, graceful close.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './auth/passwords.js';
import { readChanges, startCursor } from './db/changes.js';
import { openDatabase } from './db/database.js';
import { knownMigrations, migrationTableName } from './db/migrations.js';
import { countRecords, listRecords } from './db/records.js';
import { createUserIfAbsent, findUserByUsername, listUsers } from './db/users.js';
import { demoUserId } from '@shared/demo/demo-tours';
import { testBackends, type TestDatabase } from './test-support/backends.js';
import { createCapturedApp, startCapturedServer, testConfig, writeFakeRendererBuild } from './test-support/server-fixtures.js';

const silentLog = { warn: () => {} };

/** rows of the printed credentials table: [username, name, role, password] */
function printedAccounts(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('│') && !line.includes('Password'))
    .map((line) =>
      line
        .split('│')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`server on ${backend.kind}`, () => {
    let database: TestDatabase;
    let env: Record<string, string>;
    const toClose: Array<() => Promise<void>> = [];

    beforeEach(async () => {
      database = await backend.create();
      // no renderer build unless a test writes one
      env = { ...database.env, GUANMO_STATIC_DIR: path.join(database.dataDir, 'no-renderer') };
    });
    afterEach(async () => {
      for (const close of toClose.splice(0).reverse()) await close();
      await database.cleanup();
    });

    async function app(extraEnv: Record<string, string> = {}, options: Parameters<typeof createCapturedApp>[1] = {}) {
      const created = await createCapturedApp({ ...env, ...extraEnv }, options);
      toClose.push(created.close);
      return created;
    }

    describe('storage and migrations', () => {
      it('migrates an empty database, records the migration, and applies nothing on the next open', async () => {
        const first = await openDatabase(testConfig(env), silentLog);
        try {
          expect(first.kind).toBe(backend.kind);
          expect(first.migrationsApplied).toEqual(knownMigrations(backend.kind));
          const recorded = await sql<{ name: string }>`select name from ${sql.table(migrationTableName)} order by name`.execute(first.db);
          expect(recorded.rows.map((r) => r.name)).toEqual(knownMigrations(backend.kind));
        } finally {
          await first.close();
        }
        const second = await openDatabase(testConfig(env), silentLog);
        try {
          expect(second.migrationsApplied).toEqual([]);
          // the tables are usable through the one query layer
          expect(await second.db.selectFrom('users').selectAll().execute()).toEqual([]);
          expect(await second.db.selectFrom('records').selectAll().execute()).toEqual([]);
          expect(await second.db.selectFrom('changes').selectAll().execute()).toEqual([]);
        } finally {
          await second.close();
        }
      });

      it('refuses a database migrated by a newer server', async () => {
        const first = await openDatabase(testConfig(env), silentLog);
        await first.db
          .insertInto(migrationTableName as never)
          .values({ name: '9999_from_the_future', timestamp: new Date().toISOString() } as never)
          .execute();
        await first.close();
        await expect(openDatabase(testConfig(env), silentLog)).rejects.toThrow(/9999_from_the_future|corrupted|missing/i);
      });

      it('enforces unique user names and valid roles in the schema itself', async () => {
        const { db, close } = await openDatabase(testConfig(env), silentLog);
        try {
          const row = {
            id: 'u1',
            username: 'zhang',
            display_name: '张',
            role: 'scorer' as const,
            password_hash: 'x',
            disabled: 0,
            created_at: '2021-12-08T00:00:00.000Z',
            updated_at: '2021-12-08T00:00:00.000Z',
          };
          await db.insertInto('users').values(row).execute();
          await expect(db.insertInto('users').values({ ...row, id: 'u2' }).execute()).rejects.toThrow();
          await expect(
            db
              .insertInto('users')
              .values({ ...row, id: 'u3', username: 'li', role: 'boss' as never })
              .execute(),
          ).rejects.toThrow();
        } finally {
          await close();
        }
      });
    });

    describe('first start', () => {
      it('creates admin with a random password printed once; the next start prints nothing', async () => {
        const first = await app();
        const accounts = printedAccounts(first.output.text);
        expect(accounts).toHaveLength(1);
        const [username, , role, password] = accounts[0]!;
        expect(username).toBe('admin');
        expect(role).toContain('admin');
        expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
        expect(first.bootstrap.createdAccounts.map((a) => a.username)).toEqual(['admin']);

        const admin = await findUserByUsername(first.db, 'admin');
        expect(admin?.role).toBe('admin');
        expect(admin?.passwordHash).toMatch(/^\$argon2id\$/);
        expect(admin?.passwordHash).not.toContain(password!);
        expect(await verifyPassword(admin!.passwordHash, password!)).toBe(true);
        await first.close();

        const second = await app();
        expect(second.output.text).toBe('');
        expect(second.bootstrap.createdAccounts).toEqual([]);
        expect((await listUsers(second.db)).map((u) => u.username)).toEqual(['admin']);
      });

      it('uses GUANMO_ADMIN_PASSWORD and does not echo it', async () => {
        const first = await app({ GUANMO_ADMIN_PASSWORD: 'Kaifaqu-2021!' });
        expect(first.output.text).not.toContain('Kaifaqu-2021!');
        expect(first.output.text).toContain('GUANMO_ADMIN_PASSWORD');
        const admin = await findUserByUsername(first.db, 'admin');
        expect(await verifyPassword(admin!.passwordHash, 'Kaifaqu-2021!')).toBe(true);
        expect(await verifyPassword(admin!.passwordHash, 'wrong-password')).toBe(false);
      });

      it('loads the demo tours and demo accounts once, printing every password once', async () => {
        const first = await app({ GUANMO_DEMO: '1' });
        const accounts = printedAccounts(first.output.text);
        expect(accounts.map((a) => a[0])).toEqual(['admin', 'secretariat', 'scorer1', 'scorer2', 'scorer3', 'scorer4', 'scorer5', 'observer']);
        expect(new Set(accounts.map((a) => a[3])).size).toBe(accounts.length);
        for (const [username, , , password] of accounts) {
          const user = await findUserByUsername(first.db, username!);
          expect(await verifyPassword(user!.passwordHash, password!), username).toBe(true);
        }
        const roles = Object.fromEntries((await listUsers(first.db)).map((u) => [u.username, u.role]));
        expect(roles).toMatchObject({ secretariat: 'secretariat', scorer1: 'scorer', scorer5: 'scorer', observer: 'observer' });

        const tours = await listRecords(first.db, { collection: 'tours' });
        expect(tours.map((t) => t.id).sort()).toEqual(['demo-chongchuan-2021', 'demo-shanting-2021']);
        expect(await countRecords(first.db, 'stops')).toBe(33);
        const scored = tours.find((t) => t.id === 'demo-chongchuan-2021')!;
        expect(scored.data).toMatchObject({ kind: 'scored', status: 'scoring' });
        expect((scored.data.template as { criteria: unknown[] } | null)?.criteria.length).toBeGreaterThan(0);
        expect(Object.keys(scored.versions).sort()).toEqual(Object.keys(scored.data).sort());
        const chongchuanStops = await listRecords(first.db, { collection: 'stops', tourId: 'demo-chongchuan-2021' });
        expect(chongchuanStops).toHaveLength(5);
        const units = await listRecords(first.db, { collection: 'units', tourId: 'demo-chongchuan-2021' });
        expect(new Set(chongchuanStops.map((s) => s.data.unitId))).toEqual(new Set(units.map((u) => u.id)));

        // the demo people are assigned (fixed user ids shared with the desktop app's offline seed):
        // five scorers and an observer on the scored tour, recusing from their home units
        expect((await findUserByUsername(first.db, 'scorer2'))?.id).toBe(demoUserId('scorer2'));
        const scorers = await listRecords(first.db, { collection: 'scorers', tourId: 'demo-chongchuan-2021' });
        expect(scorers.filter((s) => s.data.role === 'scorer').map((s) => s.data.userId).sort()).toEqual(
          ['scorer1', 'scorer2', 'scorer3', 'scorer4', 'scorer5'].map(demoUserId),
        );
        const scorer2 = scorers.find((s) => s.data.userId === demoUserId('scorer2'))!;
        expect(units.find((u) => u.id === scorer2.data.homeUnitId)?.data.name).toBe('港闸开发区');
        const studyScorers = await listRecords(first.db, { collection: 'scorers', tourId: 'demo-shanting-2021' });
        expect(studyScorers.length).toBeGreaterThan(0);
        expect(studyScorers.every((s) => s.data.role === 'observer')).toBe(true);
        for (const s of [...scorers, ...studyScorers]) {
          expect(await first.db.selectFrom('users').select('id').where('id', '=', String(s.data.userId)).executeTakeFirst()).toBeDefined();
        }

        // everything seeded is announced in the change log, so clients will pull it
        const page = await readChanges(first.db, first.dbKind, startCursor, 1000);
        expect(page.hasMore).toBe(false);
        expect(page.records.length).toBe(
          2 + 33 + (await countRecords(first.db, 'units')) + (await countRecords(first.db, 'scorers')),
        );
        await first.close();

        const second = await app({ GUANMO_DEMO: '1' });
        expect(second.output.text).toBe('');
        expect(second.bootstrap.demo).toBeNull();
        expect(await countRecords(second.db, 'tours')).toBe(2);
        expect(await countRecords(second.db, 'stops')).toBe(33);
        expect((await listUsers(second.db)).length).toBe(8);
      });

      it('seeds the demo on a later start too, without re-creating or re-printing admin', async () => {
        const first = await app();
        expect(printedAccounts(first.output.text).map((a) => a[0])).toEqual(['admin']);
        await first.close();
        const second = await app({ GUANMO_DEMO: 'true' });
        const accounts = printedAccounts(second.output.text).map((a) => a[0]);
        expect(accounts).not.toContain('admin');
        expect(accounts).toContain('secretariat');
        expect(await countRecords(second.db, 'tours')).toBe(2);
      });

      it('keeps an account that already has a demo name, and does not print its password', async () => {
        const first = await app();
        await createUserIfAbsent(first.db, { username: 'scorer1', displayName: '张三', role: 'scorer', passwordHash: await hashPassword('zhangsan-own') });
        await first.close();
        const second = await app({ GUANMO_DEMO: '1' });
        const printed = printedAccounts(second.output.text).map((a) => a[0]);
        expect(printed).not.toContain('scorer1');
        expect(printed).toContain('scorer2');
        const zhang = await findUserByUsername(second.db, 'scorer1');
        expect(zhang?.displayName).toBe('张三');
        expect(await verifyPassword(zhang!.passwordHash, 'zhangsan-own')).toBe(true);
        expect(await countRecords(second.db, 'stops')).toBe(33);
      });

      // Several server processes share one PostgreSQL. (SQLite is one process per file; two apps
      // in one process would block each other's synchronous lock waits: the multi-process SQLite
      // start is covered by the bundle test in main.test.ts. Not registered at all on SQLite:
      // CI counts a skipped test as a failure to run everything.)
      if (backend.kind === 'postgres') it('two servers starting at once on one database create admin and the demo once', async () => {
        const [a, b] = await Promise.all([app({ GUANMO_DEMO: '1' }), app({ GUANMO_DEMO: '1' })]);
        const printed = [...printedAccounts(a.output.text), ...printedAccounts(b.output.text)].map((r) => r[0]);
        expect(printed.filter((u) => u === 'admin')).toHaveLength(1);
        expect(printed.filter((u) => u === 'scorer1')).toHaveLength(1);
        expect(await countRecords(a.db, 'stops')).toBe(33);
        expect((await listUsers(a.db)).length).toBe(8);
      });
    });

    describe('HTTP', () => {
      it('GET /api/health tells anyone only whether the server works; version, database and uptime to monitoring', async () => {
        const server = await startCapturedServer({ ...env, GUANMO_HEALTH_TOKEN: 'monitoring-token-0123456789' });
        toClose.push(server.close);
        expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
        const res = await fetch(new URL('api/health', server.url));
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(await res.json()).toEqual({ ok: true, status: 'ok' });

        const wrongToken = await fetch(new URL('api/health', server.url), { headers: { 'x-monitoring-token': 'monitoring-token-0123456788' } });
        expect(await wrongToken.json()).toEqual({ ok: true, status: 'ok' });
        const monitored = await fetch(new URL('api/health', server.url), { headers: { 'x-monitoring-token': 'monitoring-token-0123456789' } });
        const body = (await monitored.json()) as Record<string, unknown>;
        expect(body).toMatchObject({ ok: true, status: 'ok', service: 'guanmo-server', db: backend.kind, database: { status: 'ok' } });
        expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
        expect(typeof body.uptime).toBe('number');
        expect(body.uptime).toBeGreaterThanOrEqual(0);
      });

      it('health says 503 ok:false when the database is gone', async () => {
        const guanmo = await app({ GUANMO_HEALTH_TOKEN: 'monitoring-token-0123456789' });
        await guanmo.db.destroy();
        const res = await guanmo.app.inject({ method: 'GET', url: '/api/health' });
        expect(res.statusCode).toBe(503);
        expect(res.json()).toEqual({ ok: false, status: 'down' });
        const monitored = await guanmo.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-monitoring-token': 'monitoring-token-0123456789' } });
        expect(monitored.json()).toMatchObject({ ok: false, status: 'down', db: backend.kind, database: { status: 'down' } });
      });

      it('answers unknown API routes with a JSON 404', async () => {
        const { app: fastify } = await app();
        for (const [method, url] of [
          ['GET', '/api/nope'],
          ['POST', '/api/sync/unknown'],
          ['DELETE', '/api/health'],
          ['GET', '/api'],
        ] as const) {
          const res = await fastify.inject({ method, url });
          expect(res.statusCode, `${method} ${url}`).toBe(404);
          expect(res.headers['content-type']).toMatch(/^application\/json/);
          expect(res.json()).toEqual({ error: 'not_found', message: expect.stringContaining(url) });
        }
      });

      it('never leaks an internal error, and reports client errors as JSON', async () => {
        const { app: fastify } = await app({}, {
          configure: (f) => {
            f.get('/api/test/boom', async () => {
              throw new Error('secret detail: password=hunter2 at /srv/guanmo/db.ts:12');
            });
            f.post('/api/test/echo', async (request) => ({ got: request.body }));
          },
        });
        const boom = await fastify.inject({ method: 'GET', url: '/api/test/boom' });
        expect(boom.statusCode).toBe(500);
        expect(boom.json()).toEqual({ error: 'internal_error', message: 'Internal server error' });
        expect(boom.body).not.toMatch(/secret|hunter2|db\.ts|stack/);

        const badJson = await fastify.inject({
          method: 'POST',
          url: '/api/test/echo',
          headers: { 'content-type': 'application/json' },
          payload: '{"not json',
        });
        expect(badJson.statusCode).toBe(400);
        expect(badJson.json()).toMatchObject({ error: 'bad_request', message: expect.any(String) });
        expect(badJson.body).not.toContain('    at ');

        const wrongType = await fastify.inject({
          method: 'POST',
          url: '/api/test/echo',
          headers: { 'content-type': 'application/x-unknown' },
          payload: 'x',
        });
        expect(wrongType.statusCode).toBe(415);
        expect(wrongType.json()).toMatchObject({ error: 'unsupported_media_type' });
      });

      it('serves the built renderer with cache headers, security headers and an SPA fallback', async () => {
        const staticDir = path.join(database.dataDir, 'renderer');
        const { hashedAsset } = await writeFakeRendererBuild(staticDir);
        const { app: fastify } = await app({ GUANMO_STATIC_DIR: staticDir });

        const index = await fastify.inject({ method: 'GET', url: '/' });
        expect(index.statusCode).toBe(200);
        expect(index.headers['content-type']).toMatch(/^text\/html/);
        expect(index.body).toContain('<div id="root">');
        expect(index.headers['cache-control']).toBe('no-cache');
        expect(index.headers['content-security-policy']).toMatch(/default-src 'self'/);
        expect(index.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
        expect(index.headers['x-content-type-options']).toBe('nosniff');
        expect(index.headers['referrer-policy']).toBe('no-referrer');
        expect(index.headers['x-frame-options']).toBe('DENY');

        const asset = await fastify.inject({ method: 'GET', url: `/${hashedAsset}` });
        expect(asset.statusCode).toBe(200);
        expect(asset.headers['content-type']).toMatch(/javascript/);
        expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');

        const favicon = await fastify.inject({ method: 'GET', url: '/favicon.svg' });
        expect(favicon.statusCode).toBe(200);
        expect(favicon.headers['cache-control']).toBe('no-cache');

        const revalidated = await fastify.inject({ method: 'GET', url: '/', headers: { 'if-none-match': String(index.headers.etag) } });
        expect(revalidated.statusCode).toBe(304);

        for (const route of ['/tours/demo-chongchuan-2021', '/desk/rankings?tab=units']) {
          const spa = await fastify.inject({ method: 'GET', url: route, headers: { accept: 'text/html' } });
          expect(spa.statusCode, route).toBe(200);
          expect(spa.body).toContain('<div id="root">');
          expect(spa.headers['cache-control']).toBe('no-cache');
        }

        const missing = await fastify.inject({ method: 'GET', url: '/assets/gone-Zz99Yy88.js' });
        expect(missing.statusCode).toBe(404);
        expect(missing.body).not.toContain('<div id="root">');
        const dotfile = await fastify.inject({ method: 'GET', url: '/.env' });
        expect(dotfile.statusCode).toBe(404);
        expect(dotfile.body).not.toContain('SECRET');
        const traversal = await fastify.inject({ method: 'GET', url: '/..%2f..%2fpackage.json' });
        expect([400, 403, 404]).toContain(traversal.statusCode);
        expect(traversal.body).not.toContain('"name"');

        // the API is not swallowed by the fallback
        expect((await fastify.inject({ method: 'GET', url: '/api/nope' })).json()).toMatchObject({ error: 'not_found' });
        expect((await fastify.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
      });

      it('answers 503 with build instructions while the renderer is not built, and picks the build up without a restart', async () => {
        const staticDir = path.join(database.dataDir, 'later-build');
        const { app: fastify } = await app({ GUANMO_STATIC_DIR: staticDir });
        for (const url of ['/', '/tours/1']) {
          const res = await fastify.inject({ method: 'GET', url });
          expect(res.statusCode, url).toBe(503);
          expect(res.headers['content-type']).toMatch(/^text\/html/);
          expect(res.body).toContain('npm run build');
          expect(res.body).not.toContain(staticDir);
        }
        expect((await fastify.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);

        await writeFakeRendererBuild(staticDir);
        const built = await fastify.inject({ method: 'GET', url: '/' });
        expect(built.statusCode).toBe(200);
        expect(built.body).toContain('<div id="root">');
      });

      it('close() lets an in-flight request finish, then closes the database', async () => {
        let release!: () => void;
        let entered!: () => void;
        const hasEntered = new Promise<void>((resolve) => (entered = resolve));
        const server = await startCapturedServer(env, {
          configure: (f) => {
            f.get('/api/test/slow', async () => {
              entered();
              await new Promise<void>((resolve) => (release = resolve));
              return { done: true };
            });
          },
        });
        const inFlight = fetch(new URL('api/test/slow', server.url));
        await hasEntered;
        let isClosed = false;
        const closing = server.close().then(() => (isClosed = true));
        // while closing, the in-flight request is still waiting and the database still open
        await new Promise((resolve) => setImmediate(resolve));
        expect(isClosed).toBe(false);
        release();
        const res = await inFlight;
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ done: true });
        await closing;
        expect(isClosed).toBe(true);
        await expect(sql`select 1`.execute(server.db)).rejects.toThrow();
        await expect(fetch(new URL('api/health', server.url))).rejects.toThrow();
      });
    });
  });
}
