import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from './app-protocol-handler';

const CSP = "default-src 'self'; script-src 'self'";
let base: string;
let root: string;
let handle: (request: Request) => Promise<Response>;
const logged: string[] = [];

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'guanmo-protocol-'));
  root = join(base, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>观摩</title>');
  await writeFile(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(join(root, 'assets', 'index-abc.css'), 'body{}');
  await writeFile(join(root, 'assets', 'logo.svg'), '<svg/>');
  await writeFile(join(root, 'assets', 'font.woff2'), new Uint8Array([0x77, 0x4f, 0x46, 0x32]));
  await writeFile(join(root, 'assets', 'data.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d]));
  await writeFile(join(root, 'assets', 'weird.xyz'), 'x');
  await writeFile(join(base, 'secret.txt'), 'top secret');
  // a symlink inside the renderer folder that points outside it
  await symlink(join(base, 'secret.txt'), join(root, 'assets', 'leak.js'));
  handle = createAppProtocolHandler({ root, getContentSecurityPolicy: () => CSP, log: (m) => logged.push(m) });
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const get = (path: string, method = 'GET') => handle(new Request(`app://guanmo${path}`, { method }));

describe('app:// protocol handler', () => {
  it('serves files with the right content types', async () => {
    const cases: Array<[string, string]> = [
      ['/index.html', 'text/html; charset=utf-8'],
      ['/assets/index-abc.js', 'text/javascript; charset=utf-8'],
      ['/assets/index-abc.css', 'text/css; charset=utf-8'],
      ['/assets/logo.svg', 'image/svg+xml'],
      ['/assets/font.woff2', 'font/woff2'],
      ['/assets/data.wasm', 'application/wasm'],
      ['/assets/weird.xyz', 'application/octet-stream'],
    ];
    for (const [path, type] of cases) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe(type);
    }
    expect(await (await get('/assets/index-abc.js')).text()).toBe('console.log(1)');
  });

  it('puts the CSP and nosniff on every response, errors included', async () => {
    for (const path of ['/index.html', '/assets/missing.js', '/%2e%2e%2fsecret.txt', '/tours/t1']) {
      const res = await get(path);
      expect(res.headers.get('content-security-policy'), path).toBe(CSP);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    const post = await get('/index.html', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('content-security-policy')).toBe(CSP);
  });

  it('falls back to index.html for app routes and folders', async () => {
    for (const path of ['/', '/tours/t-1', '/tours/t-1.2/stops', '/assets', '/assets/']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      expect(await res.text(), path).toContain('<title>观摩</title>');
    }
  });

  it('answers 404 for a missing asset instead of HTML', async () => {
    for (const path of ['/assets/missing.js', '/assets/missing.css', '/favicon.ico', '/assets/index-abc.js.map']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toBe('text/plain; charset=utf-8');
    }
  });

  it('refuses traversal, also through encodings and symlinks', async () => {
    for (const path of ['/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/assets/leak.js']) {
      const res = await get(path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(await res.text(), path).not.toContain('top secret');
    }
    expect(logged.some((m) => m.includes('outside the renderer folder'))).toBe(true);
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('/assets/index-abc.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('14');
    expect(await head.text()).toBe('');
    const put = await get('/index.html', 'PUT');
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD');
  });

  it('refuses requests for another host', async () => {
    const res = await handle(new Request('app://other/index.html'));
    expect(res.status).toBe(404);
  });

  it('says so when the renderer is not built', async () => {
    const empty = createAppProtocolHandler({ root: join(base, 'nothing-here'), getContentSecurityPolicy: () => CSP });
    const res = await empty(new Request('app://guanmo/'));
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('npm run build:renderer');
  });

  it('builds the CSP per response (the server setting can change)', async () => {
    let csp = "default-src 'self'";
    const h = createAppProtocolHandler({ root, getContentSecurityPolicy: () => csp });
    expect((await h(new Request('app://guanmo/'))).headers.get('content-security-policy')).toBe(csp);
    csp = "default-src 'none'";
    expect((await h(new Request('app://guanmo/'))).headers.get('content-security-policy')).toBe("default-src 'none'");
  });
});
