import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IpcFailure } from '../ipc/ipc-handler';
import { APP_ENTRY_URL, isAppUrl } from './app-origin';
import { createServerSettings } from './server-settings';
import { DEFAULT_SERVER_URL, resolveServerUrl, toServerOrigin } from './server-url';
import { openSettingsStore, SETTINGS_FILE_NAME } from './settings-store';
import { resolveTileSources, tileTemplateToCspSource } from './tile-sources';

describe('app origin', () => {
  it('recognises our app:// URLs only', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://guanmo')).toBe(true);
    expect(isAppUrl('app://guanmo/#/tours/1')).toBe(true);
    expect(isAppUrl('APP://GUANMO/index.html')).toBe(true);
    for (const url of ['app://guanmo.evil/', 'app://evil/', 'app://guanmo:81/', 'app://x@guanmo/', 'https://guanmo/', 'file:///', '', null, undefined]) {
      expect(isAppUrl(url), String(url)).toBe(false);
    }
  });
});

describe('sync server URL', () => {
  it('reduces a URL to its origin and refuses unusable ones', () => {
    expect(toServerOrigin('http://127.0.0.1:8787/')).toBe('http://127.0.0.1:8787');
    expect(toServerOrigin(' https://Guanmo.Example.cn/api/sync?x=1 ')).toBe('https://guanmo.example.cn');
    expect(toServerOrigin('https://guanmo.example.cn:443')).toBe('https://guanmo.example.cn');
    expect(toServerOrigin('http://[::1]:8787')).toBe('http://[::1]:8787');
    for (const bad of ['ftp://x', 'javascript:alert(1)', 'http://u:p@x.cn', 'not a url', '', null]) {
      expect(toServerOrigin(bad), String(bad)).toBeNull();
    }
  });

  it('prefers the environment, then the saved setting, then the default', () => {
    expect(resolveServerUrl({ envValue: 'http://10.0.0.5:9000', savedValue: 'https://a.cn' })).toEqual({
      serverUrl: 'http://10.0.0.5:9000',
      source: 'env',
    });
    expect(resolveServerUrl({ envValue: undefined, savedValue: 'https://a.cn/x' })).toEqual({
      serverUrl: 'https://a.cn',
      source: 'settings',
    });
    expect(resolveServerUrl({ envValue: '  ', savedValue: null })).toEqual({ serverUrl: DEFAULT_SERVER_URL, source: 'default' });
  });

  it('reports and skips unusable values', () => {
    const invalid: string[] = [];
    const result = resolveServerUrl({
      envValue: 'htp:/oops',
      savedValue: 'file:///x',
      onInvalid: (source, value) => invalid.push(`${source}=${value}`),
    });
    expect(result).toEqual({ serverUrl: DEFAULT_SERVER_URL, source: 'default' });
    expect(invalid).toEqual(['env=htp:/oops', 'settings=file:///x']);
  });
});

describe('tile sources', () => {
  it('turns Leaflet templates into CSP sources', () => {
    expect(tileTemplateToCspSource('https://tile.openstreetmap.org/{z}/{x}/{y}.png')).toBe('https://tile.openstreetmap.org');
    expect(tileTemplateToCspSource('https://{s}.tile.example.org/{z}/{x}/{y}.png')).toBe('https://*.tile.example.org');
    expect(tileTemplateToCspSource('http://t{s}.tianditu.gov.cn/vec_w/wmts?tk=KEY')).toBe('http://*.tianditu.gov.cn');
    expect(tileTemplateToCspSource('https://tiles.local:8443/{z}/{x}/{y}.png')).toBe('https://tiles.local:8443');
  });

  it('refuses templates that are not plain http(s) hosts', () => {
    for (const bad of ['file:///tiles/{z}.png', 'https://{s}.cn/x', "https://a.org;script-src 'unsafe-eval'/x", 'https://u@a.org/', 'https://{z}.a.org/', '//a.org/x']) {
      expect(tileTemplateToCspSource(bad), bad).toBeNull();
    }
  });

  it('reads several templates from the environment, deduplicated', () => {
    const invalid: string[] = [];
    expect(
      resolveTileSources('https://a.org/{z}.png, https://a.org/{x}.png  http://{s}.b.cn/t file:///x', (v) => invalid.push(v)),
    ).toEqual(['https://a.org', 'http://*.b.cn']);
    expect(invalid).toEqual(['file:///x']);
    expect(resolveTileSources(undefined)).toEqual(['https://tile.openstreetmap.org']);
  });
});

describe('server settings (saved in userData)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'guanmo-settings-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('saves the origin, survives a restart and asks for a reload when the origin changes', async () => {
    const settings = createServerSettings({ store: openSettingsStore(dir), envValue: undefined, log: () => undefined });
    expect(settings.get()).toEqual({ serverUrl: DEFAULT_SERVER_URL, source: 'default', savedServerUrl: null });

    const changed = await settings.set('https://guanmo.example.cn/some/path');
    expect(changed).toEqual({
      serverUrl: 'https://guanmo.example.cn',
      source: 'settings',
      savedServerUrl: 'https://guanmo.example.cn',
      needsReload: true,
    });
    expect((await settings.set('https://guanmo.example.cn')).needsReload).toBe(false);

    const reopened = createServerSettings({ store: openSettingsStore(dir), envValue: undefined, log: () => undefined });
    expect(reopened.current()).toEqual({ serverUrl: 'https://guanmo.example.cn', source: 'settings' });

    const reset = await reopened.set(null);
    expect(reset).toMatchObject({ serverUrl: DEFAULT_SERVER_URL, source: 'default', savedServerUrl: null, needsReload: true });
  });

  it('lets the environment override a saved URL but still saves the choice', async () => {
    const settings = createServerSettings({
      store: openSettingsStore(dir),
      envValue: 'http://127.0.0.1:9999',
      log: () => undefined,
    });
    const result = await settings.set('https://guanmo.example.cn');
    expect(result).toEqual({
      serverUrl: 'http://127.0.0.1:9999',
      source: 'env',
      savedServerUrl: 'https://guanmo.example.cn',
      needsReload: false,
    });
  });

  it('saves plain http on this laptop or a private network at once, on a public address only once confirmed', async () => {
    const logged: string[] = [];
    const settings = createServerSettings({ store: openSettingsStore(dir), envValue: undefined, log: (m) => void logged.push(m) });
    for (const url of ['http://127.0.0.1:8787', 'http://192.168.1.20:8787', 'http://10.0.0.5', 'http://guanmo-server:8787', 'https://guanmo.example.cn']) {
      expect((await settings.set(url)).savedServerUrl, url).toBe(new URL(url).origin);
    }
    await expect(settings.set('http://guanmo.example.cn')).rejects.toMatchObject({ code: 'needs-confirmation' });
    await expect(settings.set('http://203.0.113.7:8787')).rejects.toMatchObject({ code: 'needs-confirmation' });
    expect(settings.get().savedServerUrl).toBe('https://guanmo.example.cn');
    expect((await settings.set('http://203.0.113.7:8787', { allowPlainHttp: true })).savedServerUrl).toBe('http://203.0.113.7:8787');
    expect(logged.some((m) => m.includes('plain http on a public address'))).toBe(true);
  });

  it('refuses URLs with credentials', async () => {
    const settings = createServerSettings({ store: openSettingsStore(dir), envValue: undefined, log: () => undefined });
    await expect(settings.set('https://user:pw@guanmo.example.cn')).rejects.toBeInstanceOf(IpcFailure);
    expect(settings.get().savedServerUrl).toBeNull();
  });

  it('starts from defaults when the file is corrupt, and overwrites it cleanly', async () => {
    await writeFile(join(dir, SETTINGS_FILE_NAME), '{"serverUrl": 42');
    const store = openSettingsStore(dir);
    expect(store.get()).toEqual({ serverUrl: null });
    await store.update({ serverUrl: 'https://a.cn' });
    expect(JSON.parse(await readFile(join(dir, SETTINGS_FILE_NAME), 'utf8'))).toEqual({ serverUrl: 'https://a.cn' });
  });

  it('keeps the last of several quick updates', async () => {
    const store = openSettingsStore(dir);
    await Promise.all([store.update({ serverUrl: 'https://a.cn' }), store.update({ serverUrl: 'https://b.cn' })]);
    expect(openSettingsStore(dir).get()).toEqual({ serverUrl: 'https://b.cn' });
  });
});
