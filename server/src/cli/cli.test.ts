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
      expect(JSON.stringify(json)).not.toMatch(/argon2|hash|"password"/i);
      expect(json.find((u) => u.username === 'zhangsan')).toMatchObject({ mustChangePassword: false });
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

    it('imports a scorer list: accounts with one-time passwords, written once to a file; running it again creates nothing', async () => {
      const list = path.join(database.dataDir, '评委名单.csv');
      await fs.copyFile(new URL('../../../assets/demo/scorers-chongchuan-2021.csv', import.meta.url), list);
      await cli(['add', 'lihua', '--role', 'scorer', '--display-name', '李华'], 'lihua-password\n'); // has an account already

      const first = await cli(['import', '评委名单.csv', '--out', 'passwords.csv']);
      expect(first).toMatchObject({ code: 0, err: '' });
      expect(first.out).toMatch(/^ROW\s+USERNAME\s+NAME\s+RESULT/);
      expect(first.out).toMatch(/2\s+zhangming\s+张明\s+created/);
      expect(first.out).toMatch(/3\s+lihua\s+李华\s+exists/);
      expect(first.out).toContain('7 created, 1 existed already, 0 not imported');
      expect(first.out).toContain('Each person must choose a new password at the first sign-in.');
      const file = await fs.readFile(path.join(database.dataDir, 'passwords.csv'), 'utf8');
      const lines = file.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines[0]).toBe('姓名,账号,初始密码');
      expect(lines).toHaveLength(8);
      const [name, username, password] = lines[1]!.split(',');
      expect([name, username]).toEqual(['张明', 'zhangming']);
      expect(first.out).not.toContain(password!); // on the terminal: no passwords when a file has them
      if (process.platform !== 'win32') expect((await fs.stat(path.join(database.dataDir, 'passwords.csv'))).mode & 0o077).toBe(0);

      // the running server: the one-time password asks for a new one
      const login = await guanmo.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'zhangming', password } });
      expect(login.json()).toMatchObject({ error: 'password_change_required' });
      expect((await cli(['list'])).out).toMatch(/zhangming\s+scorer\s+one-time\s+张明/);

      const again = await cli(['import', '评委名单.csv']);
      expect(again.code).toBe(0);
      expect(again.out).toContain('0 created, 8 existed already, 0 not imported');
      // never overwrites a passwords file
      await fs.writeFile(path.join(database.dataDir, 'more.csv'), '姓名,账号\n新人,xinren\n');
      const refused = await cli(['import', 'more.csv', '--out', 'passwords.csv']);
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/1 account\(s\) created, but the passwords file could not be written .*user password NAME --one-time/);
    });

    it('imports what it can of a list with bad rows, says which, and exits 1', async () => {
      await fs.writeFile(path.join(database.dataDir, 'bad.csv'), '姓名,账号,角色\n王五,wangwu,评委\n,,评委\n赵七,zhao qi,\n');
      const result = await cli(['import', 'bad.csv']);
      expect(result.code).toBe(1);
      expect(result.out).toMatch(/2\s+wangwu\s+王五\s+created\s+[a-z2-9-]{19}/); // printed once, there being no --out
      expect(result.out).toContain('第3行: 「姓名」和「账号」都为空，至少填写一项');
      expect(result.out).toContain('第4行「账号」: “zhao qi” 不是有效的账号');
      expect(result.err).toMatch(/2 row\(s\) not imported/);
      expect((await cli(['import', 'missing.csv'])).code).toBe(1);
      expect((await cli(['import'])).code).toBe(2);
      await fs.writeFile(path.join(database.dataDir, 'tour.csv'), '项目名称,县市区\n闹海,市北\n');
      const wrong = await cli(['import', 'tour.csv']);
      expect(wrong.code).toBe(1);
      expect(wrong.err).toMatch(/找不到评委名单的表头/);
    });

    it('sets a one-time password: the next sign-in asks for a new one', async () => {
      await cli(['add', 'li', '--role', 'scorer'], 'li-password\n');
      const set = await cli(['password', 'li', '--one-time'], 'temp-password\n');
      expect(set.out).toMatch(/password of li changed \(one-time: a new password is asked for at the next sign-in\)/);
      const login = await guanmo.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'li', password: 'temp-password' } });
      expect(login.json()).toMatchObject({ error: 'password_change_required' });
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
      await fs.writeFile(path.join(database.dataDir, 'list.csv'), '\uFEFF姓名,账号\n市领导1,sld1\n');
      const imported = await runBundle(['user', 'import', path.join(database.dataDir, 'list.csv')], env, null);
      expect(imported.code).toBe(0);
      expect(imported.stdout).toMatch(/sld1\s+市领导1\s+created\s+[a-z2-9-]{19}/);
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
