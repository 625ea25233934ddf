import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkElectronRuntime, platformExecutablePath } from './launch-check.mjs';

let project: string;
let electronDir: string;

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'guanmo-launch-'));
  await writeFile(join(project, 'package.json'), '{"name":"p"}');
  electronDir = join(project, 'node_modules', 'electron');
  await mkdir(electronDir, { recursive: true });
  await writeFile(join(electronDir, 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1' }));
  // index.js would download the runtime if it were ever required: make that loud.
  await writeFile(join(electronDir, 'index.js'), 'throw new Error("launch-check must never require electron")');
});

afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

async function installRuntime(version = '45.4.1') {
  await mkdir(join(electronDir, 'dist'), { recursive: true });
  await writeFile(join(electronDir, 'path.txt'), 'electron');
  await writeFile(join(electronDir, 'dist', 'version'), `v${version}`);
  const exe = join(electronDir, 'dist', 'electron');
  await writeFile(exe, '#!/bin/sh\n');
  await chmod(exe, 0o755);
  return exe;
}

const check = (env: Record<string, string | undefined> = {}) =>
  checkElectronRuntime({ projectRoot: project, env, platform: 'linux' });

describe('checkElectronRuntime', () => {
  it('reports a runtime that was never downloaded, without downloading it', () => {
    const result = check();
    expect(result.available).toBe(false);
    expect(result.reason).toContain('never downloaded');
    expect(result.reason).toContain('path.txt');
  });

  it('reports a missing electron package', async () => {
    await rm(electronDir, { recursive: true });
    expect(check()).toMatchObject({ available: false, reason: expect.stringContaining('not installed') });
  });

  it('finds an installed runtime', async () => {
    const exe = await installRuntime();
    expect(check()).toMatchObject({ available: true, executablePath: exe, version: '45.4.1' });
  });

  it('refuses an incomplete or mismatched runtime', async () => {
    const exe = await installRuntime('44.0.0');
    expect(check()).toMatchObject({ available: false, reason: expect.stringContaining('Electron 44.0.0') });
    await rm(exe);
    expect(check()).toMatchObject({ available: false, reason: expect.stringContaining('incomplete') });
  });

  it('refuses a runtime file that is not executable', async () => {
    const exe = await installRuntime();
    await chmod(exe, 0o644);
    expect(check()).toMatchObject({ available: false, reason: expect.stringContaining('not an executable') });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH', async () => {
    const dist = join(project, 'custom-electron');
    await mkdir(dist);
    expect(check({ ELECTRON_OVERRIDE_DIST_PATH: dist })).toMatchObject({ available: false });
    await writeFile(join(dist, 'electron'), '#!/bin/sh\n');
    await chmod(join(dist, 'electron'), 0o755);
    expect(check({ ELECTRON_OVERRIDE_DIST_PATH: dist })).toMatchObject({
      available: true,
      executablePath: join(dist, 'electron'),
    });
  });

  it('knows the executable name per platform', () => {
    expect(platformExecutablePath('linux')).toBe('electron');
    expect(platformExecutablePath('win32')).toBe('electron.exe');
    expect(platformExecutablePath('darwin')).toBe('Electron.app/Contents/MacOS/Electron');
  });

  it('answers for this checkout (informational: the runtime cannot be downloaded on CI)', () => {
    const result = checkElectronRuntime({ projectRoot: join(__dirname, '..') });
    expect(typeof result.reason).toBe('string');
    expect(result.reason.length).toBeGreaterThan(0);
  });
});
