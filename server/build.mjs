// Bundles the server (src/main.ts and the shared/ code it imports) into dist/main.js.
// npm packages stay external: they are installed next to the server (package.json), and native
// ones (better-sqlite3, argon2) cannot be bundled anyway.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const serverDir = fileURLToPath(new URL('.', import.meta.url));

/** @param {{ outfile?: string, logLevel?: import('esbuild').LogLevel }} [options] */
export async function buildServer(options = {}) {
  const outfile = options.outfile ?? fileURLToPath(new URL('./dist/main.js', import.meta.url));
  await build({
    absWorkingDir: serverDir,
    entryPoints: ['src/main.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    alias: { '@shared': fileURLToPath(new URL('../shared', import.meta.url)) },
    sourcemap: true,
    legalComments: 'none',
    logLevel: options.logLevel ?? 'info',
  });
  return outfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildServer();
}
