import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoDir = fileURLToPath(new URL('../../..', import.meta.url));
/**
 * The renderer build the e2e suites and benches serve. An e2e run and `npm run bench:desk` each
 * build their own copy (GUANMO_E2E_RENDERER_DIR, set by the e2e vitest config and the bench's npm
 * script; relative to the repository) so that two runs on one machine never rebuild files the
 * other is serving; otherwise it is `npm run build:renderer`'s.
 */
export const rendererDistDir = process.env.GUANMO_E2E_RENDERER_DIR
  ? path.resolve(repoDir, process.env.GUANMO_E2E_RENDERER_DIR)
  : path.join(repoDir, 'dist', 'renderer');
export const demoDir = path.join(repoDir, 'assets', 'demo');
/** screenshots and other artefacts of a run (git-ignored) */
export const artefactsDir = path.join(repoDir, 'tests', '.tmp');
