/**
 * Loads the real main-process bundle (built fresh from these sources) against a recording
 * stand-in for Electron, and checks the wiring: scheme registration before ready, one
 * sandboxed window on app://, the protocol serving the renderer with the CSP, every IPC
 * channel guarded, navigation and permissions policed, single-instance behaviour.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IPC_CHANNELS } from '@shared/ipc/channels';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildElectron } from '../build/build-electron.mjs';
import { parseContentSecurityPolicy } from './security/csp';
import { createFakeElectron, FakeWebContents } from './test-support/fake-electron';

let base: string;
let bundleDir: string;
let appPath: string;

type Fake = ReturnType<typeof createFakeElectron>;

/** Evaluates main.cjs with `require('electron')` answered by the fake. */
function loadMain(fake: Fake): void {
  const mainFile = join(bundleDir, 'main.cjs');
  const moduleWithLoad = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const originalLoad = moduleWithLoad._load;
  moduleWithLoad._load = function (request: string, ...rest: unknown[]) {
    if (request === 'electron') return fake.electron;
    return originalLoad.call(this, request, ...rest);
  };
  try {
    const require = createRequire(mainFile);
    delete require.cache[mainFile];
    require(mainFile);
  } finally {
    moduleWithLoad._load = originalLoad;
  }
}

const trustedEvent = (sender = new FakeWebContents()) => ({
  sender,
  senderFrame: { url: 'app://guanmo/index.html', parent: null },
});

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'guanmo-main-'));
  bundleDir = join(base, 'bundle');
  await buildElectron({ outDir: bundleDir });
  appPath = join(base, 'app');
  await mkdir(join(appPath, 'dist', 'renderer', 'assets'), { recursive: true });
  await writeFile(join(appPath, 'dist', 'renderer', 'index.html'), '<!doctype html><title>观摩</title>');
  await writeFile(join(appPath, 'dist', 'renderer', 'assets', 'app.js'), 'export {}');
}, 60_000);

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('main process (bundle against a stand-in Electron)', () => {
  let fake: Fake;
  const ENV_KEYS = ['GUANMO_SERVER_URL', 'GUANMO_TILE_URL', 'GUANMO_USER_DATA_DIR'] as const;
  const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

  beforeAll(async () => {
    process.env.GUANMO_SERVER_URL = 'http://127.0.0.1:9999/ignored-path';
    process.env.GUANMO_TILE_URL = 'https://t{s}.tianditu.gov.cn/vec_w/wmts';
    process.env.GUANMO_USER_DATA_DIR = join(base, 'profile');
    fake = createFakeElectron({ appPath, userData: join(base, 'profile') });
    loadMain(fake);
    // Before ready: only what must happen early.
    expect(fake.calls).toEqual([
      `setPath userData ${join(base, 'profile')}`,
      'registerSchemesAsPrivileged',
      'enableSandbox',
      'requestSingleInstanceLock',
    ]);
    fake.becomeReady();
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
  });

  afterAll(() => {
    for (const key of ENV_KEYS) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
  });

  it('registers app:// as a standard, secure scheme', () => {
    expect(fake.privilegedSchemes).toEqual([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true, bypassCSP: false }),
      }),
    ]);
  });

  it('serves the protocol and registers IPC before it opens exactly one window on app://', () => {
    const order = fake.calls.filter((c) => c.startsWith('protocol.handle') || c === 'new BrowserWindow' || c.startsWith('loadURL'));
    expect(order).toEqual(['protocol.handle app', 'new BrowserWindow', 'loadURL app://guanmo/index.html']);
    expect(fake.windows).toHaveLength(1);
    expect([...fake.ipcHandlers.keys()].sort()).toEqual([...IPC_CHANNELS].sort());
  });

  it('opens the window sandboxed, with the bundled preload', () => {
    const prefs = fake.windows[0]!.options.webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(prefs.preload).toBe(join(bundleDir, 'preload.cjs'));
    expect(existsSync(prefs.preload)).toBe(true);
  });

  it('serves the renderer with a CSP naming the configured server and tiles', async () => {
    const handler = fake.protocolHandlers.get('app')!;
    const res = await handler(new Request('app://guanmo/'));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('观摩');
    const csp = parseContentSecurityPolicy(res.headers.get('content-security-policy')!);
    expect(csp.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:9999']);
    expect(csp.get('img-src')).toContain('https://*.tianditu.gov.cn');
    // the URL parser folds the dot segments into the root: the app's own entry comes back
    const traversal = await handler(new Request('app://guanmo/%2e%2e/%2e%2e/etc/passwd'));
    expect(await traversal.text()).toContain('<title>观摩</title>');
    expect((await handler(new Request('app://guanmo/assets/..%2f..%2f..%2fpackage.json'))).status).toBe(403);
  });

  it('answers IPC from the app and refuses other senders', async () => {
    const getInfo = fake.ipcHandlers.get('app:get-info')!;
    const outcome = await getInfo(trustedEvent(), {});
    expect(outcome).toMatchObject({
      ok: true,
      value: { name: '观摩', version: '0.1.0', serverUrl: 'http://127.0.0.1:9999', serverUrlSource: 'env', locale: 'zh-CN' },
    });
    const foreign = await getInfo({ sender: new FakeWebContents(), senderFrame: { url: 'https://evil.example/', parent: null } }, {});
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const bad = await fake.ipcHandlers.get('shell:open-external')!(trustedEvent(), { url: 'file:///etc/passwd' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-args' } });
  });

  it('keeps no sync session on a Linux without keyring (basic_text), and says so', async () => {
    const check = await fake.ipcHandlers.get('session:check-keychain')!(trustedEvent(), {});
    expect(check).toEqual({ ok: true, value: { isAvailable: process.platform !== 'linux', backend: process.platform === 'linux' ? 'basic_text' : expect.any(String) } });
    if (process.platform !== 'linux') return;
    const save = await fake.ipcHandlers.get('session:save')!(trustedEvent(), { serverUrl: 'http://127.0.0.1:9999', token: 'gm_secret-token' });
    expect(save).toEqual({ ok: true, value: { stored: false, reason: 'unavailable' } });
    expect(await fake.ipcHandlers.get('session:load')!(trustedEvent(), {})).toEqual({ ok: true, value: { status: 'none' } });
    const badToken = await fake.ipcHandlers.get('session:save')!(trustedEvent(), { serverUrl: 'http://127.0.0.1:9999', token: 'has space' });
    expect(badToken).toMatchObject({ ok: false, error: { code: 'invalid-args' } });
  });

  it('prints to PDF and stops at a cancelled dialog', async () => {
    const outcome = await fake.ipcHandlers.get('print:to-pdf')!(trustedEvent(), { suggestedName: '通报' });
    expect(outcome).toEqual({ ok: true, value: { saved: false } });
  });

  it('denies navigation and new windows, sending web links to the system browser', () => {
    const contents = fake.windows[0]!.webContents;
    let prevented = 0;
    contents.emit('will-navigate', { url: 'https://www.gov.cn/', preventDefault: () => prevented++ });
    contents.emit('will-navigate', { url: 'app://guanmo/elsewhere', preventDefault: () => prevented++ });
    expect(prevented).toBe(2);
    expect(contents.windowOpenHandler!({ url: 'https://map.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    contents.emit('will-attach-webview', { preventDefault: () => prevented++ });
    expect(prevented).toBe(3);
    expect(fake.opened).toEqual(['https://www.gov.cn/', 'https://map.example/']);
  });

  it('grants only allowlisted permissions', () => {
    const answers: boolean[] = [];
    const request = fake.permission.request!;
    request({}, 'media', (granted: boolean) => answers.push(granted), {
      requestingUrl: 'app://guanmo/index.html',
      isMainFrame: true,
      mediaTypes: ['video'],
    });
    request({}, 'geolocation', (granted: boolean) => answers.push(granted), {
      requestingUrl: 'app://guanmo/index.html',
      isMainFrame: true,
    });
    expect(answers).toEqual([true, false]);
    expect(fake.permission.check!(null, 'notifications', 'app://guanmo', { isMainFrame: true })).toBe(false);
    expect(fake.permission.device!({})).toBe(false);
  });

  it('installs the Chinese menu', () => {
    expect((fake.menu() as Array<{ label: string }>).map((m) => m.label)).toEqual(['文件', '编辑', '视图', '窗口', '帮助']);
  });

  it('brings the window forward when launched a second time', () => {
    fake.appEvents.emit('second-instance');
    expect(fake.windows[0]!.focused).toBe(1);
    expect(fake.windows).toHaveLength(1);
  });
});

describe('main process, second launch', () => {
  it('quits at once when another instance holds the lock', () => {
    const fake = createFakeElectron({ appPath, userData: join(base, 'profile2'), hasLock: false });
    loadMain(fake);
    fake.becomeReady();
    expect(fake.calls).toContain('quit');
    expect(fake.calls).not.toContain('new BrowserWindow');
    expect(fake.ipcHandlers.size).toBe(0);
  });
});
