import type { LogLevel } from 'esbuild';

/** Bundles src/main.ts to `outfile` (default dist/main.js); resolves to the written path. */
export function buildServer(options?: { outfile?: string; logLevel?: LogLevel }): Promise<string>;
