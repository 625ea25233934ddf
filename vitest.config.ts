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
    testTimeout: 20_000,
  },
});
