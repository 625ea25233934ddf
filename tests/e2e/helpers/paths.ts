import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoDir = fileURLToPath(new URL('../../..', import.meta.url));
export const rendererDistDir = path.join(repoDir, 'dist', 'renderer');
export const demoDir = path.join(repoDir, 'assets', 'demo');
/** screenshots and other artefacts of a run (git-ignored) */
export const artefactsDir = path.join(repoDir, 'tests', '.tmp');
