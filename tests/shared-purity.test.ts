/**
 * shared/ is the pure domain core used by the renderer, Electron and the server alike: it may import only
 * itself and a short list of pure, platform-free packages. (Its tsconfig already has no DOM lib and no
 * Node or Electron types, so `npm run typecheck` catches stray globals; this test catches imports.)
 * Test and bench files may use Node: they never ship.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSpecifiers } from './support/import-specifiers';

const sharedDir = path.resolve(__dirname, '..', 'shared');
// pure computation libraries only: schemas, compression, coordinate conversion (no I/O, no globals)
const allowedPackages = new Set(['zod', 'fflate', 'gcoord']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' || entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.(test|bench)\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

function isAllowedInShared(spec: string): boolean {
  if (spec.startsWith('./') || spec.startsWith('../')) return true;
  if (spec.startsWith('@shared/')) return true;
  const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
  return allowedPackages.has(pkg);
}

describe('shared/ purity', () => {
  it('recognises forbidden imports', () => {
    const src = `import fs from 'node:fs';\nimport { app } from "electron";\nimport {z} from 'zod';\nconst r = require('path');\nexport * from './x';`;
    const specs = importSpecifiers(src);
    expect(specs.sort()).toEqual(['./x', 'electron', 'node:fs', 'path', 'zod']);
    expect(specs.filter((s) => !isAllowedInShared(s)).sort()).toEqual(['electron', 'node:fs', 'path']);
  });

  it('imports nothing from Node, the DOM, Electron or UI libraries', () => {
    const files = sourceFiles(sharedDir);
    expect(files.length).toBeGreaterThan(0);
    const offences = files.flatMap((file) =>
      importSpecifiers(readFileSync(file, 'utf8'))
        .filter((spec) => !isAllowedInShared(spec))
        .map((spec) => `${path.relative(sharedDir, file)} imports '${spec}'`),
    );
    expect(offences).toEqual([]);
  });

  it('relative imports never leave shared/', () => {
    const escapes = sourceFiles(sharedDir).flatMap((file) =>
      importSpecifiers(readFileSync(file, 'utf8'))
        .filter((spec) => spec.startsWith('.'))
        .filter((spec) => !path.resolve(path.dirname(file), spec).startsWith(sharedDir))
        .map((spec) => `${path.relative(sharedDir, file)} imports '${spec}'`),
    );
    expect(escapes).toEqual([]);
  });
});
