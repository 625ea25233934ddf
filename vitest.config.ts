import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = { '@shared': fileURLToPath(new URL('./shared', import.meta.url)) };

// Unit and integration suites. The Chromium end-to-end suites live in tests/e2e and are run by
// scripts/test.mjs with their own config, so that `vitest run` alone stays fast.
export default defineConfig({
  resolve: { alias },
  test: {
    include: ['{shared,renderer,electron,server,tests}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', '**/dist/**', 'tests/e2e/**'],
    environment: 'node',
    // Two files at a time even on two cores (vitest's default there is one): most files wait on
    // PostgreSQL, child processes and sockets, so the second worker nearly halves the run. Every
    // server test gets its own database and port, so files never share state.
    maxWorkers: 2,
    testTimeout: 20_000,
  },
});
