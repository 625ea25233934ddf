/**
 * Builds renderer/sw/service-worker.ts into dist/renderer/sw.js with the list of files to
 * precache (everything the build emitted except source maps) and a version derived from their
 * names and index.html, so every build with different output gets a new worker and cache.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Plugin } from 'vite';

export function serviceWorker(): Plugin {
  return {
    name: 'guanmo:service-worker',
    apply: 'build',
    // after Vite's own html plugin, so index.html is part of the bundle we list
    enforce: 'post',
    async generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((f) => !f.endsWith('.map'))
        .sort();
      const hash = createHash('sha256');
      for (const f of files) {
        const item = bundle[f]!;
        hash.update(f);
        // hashed asset names already encode their content; index.html does not
        if (f === 'index.html' && item.type === 'asset') hash.update(item.source);
      }
      if (!files.includes('index.html')) this.error('service worker: index.html is not in the bundle');
      const version = hash.digest('hex').slice(0, 16);
      const result = await build({
        entryPoints: [fileURLToPath(new URL('./service-worker.ts', import.meta.url))],
        bundle: true,
        write: false,
        format: 'iife',
        target: 'es2022',
        minify: true,
        define: { __GUANMO_PRECACHE__: JSON.stringify({ version, files }) },
      });
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: result.outputFiles[0]!.text });
    },
  };
}
