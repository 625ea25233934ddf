/**
 * The updates folder: `guanmo-server updates publish` writes feeds electron-updater can read
 * (js-yaml, as electron-updater parses them), merges a version's platforms, replaces an older
 * version, refuses what it cannot place; the server serves feeds and installers by byte range.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GuanmoApp } from '../app.js';
import { sqliteBackend, type TestDatabase } from '../test-support/backends.js';
import { createCapturedApp } from '../test-support/server-fixtures.js';
import { runUpdatesCommand } from '../cli/updates-command.js';
import { feedNameFor, parseFeed } from './update-feed.js';

let database: TestDatabase;
let updatesDir: string;
let buildDir: string;
const toClose: Array<() => Promise<void>> = [];

beforeEach(async () => {
  database = await sqliteBackend.create();
  updatesDir = path.join(database.dataDir, 'updates');
  buildDir = path.join(database.dataDir, 'release');
  await fs.mkdir(buildDir, { recursive: true });
});
afterEach(async () => {
  for (const close of toClose.splice(0).reverse()) await close();
  await database.cleanup();
});

async function artefact(name: string, bytes = randomBytes(4096)): Promise<{ file: string; sha512: string; size: number }> {
  const file = path.join(buildDir, name);
  await fs.writeFile(file, bytes);
  return { file, sha512: createHash('sha512').update(bytes).digest('base64'), size: bytes.length };
}

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await runUpdatesCommand(args, { out: (t) => void (out += t), err: (t) => void (err += t), env: database.env, cwd: database.dataDir });
  return { code, out, err };
}

const yml = async (name: string) => loadYaml(await fs.readFile(path.join(updatesDir, name), 'utf8')) as Record<string, unknown>;

describe('guanmo-server updates publish', () => {
  it('places each installer in the feed its platform checks, with sha512 and size computed from the bytes', async () => {
    const exe = await artefact('Guanmo-0.2.0-win-x64.exe');
    const appImage = await artefact('Guanmo-0.2.0-linux-x86_64.AppImage');
    const deb = await artefact('Guanmo-0.2.0-linux-amd64.deb');
    const armImage = await artefact('Guanmo-0.2.0-linux-arm64.AppImage');
    const zip = await artefact('Guanmo-0.2.0-mac-arm64.zip');
    const { code, out } = await cli(['publish', exe.file, appImage.file, deb.file, armImage.file, zip.file, '--staging-percentage', '25']);
    expect(code, out).toBe(0);
    expect(await yml('latest.yml')).toMatchObject({ version: '0.2.0', path: 'Guanmo-0.2.0-win-x64.exe', sha512: exe.sha512, stagingPercentage: 25, files: [{ url: 'Guanmo-0.2.0-win-x64.exe', sha512: exe.sha512, size: exe.size }] });
    const linux = await yml('latest-linux.yml');
    expect(linux.files).toEqual([
      { url: 'Guanmo-0.2.0-linux-x86_64.AppImage', sha512: appImage.sha512, size: appImage.size },
      { url: 'Guanmo-0.2.0-linux-amd64.deb', sha512: deb.sha512, size: deb.size },
    ]);
    expect((await yml('latest-linux-arm64.yml')).files).toEqual([{ url: 'Guanmo-0.2.0-linux-arm64.AppImage', sha512: armImage.sha512, size: armImage.size }]);
    expect((await yml('latest-mac.yml')).path).toBe('Guanmo-0.2.0-mac-arm64.zip');
    expect(await fs.readFile(path.join(updatesDir, 'Guanmo-0.2.0-linux-amd64.deb'))).toEqual(await fs.readFile(deb.file));
    // nothing half-copied left behind
    expect((await fs.readdir(updatesDir)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('merges a later platform of the same version, replaces a rebuilt file, and replaces the feed for a new version', async () => {
    const appImage = await artefact('Guanmo-0.2.0-linux-x86_64.AppImage');
    expect((await cli(['publish', appImage.file])).code).toBe(0);
    const deb = await artefact('Guanmo-0.2.0-linux-amd64.deb');
    const blockmap = await artefact('Guanmo-0.2.0-linux-x86_64.AppImage.blockmap', randomBytes(100));
    expect((await cli(['publish', deb.file, blockmap.file])).code).toBe(0);
    let feed = parseFeed(await fs.readFile(path.join(updatesDir, 'latest-linux.yml'), 'utf8'));
    expect(feed.files.map((f) => f.url)).toEqual(['Guanmo-0.2.0-linux-x86_64.AppImage', 'Guanmo-0.2.0-linux-amd64.deb']);
    const rebuilt = await artefact('Guanmo-0.2.0-linux-x86_64.AppImage');
    expect((await cli(['publish', rebuilt.file])).code).toBe(0);
    feed = parseFeed(await fs.readFile(path.join(updatesDir, 'latest-linux.yml'), 'utf8'));
    expect(feed.files.find((f) => f.url.endsWith('.AppImage'))).toEqual({ url: 'Guanmo-0.2.0-linux-x86_64.AppImage', sha512: rebuilt.sha512, size: rebuilt.size, blockMapSize: 100 });
    const next = await artefact('Guanmo-0.3.0-linux-x86_64.AppImage');
    expect((await cli(['publish', next.file])).code).toBe(0);
    feed = parseFeed(await fs.readFile(path.join(updatesDir, 'latest-linux.yml'), 'utf8'));
    expect(feed).toMatchObject({ version: '0.3.0', files: [{ url: 'Guanmo-0.3.0-linux-x86_64.AppImage' }] });
    const listed = await cli(['list']);
    expect(listed.out).toContain('latest-linux.yml: 0.3.0');
  });

  it('refuses mixed versions, unknown files, bad names and a bad percentage, changing nothing', async () => {
    const a = await artefact('Guanmo-0.2.0-linux-x86_64.AppImage');
    const b = await artefact('Guanmo-0.3.0-linux-amd64.deb');
    const txt = await artefact('notes.txt');
    const spaced = await artefact('Guanmo 0.2.0.exe');
    for (const args of [['publish', a.file, b.file], ['publish', txt.file], ['publish', spaced.file], ['publish', a.file, '--staging-percentage', '0'], ['publish', a.file, '--staging-percentage', 'half'], ['publish']]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err).toMatch(/guanmo-server updates: /);
    }
    expect(await fs.readdir(updatesDir).catch(() => [])).toEqual([]);
  });

  it('knows which feed each platform reads', () => {
    expect(feedNameFor('Guanmo-0.2.0-linux-aarch64.deb')).toBe('latest-linux-arm64.yml');
    expect(feedNameFor('Guanmo-0.2.0-linux-amd64.deb')).toBe('latest-linux.yml');
    expect(feedNameFor('Guanmo-0.2.0-mac-x64.dmg')).toBe('latest-mac.yml');
    expect(feedNameFor('Guanmo-0.2.0-linux-x86_64.AppImage.blockmap')).toBeNull();
  });
});

describe('GET /updates/{file}', () => {
  let guanmo: GuanmoApp;
  let installer: { file: string; sha512: string; size: number };

  beforeEach(async () => {
    installer = await artefact('Guanmo-0.2.0-linux-amd64.deb', randomBytes(100_000));
    expect((await cli(['publish', installer.file])).code).toBe(0);
    guanmo = await createCapturedApp({ ...database.env, GUANMO_STATIC_DIR: path.join(database.dataDir, 'none'), GUANMO_LOG_LEVEL: 'error' });
    toClose.push(guanmo.close);
  });

  it('serves the feed uncached and the installer whole or by range, so a cut download resumes', async () => {
    const feed = await guanmo.app.inject({ method: 'GET', url: '/updates/latest-linux.yml' });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toMatch(/^text\/yaml/);
    expect(feed.headers['cache-control']).toBe('no-cache');
    expect((loadYaml(feed.body) as { version: string }).version).toBe('0.2.0');

    const whole = await guanmo.app.inject({ method: 'GET', url: '/updates/Guanmo-0.2.0-linux-amd64.deb' });
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(createHash('sha512').update(whole.rawPayload).digest('base64')).toBe(installer.sha512);
    const etag = whole.headers.etag as string;

    const rest = await guanmo.app.inject({ method: 'GET', url: '/updates/Guanmo-0.2.0-linux-amd64.deb', headers: { range: 'bytes=40000-', 'if-range': etag } });
    expect(rest.statusCode).toBe(206);
    expect(rest.headers['content-range']).toBe(`bytes 40000-99999/${installer.size}`);
    expect(Buffer.concat([whole.rawPayload.subarray(0, 40000), rest.rawPayload])).toEqual(whole.rawPayload);
    // the file was replaced meanwhile: If-Range no longer matches, the whole file comes back
    const stale = await guanmo.app.inject({ method: 'GET', url: '/updates/Guanmo-0.2.0-linux-amd64.deb', headers: { range: 'bytes=40000-', 'if-range': '"other"' } });
    expect(stale.statusCode).toBe(200);
    const beyond = await guanmo.app.inject({ method: 'GET', url: '/updates/Guanmo-0.2.0-linux-amd64.deb', headers: { range: 'bytes=100000-' } });
    expect(beyond.statusCode).toBe(416);
    const head = await guanmo.app.inject({ method: 'HEAD', url: '/updates/Guanmo-0.2.0-linux-amd64.deb' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String(installer.size));
  });

  it('serves nothing outside the folder, no dotfiles, and 404 for what is not there', async () => {
    await fs.writeFile(path.join(updatesDir, '.secret.part'), 'x');
    for (const url of ['/updates/..%2Fguanmo.sqlite', '/updates/.secret.part', '/updates/missing.exe', '/updates/%E8%A7%82.exe']) {
      const res = await guanmo.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
    }
  });
});
