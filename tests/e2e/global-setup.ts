import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startServer } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { buildRenderer } from './helpers/build-renderer';
import { chromiumPath } from './helpers/chromium';
import { rendererDistDir } from './helpers/paths';
import './helpers/provided';

/**
 * Once per run: build the renderer, then start the real sync server in-process on a free port
 * with an empty data folder and the demo tours, serving that build. Every e2e file gets its
 * URL through `inject('baseUrl')`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await fs.access(chromiumPath).catch(() => {
    throw new Error(`Chromium not found at ${chromiumPath} (set CHROMIUM_PATH)`);
  });
  await buildRenderer();

  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-e2e-data-'));
  const config = loadConfig({
    GUANMO_DATA_DIR: dataDir,
    GUANMO_PORT: '0',
    GUANMO_STATIC_DIR: rendererDistDir,
    GUANMO_DEMO: '1',
    GUANMO_ADMIN_PASSWORD: 'e2e-admin-password',
    GUANMO_LOG_LEVEL: 'warn',
  });
  // the first start prints the created accounts and passwords: not wanted in test output
  const server = await startServer(config, { output: () => {} });
  project.provide('baseUrl', server.url);

  return async () => {
    await server.close();
    await fs.rm(dataDir, { recursive: true, force: true });
    // a per-run build (helpers/paths.ts) is this run's alone
    if (process.env.GUANMO_E2E_RENDERER_DIR === rendererDistDir && rendererDistDir.includes('e2e-renderer-')) {
      await fs.rm(rendererDistDir, { recursive: true, force: true });
    }
  };
}
