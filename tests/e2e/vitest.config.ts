import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const repoDir = fileURLToPath(new URL('../..', import.meta.url));

// Each run serves its own renderer build (see helpers/paths.ts). Set here, before the global
// setup and the test forks start, so both see the same folder; the global teardown removes it.
// GUANMO_E2E_SKIP_BUILD=1 keeps using dist/renderer so iterating needs no rebuild.
if (!process.env.GUANMO_E2E_RENDERER_DIR && process.env.GUANMO_E2E_SKIP_BUILD !== '1') {
  process.env.GUANMO_E2E_RENDERER_DIR = path.join(repoDir, 'dist', `e2e-renderer-${process.pid}`);
}

/**
 * Chromium end-to-end suites: `npx vitest run --config tests/e2e/vitest.config.ts`.
 * The global setup builds the renderer once and starts the real sync server in-process; every
 * suite drives the served app in a fresh headless Chromium profile. One fork, one file at a
 * time: the machine has two cores and Chromium needs them.
 */
export default defineConfig({
  root: repoDir,
  resolve: { alias: { '@shared': fileURLToPath(new URL('../../shared', import.meta.url)) } },
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['tests/e2e/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
    // One retry: a real Chromium on a shared 2-core machine occasionally misses a 30 s wait under
    // load. A broken feature fails both tries; the retry never hides it.
    retry: 1,
  },
});
