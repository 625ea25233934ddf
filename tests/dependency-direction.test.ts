/**
 * Dependencies point one way: electron/, renderer/ and server/ may import shared/, never each other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSpecifiers } from './support/import-specifiers';

const root = path.resolve(__dirname, '..');
const parts = ['electron', 'renderer', 'server'] as const;

function sourceFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'dist'].includes(entry.name) ? [] : sourceFiles(full);
    return /\.(tsx?|mjs|cjs|js)$/.test(entry.name) ? [full] : [];
  });
}

describe('dependency direction', () => {
  for (const part of parts) {
    it(`${part}/ imports no other process's code`, () => {
      const others = parts.filter((p) => p !== part).map((p) => path.join(root, p) + path.sep);
      const offences = sourceFiles(path.join(root, part)).flatMap((file) =>
        importSpecifiers(readFileSync(file, 'utf8'))
          .filter((spec) => spec.startsWith('.'))
          .filter((spec) => others.some((o) => path.resolve(path.dirname(file), spec).startsWith(o)))
          .map((spec) => `${path.relative(root, file)} imports '${spec}'`),
      );
      expect(offences).toEqual([]);
    });
  }
});
