/**
 * The admin CLI on every backend: in-process for the details, and as the bundled executable
 * with a piped password, the way a deployment script runs it, next to a running server.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../build.mjs';
import type { GuanmoApp } from '../app.js';
import { serverPackageDir } from '../config.js';
import { bearer, signIn } from '../test-support/auth-fixtures.js';
import { testBackends, type TestDatabase } from '../test-support/backends.js';
import { createCapturedApp } from '../test-support/server-fixtures.js';
import { runUserCommand, type CliIo } from './user-command.js';

let bundle: string;
const bundleDir = path.join(serverPackageDir, 'dist', `.test-cli-${process.pid}-${randomBytes(3).toString('hex')}`);

beforeAll(async () => {
  bundle = await buildServer({ outfile: path.join(bundleDir, 'main.js'), logLevel: 'silent' });
});
afterAll(async () => {
  await fs.rm(bundleDir, { recursive: true, force: true });
});

function runBundle(args: string[], env: Record<string, string>, stdin: string | null): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', GUANMO_LOG_LEVEL: 'warn', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    if (stdin !== null) child.stdin.write(stdin);
    child.stdin.end();
  });
}

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`admin CLI on ${backend.kind}`, () => {
    let database: TestDatabase;
    let guanmo: GuanmoApp;

    beforeEach(async () => {
      database = await backend.create();
      // the server is running on the same data while the CLI works
      guanmo = await createCapturedApp(database.env);
    });
    afterEach(async () => {
      await guanmo.close();
      await database.cleanup();
    });

    async function cli(argv: string[], stdin: string | null = null) {
      let out = '';
      let err = '';
      const io: CliIo = {
        readPassword: async () => (stdin === null ? null : (stdin.split(/\r?\n/, 1)[0] ?? '')),
        out: (t) => void (out += t),
        err: (t) => void (err += t),
        env: { ...database.env, GUANMO_LOG_LEVEL: 'silent' },
        cwd: database.dataDir,
      };
      const code = await runUserCommand(argv, io);
      return { code, out, err };
    }

    it('adds users that can sign in to the running server, and lists them', async () => {
      const added = await cli(['add', 'ZhangSan', '--role', 'scorer', '--display-name', '张三'], 'zhang-pass-1\n');
      expect(added).toMatchObject({ code: 0, err: '' });
      expect(added.out).toContain('created zhangsan (scorer, 张三)');
      expect(await signIn(guanmo.app, 'zhangsan', 'zhang-pass-1')).toMatch(/^gm_/);

      const list = await cli(['list']);
      expect(list.code).toBe(0);
      expect(list.out).toMatch(/^USERNAME\s+ROLE\s+STATE\s+NAME\s+CREATED/);
      expect(list.out).toMatch(/zhangsan\s+scorer\s+active\s+张三/);
      expect(list.out).toMatch(/admin\s+admin\s+active/);
      const json = JSON.parse((await cli(['list', '--json'])).out) as Array<{ username: string; role: string }>;
      expect(json.map((u) => u.username).sort()).toEqual(['admin', 'zhangsan']);
      expect(JSON.stringify(json)).not.toMatch(/argon2|password/i);
    });

    it('refuses bad command lines with exit code 2 and failures with exit code 1', async () => {
      expect((await cli(['add', 'li', '--role', 'boss'], 'password-1')).code).toBe(2);
      expect((await cli(['add', 'li'], 'password-1')).code).toBe(2);
      expect((await cli(['add', 'li', '--role', 'scorer'])).code).toBe(2); // no password
      expect((await cli(['add', 'a b', '--role', 'scorer'], 'password-1')).code).toBe(2);
      expect((await cli(['add', 'li', '--role', 'scorer', '--colour', 'red'], 'password-1')).code).toBe(2);
      expect((await cli(['frobnicate'])).code).toBe(2);
      const short = await cli(['add', 'li', '--role', 'scorer'], 'short');
      expect(short.code).toBe(1);
      expect(short.err).toMatch(/at least 8 characters/);
      const taken = await cli(['add', 'Admin', '--role', 'scorer'], 'password-1');
      expect(taken.code).toBe(1);
      expect(taken.err).toMatch(/admin is taken/);
      const missing = await cli(['disable', 'nobody']);
      expect(missing.code).toBe(1);
      expect(missing.err).toMatch(/no user nobody/);
    });

    it('disables a user: their sessions end at once on the running server; enable lets them sign in again', async () => {
      await cli(['add', 'li', '--role', 'observer'], 'li-password');
      const token = await signIn(guanmo.app, 'li', 'li-password');
      const disabled = await cli(['disable', 'li']);
      expect(disabled).toMatchObject({ code: 0 });
      expect(disabled.out).toMatch(/li disabled; 1 session\(s\) signed out/);
      expect((await guanmo.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })).statusCode).toBe(401);
      expect((await cli(['list'])).out).toMatch(/li\s+observer\s+disabled/);
      expect((await cli(['disable', 'li'])).out).toMatch(/already was/);

      expect((await cli(['enable', 'li'])).code).toBe(0);
      expect(await signIn(guanmo.app, 'li', 'li-password')).toMatch(/^gm_/);

      expect((await cli(['password', 'li'], 'new-li-password')).out).toMatch(/password of li changed/);
      const old = await guanmo.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'li', password: 'li-password' } });
      expect(old.statusCode).toBe(401);
      expect(await signIn(guanmo.app, 'li', 'new-li-password')).toMatch(/^gm_/);
    });

    it('works as the bundled executable with the password piped in', async () => {
      const env = { ...database.env };
      const add = await runBundle(['user', 'add', 'wang', '--role', 'secretariat', '--display-name', '王秘书'], env, 'wang-password\n');
      expect(add.stderr).toBe('');
      expect(add.code).toBe(0);
      expect(add.stdout).toContain('created wang (secretariat, 王秘书)');
      expect(add.stdout + add.stderr).not.toContain('wang-password');

      const list = await runBundle(['user', 'list'], env, null);
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(/wang\s+secretariat\s+active\s+王秘书/);

      const again = await runBundle(['user', 'add', 'wang', '--role', 'scorer'], env, 'other-password\n');
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/taken/);
      const usage = await runBundle(['user', 'add', 'x'], env, 'password-1\n');
      expect(usage.code).toBe(2);
      expect(usage.stderr).toMatch(/--role is required/);

      expect(await signIn(guanmo.app, 'wang', 'wang-password')).toMatch(/^gm_/);
      const disable = await runBundle(['user', 'disable', 'wang'], env, null);
      expect(disable.code).toBe(0);
      const login = await guanmo.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'wang', password: 'wang-password' } });
      expect(login.statusCode).toBe(403);
    });

    it('runs blobs gc as the bundled executable next to the running server', async () => {
      const env = { ...database.env };
      const dry = await runBundle(['blobs', 'gc', '--dry-run', '--grace-hours', '0'], env, null);
      expect(dry.stderr).toBe('');
      expect(dry.code).toBe(0);
      expect(dry.stdout).toMatch(/^dry run: would remove 0 blob\(s\), 0 B; 0 in use; 0 unreferenced within the grace period of 0 h\n$/);
      const help = await runBundle(['blobs', '--help'], env, null);
      expect(help.stdout).toContain('guanmo-server blobs gc [--dry-run] [--grace-hours N]');
      const wrong = await runBundle(['blobs', 'gc', '--grace-hours'], env, null);
      expect(wrong.code).toBe(2);
    });
  });
}
