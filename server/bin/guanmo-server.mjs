#!/usr/bin/env node
// `guanmo-server` / `npx guanmo-server`: runs the bundled server (see ../build.mjs).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/main.js', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write('guanmo-server: the server is not built yet. Run: npm run build -w @guanmo/server\n');
  process.exit(1);
}
await import(bundle.href);
