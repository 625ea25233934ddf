/**
 * Main process entry (bundled to dist/electron/main.cjs). Composition only: every policy and
 * piece of logic lives in the modules it imports, most of them plain functions with tests.
 *
 * Start-up order matters: the app:// scheme must be registered and the single-instance lock
 * taken before `ready`; the session hardening, protocol handler and IPC handlers must be in
 * place before the window loads its first URL.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, ipcMain, safeStorage, session, shell, type BrowserWindow } from 'electron';
import { openSettingsStore } from './config/settings-store';
import { createServerSettings } from './config/server-settings';
import { SERVER_URL_ENV } from './config/server-url';
import { resolveTileSources, TILE_URL_ENV } from './config/tile-sources';
import { createElectronCapabilities } from './ipc/electron-capabilities';
import { registerIpcHandlers } from './ipc/ipc-handler';
import { createIpcImplementations } from './ipc/ipc-implementations';
import { installApplicationMenu } from './menu/install-menu';
import { registerAppScheme, serveAppProtocol } from './protocol/register-app-protocol';
import { buildContentSecurityPolicy } from './security/csp';
import { createSessionKeychain, sessionFile } from './session/session-keychain';
import { hardenSession, hardenWebContents } from './security/harden-session';
import { createPlatformUpdater } from './updater/platform-updater';
import { createMainWindow } from './window/main-window';
import { windowStateFile } from './window/window-state-store';

const PRODUCT_NAME = '观摩';

function log(message: string, error?: unknown): void {
  if (error === undefined) console.error(`[guanmo] ${message}`);
  else console.error(`[guanmo] ${message}`, error);
}

// A separate profile for tests and for running two builds side by side.
const userDataOverride = process.env.GUANMO_USER_DATA_DIR;
if (userDataOverride) app.setPath('userData', userDataOverride);

registerAppScheme();
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Another Guanmo is running; it gets our 'second-instance' event and comes to the front.
  app.quit();
} else {
  start();
}

function start(): void {
  let mainWindow: BrowserWindow | null = null;

  const openExternal = (url: string) => {
    shell.openExternal(url).catch((error: unknown) => log(`opening ${url} failed`, error));
  };

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, { openExternal, log }));

  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app
    .whenReady()
    .then(async () => {
      const userData = app.getPath('userData');
      const serverSettings = createServerSettings({
        store: openSettingsStore(userData),
        envValue: process.env[SERVER_URL_ENV],
        log,
      });
      const tileSources = resolveTileSources(process.env[TILE_URL_ENV], (value) =>
        log(`ignoring unusable tile URL ${JSON.stringify(value)} from ${TILE_URL_ENV}`),
      );
      const getContentSecurityPolicy = () =>
        buildContentSecurityPolicy({ serverOrigin: serverSettings.current().serverUrl, tileSources });

      // updates from the sync server in effect (updater/desktop-updater.ts); none when not packaged
      const updater = await createPlatformUpdater({ serverUrl: () => serverSettings.current().serverUrl, log }).catch((error: unknown) => {
        log('the self-updater could not start', error);
        return null;
      });

      hardenSession(session.defaultSession, log);
      serveAppProtocol(session.defaultSession, {
        root: join(app.getAppPath(), 'dist', 'renderer'),
        getContentSecurityPolicy,
        log,
      });
      registerIpcHandlers(
        ipcMain,
        createIpcImplementations(
          createElectronCapabilities({
            productName: PRODUCT_NAME,
            serverSettings,
            // the sync session's token in the OS keychain (after `ready`: safeStorage needs it)
            sessionKeychain: createSessionKeychain({ safeStorage, file: sessionFile(userData), platform: process.platform, log }),
            updater,
          }),
        ),
        log,
      );
      installApplicationMenu(PRODUCT_NAME);

      const openWindow = () => {
        const iconPath = join(__dirname, 'icon.png');
        mainWindow = createMainWindow({
          preloadPath: join(__dirname, 'preload.cjs'),
          windowStateFile: windowStateFile(userData),
          iconPath: existsSync(iconPath) ? iconPath : undefined,
          log,
          isPackaged: app.isPackaged,
        });
        mainWindow.on('closed', () => {
          mainWindow = null;
        });
      };
      openWindow();
      updater?.start();
      // macOS: clicking the dock icon with no window open brings one back.
      app.on('activate', () => {
        if (mainWindow === null) openWindow();
      });
    })
    .catch((error: unknown) => {
      log('start-up failed', error);
      app.exit(1);
    });
}
