/**
 * The bundled server as operators run it: `node dist/main.js` (what bin/guanmo-server.mjs runs),
 * configured by environment variables, stopped by signals.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildServer } from '../build.mjs';
import { serverPackageDir } from './config.js';
import { testBackends, type TestDatabase } from './test-support/backends.js';

let bundle: string;
const bundleDir = path.join(serverPackageDir, 'dist', `.test-${process.pid}-${randomBytes(3).toString('hex')}`);

beforeAll(async () => {
  // inside server/ so that the external packages resolve from its node_modules
  bundle = await buildServer({ outfile: path.join(bundleDir, 'main.js'), logLevel: 'silent' });
});
afterAll(async () => {
  await fs.rm(bundleDir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

function run(args: string[], env: Record<string, string>): ChildProcess {
  // a clean environment: nothing from the developer's shell (DATABASE_URL…) leaks in
  const child = spawn(process.execPath, [bundle, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', GUANMO_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  return child;
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function runToEnd(args: string[], env: Record<string, string> = {}) {
  const child = run(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await exitOf(child);
  return { code, stdout, stderr };
}

function startServer(env: Record<string, string>): Promise<Running> {
  const child = run([], { GUANMO_PORT: '0', ...env });
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /Guanmo server listening on (http:\/\/\S+\/)/.exec(stdout);
      if (match) {
        resolve({
          child,
          url: match[1]!,
          stdout: () => stdout,
          stop: (signal) => {
            child.kill(signal);
            return exitOf(child);
          },
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${stdout}\n${stderr}`)));
  });
}

const passwordPattern = /[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}/g;

describe('guanmo-server command line', () => {
  it('--help prints the usage and the variables', async () => {
    const { code, stdout } = await runToEnd(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('guanmo-server [serve]');
    expect(stdout).toContain('GUANMO_DATA_DIR');
  });

  it('refuses an unknown command with exit code 2', async () => {
    const { code, stderr } = await runToEnd(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command: frobnicate');
  });

  it('refuses bad configuration with a message naming the variable, not a stack trace', async () => {
    const { code, stderr } = await runToEnd(['serve'], { GUANMO_PORT: 'eighty' });
    expect(code).toBe(1);
    expect(stderr).toContain('GUANMO_PORT: must be a whole number');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('says which database it could not open, without the password', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-cli-'));
    try {
      const { code, stderr } = await runToEnd([], { GUANMO_DATA_DIR: dataDir, DATABASE_URL: 'postgres://guanmo:s3cret@127.0.0.1:1/guanmo' });
      expect(code).toBe(1);
      expect(stderr).toContain('cannot open the database (PostgreSQL postgres://guanmo:***@127.0.0.1:1/guanmo)');
      expect(stderr).not.toContain('s3cret');
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  it('says the port is taken', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-cli-'));
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as net.AddressInfo).port;
      const { code, stderr } = await runToEnd([], { GUANMO_DATA_DIR: dataDir, GUANMO_PORT: String(port) });
      expect(code).toBe(1);
      expect(stderr).toContain('the port is already in use');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});

for (const backend of testBackends) {
  describe.skipIf(!backend.isAvailable)(`bundled server on ${backend.kind}`, () => {
    let database: TestDatabase;
    let env: Record<string, string>;
    beforeEach(async () => {
      database = await backend.create();
      env = { ...database.env, GUANMO_STATIC_DIR: path.join(database.dataDir, 'no-renderer') };
    });
    afterEach(async () => {
      await database.cleanup();
    });

    it('prints the demo accounts on the first start only, serves health, and stops cleanly on SIGTERM and SIGINT', async () => {
      const first = await startServer({ ...env, GUANMO_DEMO: '1' });
      const health = await fetch(new URL('api/health', first.url));
      expect(await health.json()).toEqual({ ok: true, status: 'ok' });
      expect(first.stdout()).toContain('只显示这一次');
      expect(first.stdout().match(passwordPattern)).toHaveLength(8);
      expect(await first.stop('SIGTERM')).toBe(0);

      const second = await startServer({ ...env, GUANMO_DEMO: '1' });
      expect((await fetch(new URL('api/health', second.url))).status).toBe(200);
      expect(second.stdout()).not.toContain('只显示这一次');
      expect(second.stdout().match(passwordPattern)).toBeNull();
      expect(await second.stop('SIGINT')).toBe(0);
    });

    // (no skipped test on either backend: CI counts skips as failures)
    const onSqliteOnly = backend.kind === 'sqlite' ? it : () => undefined;
    const onPostgresOnly = backend.kind === 'postgres' ? it : () => undefined;
    onSqliteOnly('a second process on one SQLite data folder refuses to start and says why; the first serves on', async () => {
      const results = await Promise.allSettled([startServer(env), startServer(env)]);
      const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const refused = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      expect(started).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toContain('SQLite serves one server process');
      expect(refused[0]).toContain('PostgreSQL (DATABASE_URL)');
      expect(started[0]!.stdout().match(/│ admin /g)).toHaveLength(1);
      expect((await fetch(new URL('api/health', started[0]!.url))).status).toBe(200);
      expect(await started[0]!.stop('SIGTERM')).toBe(0);
    });

    onPostgresOnly('two processes starting at once on one database create admin once', async () => {
      const [a, b] = await Promise.all([startServer(env), startServer(env)]);
      const printed = [a.stdout(), b.stdout()].join('\n').match(/│ admin /g) ?? [];
      expect(printed).toHaveLength(1);
      for (const server of [a, b]) expect((await fetch(new URL('api/health', server.url))).status).toBe(200);
      expect(await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')])).toEqual([0, 0]);
    });
  });
}
