/**
 * Two processes opening one new SQLite file in the same instant (two server processes, or the
 * server and the admin CLI, started together on an empty data folder) both start. Switching a
 * new file to WAL fails at once with SQLITE_BUSY for the one that finds the other switching
 * (SQLite does not wait on busy_timeout there); openSqliteFile waits and tries again.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-support/backends.js';

const run = promisify(execFile);
const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const child = path.join(serverDir, 'src/test-support/open-sqlite-child.ts');
const tsx = createRequire(import.meta.url).resolve('tsx');

let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
  dirs = [];
});

async function openTogether(dataDir: string): Promise<string[]> {
  // far enough ahead for both children to have loaded (tsx compiles the server's modules)
  const startAt = String(Date.now() + 3000);
  const open = () =>
    run(process.execPath, ['--import', tsx, child, dataDir, startAt], { cwd: serverDir, env: { ...process.env, TSX_TSCONFIG_PATH: path.join(serverDir, 'tsconfig.json') } });
  const results = await Promise.all([open(), open()]);
  return results.map((r) => r.stdout.trim());
}

describe('opening a new SQLite database from two processes at once', () => {
  it('both open it, three times in a row (it failed most times before)', { timeout: 60_000 }, async () => {
    for (let i = 0; i < 3; i++) {
      const dataDir = await makeTempDir();
      dirs.push(dataDir);
      expect(await openTogether(dataDir)).toEqual(['ok', 'ok']);
    }
  });
});
