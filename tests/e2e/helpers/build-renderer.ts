import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { rendererDistDir, repoDir } from './paths';

/**
 * `vite build` of the renderer, as `npm run build:renderer` does, in a child process with a
 * clean NODE_ENV (vitest sets it to 'test', which would bundle React's development build).
 * GUANMO_E2E_SKIP_BUILD=1 reuses an existing build when iterating on tests.
 */
export async function buildRenderer(): Promise<void> {
  if (process.env.GUANMO_E2E_SKIP_BUILD === '1' && fs.existsSync(path.join(rendererDistDir, 'index.html'))) return;
  const env = { ...process.env };
  delete env.NODE_ENV;
  delete env.VITEST;
  const vite = path.join(repoDir, 'node_modules', 'vite', 'bin', 'vite.js');
  const child = spawn(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--outDir', rendererDistDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: repoDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`vite build of the renderer failed (exit ${code}):\n${output}`);
}
