import type { BuildOptions } from 'esbuild';

export const projectRoot: string;
export const defaultOutDir: string;
export function bundleOptions(options?: { dev?: boolean }): BuildOptions;
export function requiredModules(code: string): string[];
export function buildElectron(options?: {
  outDir?: string;
  dev?: boolean;
}): Promise<{ outDir: string; files: Array<{ file: string; bytes: number }> }>;
