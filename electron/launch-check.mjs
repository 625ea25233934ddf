/**
 * Can `npm start` launch Electron here? Answers without ever triggering the runtime download.
 *
 * Why not `require('electron')`: the electron package's index.js downloads the runtime (from
 * GitHub) when path.txt or the binary is missing, synchronously, inheriting stdio — offline
 * that hangs or fails slowly. Electron 45's layout, read from node_modules/electron:
 *   - install.js downloads the zip into dist/ and writes path.txt (the executable's path
 *     relative to dist/: "electron", "electron.exe" or "Electron.app/Contents/MacOS/Electron");
 *   - dist/version holds the runtime version (install.js compares it with package.json);
 *   - ELECTRON_OVERRIDE_DIST_PATH points at a runtime folder elsewhere (index.js honours it).
 * This module reads those files and nothing else.
 *
 * Plain ESM JavaScript so that scripts/start.mjs can import it without a TypeScript step;
 * types in launch-check.d.mts.
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The executable's path inside the runtime folder, as install.js names it. */
export function platformExecutablePath(platform = process.platform) {
  switch (platform) {
    case 'darwin':
    case 'mas':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'win32':
      return 'electron.exe';
    default:
      return 'electron';
  }
}

function readText(file) {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

function isRunnableFile(file, platform) {
  try {
    if (!statSync(file).isFile()) return false;
    if (platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const HOW_TO_INSTALL =
  'Install it where the Electron download server is reachable ("npx install-electron"), ' +
  'or point ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron runtime folder.';

/**
 * @param {{ projectRoot?: string, env?: Record<string, string | undefined>, platform?: string }} [options]
 * @returns {import('./launch-check.d.mts').ElectronRuntimeCheck}
 */
export function checkElectronRuntime(options = {}) {
  const projectRoot = options.projectRoot ?? process.cwd();
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;

  let packageDir;
  try {
    const require = createRequire(join(projectRoot, 'package.json'));
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { available: false, reason: 'the electron package is not installed (run npm install)' };
  }

  let version = null;
  try {
    version = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version ?? null;
  } catch {
    return { available: false, reason: `cannot read ${join(packageDir, 'package.json')}` };
  }
  const label = `Electron ${version ?? '(unknown version)'}`;
  const relativeExecutable = readText(join(packageDir, 'path.txt'));

  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const executablePath = join(override, relativeExecutable || platformExecutablePath(platform));
    return isRunnableFile(executablePath, platform)
      ? { available: true, reason: `${label} runtime from ELECTRON_OVERRIDE_DIST_PATH`, executablePath, version }
      : {
          available: false,
          reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${executablePath} is not an executable file`,
        };
  }

  if (relativeExecutable === null || relativeExecutable === '') {
    return {
      available: false,
      reason: `the ${label} runtime was never downloaded (${join(packageDir, 'path.txt')} is missing). ${HOW_TO_INSTALL}`,
    };
  }
  const distDir = join(packageDir, 'dist');
  const executablePath = join(distDir, relativeExecutable);
  if (!existsSync(executablePath)) {
    return {
      available: false,
      reason: `the ${label} runtime is incomplete (${executablePath} is missing). ${HOW_TO_INSTALL}`,
    };
  }
  if (!isRunnableFile(executablePath, platform)) {
    return { available: false, reason: `${executablePath} is not an executable file` };
  }
  const distVersion = readText(join(distDir, 'version'))?.replace(/^v/, '') ?? null;
  if (version !== null && distVersion !== null && distVersion !== version) {
    return {
      available: false,
      reason: `the downloaded runtime is Electron ${distVersion} but the package is ${version}. ${HOW_TO_INSTALL}`,
    };
  }
  return { available: true, reason: `${label} runtime at ${executablePath}`, executablePath, version };
}
