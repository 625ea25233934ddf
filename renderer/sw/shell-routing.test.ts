import { describe, expect, it } from 'vitest';
import { appShellRequestKind, cacheNameFor, isOwnCache } from './shell-routing';

const scope = new URL('http://127.0.0.1:8787/');
const req = (url: string, mode = 'no-cors', method = 'GET') => ({ url, mode, method });

describe('service worker routing', () => {
  it('answers page loads in scope with the app shell', () => {
    expect(appShellRequestKind(req('http://127.0.0.1:8787/', 'navigate'), scope)).toBe('navigation');
    expect(appShellRequestKind(req('http://127.0.0.1:8787/index.html?x=1', 'navigate'), scope)).toBe('navigation');
  });
  it('serves our own files cache-first', () => {
    expect(appShellRequestKind(req('http://127.0.0.1:8787/assets/index-abc.js', 'cors'), scope)).toBe('asset');
  });
  it('never touches the API, other origins, writes or the worker script itself', () => {
    expect(appShellRequestKind(req('http://127.0.0.1:8787/api/sync/pull?cursor=1', 'cors'), scope)).toBe('network');
    expect(appShellRequestKind(req('http://127.0.0.1:8787/api', 'navigate'), scope)).toBe('network');
    expect(appShellRequestKind(req('http://127.0.0.1:8787/assets/x.js', 'cors', 'POST'), scope)).toBe('network');
    expect(appShellRequestKind(req('https://tile.example.org/1/2/3.png'), scope)).toBe('network');
    expect(appShellRequestKind(req('http://127.0.0.1:8787/sw.js'), scope)).toBe('network');
  });
  it('respects a sub-path scope', () => {
    const sub = new URL('https://gov.example.cn/guanmo/');
    expect(appShellRequestKind(req('https://gov.example.cn/guanmo/api/health', 'cors'), sub)).toBe('network');
    expect(appShellRequestKind(req('https://gov.example.cn/other/app.js', 'cors'), sub)).toBe('network');
    expect(appShellRequestKind(req('https://gov.example.cn/guanmo/assets/a.css', 'cors'), sub)).toBe('asset');
  });
  it('names caches so old builds can be told apart and deleted', () => {
    expect(isOwnCache(cacheNameFor('abc'))).toBe(true);
    expect(isOwnCache('someone-else')).toBe(false);
  });
});
