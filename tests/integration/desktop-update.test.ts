/**
 * The desktop app's self-update in Node: electron-updater's real Linux (.deb) updater, driven by
 * the app's DesktopUpdater with the resumable executor over node:http, against a real
 * guanmo-server serving a feed published with `guanmo-server updates publish` — through a proxy
 * that can cut a download mid-way. Only Electron's `app` is faked (electron-updater's AppAdapter
 * seam: version, userData, quit/relaunch recorded), and the final install step is recorded
 * instead of running dpkg.
 *
 * Covered: a newer version found; a staged rollout holding it back from this laptop; a download
 * cut in the middle and resumed by Range (not restarted); the sha512 verified; a tampered
 * installer refused; no restart while a score sheet is open or changes wait to sync.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DebUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DesktopUpdater, type UpdaterEngine } from '../../electron/updater/desktop-updater';
import { ResumableHttpExecutor, type OpenRequest } from '../../electron/updater/resumable-download';
import type { RunningServer } from '../../server/src/app';
import { startCapturedServer } from '../../server/src/test-support/server-fixtures';
import { publishUpdate } from '../../server/src/updates/publish-update';

const installerName = 'Guanmo-0.2.0-linux-amd64.deb';
const installerBytes = randomBytes(3 * 1024 * 1024);
const installerSha512 = createHash('sha512').update(installerBytes).digest('base64');

/** A TCP proxy in front of the server that can cut an installer download after N bytes and records what was asked. */
interface CuttingProxy {
  url: string;
  /** cut the next installer response after this many bytes (then serve normally again) */
  cutNextInstallerAfter: number | null;
  /** request heads of installer downloads, and the bytes the server sent for each */
  installerRequests: Array<{ head: string; bytes: number }>;
  close(): Promise<void>;
}

async function startCuttingProxy(target: URL): Promise<CuttingProxy> {
  const proxy: CuttingProxy = { url: '', cutNextInstallerAfter: null, installerRequests: [], close: async () => undefined };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    let current: { head: string; bytes: number; cutAfter: number | null } | null = null;
    client.on('data', (chunk) => {
      const text = chunk.toString('latin1');
      if (/^GET \/updates\/Guanmo-[^ ]+\.deb /m.test(text)) {
        current = { head: text.split('\r\n\r\n')[0]!, bytes: 0, cutAfter: proxy.cutNextInstallerAfter };
        proxy.cutNextInstallerAfter = null;
        proxy.installerRequests.push(current);
      } else if (/^(GET|HEAD) /.test(text)) current = null;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (current?.cutAfter != null && current.bytes + chunk.length > current.cutAfter) {
        const room = current.cutAfter - current.bytes;
        client.write(chunk.subarray(0, room));
        current.bytes += room;
        client.destroy();
        upstream.destroy();
        return;
      }
      if (current) current.bytes += chunk.length;
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  proxy.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return proxy;
}

/** node:http in place of Electron's net; no connection reuse so every download is its own request. */
const openWithNodeHttp: OpenRequest = (options, onResponse) => {
  const request = http.request({ ...options, agent: false }, (response) => onResponse(response));
  return request;
};

/** Electron's `app` as electron-updater sees it (its AppAdapter), with quit and relaunch recorded. */
function fakeApp(dir: string): AppAdapter & { quits: number; relaunches: number } {
  return {
    version: '0.1.0',
    name: 'Guanmo',
    isPackaged: true,
    appUpdateConfigPath: path.join(dir, 'app-update.yml'),
    userDataPath: dir,
    baseCachePath: path.join(dir, 'cache'),
    whenReady: async () => undefined,
    quits: 0,
    relaunches: 0,
    relaunch() {
      this.relaunches += 1;
    },
    quit() {
      this.quits += 1;
    },
    onQuit: () => undefined,
  };
}

interface Laptop {
  app: ReturnType<typeof fakeApp>;
  engine: DebUpdater;
  updater: DesktopUpdater;
  partialDir: string;
  installs: Array<[boolean | undefined, boolean | undefined]>;
}

async function laptop(root: string, serverUrl: string, stagingUserId: string): Promise<Laptop> {
  const dir = await fs.mkdtemp(path.join(root, 'laptop-'));
  // what electron-builder writes into resources/ (electron-builder.yml `publish`): the cache folder name
  await fs.writeFile(path.join(dir, 'app-update.yml'), "provider: generic\nurl: 'http://127.0.0.1:8787/updates/'\nupdaterCacheDirName: guanmo-updater\n");
  await fs.writeFile(path.join(dir, '.updaterId'), stagingUserId);
  const app = fakeApp(dir);
  const engine = new DebUpdater(null, app);
  engine.logger = null;
  const partialDir = path.join(dir, 'update-partial');
  (engine as unknown as { httpExecutor: unknown }).httpExecutor = new ResumableHttpExecutor(openWithNodeHttp, partialDir);
  const installs: Laptop['installs'] = [];
  // the last step would run dpkg and quit: recorded instead (the decision to call it is what is tested)
  engine.quitAndInstall = (isSilent, isForceRunAfter) => void installs.push([isSilent, isForceRunAfter]);
  const updater = new DesktopUpdater({ engine: engine as unknown as UpdaterEngine, serverUrl: () => serverUrl, currentVersion: app.version });
  return { app, engine, updater, partialDir, installs };
}

/** The downloaded, verified installer electron-updater would run (protected in its types). */
const installerPathOf = (l: Laptop) => (l.engine as unknown as { installerPath: string | null }).installerPath;

/** A staging id whose rollout position is ~99.6 % (electron-updater reads its last 4 bytes). */
const lateLaptopId = '3f2b8c1e-5a4d-4c3b-9e2f-0a1bfeffffff';

let root: string;
let server: RunningServer;
let proxy: CuttingProxy;
let updatesDir: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'guanmo-update-'));
  updatesDir = path.join(root, 'data', 'updates');
  server = await startCapturedServer({ GUANMO_DATA_DIR: path.join(root, 'data'), GUANMO_STATIC_DIR: path.join(root, 'none') });
  proxy = await startCuttingProxy(new URL(server.url));
  await fs.writeFile(path.join(root, installerName), installerBytes);
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await server?.close();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe('a laptop updating from its sync server', () => {
  let pc: Laptop;

  it('is held back by a staged rollout that has not reached it, then finds the newer version', async () => {
    pc = await laptop(root, proxy.url, lateLaptopId);
    await publishUpdate(updatesDir, [path.join(root, installerName)], { stagingPercentage: 50 });
    expect(await pc.updater.check()).toMatchObject({ state: 'up-to-date', version: null });
    expect(proxy.installerRequests).toEqual([]);

    await publishUpdate(updatesDir, [path.join(root, installerName)]);
    proxy.cutNextInstallerAfter = 1024 * 1024;
    const cut = await pc.updater.check();
    // the download was cut: not an error to act on, it is retried later — and what arrived is kept
    expect(cut).toMatchObject({ state: 'error', version: '0.2.0' });
    const partials = await fs.readdir(pc.partialDir);
    expect(partials).toHaveLength(1);
    const kept = (await fs.stat(path.join(pc.partialDir, partials[0]!))).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(installerBytes.length);
  });

  it('resumes the cut download where it stopped, verifies its sha512 and holds it ready', async () => {
    const before = proxy.installerRequests.length;
    const kept = (await fs.stat(path.join(pc.partialDir, (await fs.readdir(pc.partialDir))[0]!))).size;
    const status = await pc.updater.check();
    expect(status).toMatchObject({ state: 'downloaded', version: '0.2.0', percent: 100 });
    const resumed = proxy.installerRequests.slice(before);
    expect(resumed).toHaveLength(1);
    expect(resumed[0]!.head.toLowerCase()).toContain(`range: bytes=${kept}-`);
    // only the rest travelled the second time (plus headers)
    expect(resumed[0]!.bytes).toBeLessThan(installerBytes.length - kept + 4096);
    const downloaded = installerPathOf(pc)!;
    expect(createHash('sha512').update(await fs.readFile(downloaded)).digest('base64')).toBe(installerSha512);
    expect(await fs.readdir(pc.partialDir)).toEqual([]);
  });

  it('never restarts while a score sheet is open or changes wait to sync; installs when the user agrees with nothing pending', async () => {
    // before the renderer has said anything, work counts as pending
    expect(pc.updater.install()).toEqual({ installing: false, reason: 'work-pending' });
    pc.updater.reportWork({ hasOpenSheet: false, pendingChanges: 3 });
    expect(pc.updater.install()).toEqual({ installing: false, reason: 'work-pending' });
    pc.updater.reportWork({ hasOpenSheet: true, pendingChanges: 0 });
    expect(pc.updater.install()).toEqual({ installing: false, reason: 'work-pending' });
    expect(pc.installs).toEqual([]);
    expect(pc.app.quits + pc.app.relaunches).toBe(0);
    // quitting installs it instead (electron-updater's quit handler)
    expect(pc.engine.autoInstallOnAppQuit).toBe(true);

    pc.updater.reportWork({ hasOpenSheet: false, pendingChanges: 0 });
    expect(pc.updater.install()).toEqual({ installing: true });
    expect(pc.installs).toEqual([[false, true]]);
  });

  it('refuses a tampered installer and keeps nothing of it', async () => {
    const other = await laptop(root, proxy.url, lateLaptopId);
    // the folder's file is swapped after publishing: same name and size, other bytes
    const tampered = Buffer.from(installerBytes);
    tampered[tampered.length - 10] = tampered[tampered.length - 10]! ^ 0xff;
    await fs.writeFile(path.join(updatesDir, installerName), tampered);
    const status = await other.updater.check();
    expect(status.state).toBe('error');
    expect(status.error).toMatch(/ERR_CHECKSUM_MISMATCH|sha512 checksum mismatch/);
    expect(installerPathOf(other)).toBeNull();
    expect(await fs.readdir(other.partialDir)).toEqual([]);
    expect(other.updater.install()).toEqual({ installing: false, reason: 'not-downloaded' });
  });
});
