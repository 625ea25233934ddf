import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoDir = fileURLToPath(new URL('../../..', import.meta.url));
/**
 * The renderer build the e2e suites and benches serve. An e2e run builds its own copy (the e2e
 * vitest config sets GUANMO_E2E_RENDERER_DIR to a folder of its own) so that two runs on one
 * machine never rebuild files the other is serving; otherwise it is `npm run build:renderer`'s.
 */
export const rendererDistDir = process.env.GUANMO_E2E_RENDERER_DIR ?? path.join(repoDir, 'dist', 'renderer');
export const demoDir = path.join(repoDir, 'assets', 'demo');
/** screenshots and other artefacts of a run (git-ignored) */
export const artefactsDir = path.join(repoDir, 'tests', '.tmp');
