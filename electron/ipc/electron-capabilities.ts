/** The real capabilities behind the IPC implementations: Electron dialogs, shell, printing. */
import { access, writeFile } from 'node:fs/promises';
import { app, BrowserWindow, dialog, shell, type IpcMainInvokeEvent } from 'electron';
import type { AppInfo } from '@shared/ipc/contract';
import type { ServerSettingsService } from '../config/server-settings';
import type { SessionKeychain } from '../session/session-keychain';
import type { IpcCapabilities, UpdaterPort } from './ipc-implementations';

export function createElectronCapabilities(options: {
  readonly productName: string;
  readonly serverSettings: ServerSettingsService;
  readonly sessionKeychain: SessionKeychain;
  readonly updater: UpdaterPort | null;
}): IpcCapabilities<IpcMainInvokeEvent> {
  const { serverSettings } = options;
  return {
    getAppInfo(): AppInfo {
      const server = serverSettings.current();
      return {
        name: options.productName,
        version: app.getVersion(),
        platform: process.platform,
        arch: process.arch,
        versions: {
          electron: process.versions.electron ?? '',
          chrome: process.versions.chrome ?? '',
          node: process.versions.node,
        },
        isPackaged: app.isPackaged,
        locale: app.getLocale(),
        serverUrl: server.serverUrl,
        serverUrlSource: server.source,
      };
    },
    async showSaveDialog(event, request) {
      const parent = BrowserWindow.fromWebContents(event.sender);
      const dialogOptions = {
        title: request.title,
        defaultPath: request.defaultPath,
        filters: request.filters.map((f) => ({ name: f.name, extensions: [...f.extensions] })),
        properties: ['createDirectory', 'showOverwriteConfirmation'] as Array<
          'createDirectory' | 'showOverwriteConfirmation'
        >,
      };
      const result = parent ? await dialog.showSaveDialog(parent, dialogOptions) : await dialog.showSaveDialog(dialogOptions);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    writeFile: (path, content) => writeFile(path, content),
    async fileExists(path) {
      try {
        await access(path);
        return true;
      } catch {
        return false;
      }
    },
    async printToPdf(event, pdfOptions) {
      return event.sender.printToPDF({
        ...pdfOptions,
        margins: { ...pdfOptions.margins },
      });
    },
    openExternal: (url) => shell.openExternal(url),
    getServerSettings: () => serverSettings.get(),
    setServerUrl: (serverUrl, options) => serverSettings.set(serverUrl, options),
    defaultSaveDir: app.getPath('documents'),
    sessionKeychain: options.sessionKeychain,
    updater: options.updater,
  };
}
