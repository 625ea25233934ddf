import { join, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInside, resolveAppPath } from './resolve-app-path';

const root = join(sep, 'opt', 'guanmo', 'dist', 'renderer');

function fileOf(url: string): string {
  const r = resolveAppPath(url, root);
  if (r.kind !== 'file') throw new Error(`expected a file for ${url}, got ${r.status} ${r.reason}`);
  return r.filePath;
}

describe('resolveAppPath', () => {
  it('maps app://guanmo paths into the renderer folder', () => {
    expect(fileOf('app://guanmo/index.html')).toBe(join(root, 'index.html'));
    expect(fileOf('app://guanmo/assets/index-abc123.js')).toBe(join(root, 'assets', 'index-abc123.js'));
    expect(fileOf('app://guanmo/assets/a.js?v=1#x')).toBe(join(root, 'assets', 'a.js'));
  });

  it('serves index.html for the bare origin', () => {
    expect(fileOf('app://guanmo')).toBe(join(root, 'index.html'));
    expect(fileOf('app://guanmo/')).toBe(join(root, 'index.html'));
  });

  it('decodes percent-encoded names once (Chinese file names)', () => {
    expect(fileOf('app://guanmo/assets/%E8%A7%82%E6%91%A9.png')).toBe(join(root, 'assets', '观摩.png'));
    // double encoding stays a literal name, never a second decoding round
    expect(fileOf('app://guanmo/%252e%252e/x')).toBe(join(root, '%2e%2e', 'x'));
  });

  it('never leaves the root through dot segments, encoded or not', () => {
    const attempts = [
      'app://guanmo/../../etc/passwd',
      'app://guanmo/assets/../../../etc/passwd',
      'app://guanmo/%2e%2e/%2e%2e/etc/passwd',
      'app://guanmo/%2E%2E/secret',
      'app://guanmo/.%2e/secret',
      'app://guanmo/assets/..%2f..%2f..%2fetc%2fpasswd',
      'app://guanmo/assets/%2e%2e%2f%2e%2e%2fetc/passwd',
      'app://guanmo/..%5c..%5cwindows%5cwin.ini',
      'app://guanmo/assets\\..\\..\\secret',
      'app://guanmo/C:%5cwindows%5cwin.ini',
      'app://guanmo/a%00.js',
    ];
    for (const url of attempts) {
      const r = resolveAppPath(url, root);
      if (r.kind === 'file') expect(isInside(root, r.filePath), url).toBe(true);
      else expect([400, 403, 404], url).toContain(r.status);
    }
    // the ones that decode to a separator or dot segment inside a segment are refused outright
    expect(resolveAppPath('app://guanmo/assets/..%2f..%2fetc', root)).toMatchObject({ kind: 'reject', status: 403 });
    expect(resolveAppPath('app://guanmo/..%5csecret', root)).toMatchObject({ kind: 'reject', status: 403 });
    expect(resolveAppPath('app://guanmo/a%00.js', root)).toMatchObject({ kind: 'reject', status: 403 });
  });

  it('refuses other origins and malformed URLs', () => {
    expect(resolveAppPath('app://evil/index.html', root)).toMatchObject({ kind: 'reject', status: 404 });
    expect(resolveAppPath('app://guanmo:8080/index.html', root)).toMatchObject({ kind: 'reject', status: 404 });
    expect(resolveAppPath('https://guanmo/index.html', root)).toMatchObject({ kind: 'reject', status: 404 });
    expect(resolveAppPath('file:///etc/passwd', root)).toMatchObject({ kind: 'reject' });
    expect(resolveAppPath('app://user:pw@guanmo/index.html', root)).toMatchObject({ kind: 'reject', status: 400 });
    expect(resolveAppPath('app://guanmo/%E0%A4%A', root)).toMatchObject({ kind: 'reject', status: 400 });
    expect(resolveAppPath('not a url', root)).toMatchObject({ kind: 'reject', status: 400 });
  });

  it('stays inside the root for any path (property)', () => {
    const segment = fc.oneof(
      fc.constantFrom('..', '.', '%2e%2e', '%2E.', '%2f', '%5c', '%00', 'a', 'assets', '观摩', '%', '%zz', ':', 'C:'),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (segments) => {
        const r = resolveAppPath(`app://guanmo/${segments.join('/')}`, root);
        return r.kind === 'reject' || isInside(root, r.filePath);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isInside', () => {
  it('tells children from siblings with a common prefix', () => {
    expect(isInside(root, root)).toBe(true);
    expect(isInside(root, join(root, 'a', 'b'))).toBe(true);
    expect(isInside(root, `${root}-evil${sep}x`)).toBe(false);
    expect(isInside(root, join(root, '..', 'x'))).toBe(false);
  });
});
