/**
 * Bundles the bench page (page/bench-page.ts: the app's db, repositories and sync engine) with
 * esbuild into a folder the Guanmo server serves as its static site: index.html + one ES module.
 * A production build (minified, no dev-only code paths), as the app ships.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoDir = path.resolve(here, '../../..');

/** A page that only loads its bundled module. */
const pageHtml = (title: string, script: string) => `<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="UTF-8" />
    <title>${title}</title>
    <script type="module" src="./${script}"></script>
  </head>
  <body></body>
</html>
`;

/**
 * Builds the pages into a new temporary folder; returns it (the caller removes it): index.html
 * (Guanmo, served by the Guanmo server) and pouch.html (the PouchDB peer's browser client, page/
 * pouch-page.ts, served by express-pouchdb).
 */
export async function buildBenchPage(): Promise<string> {
  const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-sync-bench-page-'));
  try {
    await build({
      entryPoints: [path.join(here, 'page', 'bench-page.ts'), path.join(here, 'page', 'pouch-page.ts')],
      outdir: outDir,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      sourcemap: false,
      logLevel: 'warning',
      alias: { '@shared': path.join(repoDir, 'shared') },
      // PouchDB's browser build and its dependencies expect a `global`
      define: { 'process.env.NODE_ENV': '"production"', 'import.meta.env.PROD': 'true', 'import.meta.env.DEV': 'false', global: 'globalThis' },
    });
    await fs.writeFile(path.join(outDir, 'index.html'), pageHtml('Guanmo sync bench', 'bench-page.js'));
    await fs.writeFile(path.join(outDir, 'pouch.html'), pageHtml('PouchDB sync bench', 'pouch-page.js'));
    return outDir;
  } catch (error) {
    await fs.rm(outDir, { recursive: true, force: true });
    throw error;
  }
}
