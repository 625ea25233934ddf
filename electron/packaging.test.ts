/**
 * The desktop package: electron-builder.yml read by electron-builder's own loader and schema,
 * then a real `electron-builder --linux dir` run against a stand-in Electron binary (the
 * runtime cannot be downloaded here) to see what actually lands in app.asar and which fuses
 * get flipped. The sync server is an npm workspace with native dependencies: it must never
 * be packed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { build, Platform, type Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron } from '../build/build-electron.mjs';
// which update feed an installer belongs in (guanmo-server updates publish)
import { feedNameFor, versionInFileName } from '@shared/updates/feed-names';

const root = join(__dirname, '..');
const configFile = join(root, 'electron-builder.yml');
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

let config: Configuration;

beforeAll(async () => {
  config = await getConfig(root, configFile, null);
});

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app', () => {
    expect(config.appId).toBe('cn.guanmo.desktop');
    expect(config.productName).toBe('Guanmo 观摩');
    expect(config.asar).toBe(true);
  });

  it('packs only the bundles, the renderer and package.json', () => {
    const files = (config.files as Array<{ filter: string[] }>).flatMap((f) => f.filter);
    expect(files.filter((f) => !f.startsWith('!')).sort()).toEqual(['dist/electron/**', 'dist/renderer/**', 'package.json']);
    expect(files.join(' ')).not.toMatch(/server|node_modules/);
  });

  it('sets the security fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds AppImage and deb for Linux (x64 and arm64), NSIS for Windows (x64), dmg (and the updater’s zip) for macOS, with icons from build/', () => {
    expect(config.linux?.target).toEqual([
      { target: 'AppImage', arch: ['x64', 'arm64'] },
      { target: 'deb', arch: ['x64', 'arm64'] },
    ]);
    expect(config.win?.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.mac?.target).toEqual([
      { target: 'dmg', arch: ['x64', 'arm64'] },
      { target: 'zip', arch: ['x64', 'arm64'] },
    ]);
    expect(config.directories?.buildResources).toBe('build');
    for (const icon of [config.linux?.icon, config.win?.icon, config.mac?.icon]) {
      expect(icon).toMatch(/^build\//);
      expect(existsSync(join(root, icon!)), icon!).toBe(true);
    }
  });

  it('publishes generic update feeds (the sync server’s /updates/), single byte ranges only', () => {
    expect(config.publish).toEqual([{ provider: 'generic', url: 'http://127.0.0.1:8787/updates/', useMultipleRangeRequest: false }]);
  });

  it('names every artefact so that `guanmo-server updates publish` puts it in the feed its platform reads', () => {
    // electron-builder's arch names per target: AppImage x86_64/arm64, deb amd64/arm64, the rest x64/arm64
    const artefacts: Array<[string, string, string | null]> = [
      ['win', 'x64', 'exe'],
      ['linux', 'x86_64', 'AppImage'],
      ['linux', 'amd64', 'deb'],
      ['linux', 'arm64', 'AppImage'],
      ['linux', 'arm64', 'deb'],
      ['mac', 'x64', 'dmg'],
      ['mac', 'arm64', 'zip'],
    ].map(([os, arch, ext]) => [os!, arch!, ext!]);
    const feeds = artefacts.map(([os, arch, ext]) => {
      const name = config.artifactName!.replace('${version}', '0.2.0').replace('${os}', os).replace('${arch}', arch).replace('${ext}', ext!);
      return `${name} → ${feedNameFor(name)} (version ${versionInFileName(name)})`;
    });
    expect(feeds).toEqual([
      'Guanmo-0.2.0-win-x64.exe → latest.yml (version 0.2.0)',
      'Guanmo-0.2.0-linux-x86_64.AppImage → latest-linux.yml (version 0.2.0)',
      'Guanmo-0.2.0-linux-amd64.deb → latest-linux.yml (version 0.2.0)',
      'Guanmo-0.2.0-linux-arm64.AppImage → latest-linux-arm64.yml (version 0.2.0)',
      'Guanmo-0.2.0-linux-arm64.deb → latest-linux-arm64.yml (version 0.2.0)',
      'Guanmo-0.2.0-mac-x64.dmg → latest-mac.yml (version 0.2.0)',
      'Guanmo-0.2.0-mac-arm64.zip → latest-mac.yml (version 0.2.0)',
    ]);
  });

  it('has a root package.json without runtime dependencies, pointing at the bundle', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys((pkg.dependencies as object | undefined) ?? {})).toEqual([]);
    expect(Object.keys((pkg.optionalDependencies as object | undefined) ?? {})).toEqual([]);
    expect(pkg.main).toBe('dist/electron/main.cjs');
  });
});

describe('a packaging run (linux dir target, stand-in Electron binary)', () => {
  let work: string;
  let appOutDir: string;

  beforeAll(async () => {
    // The app bundle is packed from dist/electron, as `npm run dist` does; build it if absent.
    if (!existsSync(join(root, 'dist', 'electron', 'main.cjs')) || !existsSync(join(root, 'dist', 'electron', 'preload.cjs'))) {
      await buildElectron();
    }
    work = await mkdtemp(join(tmpdir(), 'guanmo-pack-'));
    const electronDist = join(work, 'electron-dist');
    await mkdir(electronDist, { recursive: true });
    // An "executable" carrying a fuse wire in Electron's default state (the order of FuseV1Options).
    const defaults = '10110001';
    const fakeBinary = Buffer.concat([
      Buffer.from('#!/bin/sh\n# '),
      Buffer.from(FUSE_SENTINEL, 'ascii'),
      Buffer.from([1, defaults.length]),
      Buffer.from(defaults, 'ascii'),
      Buffer.from('\n'),
    ]);
    await writeFile(join(electronDist, 'electron'), fakeBinary);
    await chmod(join(electronDist, 'electron'), 0o755);
    await writeFile(join(electronDist, 'version'), '45.4.1');
    await writeFile(join(electronDist, 'LICENSE'), 'MIT');

    await build({
      projectDir: root,
      targets: Platform.LINUX.createTarget('dir'),
      // merged over electron-builder.yml: only where Electron comes from and where output goes
      config: { electronDist, directories: { output: join(work, 'release') } },
      publish: 'never',
    });
    appOutDir = join(work, 'release', 'linux-unpacked');
  }, 120_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('puts only dist/electron, dist/renderer and package.json into app.asar', () => {
    const entries = listPackage(join(appOutDir, 'resources', 'app.asar'), { isPack: false }).map((e) => e.replaceAll('\\', '/'));
    expect(entries).toContain('/package.json');
    expect(entries).toContain('/dist/electron/main.cjs');
    expect(entries).toContain('/dist/electron/preload.cjs');
    const outside = entries.filter(
      (e) => !(e === '/package.json' || e === '/dist' || e === '/dist/electron' || e.startsWith('/dist/electron/') || e === '/dist/renderer' || e.startsWith('/dist/renderer/')),
    );
    expect(outside).toEqual([]);
    expect(entries.filter((e) => /node_modules|\/server\b|\.map$/.test(e))).toEqual([]);
  });

  it('leaves no node_modules or server files next to the archive, only the updater’s config', async () => {
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(join(appOutDir, 'resources'))).sort()).toEqual(['app-update.yml', 'app.asar']);
  });

  it('writes app-update.yml for electron-updater: a generic feed and the updater’s own cache folder', async () => {
    const text = await readFile(join(appOutDir, 'resources', 'app-update.yml'), 'utf8');
    expect(text).toMatch(/^provider: generic$/m);
    // a placeholder: the app sets `<sync server>/updates/` at run time (electron/updater/desktop-updater.ts)
    expect(text).toMatch(/^url: http:\/\/127\.0\.0\.1:8787\/updates\/?$/m);
    expect(text).toMatch(/^useMultipleRangeRequest: false$/m);
    expect(text).toMatch(/^updaterCacheDirName: \S+$/m);
  });

  it('flips the fuses in the packaged binary', async () => {
    const wire = await getCurrentFuseWire(join(appOutDir, 'guanmo'));
    const state = (option: FuseV1Options) => String.fromCharCode(wire[option] as number);
    expect(state(FuseV1Options.RunAsNode)).toBe('0');
    expect(state(FuseV1Options.EnableCookieEncryption)).toBe('1');
    expect(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe('0');
    expect(state(FuseV1Options.EnableNodeCliInspectArguments)).toBe('0');
    expect(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe('1');
    expect(state(FuseV1Options.OnlyLoadAppFromAsar)).toBe('1');
    expect(state(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe('0');
  });
});

describe('icons', () => {
  function pngSize(png: Buffer): [number, number] {
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    return [png.readUInt32BE(16), png.readUInt32BE(20)];
  }

  it('has the Linux PNG set at their nominal sizes', async () => {
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(pngSize(await readFile(join(root, 'build', 'icons', `${size}x${size}.png`)))).toEqual([size, size]);
    }
    expect(pngSize(await readFile(join(root, 'build', 'icon.png')))).toEqual([512, 512]);
  });

  it('has a Windows .ico with a 256 px PNG and small BMP entries', async () => {
    const ico = await readFile(join(root, 'build', 'icon.ico'));
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const at = 6 + 16 * i;
      const size = ico[at] === 0 ? 256 : ico[at]!;
      const length = ico.readUInt32LE(at + 8);
      const offset = ico.readUInt32LE(at + 12);
      expect(offset + length).toBeLessThanOrEqual(ico.length);
      const data = ico.subarray(offset, offset + length);
      if (size >= 64) expect(pngSize(data)).toEqual([size, size]);
      else expect(data.readUInt32LE(0)).toBe(40); // BITMAPINFOHEADER
      sizes.push(size);
    }
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
  });

  it('has a macOS .icns whose entries add up', async () => {
    const icns = await readFile(join(root, 'build', 'icon.icns'));
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types: string[] = [];
    for (let at = 8; at < icns.length; ) {
      types.push(icns.toString('ascii', at, at + 4));
      const length = icns.readUInt32BE(at + 4);
      expect(length).toBeGreaterThan(8);
      at += length;
    }
    expect(types).toEqual(expect.arrayContaining(['ic07', 'ic08', 'ic09', 'ic10']));
  });
});
