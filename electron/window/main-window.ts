/**
 * The one application window: created hidden at the restored bounds, shown when the first
 * paint is ready, its state saved as it changes.
 */
import { BrowserWindow, screen } from 'electron';
import { APP_ENTRY_URL } from '../config/app-origin';
import { mainWindowWebPreferences } from './web-preferences';
import { MAIN_WINDOW_LIMITS, restoreWindowBounds } from './window-state';
import { createWindowStateSaver, loadWindowState } from './window-state-store';

export interface MainWindowOptions {
  readonly preloadPath: string;
  readonly windowStateFile: string;
  readonly iconPath: string | undefined;
  readonly log: (message: string, error?: unknown) => void;
  /** app.isPackaged: no DevTools in an installed build */
  readonly isPackaged: boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const restored = restoreWindowBounds(
    loadWindowState(options.windowStateFile),
    screen.getAllDisplays(),
    screen.getPrimaryDisplay(),
  );

  const window = new BrowserWindow({
    ...restored.bounds,
    minWidth: MAIN_WINDOW_LIMITS.minWidth,
    minHeight: MAIN_WINDOW_LIMITS.minHeight,
    show: false,
    title: '观摩',
    backgroundColor: '#f5f7f6',
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: mainWindowWebPreferences(options.preloadPath, { isPackaged: options.isPackaged }),
  });

  const saver = createWindowStateSaver({
    file: options.windowStateFile,
    log: options.log,
    snapshot: () => {
      if (window.isDestroyed() || window.isMinimized()) return null;
      const bounds = window.getNormalBounds();
      return { ...bounds, isMaximized: window.isMaximized() };
    },
  });
  window.on('resize', () => saver.changed());
  window.on('move', () => saver.changed());
  window.on('maximize', () => saver.changed());
  window.on('unmaximize', () => saver.changed());
  window.on('close', () => saver.flush());
  window.on('closed', () => saver.dispose());

  window.once('ready-to-show', () => {
    if (restored.isMaximized) window.maximize();
    window.show();
  });
  window.webContents.on('render-process-gone', (_event, details) => {
    options.log(`renderer process gone: ${details.reason} (exit code ${details.exitCode})`);
  });

  void window.loadURL(APP_ENTRY_URL).catch((error: unknown) => options.log('loading the renderer failed', error));
  return window;
}
