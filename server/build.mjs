// Bundles the server (src/main.ts and the shared/ code it imports) into dist/main.js, and the
// table import worker (src/tours/table-worker.ts) beside it into dist/table-worker.js.
// npm packages stay external: they are installed next to the server (package.json), and native
// ones (better-sqlite3, argon2) cannot be bundled anyway.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const serverDir = fileURLToPath(new URL('.', import.meta.url));

/** @param {{ outfile?: string, logLevel?: import('esbuild').LogLevel }} [options] */
export async function buildServer(options = {}) {
  const outfile = options.outfile ?? fileURLToPath(new URL('./dist/main.js', import.meta.url));
  const common = {
    absWorkingDir: serverDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    alias: { '@shared': fileURLToPath(new URL('../shared', import.meta.url)) },
    sourcemap: true,
    legalComments: 'none',
    logLevel: options.logLevel ?? 'info',
  };
  await build({ ...common, entryPoints: ['src/main.ts'], outfile });
  // main.js starts it as new URL('./table-worker.js', import.meta.url) (tours/table-reader.ts)
  await build({ ...common, entryPoints: ['src/tours/table-worker.ts'], outfile: path.join(path.dirname(outfile), 'table-worker.js') });
  return outfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildServer();
}
