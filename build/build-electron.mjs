#!/usr/bin/env node
/**
 * Bundles the Electron main process and preload:
 *   electron/main.ts    → dist/electron/main.cjs
 *   electron/preload.ts → dist/electron/preload.cjs
 * CommonJS for Node/Electron, `electron` left external, `@shared/*` resolved to shared/.
 * Everything else (zod …) is bundled, so the packaged app needs no node_modules at all.
 *
 * The preload runs sandboxed, where `require` only knows a few Electron-provided modules:
 * the build fails if the preload bundle requires anything but 'electron'.
 *
 * Usage: node build/build-electron.mjs [--dev]   (--dev: inline source maps with sources)
 */
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const defaultOutDir = join(projectRoot, 'dist', 'electron');

// Electron 45 ships Node 22.
const TARGET = 'node22';

/** @returns {import('esbuild').BuildOptions} */
export function bundleOptions({ dev = false } = {}) {
  return {
    absWorkingDir: projectRoot,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: TARGET,
    external: ['electron'],
    alias: { '@shared': './shared' },
    tsconfig: join(projectRoot, 'electron', 'tsconfig.json'),
    sourcemap: dev ? 'inline' : 'linked',
    sourcesContent: dev,
    minify: false,
    keepNames: true,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    define: { 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production') },
  };
}

/** Module names passed to require() in a bundle (only externals survive bundling). */
export function requiredModules(code) {
  return [...new Set([...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]))];
}

/**
 * @param {{ outDir?: string, dev?: boolean }} [options]
 * @returns {Promise<{ outDir: string, files: Array<{ file: string, bytes: number }> }>}
 */
export async function buildElectron({ outDir = defaultOutDir, dev = false } = {}) {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });

  const common = bundleOptions({ dev });
  const results = await Promise.all(
    ['main', 'preload'].map((name) =>
      esbuild.build({
        ...common,
        entryPoints: [join(projectRoot, 'electron', `${name}.ts`)],
        outfile: join(outDir, `${name}.cjs`),
      }),
    ),
  );

  const preloadRequires = requiredModules(await readFile(join(outDir, 'preload.cjs'), 'utf8'));
  const forbidden = preloadRequires.filter((name) => name !== 'electron');
  if (forbidden.length > 0) {
    throw new Error(`the sandboxed preload may only require 'electron', but requires: ${forbidden.join(', ')}`);
  }

  // Window icon for Linux (Windows and macOS take it from the executable).
  const icon = join(projectRoot, 'assets', 'icons', 'png', '256x256.png');
  if (existsSync(icon)) await copyFile(icon, join(outDir, 'icon.png'));

  const files = results.flatMap((r) =>
    Object.entries(r.metafile.outputs)
      .filter(([file]) => file.endsWith('.cjs'))
      .map(([file, output]) => ({ file: join(projectRoot, file), bytes: output.bytes })),
  );
  return { outDir, files };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  buildElectron({ dev: process.argv.includes('--dev') })
    .then(({ files }) => {
      for (const { file, bytes } of files) console.log(`${relative(projectRoot, file)}  ${(bytes / 1024).toFixed(1)} KiB`);
      console.log(`electron bundles built in ${Date.now() - started} ms`);
    })
    .catch((error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
