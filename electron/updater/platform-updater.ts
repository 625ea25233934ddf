/**
 * ⚡ The real self-updater: electron-updater's platform updater (NSIS on Windows, the .zip on
 * macOS, AppImage or .deb on Linux — electron-builder marks which) with the resumable executor
 * over Electron's `net` (the OS proxy settings and certificate store: an organisation's own CA
 * works as it does in the browser). Only in a packaged app: a development run has nothing to
 * replace.
 */
import path from 'node:path';
import { app, net, session } from 'electron';
import { DesktopUpdater, type UpdaterEngine } from './desktop-updater';
import { ResumableHttpExecutor, type OpenRequest, type RequestLike, type ResponseLike } from './resumable-download';

const openWithElectronNet: OpenRequest = (() => {
  let netSession: Electron.Session | null = null;
  return (options, onResponse) => {
    // its own partition without cache, as electron-updater's executor does
    netSession ??= session.fromPartition('electron-updater', { cache: false });
    const request = net.request({ ...options, headers: undefined, session: netSession, redirect: 'follow' } as Electron.ClientRequestConstructorOptions);
    for (const [name, value] of Object.entries(options.headers ?? {})) if (typeof value === 'string') request.setHeader(name, value);
    request.on('response', (response) => onResponse(response as unknown as ResponseLike));
    return request as unknown as RequestLike;
  };
})();

export async function createPlatformUpdater(options: { serverUrl: () => string; log: (message: string, error?: unknown) => void }): Promise<DesktopUpdater | null> {
  if (!app.isPackaged) return null;
  const { autoUpdater } = await import('electron-updater');
  // electron-updater has no option for its executor: this replaces the one it created
  (autoUpdater as unknown as { httpExecutor: unknown }).httpExecutor = new ResumableHttpExecutor(openWithElectronNet, path.join(app.getPath('userData'), 'update-partial'));
  autoUpdater.logger = { info: () => undefined, warn: (m: unknown) => options.log(String(m)), error: (m: unknown) => options.log(String(m)) };
  return new DesktopUpdater({ engine: autoUpdater as unknown as UpdaterEngine, serverUrl: options.serverUrl, currentVersion: app.getVersion(), log: options.log });
}
