#!/usr/bin/env node
/**
 * `npm test`: runs every suite this machine can run, and names in one line each what it skipped and why.
 *
 *   1. typecheck of every part (shared/ without DOM or Node types, so a stray global fails here)
 *   2. unit and integration suites (vitest), the server's against SQLite and, when reachable, PostgreSQL
 *   3. end-to-end suites in real Chromium (tests/e2e)
 *
 * One after the other: both keep the two cores busy (tried at the same time, the end-to-end run
 * stretched by a third and its 60 s waits began to miss).
 *
 * With GUANMO_REQUIRE_ALL=1 (CI) nothing may be skipped: a missing Chromium or PostgreSQL, or any test
 * reported as skipped, fails the run.
 *
 * Closes with one plain line `tests: N passed, N failed, N skipped` summed over the suites.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const requireAll = process.env.GUANMO_REQUIRE_ALL === '1';
const defaultPgUrl = 'postgres://guanmo:guanmo@127.0.0.1:5432/guanmo_test';
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const tmpDir = path.join(root, 'tests', '.tmp');

const skipped = [];
const totals = { passed: 0, failed: 0, skipped: 0 };
const skippedTests = [];
/** failed tests with the first line of why, printed again in the summary (CI shows only the tail) */
const failedTests = [];
let failedSteps = [];

function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function skip(suite, why) {
  skipped.push(`${suite}: ${why}`);
  console.log(`SKIPPED ${suite} — ${why}`);
}

async function postgresUrl() {
  const url = process.env.GUANMO_TEST_DATABASE_URL ?? defaultPgUrl;
  const require = createRequire(path.join(root, 'server', 'package.json'));
  let pg;
  try {
    pg = require('pg');
  } catch {
    return { url: null, why: 'the pg client is not installed (run npm install)' };
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return { url, why: null };
  } catch (err) {
    return { url: null, why: `no PostgreSQL at ${url.replace(/:[^:@/]+@/, ':***@')} (${err.code ?? err.message})` };
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs vitest with a JSON report beside the console output and adds its counts to the totals. */
async function vitest(name, args, env) {
  mkdirSync(tmpDir, { recursive: true });
  const report = path.join(tmpDir, `vitest-${name}.json`);
  rmSync(report, { force: true });
  const code = await run(
    process.execPath,
    [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    env,
  );
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += json.numPassedTests ?? 0;
    totals.failed += json.numFailedTests ?? 0;
    const pending = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
    totals.skipped += pending;
    for (const file of json.testResults ?? []) {
      if (file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed')) {
        failedTests.push(`${path.relative(root, file.name)} (the file itself)\n      ${String(file.message ?? '').split('\n')[0].slice(0, 300)}`);
      }
      for (const t of file.assertionResults ?? []) {
        if (t.status === 'pending' || t.status === 'skipped' || t.status === 'todo') {
          skippedTests.push(`${path.relative(root, file.name)} › ${t.fullName}`);
        }
        if (t.status === 'failed') {
          const why = String(t.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 300);
          failedTests.push(`${path.relative(root, file.name)} › ${t.fullName}\n      ${why}`);
        }
      }
    }
  }
  if (code !== 0) failedSteps.push(name);
}

async function main() {
  const started = Date.now();

  console.log('\n== typecheck ==');
  // two at a time: each tsc is mostly one core
  const parts = ['tests', 'renderer', 'server', 'shared', 'electron', 'renderer/sw'];
  const typecheck = async () => {
    for (let part = parts.shift(); part !== undefined; part = parts.shift()) {
      const code = await run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', `${part}/tsconfig.json`, '--noEmit']);
      if (code !== 0) failedSteps.push(`typecheck ${part}`);
    }
  };
  await Promise.all([typecheck(), typecheck()]);

  console.log('\n== unit and integration (vitest) ==');
  const pg = await postgresUrl();
  if (!pg.url) skip('PostgreSQL variants of the server suites', pg.why);
  let stepStarted = Date.now();
  await vitest('unit', [], pg.url ? { GUANMO_TEST_DATABASE_URL: pg.url } : { GUANMO_TEST_DATABASE_URL: '' });
  const unitTime = `${((Date.now() - stepStarted) / 1000).toFixed(0)} s`;

  console.log('\n== end to end (Chromium) ==');
  stepStarted = Date.now();
  if (existsSync(chromiumPath)) {
    await vitest('e2e', ['--config', 'tests/e2e/vitest.config.ts'], { CHROMIUM_PATH: chromiumPath });
  } else {
    skip('end-to-end suites (tests/e2e)', `no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`);
  }
  const e2eTime = `${((Date.now() - stepStarted) / 1000).toFixed(0)} s`;

  console.log('\n== summary ==');
  for (const line of skipped) console.log(`skipped: ${line}`);
  if (skippedTests.length > 0) {
    console.log(`${skippedTests.length} test(s) reported as skipped:`);
    for (const t of skippedTests) console.log(`  - ${t}`);
  }
  if (requireAll && (skipped.length > 0 || skippedTests.length > 0)) {
    failedSteps.push('GUANMO_REQUIRE_ALL=1 and something was skipped');
  }
  if (failedTests.length > 0) {
    console.log(`${failedTests.length} test(s) failed:`);
    for (const t of failedTests) console.log(`  - ${t}`);
  }
  for (const step of failedSteps) console.log(`failed: ${step}`);
  console.log(`took ${((Date.now() - started) / 1000).toFixed(0)} s (unit ${unitTime}, end to end ${e2eTime})`);
  console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(failedSteps.length > 0 ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
