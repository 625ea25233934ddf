import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { SYNC_PROTOCOL_VERSION } from '../shared/sync/protocol-version';
import { serviceWorker } from './sw/vite-plugin';

const rendererDir = fileURLToPath(new URL('.', import.meta.url));
const repoDir = fileURLToPath(new URL('..', import.meta.url));
const appVersion = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Content Security Policy of the built app, as a <meta> so it also holds in a plain browser.
 * Scripts: our own files only (no inline script, no eval). connect-src and img-src stay open to
 * http(s) because the sync server and map tiles live at addresses the user configures; the
 * Electron shell may add a stricter header policy on top (browsers enforce both).
 * Only for builds: Vite's dev server injects an inline React Refresh preamble.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob: https: http:",
  "font-src 'self'",
  "connect-src 'self' https: http:",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function cspMeta(): Plugin {
  const charset = '<meta charset="UTF-8" />';
  const meta = `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}" />`;
  return {
    name: 'guanmo:csp-meta',
    apply: 'build',
    // right after the charset, before any script or stylesheet it must govern
    transformIndexHtml(html) {
      if (!html.includes(charset)) throw new Error(`renderer/index.html must contain ${charset}`);
      return html.replace(charset, `${charset}\n    ${meta}`);
    },
  };
}

/**
 * The favicon as a data: URL in index.html. Chromium fetches the icon again on every in-app
 * navigation; as a separate file that fetch fails while offline (before a service worker
 * exists), as a data: URL it never touches the network.
 */
function inlineFavicon(): Plugin {
  const href = '../assets/icons/guanmo.svg';
  const svg = readFileSync(new URL('../assets/icons/guanmo.svg', import.meta.url));
  const dataUrl = `data:image/svg+xml;base64,${svg.toString('base64')}`;
  return {
    name: 'guanmo:inline-favicon',
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        if (!html.includes(`href="${href}"`)) throw new Error(`renderer/index.html must link the icon ${href}`);
        return html.replace(`href="${href}"`, `href="${dataUrl}"`);
      },
    },
  };
}

// One build serves Electron (app://) and the sync server (at /): relative asset URLs, hash routing.
export default defineConfig({
  root: rendererDir,
  base: './',
  plugins: [react(), inlineFavicon(), cspMeta(), serviceWorker()],
  resolve: { alias: { '@shared': fileURLToPath(new URL('../shared', import.meta.url)) } },
  define: {
    __APP_VERSION__: JSON.stringify(appVersion),
    // the sync protocol of this build, as a stamp that survives minification (src/sync/app-protocol.ts)
    __GUANMO_SYNC_PROTOCOL_STAMP__: JSON.stringify(`guanmo-sync-protocol=${SYNC_PROTOCOL_VERSION}`),
  },
  // The demo tables are bundled from ../assets/demo with `?raw` imports.
  server: { fs: { allow: [repoDir] } },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // maps beside the build for whoever debugs it locally, but no sourceMappingURL in the files:
    // browsers never ask for them, and the sync server refuses to serve them (static-site.ts)
    sourcemap: 'hidden',
    // the app is loaded from disk or the LAN, never a slow mobile link: one warning threshold is enough
    chunkSizeWarningLimit: 1024,
  },
});
