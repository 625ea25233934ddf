import { describe, expect, it } from 'vitest';
import { resolveTileSources } from '../config/tile-sources';
import { buildContentSecurityPolicy, parseContentSecurityPolicy } from './csp';

const csp = parseContentSecurityPolicy(
  buildContentSecurityPolicy({
    serverOrigin: 'http://127.0.0.1:8787',
    tileSources: ['https://tile.openstreetmap.org', 'https://*.tianditu.gov.cn'],
  }),
);

describe('Content-Security-Policy', () => {
  it("defaults to 'self'", () => {
    expect(csp.get('default-src')).toEqual(["'self'"]);
  });

  it('allows only our own scripts: no eval, no inline, no foreign hosts', () => {
    expect(csp.get('script-src')).toEqual(["'self'"]);
    const all = [...csp.values()].flat();
    expect(all).not.toContain("'unsafe-eval'");
    expect(all).not.toContain("'wasm-unsafe-eval'");
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('connects only to itself and the sync server', () => {
    expect(csp.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:8787']);
  });

  it('shows images from itself, data:, blob:, the tile servers and the sync server', () => {
    expect(csp.get('img-src')).toEqual([
      "'self'",
      'data:',
      'blob:',
      'http://127.0.0.1:8787',
      'https://tile.openstreetmap.org',
      'https://*.tianditu.gov.cn',
    ]);
  });

  it('shuts plugins, frames, forms and base-URI changes', () => {
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
  });

  it('has no wildcard source except tile subdomains', () => {
    for (const [name, values] of csp) {
      for (const value of values) {
        if (value.includes('*')) expect(`${name} ${value}`).toBe('img-src https://*.tianditu.gov.cn');
      }
      expect(values, name).not.toContain('http:');
      expect(values, name).not.toContain('https:');
    }
  });

  it('follows the configured server', () => {
    const other = parseContentSecurityPolicy(
      buildContentSecurityPolicy({ serverOrigin: 'https://guanmo.example.cn', tileSources: [] }),
    );
    expect(other.get('connect-src')).toEqual(["'self'", 'https://guanmo.example.cn']);
    expect(other.get('img-src')).toEqual(["'self'", 'data:', 'blob:', 'https://guanmo.example.cn']);
  });

  it('refuses source expressions that would inject directives', () => {
    for (const serverOrigin of ["http://a.b; script-src 'unsafe-eval'", 'http://a.b/path', "'unsafe-inline'", '*', 'http://a b']) {
      expect(() => buildContentSecurityPolicy({ serverOrigin, tileSources: [] }), serverOrigin).toThrow(/unsafe CSP source/);
    }
    expect(() =>
      buildContentSecurityPolicy({ serverOrigin: 'http://127.0.0.1:8787', tileSources: ['https://x.org; img-src *'] }),
    ).toThrow();
  });

  it('works with the default tile configuration', () => {
    const header = buildContentSecurityPolicy({
      serverOrigin: 'http://127.0.0.1:8787',
      tileSources: resolveTileSources(undefined),
    });
    expect(parseContentSecurityPolicy(header).get('img-src')).toContain('https://tile.openstreetmap.org');
  });
});
